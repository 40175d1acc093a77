"""Rules for one institution's register entry: identity, filing, 普惠, status, premises, fees.

Pure: ``today`` is a parameter. Errors must be fixed before saving; warnings are for an officer
to confirm (DESIGN.md §1, ``desktop.domain.problems``). Parameters and sources: ``registry_rules``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from desktop.domain.enums import FilingStatus, OperatingStatus, SponsorType
from desktop.domain.identifiers import validate_credit_code
from desktop.domain.phone_numbers import validate_phone
from desktop.domain.problems import Problem, Severity, with_field
from desktop.domain.registry_rules import DEFAULT_RULES, InstitutionFacts, RegistryRules, format_date_cn, masked

__all__ = ["check_institution"]

_ERROR = Severity.ERROR
_WARNING = Severity.WARNING

_FEE_LABELS = {
    "fee_full_day_monthly_fen": "全日托月收费",
    "fee_half_day_monthly_fen": "半日托月收费",
    "fee_hourly_fen": "计时托每小时收费",
    "meal_fee_daily_fen": "每日伙食费",
}
_AREA_LABELS = {"building_area_m2": "建筑面积", "outdoor_area_m2": "户外活动场地面积"}


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def check_institution(
    facts: InstitutionFacts, *, today: date, rules: RegistryRules = DEFAULT_RULES
) -> tuple[Problem, ...]:
    """Everything wrong with an institution's register entry, in the order of the form."""
    problems = [
        *_identity(facts),
        *_capacity_and_premises(facts, today, rules),
        *_filing(facts, today),
        *_puhui(facts, today),
        *_operating_status(facts, today),
        *_services(facts),
    ]
    return masked(problems)


def _identity(facts: InstitutionFacts) -> list[Problem]:
    problems: list[Problem] = []
    if _blank(facts.name):
        problems.append(
            Problem("institution.name_empty", "机构名称未填写，请按营业执照或登记证书填写机构全称。", _ERROR, "name")
        )

    if not _blank(facts.credit_code):
        problems += with_field(validate_credit_code(facts.credit_code or "").problems, "credit_code")
    elif facts.operating_status is not OperatingStatus.PREPARING:
        # A warning, not an error: the column is optional (an institution in preparation may not
        # be registered yet, and old lists lack codes), but filing needs the licence (REFERENCE §2.1).
        problems.append(
            Problem(
                "institution.credit_code_missing",
                "统一社会信用代码未填写。备案须提供营业执照或法人登记证书，请按证书填写 18 位代码。",
                _WARNING,
                "credit_code",
            )
        )

    if _blank(facts.contact_phone):
        problems.append(
            Problem(
                "institution.contact_phone_missing",
                "联系电话未填写，请填写机构负责人或联系人的手机号码或带区号的固定电话，以便通知和检查联系。",
                _WARNING,
                "contact_phone",
            )
        )
    else:
        problems += with_field(validate_phone(facts.contact_phone or "").problems, "contact_phone")
    return problems


def _capacity_and_premises(facts: InstitutionFacts, today: date, rules: RegistryRules) -> list[Problem]:
    problems: list[Problem] = []
    if facts.slots < 0:
        problems.append(
            Problem(
                "institution.slots_negative",
                f"托位数不能为负数（现为 {facts.slots}），请填写机构设置并备案的托位数。",
                _ERROR,
                "slots",
            )
        )
    elif facts.slots == 0 and facts.operating_status is OperatingStatus.OPERATING:
        problems.append(
            Problem(
                "institution.slots_zero",
                "机构正常运营，但托位数为 0。请填写机构设置并备案的托位数。",
                _WARNING,
                "slots",
            )
        )
    elif facts.sponsor_type is SponsorType.HOME_BASED and facts.slots > rules.home_based_max_children:
        problems.append(
            Problem(
                "institution.home_based_slots",
                f"家庭托育点托位数为 {facts.slots} 个，超过收托不超过 {rules.home_based_max_children} 人的规定"
                f"（{rules.home_based_source}），超过的应按托育机构备案。请核实托位数或举办主体。",
                _WARNING,
                "slots",
            )
        )

    for name, label in _AREA_LABELS.items():
        area: Decimal | None = getattr(facts, name)
        if area is not None and area < 0:
            problems.append(
                Problem(
                    "institution.area_negative",
                    f"{label}不能为负数（现为 {area} 平方米），请按房产证明或租赁合同填写。",
                    _ERROR,
                    name,
                )
            )

    # A closed institution's lease is no longer the bureau's concern.
    if facts.premises_leased and facts.operating_status is not OperatingStatus.CLOSED:
        problems += _lease(facts.lease_expires_on, today, rules)
    return problems


def _lease(expires_on: date | None, today: date, rules: RegistryRules) -> list[Problem]:
    if expires_on is None:
        return [
            Problem(
                "institution.lease_expiry_missing",
                "场地为租赁，但未填写租赁到期日期。请按租赁合同填写到期日期，以便到期前提醒续租。",
                _WARNING,
                "lease_expires_on",
            )
        ]
    days_left = (expires_on - today).days
    if days_left < 0:
        return [
            Problem(
                "institution.lease_expired",
                f"场地租赁已于 {format_date_cn(expires_on)} 到期（{-days_left} 天前）。"
                "请核实机构是否已续租，并更新租赁到期日期。",
                _WARNING,
                "lease_expires_on",
            )
        ]
    if days_left <= rules.lease_warning_days:
        when = "今天" if days_left == 0 else f"还有 {days_left} 天"
        return [
            Problem(
                "institution.lease_expiring",
                f"场地租赁将于 {format_date_cn(expires_on)} 到期（{when}）。请督促机构及时续签租赁合同。",
                _WARNING,
                "lease_expires_on",
            )
        ]
    return []


def _filing(facts: InstitutionFacts, today: date) -> list[Problem]:
    problems: list[Problem] = []
    filed, not_filed = FilingStatus.FILED, FilingStatus.NOT_FILED
    if facts.filing_status is filed:
        if _blank(facts.filing_number):
            problems.append(
                Problem(
                    "institution.filing_number_missing",
                    f"备案状态为“{filed.label}”，但未填写备案编号。请按备案回执填写备案编号。",
                    _ERROR,
                    "filing_number",
                )
            )
        if facts.filed_on is None:
            problems.append(
                Problem(
                    "institution.filed_on_missing",
                    f"备案状态为“{filed.label}”，但未填写备案日期。请按备案回执填写备案日期。",
                    _ERROR,
                    "filed_on",
                )
            )
    elif facts.filing_status is not_filed:
        # Pending and cancelled filings may keep an earlier number and date; "not filed" may not.
        if not _blank(facts.filing_number):
            problems.append(
                Problem(
                    "institution.filing_number_without_filing",
                    f"备案状态为“{not_filed.label}”，却填写了备案编号。"
                    f"请将备案状态改为“{filed.label}”，或删除备案编号。",
                    _ERROR,
                    "filing_number",
                )
            )
        if facts.filed_on is not None:
            problems.append(
                Problem(
                    "institution.filed_on_without_filing",
                    f"备案状态为“{not_filed.label}”，却填写了备案日期。"
                    f"请将备案状态改为“{filed.label}”，或删除备案日期。",
                    _ERROR,
                    "filed_on",
                )
            )
    if facts.filed_on is not None and facts.filed_on > today:
        problems.append(_future("institution.filed_on_future", "备案日期", facts.filed_on, "filed_on"))
    return problems


def _puhui(facts: InstitutionFacts, today: date) -> list[Problem]:
    problems: list[Problem] = []
    if facts.puhui and facts.puhui_recognized_on is None:
        problems.append(
            Problem(
                "institution.puhui_date_missing",
                "已认定为普惠托育机构，但未填写认定日期。请按认定文件填写认定日期。",
                _ERROR,
                "puhui_recognized_on",
            )
        )
    if facts.puhui_recognized_on is not None and facts.puhui_recognized_on > today:
        problems.append(
            _future("institution.puhui_date_future", "普惠认定日期", facts.puhui_recognized_on, "puhui_recognized_on")
        )
    if facts.puhui and facts.filing_status is not FilingStatus.FILED:
        problems.append(
            Problem(
                "institution.puhui_not_filed",
                f"已认定为普惠托育机构，但备案状态为“{facts.filing_status.label}”。普惠托育机构应为已备案机构，"
                "运营补贴也以备案成功为条件。请核实备案状态或普惠认定。",
                _WARNING,
                "puhui",
            )
        )
    return problems


def _operating_status(facts: InstitutionFacts, today: date) -> list[Problem]:
    problems: list[Problem] = []
    status = facts.operating_status
    if status in (OperatingStatus.SUSPENDED, OperatingStatus.CLOSED):
        if _blank(facts.status_reason):
            problems.append(
                Problem(
                    "institution.status_reason_missing",
                    f"机构状态为“{status.label}”，请填写{status.label}的原因。",
                    _ERROR,
                    "status_reason",
                )
            )
        if facts.status_changed_on is None:
            problems.append(
                Problem(
                    "institution.status_date_missing",
                    f"机构状态为“{status.label}”，请填写{status.label}的日期。",
                    _ERROR,
                    "status_changed_on",
                )
            )
    if facts.status_changed_on is not None and facts.status_changed_on > today:
        problems.append(
            _future("institution.status_date_future", "状态变更日期", facts.status_changed_on, "status_changed_on")
        )
    if status is OperatingStatus.OPERATING and facts.opened_on is not None and facts.opened_on > today:
        problems.append(
            Problem(
                "institution.opened_on_future",
                f"开业日期 {format_date_cn(facts.opened_on)} 晚于今天，但机构状态为“{status.label}”。"
                f"请核对开业日期，或把状态改为“{OperatingStatus.PREPARING.label}”。",
                _WARNING,
                "opened_on",
            )
        )
    return problems


def _services(facts: InstitutionFacts) -> list[Problem]:
    problems: list[Problem] = []
    if facts.serves_meals and _blank(facts.food_licence_number):
        problems.append(
            Problem(
                "institution.food_licence_missing",
                "机构提供餐食，但未填写食品经营许可证编号。提供餐食应取得食品经营许可证，"
                "请填写许可证编号，或核实机构是否提供餐食。",
                _WARNING,
                "food_licence_number",
            )
        )
    for name, label in _FEE_LABELS.items():
        fee: int | None = getattr(facts, name)
        if fee is not None and fee < 0:
            problems.append(
                Problem("institution.fee_negative", f"{label}不能为负数，请按公示的收费标准填写。", _ERROR, name)
            )
    if facts.demonstration and facts.demonstration_level is None:
        problems.append(
            Problem(
                "institution.demonstration_level_missing",
                "已标记为示范性托育机构，请选择示范级别（县级、市级、省级或国家级）。",
                _ERROR,
                "demonstration_level",
            )
        )
    if facts.medical_partnership and _blank(facts.medical_partner_name):
        problems.append(
            Problem(
                "institution.medical_partner_missing",
                "已标记为医育结合，请填写签约合作的医疗卫生机构名称。",
                _ERROR,
                "medical_partner_name",
            )
        )
    return problems


def _future(code: str, label: str, day: date, field: str) -> Problem:
    return Problem(code, f"{label} {format_date_cn(day)} 晚于今天，请核对日期。", _ERROR, field)
