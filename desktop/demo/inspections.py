"""A year of inspections for the demo: half-year inspections, quarterly draws, notices, follow-ups.

Pure and deterministic like the rest of the demo. Outcomes come from the real rules
(``desktop.domain.inspection_outcome``), so the demo's notices, deadlines and conclusions are the
ones the application would have produced; some notices are closed by a follow-up, some are still
open, and some are overdue.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from desktop.domain.checklists import Answer, ChecklistTemplate
from desktop.domain.document_numbers import rectification_notice_number
from desktop.domain.enums import InspectionConclusion, InspectionKind, OperatingStatus
from desktop.domain.finding_records import finding_to_json
from desktop.domain.inspection_outcome import evaluate
from desktop.domain.random_draw import DrawInput, conflicts_from, draw, parse_quarter
from desktop.domain.working_days import WorkingDayCalendar

FAILURE_RATE = 0.3  # share of inspections that find something
FOLLOWED_UP = 0.75  # share of notices past their deadline that had their 回头看
DRAW_RATE = 0.2
DRAW_SEED = 2026


@dataclass
class InspectionDemo:
    draws: list[dict[str, Any]] = field(default_factory=list)
    inspections: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)
    closures: list[dict[str, Any]] = field(default_factory=list)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)


def _periods(today: date) -> list[tuple[InspectionKind, str, date, date]]:
    """The half-years and quarters of this year that have started by ``today``."""
    year = today.year
    periods = []
    for half, (start, end) in enumerate(
        ((date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31))), start=1
    ):
        if start <= today:
            periods.append((InspectionKind.SEMIANNUAL_INSPECTION, f"{year}H{half}", start, min(end, today)))
    for quarter in range(1, 5):
        q = parse_quarter(f"{year}Q{quarter}")
        if q.last_day < today:  # only finished quarters have their spot checks done
            periods.append((InspectionKind.QUARTERLY_SPOT_CHECK, q.label, q.first_day, q.last_day))
    return periods


def generate_inspections(
    rng: random.Random,
    next_id: Callable[[], Any],
    *,
    institutions: list[dict[str, Any]],
    inspectors: list[dict[str, Any]],
    conflicts: list[dict[str, Any]],
    county_names: dict[str, str],
    template: ChecklistTemplate,
    template_id: Any,
    calendar: WorkingDayCalendar,
    today: date,
) -> InspectionDemo:
    demo = InspectionDemo()
    operating = [i for i in institutions if i["operating_status"] is OperatingStatus.OPERATING]
    roster: dict[str, list[dict[str, Any]]] = {}
    for person in inspectors:
        if person["active"]:
            roster.setdefault(person["county_code"], []).append(person)
    names = {str(p["id"]): p["display_name"] for p in inspectors}
    conflict_pairs = conflicts_from((c["user_id"], c["institution_id"]) for c in conflicts)
    for kind, period, start, end in _periods(today):
        if kind is InspectionKind.SEMIANNUAL_INSPECTION:
            # Most institutions are inspected each half-year; the rest show as not yet covered.
            share = 0.95 if end < today else 0.7
            targets = [(i, rng.sample(roster[i["county_code"]], 2)) for i in operating if rng.random() < share]
            draw_id = None
            for institution, pair in targets:
                _inspection(
                    demo,
                    rng,
                    next_id,
                    institution,
                    [p["display_name"] for p in pair],
                    kind,
                    period,
                    start,
                    end,
                    None,
                    county_names,
                    template,
                    template_id,
                    calendar,
                    today,
                )
            continue
        for county_code in sorted({i["county_code"] for i in operating}):
            candidates = tuple(sorted(str(i["id"]) for i in operating if i["county_code"] == county_code))
            people = tuple(sorted(str(p["id"]) for p in roster.get(county_code, [])))
            draw_input = DrawInput(period, county_code, DRAW_SEED, DRAW_RATE, 1, candidates, people, conflict_pairs)
            result = draw(draw_input)
            draw_id = next_id()
            demo.draws.append(
                {
                    "id": draw_id,
                    "period": period,
                    "county_code": county_code,
                    "seed": DRAW_SEED,
                    "rate": DRAW_RATE,
                    "minimum": 1,
                    "inputs_sha256": draw_input.fingerprint(),
                    "inputs_json": json.dumps(
                        {
                            "institutions": list(candidates),
                            "inspectors": list(people),
                            "conflicts": sorted(map(list, draw_input.conflicts)),
                        }
                    ),
                    "result_json": json.dumps(
                        [
                            {"institution_id": d.institution_id, "inspectors": list(d.inspector_ids)}
                            for d in result.drawn
                        ]
                    ),
                    "drawn_by": "demo",
                    "drawn_at": datetime.combine(start, time(9), tzinfo=UTC),
                }
            )
            by_id = {str(i["id"]): i for i in operating}
            for drawn in result.drawn:
                _inspection(
                    demo,
                    rng,
                    next_id,
                    by_id[drawn.institution_id],
                    [names[p] for p in drawn.inspector_ids],
                    kind,
                    period,
                    start,
                    end,
                    draw_id,
                    county_names,
                    template,
                    template_id,
                    calendar,
                    today,
                )
    _number_notices(demo, county_names)
    return demo


def _number_notices(demo: InspectionDemo, county_names: dict[str, str]) -> None:
    """Numbers run per county and year in the order the notices were issued, as at a real bureau."""
    for notice in sorted(demo.notices, key=lambda n: (n["county_code"], n["issued_on"])):
        key = (notice["county_code"], notice["issued_on"].year)
        demo.counters[key] = demo.counters.get(key, 0) + 1
        notice["serial"] = demo.counters[key]
        notice["document_number"] = rectification_notice_number(county_names[key[0]], key[1], notice["serial"])


def _inspection(
    demo: InspectionDemo,
    rng: random.Random,
    next_id: Callable[[], Any],
    institution: dict[str, Any],
    inspectors: list[str],
    kind: InspectionKind,
    period: str,
    start: date,
    end: date,
    draw_id: Any,
    county_names: dict[str, str],
    template: ChecklistTemplate,
    template_id: Any,
    calendar: WorkingDayCalendar,
    today: date,
) -> None:
    day = _working_day_between(rng, start, end, calendar)
    answers = {item.code: Answer.COMPLIANT for item in template.items}
    notes: dict[str, str] = {}
    if rng.random() < FAILURE_RATE:
        ordinary = [item for item in template.items if not item.veto]
        for item in rng.sample(ordinary, rng.randint(1, 3)):
            answers[item.code] = Answer.NON_COMPLIANT
            notes[item.code] = f"现场检查发现：{item.text[:24]}……未达到要求"
    if not institution["serves_meals"]:
        answers["food.business_licence"] = Answer.NOT_APPLICABLE
    outcome = evaluate(template, answers, notes, inspected_on=day, calendar=calendar)
    inspection_id = next_id()
    demo.inspections.append(
        {
            "id": inspection_id,
            "institution_id": institution["id"],
            "template_id": template_id,
            "kind": kind,
            "period": period,
            "draw_id": draw_id,
            "follow_up_of": None,
            "corrects_id": None,
            "inspected_at": datetime.combine(day, time(2), tzinfo=UTC),
            "inspectors": "、".join(inspectors),
            "representative": institution["principal_name"],
            "finished": True,
            "conclusion": outcome.conclusion,
            "score": outcome.score,
        }
    )
    demo.answers.extend(
        {"id": next_id(), "inspection_id": inspection_id, "item_code": code, "answer": answer, "note": notes.get(code)}
        for code, answer in answers.items()
    )
    if not outcome.findings:
        return
    county = institution["county_code"]
    notice_id = next_id()
    demo.notices.append(
        {
            "id": notice_id,
            "inspection_id": inspection_id,
            "institution_id": institution["id"],
            "county_code": county,
            "year": day.year,
            "serial": None,  # numbered in date order once the year's notices are all known
            "document_number": None,
            "issued_on": day,
            "deadline": outcome.deadline.due,
            "deadline_estimated": outcome.deadline.estimated,
            "items_json": json.dumps([finding_to_json(f) for f in outcome.findings], ensure_ascii=False),
        }
    )
    follow_up_day = outcome.deadline.due + timedelta(days=rng.randint(1, 10))
    if follow_up_day < today and rng.random() < FOLLOWED_UP:
        follow_up_id = next_id()
        demo.inspections.append(
            {
                "id": follow_up_id,
                "institution_id": institution["id"],
                "template_id": template_id,
                "kind": InspectionKind.FOLLOW_UP,
                "period": period,
                "draw_id": None,
                "follow_up_of": notice_id,
                "corrects_id": None,
                "inspected_at": datetime.combine(follow_up_day, time(2), tzinfo=UTC),
                "inspectors": "、".join(inspectors),
                "representative": institution["principal_name"],
                "finished": True,
                "conclusion": InspectionConclusion.PASSED,
                "score": None,
            }
        )
        demo.answers.extend(
            {
                "id": next_id(),
                "inspection_id": follow_up_id,
                "item_code": f.item_code,
                "answer": Answer.COMPLIANT,
                "note": "已整改",
            }
            for f in outcome.findings
        )
        demo.closures.append(
            {"id": next_id(), "notice_id": notice_id, "follow_up_id": follow_up_id, "closed_on": follow_up_day}
        )


def _working_day_between(rng: random.Random, start: date, end: date, calendar: WorkingDayCalendar) -> date:
    for _ in range(50):
        day = start + timedelta(days=rng.randint(0, max(0, (end - start).days)))
        if not calendar.covers(day) or calendar.is_working_day(day):
            return day
    return start
