"""托育机构基本情况登记表: one institution's register entry as an A4 form, checked and signed by its head and the clerk
who filled it in, then filed.

From the top: the register's fields in ruled grids (identity and people, scale, premises and fees, filing, 普惠 and
operating status), the classes with their age groups, capacities, children and carers and a total row, then the staff
in post with their masked ID numbers (never the full number), certificates and health-certificate dates, and the
signature lines. Both tables repeat their header row on every page they run onto, so a hundred staff flow over as
many pages as they need; the signature lines are kept together at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desktop.domain.amount_words import format_yuan
from desktop.reports.fonts import SANS_FONT
from desktop.reports.form_fields import COMPACT, SIGNED_AND_DATED, Field, compact_styles, field_grid, section
from desktop.reports.form_page import (
    SHADE,
    PrintedDocument,
    chinese_date,
    grid_style,
    para,
    render_form,
    text_width,
)

TITLE = "托育机构基本情况登记表"
TEXT_WIDTH = text_width()
# Classes: 序号, 班级名称, 班型（年龄段）, 核定人数, 在托人数, 保育人员 (the name takes what is left).
CLASS_WIDTHS = (12 * mm, None, 48 * mm, 24 * mm, 24 * mm, 24 * mm)
# Staff: 序号, 姓名, 岗位, 性别, 身份证号, 所在班级, 资格证书, 健康证有效期, 联系电话 (the certificate takes the rest).
# A masked ID number and a date in Chinese (2026年11月28日) each just fit their columns on one line.
STAFF_WIDTHS = (8.5 * mm, 15 * mm, 15 * mm, 8.5 * mm, 32 * mm, 16 * mm, None, 27 * mm, 23 * mm)
STAFF_HEADER = ("序号", "姓名", "岗位", "性别", "身份证号", "所在班级", "资格证书", "健康证有效期", "联系电话")
SIGNER_WIDTH = 45 * mm
CLASS_HEADER = ("序号", "班级名称", "班型（年龄段）", "核定人数", "在托人数", "保育人员")


@dataclass(frozen=True)
class ClassRow:
    name: str
    age_group: str  # 托小班（12–24个月）
    capacity: int
    enrolled: int
    carers: int


@dataclass(frozen=True)
class StaffRow:
    name: str
    role: str  # 保育人员
    sex: str  # 男 / 女 / ""
    id_number_masked: str  # never the full number
    class_name: str
    qualification: str  # 育婴员（高级）
    health_certificate_expires_on: date | None
    phone: str  # as the register stores it


@dataclass(frozen=True)
class InstitutionRegistrationDocument:
    """Everything the 登记表 prints, gathered by desktop.services.institution_registration_document."""

    registering_body: str  # 甘州区卫生健康局
    name: str
    credit_code: str
    sponsor_type: str
    ownership: str
    registration_type: str
    service_modes: tuple[str, ...]
    chain_brand: str
    county_name: str
    township_name: str
    address: str
    legal_representative: str
    principal_name: str
    contact_person: str
    contact_phone: str  # as the register stores it: 0936-8212345 or 13912345678
    slots: int
    building_area_m2: Decimal | None
    outdoor_area_m2: Decimal | None
    premises_leased: bool
    lease_expires_on: date | None
    fee_full_day_monthly_fen: int | None
    fee_half_day_monthly_fen: int | None
    fee_hourly_fen: int | None
    serves_meals: bool
    meal_fee_daily_fen: int | None
    food_licence_number: str
    filing_status: str  # 已备案
    filing_number: str
    filed_on: date | None
    puhui: bool
    puhui_recognized_on: date | None
    operating_status: str  # 正常运营
    opened_on: date | None
    status_changed_on: date | None
    status_reason: str
    demonstration: bool
    demonstration_level: str  # 市级示范; "" when not recorded
    medical_partnership: bool  # 医育结合
    medical_partner_name: str
    notes: str
    classes: tuple[ClassRow, ...]
    staff: tuple[StaffRow, ...]  # in post on printed_on
    former_staff: int  # staff whose employment has ended: counted, not listed
    printed_on: date

    def texts(self) -> list[str]:
        """Every piece of data text the form prints, for the font check."""
        texts = [self.registering_body, self.name, self.credit_code, self.sponsor_type, self.ownership]
        texts += [self.registration_type, *self.service_modes, self.chain_brand, self.county_name, self.township_name]
        texts += [self.address, self.legal_representative, self.principal_name, self.contact_person]
        texts += [self.contact_phone, self.food_licence_number, self.filing_status, self.filing_number]
        texts += [self.operating_status, self.status_reason, self.demonstration_level]
        texts += [self.medical_partner_name, self.notes]
        texts += [text for row in self.classes for text in (row.name, row.age_group)]
        for member in self.staff:
            texts += [member.name, member.role, member.sex, member.id_number_masked, member.class_name]
            texts += [member.qualification, member.phone]
        return texts


def _day(day: date | None) -> str:
    return chinese_date(day) if day else ""


def _yuan(fen: int | None, unit: str) -> str:
    return "—" if fen is None else f"{format_yuan(fen)} 元/{unit}"


def _area(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f} ㎡"


def _yes(flag: bool, detail: str) -> str:
    return ("是" + (f"（{detail}）" if detail else "")) if flag else "否"


def _dated(text: str, day: date | None, what: str = "") -> str:
    """'已备案' + '（2024年2月1日）': a state with the day it began, when the register knows it."""
    return f"{text}（{_day(day)}{what}）" if day else text


def _identity(document: InstitutionRegistrationDocument) -> list[Field]:
    return [
        ("机构名称", document.name),
        ("统一社会信用代码", document.credit_code),
        ("举办主体", document.sponsor_type),
        ("办园体制", document.ownership),
        ("登记类型", document.registration_type),
        ("服务类型", "、".join(document.service_modes)),
        ("连锁品牌", document.chain_brand),
        ("所属县区", document.county_name),
        ("乡镇（街道）", document.township_name),
        ("机构地址", document.address),
        ("法定代表人", document.legal_representative),
        ("机构负责人", document.principal_name),
        ("联系人", document.contact_person),
        ("联系电话", document.contact_phone),
    ]


def _scale(document: InstitutionRegistrationDocument) -> list[Field]:
    capacity = sum(row.capacity for row in document.classes)
    enrolled = sum(row.enrolled for row in document.classes)
    premises = "租赁" + (f"（租期至{_day(document.lease_expires_on)}）" if document.lease_expires_on else "")
    fees = "；".join(
        (
            f"全日托 {_yuan(document.fee_full_day_monthly_fen, '月')}",
            f"半日托 {_yuan(document.fee_half_day_monthly_fen, '月')}",
            f"计时托 {_yuan(document.fee_hourly_fen, '小时')}",
        )
    )
    meals = "不提供"
    if document.serves_meals:
        licence = document.food_licence_number or "—"
        meals = f"提供；伙食费 {_yuan(document.meal_fee_daily_fen, '天')}；食品经营许可证 {licence}"
    return [
        ("托位数", f"{document.slots} 个"),
        ("建筑面积", _area(document.building_area_m2)),
        ("户外活动面积", _area(document.outdoor_area_m2)),
        ("场地性质", premises if document.premises_leased else "自有"),
        ("班级", f"{len(document.classes)} 个班，核定 {capacity} 人，在托 {enrolled} 人"),
        ("收费标准", fees),
        ("膳食服务", meals),
    ]


def _status(document: InstitutionRegistrationDocument) -> list[Field]:
    operating = _dated(document.operating_status, document.status_changed_on)
    if document.status_reason:
        operating = f"{document.operating_status}（{_day(document.status_changed_on)}，{document.status_reason}）"
    return [
        ("备案状态", document.filing_status),
        ("备案编号", document.filing_number),
        ("备案日期", _day(document.filed_on)),
        ("普惠性托育机构", _dated("是", document.puhui_recognized_on, "认定") if document.puhui else "否"),
        ("运营状态", operating),
        ("开办日期", _day(document.opened_on)),
        ("示范性托育机构", _yes(document.demonstration, document.demonstration_level)),
        ("医育结合", _yes(document.medical_partnership, document.medical_partner_name)),
        *([("备注", document.notes)] if document.notes else []),
    ]


def _classes(document: InstitutionRegistrationDocument, styles: dict[str, ParagraphStyle]) -> Table:
    centre, number = styles["centre"], styles["number"]
    rows: list[list] = [[para(text, styles["head"]) for text in CLASS_HEADER]]
    for index, row in enumerate(document.classes, start=1):
        rows.append(
            [
                para(str(index), centre),
                para(row.name, styles["cell"]),
                para(row.age_group, centre),
                para(str(row.capacity), number),
                para(str(row.enrolled), number),
                para(str(row.carers), number),
            ]
        )
    if not document.classes:
        rows.append([para("未登记班级", centre), "", "", "", "", ""])
    strong = styles["strong"]
    rows.append(
        [
            para("合计", styles["head"]),
            para(f"{len(document.classes)} 个班", strong),
            "",
            para(str(sum(row.capacity for row in document.classes)), number),
            para(str(sum(row.enrolled for row in document.classes)), number),
            para(str(sum(row.carers for row in document.classes)), number),
        ]
    )
    extra = [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("BACKGROUND", (0, -1), (-1, -1), SHADE)]
    if not document.classes:
        extra.append(("SPAN", (0, 1), (-1, 1)))
    fixed = sum(width for width in CLASS_WIDTHS if width is not None)
    table = Table(rows, colWidths=[TEXT_WIDTH - fixed if w is None else w for w in CLASS_WIDTHS], repeatRows=1)
    table.setStyle(grid_style(*extra, *COMPACT))
    return table


def _health_certificate(expires: date | None, today: date, styles: dict[str, ParagraphStyle]) -> Paragraph:
    """The certificate's end date; an expired or missing one in bold, for the reader to see at once."""
    if expires is None:
        return para("未登记", styles["failed"])
    if expires < today:  # the date fills its column: "已过期" goes on a line of its own rather than breaking it
        return Paragraph(f"{_day(expires)}<br/>（已过期）", styles["failed"])
    return para(_day(expires), styles["centre"])


def _staff(document: InstitutionRegistrationDocument, styles: dict[str, ParagraphStyle]) -> Table:
    centre, cell = styles["centre"], styles["cell"]
    rows: list[list] = [[para(text, styles["head"]) for text in STAFF_HEADER]]
    for index, member in enumerate(document.staff, start=1):
        rows.append(
            [
                para(str(index), centre),
                para(member.name, cell),
                para(member.role, cell),
                para(member.sex, centre),
                para(member.id_number_masked, centre),
                para(member.class_name, cell),
                para(member.qualification, cell),
                _health_certificate(member.health_certificate_expires_on, document.printed_on, styles),
                para(member.phone, centre),
            ]
        )
    if not document.staff:
        rows.append([para("未登记在职从业人员", centre), *[""] * (len(STAFF_HEADER) - 1)])
    fixed = sum(width for width in STAFF_WIDTHS if width is not None)
    table = Table(rows, colWidths=[TEXT_WIDTH - fixed if w is None else w for w in STAFF_WIDTHS], repeatRows=1)
    extra = [("SPAN", (0, 1), (-1, 1))] if not document.staff else []
    table.setStyle(grid_style(("BACKGROUND", (0, 0), (-1, 0), SHADE), *extra, *COMPACT))
    return table


def _signatures(document: InstitutionRegistrationDocument, styles: dict[str, ParagraphStyle]) -> Table:
    """The head and the clerk who filled the form in sign and date it; the institution stamps it below."""
    label, value = styles["label"], styles["header"]
    head = f"机构负责人 {document.principal_name}" if document.principal_name else "机构负责人"
    rows = [
        [para(head, label), para(SIGNED_AND_DATED, value)],
        [para("填表人", label), para(SIGNED_AND_DATED, value)],
        ["", para("（机构盖章）", styles["seal"])],
    ]
    table = Table(rows, colWidths=(SIGNER_WIDTH, TEXT_WIDTH - SIGNER_WIDTH), rowHeights=(12 * mm, 12 * mm, 16 * mm))
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SANS_FONT),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
            ]
        )
    )
    return table


def _story(document: InstitutionRegistrationDocument) -> list[Flowable]:
    styles = compact_styles()
    styles["seal"] = ParagraphStyle("seal", parent=styles["header"], alignment=TA_RIGHT, rightIndent=20 * mm)
    meta = f"登记机关：{document.registering_body}　　打印日期：{chinese_date(document.printed_on)}"
    former = f"；另有 {document.former_staff} 人已离职，未列入" if document.former_staff else ""
    return [
        para(TITLE, styles["title"]),
        Spacer(0, 1 * mm),
        para(meta, styles["subtitle"]),
        *section("一、基本信息", styles),
        field_grid(_identity(document), styles, TEXT_WIDTH, whole=("机构名称", "机构地址")),
        *section("二、规模、场地与收费", styles),
        field_grid(_scale(document), styles, TEXT_WIDTH),
        *section("三、备案与运营", styles),
        field_grid(_status(document), styles, TEXT_WIDTH, whole=("备注",)),
        *section(f"四、班级设置（共 {len(document.classes)} 个班）", styles),
        _classes(document, styles),
        *section(f"五、从业人员（在职 {len(document.staff)} 人{former}）", styles),
        _staff(document, styles),
        KeepTogether([Spacer(0, 3 * mm), para("六、签字确认", styles["section"]), _signatures(document, styles)]),
    ]


def render_institution_registration(document: InstitutionRegistrationDocument) -> PrintedDocument:
    """The form as PDF bytes, with the characters the bundled fonts cannot draw."""
    return render_form(
        _story(document),
        title=f"{TITLE} {document.name}",
        subject=document.credit_code,
        author=document.registering_body,
        texts=document.texts(),
    )
