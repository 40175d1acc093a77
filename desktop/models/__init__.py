"""SQLAlchemy 2.0 mapped classes, one module per table family. Importing this registers them all."""

from desktop.models.app_setting import AppSetting
from desktop.models.audit_entry import AuditEntry
from desktop.models.base import Base
from desktop.models.checklist_template import ChecklistTemplateRecord
from desktop.models.child import Child
from desktop.models.class_group import ClassGroup
from desktop.models.field_package import FieldPackage, FieldResultImport
from desktop.models.inspection import (
    DocumentCounter,
    Inspection,
    InspectionAnswer,
    RectificationClosure,
    RectificationNotice,
)
from desktop.models.inspection_evidence import InspectionPhoto, PhotoContent, Violation
from desktop.models.inspection_roster import InspectorConflict, RandomDraw
from desktop.models.institution import Institution
from desktop.models.institution_event import InstitutionEvent
from desktop.models.node import Node
from desktop.models.region import Region, RegionPopulation
from desktop.models.staff import StaffMember
from desktop.models.subsidy import EnrollmentClaim, SubsidyApplication
from desktop.models.sync import (
    SyncConflict,
    SyncConflictResolution,
    SyncJournalEntry,
    SyncReceivedBundle,
    SyncSentBundle,
    SyncShadow,
)
from desktop.models.user import User

__all__ = [
    "AppSetting",
    "AuditEntry",
    "Base",
    "ChecklistTemplateRecord",
    "Child",
    "ClassGroup",
    "DocumentCounter",
    "EnrollmentClaim",
    "FieldPackage",
    "FieldResultImport",
    "Inspection",
    "InspectionAnswer",
    "InspectionPhoto",
    "InspectorConflict",
    "Institution",
    "InstitutionEvent",
    "Node",
    "PhotoContent",
    "RandomDraw",
    "RectificationClosure",
    "RectificationNotice",
    "Region",
    "RegionPopulation",
    "StaffMember",
    "SubsidyApplication",
    "SyncConflict",
    "SyncConflictResolution",
    "SyncJournalEntry",
    "SyncReceivedBundle",
    "SyncSentBundle",
    "SyncShadow",
    "User",
    "Violation",
]
