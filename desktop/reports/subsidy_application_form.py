"""补贴申请审核表: one subsidy application as an A4 form that the reviewers sign and the bureau stamps.

From the top: the institution and the application (scheme, period, status), the facts the amount was computed from,
the policy (title, name, version and the start of its SHA-256) with every parameter it applied and the reasons, the
amount in figures (¥, yuan from integer fen) and in capitals (人民币…元整), each payer's share likewise, the workflow
history (who did each step and when), and the review blocks: 初审意见 signed by the 经办人, 审核意见 signed by the
审批人, each with a date, and a seal area. Construction and operating applications fit one page; an enrollment
application's children follow on their own pages (ID numbers masked) with the table header repeated. The review blocks
are kept together, so a long list of facts pushes them whole onto the next page rather than splitting them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from desktop.domain.amount_words import amount_words, format_yuan
from desktop.reports.fonts import SANS_FONT
from desktop.reports.form_fields import COMPACT, LABEL_WIDTH, Field, compact_styles, field_grid, section, signature_text
from desktop.reports.form_page import (
    GRID,
    SHADE,
    PrintedDocument,
    chinese_date,
    grid_style,
    para,
    render_form,
    text_width,
)

TITLE = "托育服务补贴申请审核表"
TEXT_WIDTH = text_width()
FACT_LABEL_WIDTH = 44 * mm  # facts and parameters have long names ("达到国家和省级规范建设要求（经办人确认）")
FIRST_OPINION_HEIGHT = 17 * mm
APPROVAL_HEIGHT = 25 * mm  # room for the opinion and for the round seal over the bureau's name
# Children of an enrollment application: 序号, 幼儿姓名, 身份证号, 符合条件, 金额（元）, 说明 (the note takes the rest).
CLAIM_WIDTHS = (11 * mm, 24 * mm, 36 * mm, 17 * mm, 22 * mm, None)
CLAIM_HEADER = ("序号", "幼儿姓名", "身份证号", "符合条件", "金额（元）", "说明")


@dataclass(frozen=True)
class PayerShare:
    """Who pays part of the amount (市级, the county) and how much."""

    payer: str
    amount_fen: int


@dataclass(frozen=True)
class WorkflowStep:
    """One step of the application's workflow as recorded: 提交, 初审通过, 审核通过, 发放 or 退回."""

    step: str
    who: str  # "" when the step was done by no named user (建立 by the program)
    when: str  # in Chinese: 2026年11月23日 14:15


@dataclass(frozen=True)
class ClaimLine:
    """One child of an enrollment application."""

    child_name: str
    id_number_masked: str  # never the full number
    eligible: bool
    amount_fen: int
    note: str


@dataclass(frozen=True)
class SubsidyApplicationDocument:
    """Everything the 补贴申请审核表 prints, gathered by desktop.services.subsidy_application_document."""

    application_id: str
    reviewing_body: str  # 甘州区卫生健康局
    institution_name: str
    credit_code: str
    county_name: str
    sponsor_type: str
    filing_number: str
    scheme: str  # 建设补贴
    period: str  # 一次性 / 2026年度 / 2026年11月
    status: str  # 已初审
    eligible: bool
    amount_fen: int
    shares: tuple[PayerShare, ...]
    facts: tuple[Field, ...]
    policy_title: str  # 张掖市托育服务补贴（送审稿）; the name when the policy file is no longer at hand
    policy_identity: str  # zhangye-2026 第1版（SHA-256 c4221b74885a）
    parameters: tuple[Field, ...]
    reasons: tuple[str, ...]
    notes: tuple[str, ...]  # warnings of the computation, and facts changed since approval
    steps: tuple[WorkflowStep, ...]
    rejection_reason: str
    claims: tuple[ClaimLine, ...]
    printed_on: date

    def texts(self) -> list[str]:
        """Every piece of data text the form prints, for the font check."""
        texts = [self.reviewing_body, self.institution_name, self.credit_code, self.county_name, self.sponsor_type]
        texts += [self.filing_number, self.scheme, self.period, self.status, self.policy_title, self.policy_identity]
        texts += [share.payer for share in self.shares]
        texts += [text for field in (*self.facts, *self.parameters) for text in field]
        texts += [*self.reasons, *self.notes, self.rejection_reason]
        texts += [text for step in self.steps for text in (step.step, step.who, step.when)]
        texts += [text for claim in self.claims for text in (claim.child_name, claim.id_number_masked, claim.note)]
        return texts


def _styles() -> dict[str, ParagraphStyle]:
    styles = compact_styles()
    styles["meta"] = ParagraphStyle("meta", parent=styles["cell"], alignment=TA_RIGHT)
    styles["seal"] = ParagraphStyle("seal", parent=styles["header"], alignment=TA_RIGHT, rightIndent=12 * mm)
    styles["big"] = ParagraphStyle("big", parent=styles["header"], fontName=styles["label"].fontName)
    return styles


def _application(document: SubsidyApplicationDocument, styles: dict[str, ParagraphStyle]) -> Table:
    verdict = "符合条件" if document.eligible else "不符合条件"
    fields: list[Field] = [
        ("申请机构", document.institution_name),
        ("统一社会信用代码", document.credit_code),
        ("所属县区", document.county_name),
        ("举办主体", document.sponsor_type),
        ("备案编号", document.filing_number),
        ("补贴项目", f"{document.scheme}（{document.period}）"),
        ("办理状态", f"{document.status}（{verdict}）"),
    ]
    return field_grid(fields, styles, TEXT_WIDTH, whole=("申请机构",))


def _policy(document: SubsidyApplicationDocument, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    policy = f"{document.policy_title}（{document.policy_identity}）" if document.policy_identity else "—"
    fields = [("适用政策", policy), *document.parameters]
    grid = field_grid(fields, styles, TEXT_WIDTH, whole=("适用政策",), label_width=FACT_LABEL_WIDTH, value_style="cell")
    lines = [f"{number}. {reason}" for number, reason in enumerate(document.reasons, start=1)]
    lines += [f"提示：{note}" for note in document.notes]
    if document.rejection_reason:
        lines.append(f"退回原因：{document.rejection_reason}")
    # One row per line, ruled only around the block: it reads as one cell, and a long list breaks between lines.
    rows = [[para("计算依据" if number == 0 else "", styles["strong"]), para(line, styles["cell"])]
            for number, line in enumerate(lines or ["—"])]  # fmt: skip
    reasons = Table(rows, colWidths=(FACT_LABEL_WIDTH, TEXT_WIDTH - FACT_LABEL_WIDTH))
    reasons.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SANS_FONT),
                ("BOX", (0, 0), (-1, -1), 0.5, GRID),
                ("LINEAFTER", (0, 0), (0, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                ("TOPPADDING", (0, 0), (-1, 0), 2),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 2),
            ]
        )
    )
    return [grid, reasons]


def _amounts(document: SubsidyApplicationDocument, styles: dict[str, ParagraphStyle]) -> Table:
    """The amount and each share in figures and in capitals, side by side so a changed figure shows."""
    label, big, value = styles["strong"], styles["big"], styles["header"]
    rows = [
        [
            para("核定金额（小写）", label),
            para(f"¥{format_yuan(document.amount_fen)}", big),
            para("大写", label),
            para(amount_words(document.amount_fen), big),
        ]
    ]
    for share in document.shares:
        rows.append(
            [
                para(f"{share.payer}承担", label),
                para(f"¥{format_yuan(share.amount_fen)}", value),
                para("大写", label),
                para(amount_words(share.amount_fen), value),
            ]
        )
    figures = 38 * mm
    table = Table(rows, colWidths=(LABEL_WIDTH, figures, 12 * mm, TEXT_WIDTH - LABEL_WIDTH - figures - 12 * mm))
    shading = (("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 0), (2, -1), SHADE))
    table.setStyle(grid_style(*shading, *COMPACT))
    return table


def _history(document: SubsidyApplicationDocument, styles: dict[str, ParagraphStyle]) -> Table:
    """The steps side by side: one column per step, its name, who did it and when."""
    steps = document.steps or (WorkflowStep("—", "", ""),)
    rows = [
        [para("办理环节", styles["strong"]), *(para(step.step, styles["head"]) for step in steps)],
        [para("办理人", styles["strong"]), *(para(step.who or "—", styles["centre"]) for step in steps)],
        [para("办理时间", styles["strong"]), *(para(step.when or "—", styles["centre"]) for step in steps)],
    ]
    width = (TEXT_WIDTH - LABEL_WIDTH) / len(steps)
    table = Table(rows, colWidths=(LABEL_WIDTH, *([width] * len(steps))))
    shading = (("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (1, 0), (-1, 0), SHADE))
    table.setStyle(grid_style(*shading, *COMPACT))
    return table


def _opinions(document: SubsidyApplicationDocument, styles: dict[str, ParagraphStyle]) -> Table:
    """初审意见 and 审核意见 with room to write, each signed and dated by hand; the bureau stamps its seal over its
    name in the 审核意见 block, as on an official document."""
    label, value = styles["label"], styles["header"]
    approval = [
        para(f"{document.reviewing_body}（盖章）", styles["seal"]),
        Spacer(0, 3 * mm),
        para(signature_text("审批人"), value),
    ]
    rows = [
        [para("初审意见", label), para(signature_text("经办人"), value)],
        [para("审核意见", label), approval],
    ]
    table = Table(
        rows, colWidths=(LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH), rowHeights=(FIRST_OPINION_HEIGHT, APPROVAL_HEIGHT)
    )
    table.setStyle(
        grid_style(
            ("BACKGROUND", (0, 0), (0, -1), SHADE),
            ("VALIGN", (1, 0), (1, -1), "BOTTOM"),
            ("BOTTOMPADDING", (1, 0), (1, -1), 5),
        )
    )
    return table


def _claims(document: SubsidyApplicationDocument, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    eligible = [claim for claim in document.claims if claim.eligible]
    heading = (
        f"附：申报幼儿名单（{document.period}，共 {len(document.claims)} 人，符合条件 {len(eligible)} 人，"
        f"合计 ¥{format_yuan(sum(claim.amount_fen for claim in eligible))}）"
    )
    rows: list[list] = [[para(text, styles["head"]) for text in CLAIM_HEADER]]
    for number, claim in enumerate(document.claims, start=1):
        rows.append(
            [
                para(str(number), styles["centre"]),
                para(claim.child_name, styles["cell"]),
                para(claim.id_number_masked, styles["centre"]),
                para("是" if claim.eligible else "否", styles["centre"] if claim.eligible else styles["failed"]),
                para(format_yuan(claim.amount_fen), styles["number"]),
                para(claim.note, styles["cell"]),
            ]
        )
    fixed = sum(width for width in CLAIM_WIDTHS if width is not None)
    widths = [TEXT_WIDTH - fixed if width is None else width for width in CLAIM_WIDTHS]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(grid_style(("BACKGROUND", (0, 0), (-1, 0), SHADE), *COMPACT))
    return [PageBreak(), para(heading, styles["section"]), table]


def _story(document: SubsidyApplicationDocument) -> list[Flowable]:
    styles = _styles()
    meta = f"申请编号：{document.application_id}　　打印日期：{chinese_date(document.printed_on)}"
    story: list[Flowable] = [
        para(TITLE, styles["title"]),
        para(meta, styles["meta"]),
        *section("一、申请信息", styles),
        _application(document, styles),
        *section("二、核定事实", styles),
        field_grid(document.facts, styles, TEXT_WIDTH, label_width=FACT_LABEL_WIDTH, value_style="cell"),
        *section("三、政策依据与计算", styles),
        *_policy(document, styles),
        *section("四、补贴金额", styles),
        _amounts(document, styles),
        *section("五、办理记录", styles),
        _history(document, styles),
        KeepTogether([para("六、审核意见", styles["section"]), _opinions(document, styles)]),
    ]
    if document.claims:
        story += _claims(document, styles)
    return story


def render_subsidy_application(document: SubsidyApplicationDocument) -> PrintedDocument:
    """The form as PDF bytes, with the characters the bundled fonts cannot draw."""
    return render_form(
        _story(document),
        title=f"{TITLE} {document.institution_name} {document.scheme} {document.period}",
        subject=document.scheme,
        author=document.reviewing_body,
        texts=document.texts(),
    )
