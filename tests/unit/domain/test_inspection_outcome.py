"""evaluate / evaluate_follow_up: answers to conclusion, findings, score, deadlines; 回头看 closes or not.

Templates are built here with the dataclasses, so these tests do not depend on the TOML files.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.checklists import Answer, ChecklistArea, ChecklistItem, ChecklistTemplate
from desktop.domain.enums import InspectionConclusion, InspectionKind, ItemSeverity
from desktop.domain.inspection_outcome import Finding, InspectionOutcome, evaluate, evaluate_follow_up
from desktop.domain.problems import Severity
from desktop.domain.working_days import Deadline, WeekendOnlyCalendar, official_calendar

C, N, NA = Answer.COMPLIANT, Answer.NON_COMPLIANT, Answer.NOT_APPLICABLE
MINOR, MAJOR, CRITICAL = ItemSeverity.MINOR, ItemSeverity.MAJOR, ItemSeverity.CRITICAL
CAL = official_calendar()
D = date.fromisoformat
ON = D("2026-09-30")  # the day before the National Day holiday
PERIODS = {MINOR: 5, MAJOR: 3, CRITICAL: 1}


def item(
    code: str,
    severity: ItemSeverity = MINOR,
    *,
    veto: bool = False,
    mandatory: bool = True,
    points: int | None = None,
    area: str = "fire",
) -> ChecklistItem:
    return ChecklistItem(code, area, f"{code}的检查内容", f"{code}的依据", severity, veto, mandatory, points)


def template(*items: ChecklistItem, periods: dict[ItemSeverity, int] | None = None) -> ChecklistTemplate:
    return ChecklistTemplate(
        code="test",
        version="2026.1",
        title="测试检查表",
        kinds=(InspectionKind.QUARTERLY_SPOT_CHECK,),
        effective_from=D("2026-01-01"),
        areas=(ChecklistArea("fire", "消防安全"), ChecklistArea("food", "食品安全")),
        items=items,
        rectification_working_days=dict(PERIODS if periods is None else periods),
    )


SAFETY = template(
    item("fire.exits", CRITICAL, veto=True, points=30),
    item("fire.extinguishers", MINOR, points=20),
    item("food.samples", MAJOR, points=50, area="food"),
    item("food.menu", MINOR, mandatory=False, points=10, area="food"),
)


def run(answers: dict[str, Answer], notes: dict[str, str] | None = None, tpl: ChecklistTemplate = SAFETY,
        calendar: object = CAL) -> InspectionOutcome:  # fmt: skip
    return evaluate(tpl, answers, notes or {}, inspected_on=ON, calendar=calendar)


def codes(outcome: InspectionOutcome) -> list[tuple[str, Severity, str | None]]:
    return [(p.code, p.severity, p.field) for p in outcome.problems]


ALL_COMPLIANT = {"fire.exits": C, "fire.extinguishers": C, "food.samples": C, "food.menu": C}


def test_all_compliant_passes() -> None:
    outcome = run(ALL_COMPLIANT)
    assert outcome.conclusion is InspectionConclusion.PASSED
    assert outcome.conclusion.label == "合格"
    assert (outcome.findings, outcome.veto_failed, outcome.deadline, outcome.problems) == ((), (), None, ())
    assert outcome.score == 100
    assert outcome.can_finish


def test_one_minor_failure_needs_rectification_by_the_right_working_day() -> None:
    outcome = run({**ALL_COMPLIANT, "fire.extinguishers": N}, {"fire.extinguishers": "  2 具灭火器过期  "})
    assert outcome.conclusion is InspectionConclusion.RECTIFICATION_REQUIRED
    assert outcome.conclusion.label == "需整改"
    # 5 working days from 9/30: 10/8, 10/9, 10/10 (调休 Saturday), 10/12, 10/13.
    expected = Deadline(D("2026-10-13"), 5, estimated=False)
    assert outcome.findings == (
        Finding(
            item_code="fire.extinguishers",
            area="fire",
            area_title="消防安全",
            severity=MINOR,
            text="fire.extinguishers的检查内容",
            rule="fire.extinguishers的依据",
            veto=False,
            note="2 具灭火器过期",
            deadline=expected,
        ),
    )
    assert outcome.deadline == expected
    assert outcome.veto_failed == ()
    assert outcome.score == 81  # 90 of 110 points, rounded down
    assert outcome.can_finish
    assert outcome.problems == ()


def test_veto_failure_fails_the_inspection_and_still_gets_a_deadline() -> None:
    outcome = run({**ALL_COMPLIANT, "fire.exits": N, "fire.extinguishers": N}, {"fire.exits": "安全出口上锁"})
    assert outcome.conclusion is InspectionConclusion.VETOED
    assert outcome.conclusion.label == "一票否决不合格"
    assert outcome.veto_failed == ("fire.exits",)
    assert [f.item_code for f in outcome.findings] == ["fire.exits", "fire.extinguishers"]
    assert outcome.findings[0].veto
    # The critical item's single working day after 9/30 is 10/8: the earliest deadline wins.
    assert outcome.findings[0].deadline == Deadline(D("2026-10-08"), 1)
    assert outcome.deadline == Deadline(D("2026-10-08"), 1)
    assert outcome.can_finish


def test_unanswered_mandatory_items_make_a_draft_that_cannot_be_finished() -> None:
    outcome = run({"fire.exits": C, "food.menu": C})
    assert outcome.conclusion is InspectionConclusion.INCOMPLETE
    assert outcome.conclusion.label == "未完成"
    assert [i.code for i in outcome.unanswered] == ["fire.extinguishers", "food.samples"]
    assert not outcome.can_finish
    assert codes(outcome) == [
        ("inspection.mandatory_unanswered", Severity.ERROR, "fire.extinguishers"),
        ("inspection.mandatory_unanswered", Severity.ERROR, "food.samples"),
    ]
    assert "fire.extinguishers的检查内容" in outcome.problems[0].message
    assert "草稿" in outcome.problems[0].message


def test_a_draft_stays_incomplete_even_with_a_failed_veto_item() -> None:
    outcome = run({"fire.exits": N})
    assert outcome.conclusion is InspectionConclusion.INCOMPLETE
    assert outcome.veto_failed == ("fire.exits",)  # shown on the form while the draft is open
    assert not outcome.can_finish


def test_optional_items_may_stay_unanswered() -> None:
    answers = {k: v for k, v in ALL_COMPLIANT.items() if k != "food.menu"}
    outcome = run(answers)
    assert outcome.conclusion is InspectionConclusion.PASSED
    assert outcome.unanswered == ()
    assert outcome.can_finish
    assert outcome.score == 100


@pytest.mark.parametrize(
    ("answers", "score"),
    [
        ({"fire.exits": C, "fire.extinguishers": N, "food.samples": NA, "food.menu": NA}, 60),  # 30/50
        ({"fire.exits": NA, "fire.extinguishers": C, "food.samples": N, "food.menu": NA}, 28),  # 20/70 → 28.57
        ({"fire.exits": N, "fire.extinguishers": NA, "food.samples": NA, "food.menu": C}, 25),  # 10/40
        ({"fire.exits": C, "fire.extinguishers": C, "food.samples": C, "food.menu": N}, 90),
        ({"fire.exits": NA, "fire.extinguishers": NA, "food.samples": NA, "food.menu": NA}, None),
    ],
    ids=["na-leaves-denominator", "rounded-down", "optional-counts-when-answered", "optional-failed", "all-na"],
)
def test_score_counts_only_applicable_items(answers: dict[str, Answer], score: int | None) -> None:
    assert run(answers).score == score


def test_a_score_below_100_always_means_something_failed() -> None:
    # 199 of 200 points would round to 100; rounding down keeps 100 for a clean inspection.
    tpl = template(item("a", points=199), item("b", points=1))
    assert evaluate(tpl, {"a": C, "b": N}, inspected_on=ON, calendar=CAL).score == 99


def test_template_without_points_has_no_score() -> None:
    tpl = template(item("a"), item("b"))
    assert evaluate(tpl, {"a": C, "b": N}, {"b": "x"}, inspected_on=ON, calendar=CAL).score is None


def test_answers_for_unknown_items_are_rejected_not_ignored() -> None:
    outcome = run({**ALL_COMPLIANT, "fire.sprinklers": N})
    assert outcome.conclusion is InspectionConclusion.PASSED  # the known items are still evaluated
    assert not outcome.can_finish
    assert codes(outcome) == [("inspection.unknown_item", Severity.ERROR, "fire.sprinklers")]
    assert "fire.sprinklers" in outcome.problems[0].message
    assert "版本" in outcome.problems[0].message


def test_notes_for_unknown_items_are_rejected() -> None:
    outcome = run(ALL_COMPLIANT, {"fire.sprinklers": "喷淋头被遮挡"})
    assert codes(outcome) == [("inspection.unknown_item", Severity.ERROR, "fire.sprinklers")]
    assert not outcome.can_finish


def test_answers_may_be_stored_strings_but_not_anything_else() -> None:
    outcome = run({**ALL_COMPLIANT, "fire.extinguishers": "non_compliant"}, {"fire.extinguishers": "过期"})  # type: ignore[dict-item]
    assert [f.item_code for f in outcome.findings] == ["fire.extinguishers"]
    bad = run({**ALL_COMPLIANT, "fire.extinguishers": "yes"})  # type: ignore[dict-item]
    assert codes(bad) == [
        ("inspection.invalid_answer", Severity.ERROR, "fire.extinguishers"),
        ("inspection.mandatory_unanswered", Severity.ERROR, "fire.extinguishers"),
    ]


def test_findings_follow_the_template_order() -> None:
    answers = {"food.samples": N, "fire.extinguishers": N, "fire.exits": C, "food.menu": N}
    notes = {"food.samples": "a", "fire.extinguishers": "b", "food.menu": "c"}
    assert [f.item_code for f in run(answers, notes).findings] == ["fire.extinguishers", "food.samples", "food.menu"]


def test_each_severity_gets_its_own_period() -> None:
    answers = {"fire.exits": C, "fire.extinguishers": N, "food.samples": N, "food.menu": C}
    outcome = run(answers, {"fire.extinguishers": "a", "food.samples": "b"})
    # MAJOR: 3 working days after 9/30 → 10/8, 10/9, 10/10 (调休 Saturday).
    assert [(f.item_code, f.deadline) for f in outcome.findings] == [
        ("fire.extinguishers", Deadline(D("2026-10-13"), 5)),
        ("food.samples", Deadline(D("2026-10-10"), 3)),
    ]
    assert outcome.deadline == Deadline(D("2026-10-10"), 3)


def test_a_severity_without_a_period_blocks_finishing() -> None:
    tpl = template(item("a", MAJOR), item("b", MINOR), periods={MINOR: 5})
    outcome = evaluate(tpl, {"a": N, "b": N}, {"a": "x", "b": "y"}, inspected_on=ON, calendar=CAL)
    assert [f.deadline for f in outcome.findings] == [None, Deadline(D("2026-10-13"), 5)]
    assert codes(outcome) == [("inspection.no_rectification_period", Severity.ERROR, None)]
    assert "较重" in outcome.problems[0].message
    assert not outcome.can_finish


def test_a_finding_without_a_note_is_a_warning() -> None:
    outcome = run({**ALL_COMPLIANT, "fire.extinguishers": N}, {"fire.extinguishers": "   "})
    assert codes(outcome) == [("inspection.finding_without_note", Severity.WARNING, "fire.extinguishers")]
    assert outcome.findings[0].note == ""
    assert outcome.can_finish


def test_a_deadline_without_the_holiday_schedule_is_flagged() -> None:
    outcome = run({**ALL_COMPLIANT, "fire.extinguishers": N}, {"fire.extinguishers": "x"},
                  calendar=WeekendOnlyCalendar())  # fmt: skip
    assert outcome.deadline == Deadline(D("2026-10-07"), 5, estimated=True)
    assert codes(outcome) == [("inspection.deadline_estimated", Severity.WARNING, None)]
    assert "fire.extinguishers" in outcome.problems[0].message
    assert outcome.can_finish  # the inspector may still finish, after checking the date


def test_a_deadline_past_the_known_years_is_flagged() -> None:
    tpl = template(item("a"))
    outcome = evaluate(tpl, {"a": N}, {"a": "x"}, inspected_on=D("2035-09-28"), calendar=CAL)
    assert outcome.deadline == Deadline(D("2035-10-05"), 5, estimated=True)
    assert [p.code for p in outcome.problems] == ["inspection.deadline_estimated"]


# --- 回头看 ---------------------------------------------------------------------------------

FAILED = run(
    {"fire.exits": N, "fire.extinguishers": N, "food.samples": N, "food.menu": C},
    {"fire.exits": "出口上锁", "fire.extinguishers": "过期", "food.samples": "未留样"},
).findings
CODES = [f.item_code for f in FAILED]


def test_follow_up_with_everything_rectified_closes_the_rectification() -> None:
    outcome = evaluate_follow_up(FAILED, dict.fromkeys(CODES, C), inspected_on=D("2026-10-14"))
    assert outcome.all_rectified
    assert outcome.can_finish
    assert [i.finding.item_code for i in outcome.rectified] == CODES
    assert outcome.still_failing == ()
    assert outcome.not_rechecked == ()
    assert outcome.problems == ()


def test_follow_up_with_an_item_still_failing_does_not_close() -> None:
    answers = {"fire.exits": C, "fire.extinguishers": N, "food.samples": C}
    outcome = evaluate_follow_up(FAILED, answers, {"fire.extinguishers": "仍未更换"}, inspected_on=D("2026-10-14"))
    assert not outcome.all_rectified
    assert outcome.can_finish
    (still,) = outcome.still_failing
    assert still.finding.item_code == "fire.extinguishers"
    assert still.note == "仍未更换"
    assert still.overdue  # due 10/13, re-checked 10/14: 逾期未整改
    assert [i.finding.item_code for i in outcome.rectified] == ["fire.exits", "food.samples"]


def test_still_failing_before_its_deadline_is_not_overdue() -> None:
    outcome = evaluate_follow_up(FAILED, dict.fromkeys(CODES, N), inspected_on=D("2026-10-10"))
    overdue = {i.finding.item_code: i.overdue for i in outcome.still_failing}
    # Deadlines: exits 10/8 (critical), samples 10/10 (major), extinguishers 10/13 (minor).
    assert overdue == {"fire.exits": True, "fire.extinguishers": False, "food.samples": False}


def test_items_not_rechecked_are_reported_and_keep_the_rectification_open() -> None:
    outcome = evaluate_follow_up(FAILED, {"fire.exits": C}, inspected_on=D("2026-10-09"))
    assert not outcome.all_rectified
    assert outcome.can_finish  # a partial follow-up may be finished; the rest stay open
    assert [f.item_code for f in outcome.not_rechecked] == ["fire.extinguishers", "food.samples"]
    assert [(p.code, p.severity, p.field) for p in outcome.problems] == [
        ("follow_up.not_rechecked", Severity.WARNING, "fire.extinguishers"),
        ("follow_up.not_rechecked", Severity.WARNING, "food.samples"),
    ]


def test_follow_up_rechecks_only_the_failed_items() -> None:
    answers = {**dict.fromkeys(CODES, C), "food.menu": C}
    outcome = evaluate_follow_up(FAILED, answers, {"fire.sprinklers": "x"}, inspected_on=D("2026-10-14"))
    assert [(p.code, p.field) for p in outcome.problems] == [
        ("follow_up.unknown_item", "food.menu"),
        ("follow_up.unknown_item", "fire.sprinklers"),
    ]
    assert not outcome.can_finish
    assert not outcome.all_rectified


def test_follow_up_refuses_not_applicable() -> None:
    outcome = evaluate_follow_up(FAILED, {**dict.fromkeys(CODES, C), "food.samples": NA}, inspected_on=ON)
    assert [(p.code, p.field) for p in outcome.problems] == [("follow_up.not_applicable", "food.samples")]
    assert not outcome.can_finish
    assert not outcome.all_rectified


# --- properties -------------------------------------------------------------------------------

ANSWER_OR_NONE = st.one_of(st.none(), st.sampled_from(list(Answer)))
ITEM_SPECS = st.lists(
    st.tuples(st.integers(1, 50), st.booleans(), st.booleans(), st.sampled_from(list(ItemSeverity))),
    min_size=1,
    max_size=8,
)


def _template_and_answers(data: st.DataObject) -> tuple[ChecklistTemplate, dict[str, Answer]]:
    specs = data.draw(ITEM_SPECS)
    items = [
        item(f"i{n}", severity, veto=veto, mandatory=mandatory, points=points)
        for n, (points, mandatory, veto, severity) in enumerate(specs)
    ]
    drawn = data.draw(st.lists(ANSWER_OR_NONE, min_size=len(items), max_size=len(items)))
    answers = {i.code: a for i, a in zip(items, drawn, strict=True) if a is not None}
    return template(*items), answers


@given(st.data())
def test_more_compliant_answers_never_lower_the_score(data: st.DataObject) -> None:
    tpl, answers = _template_and_answers(data)
    before = evaluate(tpl, answers, inspected_on=ON, calendar=CAL).score
    target = data.draw(st.sampled_from([i.code for i in tpl.items]))
    after = evaluate(tpl, {**answers, target: C}, inspected_on=ON, calendar=CAL).score
    assert after is not None
    assert before is None or after >= before
    assert 0 <= after <= 100


@given(st.data())
def test_conclusion_follows_from_the_answers(data: st.DataObject) -> None:
    tpl, answers = _template_and_answers(data)
    outcome = evaluate(tpl, answers, inspected_on=ON, calendar=CAL)
    failed = [i for i in tpl.items if answers.get(i.code) is N]
    missing = [i for i in tpl.items if i.mandatory and i.code not in answers]
    assert [f.item_code for f in outcome.findings] == [i.code for i in failed]
    assert outcome.can_finish == (not missing)
    assert (outcome.conclusion is InspectionConclusion.INCOMPLETE) == bool(missing)
    if not missing:
        assert (outcome.conclusion is InspectionConclusion.PASSED) == (not failed)
        assert (outcome.conclusion is InspectionConclusion.VETOED) == any(i.veto for i in failed)
    assert (outcome.score == 100) == (outcome.score is not None and not failed)
    for finding in outcome.findings:
        assert finding.deadline is not None
        assert finding.deadline.due > ON
        assert CAL.is_working_day(finding.deadline.due)
        assert outcome.deadline is not None
        assert outcome.deadline.due <= finding.deadline.due
