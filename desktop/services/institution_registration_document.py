"""The 托育机构基本情况登记表's data: one institution's register entry (load_institution_record, ID numbers already
masked there) with its classes' age groups and the certificates of the staff in post on the day it is printed.

The institution is named by its id or its unified social credit code, as a clerk has one or the other at hand.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from desktop.domain.enums import ClassType
from desktop.domain.identifiers import normalize_identifier
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import Institution, StaffMember
from desktop.reports.institution_registration_form import ClassRow, InstitutionRegistrationDocument, StaffRow
from desktop.services.institution_record import StaffLine, load_institution_record
from desktop.services.printing import issuing_body
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session

# The age each class type takes in, per 《托育机构设置标准（试行）》 (REFERENCE.md §2.2).
CLASS_AGES = {
    ClassType.INFANT: "6–12个月",
    ClassType.TODDLER: "12–24个月",
    ClassType.OLDER_TODDLER: "24–36个月",
    ClassType.MIXED_AGE: "18个月以上",
}

CLASS_ORDER = list(ClassType)  # youngest first, mixed-age last


def find_institution_id(ctx: AppContext, key: str) -> uuid.UUID:
    """The institution with this id or unified social credit code; a Chinese error says what to type instead."""
    text = key.strip()
    try:
        wanted = Institution.id == uuid.UUID(text)
    except ValueError:
        wanted = Institution.credit_code == normalize_identifier(text)
    with read_session(ctx.db) as session:
        found = session.execute(select(Institution.id, Institution.name).where(wanted).limit(3)).all()
    if not found:
        raise NotFoundError(f"找不到机构“{text}”：请输入机构的 ID 或 18 位统一社会信用代码（可在机构档案中查看）。")
    if len(found) > 1:
        names = "」「".join(row.name for row in found)
        raise TuoyuError(f"统一社会信用代码 {text} 登记给了不止一家机构（「{names}」），请改用机构的 ID。")
    return found[0].id


def institution_registration_document(ctx: AppContext, key: str, *, today: date) -> InstitutionRegistrationDocument:
    """The 登记表 of the institution named by ``key``, with the staff in post on ``today``."""
    institution_id = find_institution_id(ctx, key)
    record = load_institution_record(ctx, institution_id, today=today)
    with read_session(ctx.db) as session:
        qualifications = dict(
            session.execute(
                select(StaffMember.id, StaffMember.qualification).where(StaffMember.institution_id == institution_id)
            ).all()
        )
    d, s = record.form.draft, record.form.lifecycle
    in_post = [member for member in record.staff if _in_post(member, today)]
    return InstitutionRegistrationDocument(
        registering_body=issuing_body(record.county_name),
        name=d.name,
        credit_code=d.credit_code or "",
        sponsor_type=d.sponsor_type.label,
        ownership=d.ownership.label if d.ownership else "",
        registration_type=d.registration_type.label if d.registration_type else "",
        service_modes=tuple(mode.label for mode in sorted(d.service_modes)),
        chain_brand=d.chain_brand or "",
        county_name=record.county_name,
        township_name=record.township_name,
        address=d.address,
        legal_representative=d.legal_representative or "",
        principal_name=d.principal_name or "",
        contact_person=d.contact_person or "",
        contact_phone=d.contact_phone or "",
        slots=d.slots,
        building_area_m2=d.building_area_m2,
        outdoor_area_m2=d.outdoor_area_m2,
        premises_leased=d.premises_leased,
        lease_expires_on=d.lease_expires_on,
        fee_full_day_monthly_fen=d.fee_full_day_monthly_fen,
        fee_half_day_monthly_fen=d.fee_half_day_monthly_fen,
        fee_hourly_fen=d.fee_hourly_fen,
        serves_meals=d.serves_meals,
        meal_fee_daily_fen=d.meal_fee_daily_fen,
        food_licence_number=d.food_licence_number or "",
        filing_status=s.filing_status.label,
        filing_number=s.filing_number or "",
        filed_on=s.filed_on,
        puhui=s.puhui,
        puhui_recognized_on=s.puhui_recognized_on,
        operating_status=s.operating_status.label,
        opened_on=s.opened_on,
        status_changed_on=s.status_changed_on,
        status_reason=s.status_reason or "",
        demonstration=d.demonstration,
        demonstration_level=d.demonstration_level.label if d.demonstration_level else "",
        medical_partnership=d.medical_partnership,
        medical_partner_name=d.medical_partner_name or "",
        notes=d.notes or "",
        classes=tuple(
            ClassRow(c.name, _age_group(c.class_type), c.capacity, c.enrolled_count, c.carers)
            for c in sorted(record.classes, key=lambda c: (CLASS_ORDER.index(c.class_type), c.name))
        ),
        staff=tuple(
            StaffRow(
                name=m.name,
                role=m.role.label,
                sex=m.sex.label if m.sex else "",
                id_number_masked=m.id_number_masked,
                class_name=m.class_name,
                qualification=qualifications.get(m.id) or "",
                health_certificate_expires_on=m.health_certificate_expires_on,
                phone=m.phone,
            )
            for m in in_post
        ),
        former_staff=len(record.staff) - len(in_post),
        printed_on=today,
    )


def _age_group(class_type: ClassType) -> str:
    return f"{class_type.label}（{CLASS_AGES[class_type]}）"


def _in_post(member: StaffLine, today: date) -> bool:
    return member.employed_until is None or member.employed_until >= today
