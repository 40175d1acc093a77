"""What an inspection's answers add up to, and what a follow-up (回头看) finds of the rectification.

Pure: no database, no clock, no Qt. The inspection date and the working-day calendar are
parameters; the service passes ``working_days.official_calendar()``.

An inspection may be saved as a draft with mandatory items unanswered, but it can only be finished
when ``InspectionOutcome.can_finish`` is true: every mandatory item answered, every answer
belongs to the template, and every finding has a deadline. The outcome of a draft is still
computed in full (findings, provisional score, deadlines) so the inspector sees the running
result on the form; its conclusion stays ``INCOMPLETE`` until it can be finished, and no notice
may be issued from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from desktop.domain.checklists import Answer, ChecklistItem, ChecklistTemplate
from desktop.domain.enums import InspectionConclusion, ItemSeverity
from desktop.domain.problems import Problem, Severity, has_errors
from desktop.domain.working_days import Deadline, WorkingDayCalendar, add_working_days

__all__ = [
    "Finding",
    "FollowUpItem",
    "FollowUpOutcome",
    "InspectionOutcome",
    "evaluate",
    "evaluate_follow_up",
]

_NO_NOTES: Mapping[str, str] = MappingProxyType({})
_ERROR = Severity.ERROR
_WARNING = Severity.WARNING


@dataclass(frozen=True)
class Finding:
    """One non-compliant item, with what the rectification notice needs to print it."""

    item_code: str
    area: str  # ChecklistArea.code
    area_title: str  # ChecklistArea.title, "" when the template does not name the area
    severity: ItemSeverity
    text: str
    rule: str
    veto: bool
    note: str  # what the inspector saw; "" when none was written
    # None only when the template sets no period for this severity (an error in the outcome).
    deadline: Deadline | None


@dataclass(frozen=True)
class InspectionOutcome:
    conclusion: InspectionConclusion
    unanswered: tuple[ChecklistItem, ...]  # mandatory items without an answer
    findings: tuple[Finding, ...]  # in template order
    veto_failed: tuple[str, ...]  # codes of failed 一票否决 items
    # Integer percentage of applicable points earned; None when the template does not score
    # or nothing scored was answered applicable.
    score: int | None
    deadline: Deadline | None  # the earliest finding deadline: when rectification is first due
    problems: tuple[Problem, ...]

    @property
    def can_finish(self) -> bool:
        """True when the inspection may be finished (not merely saved as a draft)."""
        return not has_errors(self.problems)


def evaluate(
    template: ChecklistTemplate,
    answers: Mapping[str, Answer],
    notes: Mapping[str, str] = _NO_NOTES,
    *,
    inspected_on: date,
    calendar: WorkingDayCalendar,
) -> InspectionOutcome:
    """The outcome of an inspection against ``template``.

    ``answers`` and ``notes`` are keyed by item code. Optional items may stay unanswered; like
    "not applicable" items they then count neither for nor against the score. Deadlines count
    ``template.rectification_working_days[severity]`` working days from the day after
    ``inspected_on`` (see ``add_working_days``); if the notice is served on a later day, evaluate
    again with that day.
    """
    problems: list[Problem] = []
    given = _answers(answers, {item.code for item in template.items}, problems, prefix="inspection")
    problems += _unknown_notes(notes, {item.code for item in template.items}, prefix="inspection")

    unanswered = tuple(item for item in template.items if item.mandatory and item.code not in given)
    problems += [
        Problem(
            "inspection.mandatory_unanswered",
            f"必查项{_describe(item)}还没有检查结果。请选择“符合”“不符合”或“不适用”后再完成检查；"
            "未填完可以先保存为草稿。",
            _ERROR,
            item.code,
        )
        for item in unanswered
    ]

    failed = [item for item in template.items if given.get(item.code) is Answer.NON_COMPLIANT]
    area_titles = {area.code: area.title for area in template.areas}
    findings = tuple(_finding(item, notes, area_titles, template, inspected_on, calendar) for item in failed)
    problems += _finding_problems(template, findings)

    veto_failed = tuple(item.code for item in failed if item.veto)
    dated = [finding.deadline for finding in findings if finding.deadline is not None]
    return InspectionOutcome(
        conclusion=_conclusion(unanswered, failed, veto_failed),
        unanswered=unanswered,
        findings=findings,
        veto_failed=veto_failed,
        score=_score(template.items, given),
        deadline=min(dated, key=lambda deadline: deadline.due, default=None),
        problems=tuple(problems),
    )


def _conclusion(
    unanswered: Sequence[ChecklistItem], failed: Sequence[ChecklistItem], veto_failed: Sequence[str]
) -> InspectionConclusion:
    # A draft has no conclusion yet, whatever it already shows: finishing it may add a veto.
    if unanswered:
        return InspectionConclusion.INCOMPLETE
    if veto_failed:
        return InspectionConclusion.VETOED
    if failed:
        return InspectionConclusion.RECTIFICATION_REQUIRED
    return InspectionConclusion.PASSED


def _score(items: Sequence[ChecklistItem], given: Mapping[str, Answer]) -> int | None:
    if all(item.points is None for item in items):
        return None
    earned = applicable = 0
    for item in items:
        answer = given.get(item.code)
        if answer is None or answer is Answer.NOT_APPLICABLE:
            continue
        points = item.points or 0
        applicable += points
        if answer is Answer.COMPLIANT:
            earned += points
    if applicable == 0:
        return None
    # Rounded down, so that 100 means nothing scored failed and a pass mark is never reached
    # by rounding up.
    return earned * 100 // applicable


def _finding(
    item: ChecklistItem,
    notes: Mapping[str, str],
    area_titles: Mapping[str, str],
    template: ChecklistTemplate,
    inspected_on: date,
    calendar: WorkingDayCalendar,
) -> Finding:
    days = template.rectification_working_days.get(item.severity)
    return Finding(
        item_code=item.code,
        area=item.area,
        area_title=area_titles.get(item.area, ""),
        severity=item.severity,
        text=item.text,
        rule=item.rule,
        veto=item.veto,
        note=notes.get(item.code, "").strip(),
        deadline=None if days is None else add_working_days(inspected_on, days, calendar),
    )


def _finding_problems(template: ChecklistTemplate, findings: Sequence[Finding]) -> list[Problem]:
    problems: list[Problem] = []
    undated = sorted(
        {finding.severity for finding in findings if finding.deadline is None}, key=list(ItemSeverity).index
    )
    problems += [
        Problem(
            "inspection.no_rectification_period",
            f"检查表“{template.title}”（{template.version}）没有规定“{severity.label}”问题的整改期限，"
            "无法计算整改截止日期。请联系系统管理员更新检查表。",
            _ERROR,
        )
        for severity in undated
    ]
    problems += [
        Problem(
            "inspection.finding_without_note",
            f"不符合项{_describe_finding(finding)}没有填写问题描述。整改通知书会引用这段描述，建议写明看到的情况。",
            _WARNING,
            finding.item_code,
        )
        for finding in findings
        if not finding.note
    ]
    estimated = [finding for finding in findings if finding.deadline is not None and finding.deadline.estimated]
    if estimated:
        codes = "、".join(finding.item_code for finding in estimated)
        problems.append(
            Problem(
                "inspection.deadline_estimated",
                f"整改期限超出了软件已收录的法定节假日安排，{codes} 的截止日期只按周末推算，"
                "没有考虑节假日和调休。请对照国务院办公厅当年的放假通知核对，或升级软件后重新计算。",
                _WARNING,
            )
        )
    return problems


@dataclass(frozen=True)
class FollowUpItem:
    finding: Finding  # as found at the original inspection
    rectified: bool
    # Still failing after its deadline: 逾期未整改. A rectified item is never overdue, since a
    # follow-up cannot tell when the fix was made.
    overdue: bool
    note: str


@dataclass(frozen=True)
class FollowUpOutcome:
    inspected_on: date
    rechecked: tuple[FollowUpItem, ...]  # in the order of the original findings
    not_rechecked: tuple[Finding, ...]
    problems: tuple[Problem, ...]

    @property
    def rectified(self) -> tuple[FollowUpItem, ...]:
        return tuple(item for item in self.rechecked if item.rectified)

    @property
    def still_failing(self) -> tuple[FollowUpItem, ...]:
        return tuple(item for item in self.rechecked if not item.rectified)

    @property
    def all_rectified(self) -> bool:
        """True when every original finding was re-checked and passed: the rectification closes."""
        return not self.not_rechecked and not self.still_failing and self.can_finish

    @property
    def can_finish(self) -> bool:
        return not has_errors(self.problems)


def evaluate_follow_up(
    original_findings: Sequence[Finding],
    answers: Mapping[str, Answer],
    notes: Mapping[str, str] = _NO_NOTES,
    *,
    inspected_on: date,
) -> FollowUpOutcome:
    """A 回头看: re-check only the items that failed at the original inspection.

    "Compliant" means rectified and "non-compliant" means still failing. "Not applicable" is
    refused: whether an item applies was settled at the original inspection, and a changed
    situation (e.g. the kitchen closed) is a rectification the inspector records as compliant with
    a note. Answers for items that did not fail are refused too.

    A finding left unanswered is reported in ``not_rechecked`` with a warning, not an error: a
    follow-up may deliberately check only the items already due. The rectification then stays
    open (``all_rectified`` is false) and the remaining items go to the next follow-up.
    """
    by_code = {finding.item_code: finding for finding in original_findings}
    problems: list[Problem] = []
    given = _answers(answers, set(by_code), problems, prefix="follow_up")
    problems += _unknown_notes(notes, set(by_code), prefix="follow_up")

    rechecked: list[FollowUpItem] = []
    not_rechecked: list[Finding] = []
    for finding in original_findings:
        answer = given.get(finding.item_code)
        if answer is None:
            not_rechecked.append(finding)
            continue
        if answer is Answer.NOT_APPLICABLE:
            problems.append(
                Problem(
                    "follow_up.not_applicable",
                    f"回头看只判断{_describe_finding(finding)}是否整改到位，不能选“不适用”。"
                    "已整改请选“符合”，未整改请选“不符合”，情况有变化请在备注中说明。",
                    _ERROR,
                    finding.item_code,
                )
            )
            continue
        rectified = answer is Answer.COMPLIANT
        due = finding.deadline.due if finding.deadline is not None else None
        rechecked.append(
            FollowUpItem(
                finding=finding,
                rectified=rectified,
                overdue=not rectified and due is not None and inspected_on > due,
                note=notes.get(finding.item_code, "").strip(),
            )
        )
    problems += [
        Problem(
            "follow_up.not_rechecked",
            f"{_describe_finding(finding)}还没有复查，整改不能销号。可以在下次回头看时复查。",
            _WARNING,
            finding.item_code,
        )
        for finding in not_rechecked
    ]
    return FollowUpOutcome(
        inspected_on=inspected_on,
        rechecked=tuple(rechecked),
        not_rechecked=tuple(not_rechecked),
        problems=tuple(problems),
    )


def _answers(
    answers: Mapping[str, Answer], known: set[str], problems: list[Problem], *, prefix: str
) -> dict[str, Answer]:
    """The answers for known items, as ``Answer`` members; everything else becomes a problem."""
    given: dict[str, Answer] = {}
    for code, value in answers.items():
        if code not in known:
            # Never ignore these: they mean the answers were recorded against another template
            # version (or another inspection), and dropping them would lose evidence.
            problems.append(_unknown(code, prefix, "检查结果"))
            continue
        try:
            given[code] = Answer(value)
        except ValueError:
            problems.append(
                Problem(
                    f"{prefix}.invalid_answer",
                    f"检查项 {code} 的检查结果“{value}”无法识别，只能是“符合”“不符合”或“不适用”。",
                    _ERROR,
                    code,
                )
            )
    return given


def _unknown_notes(notes: Mapping[str, str], known: set[str], *, prefix: str) -> list[Problem]:
    return [_unknown(code, prefix, "问题描述") for code in notes if code not in known]


def _unknown(code: str, prefix: str, what: str) -> Problem:
    if prefix == "follow_up":
        message = f"{what}所指的检查项 {code} 不是原检查中的不符合项。回头看只复查原来不符合的项目，请删除这一条。"
    else:
        message = f"{what}所指的检查项 {code} 不在这份检查表中，可能是按其他版本的检查表录入的。请核对后删除或改正。"
    return Problem(f"{prefix}.unknown_item", message, _ERROR, code)


def _describe(item: ChecklistItem) -> str:
    return f"“{item.text}”（{item.code}）"


def _describe_finding(finding: Finding) -> str:
    return f"“{finding.text}”（{finding.item_code}）"
