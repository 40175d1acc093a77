"""The bundled template and the outcome rules together, as an inspector would meet them."""

from __future__ import annotations

from datetime import date

from desktop.domain.checklist_format import parse_template
from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionConclusion
from desktop.domain.inspection_outcome import evaluate
from desktop.domain.working_days import official_calendar
from desktop.paths import resources_dir

TEMPLATE = parse_template((resources_dir() / "checklists" / "zhangye-safety-2026.1.toml").read_text(encoding="utf-8"))


def _all_compliant() -> dict[str, Answer]:
    return {item.code: Answer.COMPLIANT for item in TEMPLATE.items}


def test_a_veto_item_that_does_not_apply_does_not_fail_the_inspection():
    answers = _all_compliant() | {"food.business_licence": Answer.NOT_APPLICABLE}  # no meals served
    outcome = evaluate(TEMPLATE, answers, inspected_on=date(2026, 9, 30), calendar=official_calendar())
    assert outcome.conclusion is InspectionConclusion.PASSED and outcome.can_finish


def test_a_failed_item_before_national_day_is_due_after_the_holiday_and_its_make_up_day():
    answers = _all_compliant() | {"fire.extinguishers": Answer.NON_COMPLIANT}
    outcome = evaluate(
        TEMPLATE,
        answers,
        {"fire.extinguishers": "二楼走廊灭火器已过期"},
        inspected_on=date(2026, 9, 30),
        calendar=official_calendar(),
    )
    assert outcome.conclusion is InspectionConclusion.RECTIFICATION_REQUIRED
    assert outcome.deadline.due == date(2026, 10, 20) and not outcome.deadline.estimated


def test_a_failed_veto_item_fails_the_whole_inspection():
    answers = _all_compliant() | {"security.video_monitoring": Answer.NON_COMPLIANT}
    outcome = evaluate(
        TEMPLATE,
        answers,
        {"security.video_monitoring": "录像只保存 15 天"},
        inspected_on=date(2026, 6, 1),
        calendar=official_calendar(),
    )
    assert outcome.conclusion is InspectionConclusion.VETOED
