"""Closed vocabularies of the domain, with the Chinese label each one shows on screen and paper.

Identifiers follow shared/GLOSSARY.md. Values are stored as these strings in the database and in
bundles, so a value is never renamed: add a new member instead.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a Chinese label (``member.label``)."""

    @property
    def label(self) -> str:
        return _LABELS[type(self)][self]


class RegionLevel(LabelledEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"


class TownshipKind(LabelledEnum):
    STREET = "street"
    TOWN = "town"
    TOWNSHIP = "township"


class SponsorType(LabelledEnum):
    """举办主体: who runs the institution (GLOSSARY; REFERENCE §1.1, §1.6)."""

    PUBLIC = "public"
    SOCIAL = "social"
    EMPLOYER_CLASS = "employer_class"
    PUBLIC_INSTITUTION_CLASS = "public_institution_class"
    KINDERGARTEN_CLASS = "kindergarten_class"
    COMMUNITY_EMBEDDED = "community_embedded"
    MEDICAL = "medical"
    HOME_BASED = "home_based"


class Ownership(LabelledEnum):
    """办园体制 as the sources name it (REFERENCE §1.6)."""

    PUBLIC = "public"
    PUBLIC_BUILT_PRIVATE_RUN = "public_built_private_run"
    PRIVATE_PUBLIC_AIDED = "private_public_aided"
    PRIVATE = "private"


class RegistrationType(LabelledEnum):
    """Where the legal person is registered (REFERENCE §2.1)."""

    PUBLIC_INSTITUTION = "public_institution"
    SOCIAL_SERVICE = "social_service"
    FOR_PROFIT = "for_profit"


class ServiceMode(LabelledEnum):
    FULL_DAY = "full_day"
    HALF_DAY = "half_day"
    HOURLY = "hourly"
    TEMPORARY = "temporary"


class FilingStatus(LabelledEnum):
    NOT_FILED = "not_filed"
    PENDING = "pending"
    FILED = "filed"
    CANCELLED = "cancelled"


class OperatingStatus(LabelledEnum):
    PREPARING = "preparing"
    OPERATING = "operating"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class DemonstrationLevel(LabelledEnum):
    COUNTY = "county"
    CITY = "city"
    PROVINCE = "province"
    NATIONAL = "national"


class ClassType(LabelledEnum):
    INFANT = "infant"
    TODDLER = "toddler"
    OLDER_TODDLER = "older_toddler"
    MIXED_AGE = "mixed_age"


class StaffRole(LabelledEnum):
    PRINCIPAL = "principal"
    CARER = "carer"
    HEALTH_STAFF = "health_staff"
    COOK = "cook"
    SECURITY = "security"
    OTHER = "other"


class Sex(LabelledEnum):
    MALE = "male"
    FEMALE = "female"


class UserRole(LabelledEnum):
    ADMIN = "admin"
    CLERK = "clerk"
    INSPECTOR = "inspector"
    CITY_VIEWER = "city_viewer"


class InstitutionEventKind(LabelledEnum):
    """Dated events in an institution's life: filing, 普惠 recognition and operating status.

    These are never overwritten: each change is a new event (REFERENCE.md §2.1; DESIGN.md §3).
    """

    FILING_SUBMITTED = "filing_submitted"
    FILED = "filed"
    FILING_CANCELLED = "filing_cancelled"
    PUHUI_RECOGNIZED = "puhui_recognized"
    PUHUI_REVOKED = "puhui_revoked"
    OPENED = "opened"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    CLOSED = "closed"
    REOPENED = "reopened"


class ItemSeverity(LabelledEnum):
    """How serious a failed checklist item is; it sets the rectification deadline."""

    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class InspectionKind(LabelledEnum):
    QUARTERLY_SPOT_CHECK = "quarterly_spot_check"
    SEMIANNUAL_INSPECTION = "semiannual_inspection"
    FOLLOW_UP = "follow_up"
    SPECIAL = "special"


class InspectionConclusion(LabelledEnum):
    """检查结论: what an inspection's answers add up to (desktop.domain.inspection_outcome).

    Four values, because the notice and the lists need exactly these distinctions: not finished
    yet (mandatory items unanswered, a draft), nothing wrong, something to rectify, and a 一票否决
    item failed (the whole inspection fails, and its items must still be rectified).
    """

    INCOMPLETE = "incomplete"
    PASSED = "passed"
    RECTIFICATION_REQUIRED = "rectification_required"
    VETOED = "vetoed"


class ViolationAction(LabelledEnum):
    """处理措施: what the bureau did about a violation found at an inspection (违规行为查处)."""

    ORDER_CORRECTION = "order_correction"
    INTERVIEW = "interview"
    WARNING = "warning"
    FINE = "fine"
    SUSPENSION = "suspension"
    REFERRAL = "referral"


class SubsidyScheme(LabelledEnum):
    CONSTRUCTION = "construction"
    OPERATING = "operating"
    ENROLLMENT = "enrollment"


class ApplicationStatus(LabelledEnum):
    """Where a subsidy application stands: draft → submitted → first_reviewed → approved → paid, or rejected."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    FIRST_REVIEWED = "first_reviewed"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


class NodeKind(LabelledEnum):
    LAPTOP = "laptop"
    COUNTY = "county"
    CITY = "city"


_LABELS: dict[type, dict] = {
    RegionLevel: {
        RegionLevel.PROVINCE: "省",
        RegionLevel.CITY: "市",
        RegionLevel.COUNTY: "县（区）",
        RegionLevel.TOWNSHIP: "乡镇（街道）",
    },
    TownshipKind: {TownshipKind.STREET: "街道", TownshipKind.TOWN: "镇", TownshipKind.TOWNSHIP: "乡"},
    SponsorType: {
        SponsorType.PUBLIC: "公办托育机构",
        SponsorType.SOCIAL: "社会力量举办",
        SponsorType.EMPLOYER_CLASS: "用人单位托班",
        SponsorType.PUBLIC_INSTITUTION_CLASS: "事业单位托班",
        SponsorType.KINDERGARTEN_CLASS: "幼儿园托班",
        SponsorType.COMMUNITY_EMBEDDED: "社区嵌入式托班",
        SponsorType.MEDICAL: "医疗卫生机构举办",
        SponsorType.HOME_BASED: "家庭托育点",
    },
    Ownership: {
        Ownership.PUBLIC: "公办",
        Ownership.PUBLIC_BUILT_PRIVATE_RUN: "公建民营",
        Ownership.PRIVATE_PUBLIC_AIDED: "民办公助",
        Ownership.PRIVATE: "民办",
    },
    RegistrationType: {
        RegistrationType.PUBLIC_INSTITUTION: "事业单位",
        RegistrationType.SOCIAL_SERVICE: "社会服务机构",
        RegistrationType.FOR_PROFIT: "营利性机构",
    },
    ServiceMode: {
        ServiceMode.FULL_DAY: "全日托",
        ServiceMode.HALF_DAY: "半日托",
        ServiceMode.HOURLY: "计时托",
        ServiceMode.TEMPORARY: "临时托",
    },
    FilingStatus: {
        FilingStatus.NOT_FILED: "未备案",
        FilingStatus.PENDING: "备案审核中",
        FilingStatus.FILED: "已备案",
        FilingStatus.CANCELLED: "已注销备案",
    },
    OperatingStatus: {
        OperatingStatus.PREPARING: "筹建中",
        OperatingStatus.OPERATING: "正常运营",
        OperatingStatus.SUSPENDED: "暂停运营",
        OperatingStatus.CLOSED: "已关闭",
    },
    DemonstrationLevel: {
        DemonstrationLevel.COUNTY: "县级示范",
        DemonstrationLevel.CITY: "市级示范",
        DemonstrationLevel.PROVINCE: "省级示范",
        DemonstrationLevel.NATIONAL: "国家级示范",
    },
    ClassType: {
        ClassType.INFANT: "乳儿班",
        ClassType.TODDLER: "托小班",
        ClassType.OLDER_TODDLER: "托大班",
        ClassType.MIXED_AGE: "混龄班",
    },
    StaffRole: {
        StaffRole.PRINCIPAL: "负责人",
        StaffRole.CARER: "保育人员",
        StaffRole.HEALTH_STAFF: "保健人员",
        StaffRole.COOK: "炊事人员",
        StaffRole.SECURITY: "保安人员",
        StaffRole.OTHER: "其他人员",
    },
    Sex: {Sex.MALE: "男", Sex.FEMALE: "女"},
    UserRole: {
        UserRole.ADMIN: "系统管理员",
        UserRole.CLERK: "业务经办人",
        UserRole.INSPECTOR: "检查员",
        UserRole.CITY_VIEWER: "市级查看",
    },
    ViolationAction: {
        ViolationAction.ORDER_CORRECTION: "责令限期改正",
        ViolationAction.INTERVIEW: "约谈负责人",
        ViolationAction.WARNING: "警告",
        ViolationAction.FINE: "罚款",
        ViolationAction.SUSPENSION: "责令停业整顿",
        ViolationAction.REFERRAL: "移送有关部门",
    },
    SubsidyScheme: {
        SubsidyScheme.CONSTRUCTION: "建设补贴",
        SubsidyScheme.OPERATING: "运营补贴",
        SubsidyScheme.ENROLLMENT: "入托补贴",
    },
    ApplicationStatus: {
        ApplicationStatus.DRAFT: "草稿",
        ApplicationStatus.SUBMITTED: "已提交",
        ApplicationStatus.FIRST_REVIEWED: "已初审",
        ApplicationStatus.APPROVED: "已审核",
        ApplicationStatus.PAID: "已发放",
        ApplicationStatus.REJECTED: "已退回",
    },
    NodeKind: {NodeKind.LAPTOP: "检查笔记本", NodeKind.COUNTY: "县区", NodeKind.CITY: "市级"},
    ItemSeverity: {ItemSeverity.MINOR: "一般", ItemSeverity.MAJOR: "较重", ItemSeverity.CRITICAL: "严重"},
    InspectionKind: {
        InspectionKind.QUARTERLY_SPOT_CHECK: "季度抽查",
        InspectionKind.SEMIANNUAL_INSPECTION: "半年检查",
        InspectionKind.FOLLOW_UP: "整改回头看",
        InspectionKind.SPECIAL: "专项检查",
    },
    InspectionConclusion: {
        InspectionConclusion.INCOMPLETE: "未完成",
        InspectionConclusion.PASSED: "合格",
        InspectionConclusion.RECTIFICATION_REQUIRED: "需整改",
        InspectionConclusion.VETOED: "一票否决不合格",
    },
    InstitutionEventKind: {
        InstitutionEventKind.FILING_SUBMITTED: "提交备案",
        InstitutionEventKind.FILED: "备案登记",
        InstitutionEventKind.FILING_CANCELLED: "注销备案",
        InstitutionEventKind.PUHUI_RECOGNIZED: "认定普惠",
        InstitutionEventKind.PUHUI_REVOKED: "取消普惠",
        InstitutionEventKind.OPENED: "开始运营",
        InstitutionEventKind.SUSPENDED: "暂停运营",
        InstitutionEventKind.RESUMED: "恢复运营",
        InstitutionEventKind.CLOSED: "关闭",
        InstitutionEventKind.REOPENED: "重新开办",
    },
}
