"""Years of inspections for the demo: half-year inspections, quarterly draws, notices, follow-ups.

Pure and deterministic like the rest of the demo. Outcomes come from the real rules
(``desktop.domain.inspection_outcome``), so the demo's notices, deadlines and conclusions are the
ones the application would have produced; some notices are closed by a follow-up, some are still
open, and some are overdue.

The county demo holds this year only; the province demo holds enough years of history for the
planning scale of about 100,000 inspections. Earlier years inspect the institutions that were open
then, and nearly all of their notices have long been closed by a 回头看. The demo has one
checklist template, so earlier years use it too, as if it had been in force then.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from desktop.demo.zhangye import Scale
from desktop.domain.checklists import Answer, ChecklistTemplate
from desktop.domain.document_numbers import rectification_notice_number
from desktop.domain.enums import InspectionConclusion, InspectionKind, OperatingStatus
from desktop.domain.finding_records import finding_to_json
from desktop.domain.inspection_outcome import InspectionOutcome, evaluate
from desktop.domain.random_draw import DrawInput, conflicts_from, draw, drawn_to_json, parse_quarter
from desktop.domain.working_days import WorkingDayCalendar

FAILURE_RATE = 0.3  # share of inspections that find something
FOLLOWED_UP = 0.75  # share of this year's notices past their deadline that had their 回头看
FOLLOWED_UP_EARLIER = 0.97  # the same for earlier years' notices: a few are overdue still
DRAW_RATE = 0.2
DRAW_SEED = 2026
# Years of inspections, this one included. Four years of a province's 10,000 institutions make
# about 100,000 inspections, the planning scale of the performance targets.
HISTORY_YEARS = {Scale.COUNTY: 1, Scale.CITY: 1, Scale.PROVINCE: 4}


@dataclass(frozen=True, slots=True)
class AnswerSheet:
    """The answers of one inspection, kept compactly: a province's four years hold four million.

    ``ids``, ``codes``, ``answers`` and ``notes`` run in step; identical tuples are shared.
    """

    inspection_id: Any
    ids: tuple[Any, ...]
    codes: tuple[str, ...]
    answers: tuple[Answer, ...]
    notes: tuple[str | None, ...]

    def rows(self) -> Iterator[dict[str, Any]]:
        for id_, code, answer, note in zip(self.ids, self.codes, self.answers, self.notes, strict=True):
            yield {"id": id_, "inspection_id": self.inspection_id, "item_code": code, "answer": answer, "note": note}


@dataclass
class InspectionDemo:
    draws: list[dict[str, Any]] = field(default_factory=list)
    inspections: list[dict[str, Any]] = field(default_factory=list)
    sheets: list[AnswerSheet] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)
    closures: list[dict[str, Any]] = field(default_factory=list)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)

    @property
    def answer_count(self) -> int:
        return sum(len(sheet.ids) for sheet in self.sheets)


def _periods(year: int, today: date) -> list[tuple[InspectionKind, str, date, date]]:
    """The half-years and quarters of ``year`` that have started by ``today``."""
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


def _open_throughout(institution: dict[str, Any], start: date, end: date) -> bool:
    """Open for the whole period: opened before it, and not suspended or closed until after it."""
    status = institution["operating_status"]
    if status is OperatingStatus.PREPARING or institution["opened_on"] >= start:
        return False
    return status is OperatingStatus.OPERATING or institution["status_changed_on"] > end


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
    years: int = 1,
) -> InspectionDemo:
    """``years`` years of inspections up to ``today``, this year's as far as it has gone."""
    writer = _Writer(rng, next_id, template, template_id, calendar, today)
    operating = [i for i in institutions if i["operating_status"] is OperatingStatus.OPERATING]
    roster: dict[str, list[dict[str, Any]]] = {}
    for person in inspectors:
        if person["active"]:
            roster.setdefault(person["county_code"], []).append(person)
    names = {str(p["id"]): p["display_name"] for p in inspectors}
    conflict_pairs = conflicts_from((c["user_id"], c["institution_id"]) for c in conflicts)
    for year in range(today.year - years + 1, today.year + 1):
        for kind, period, start, end in _periods(year, today):
            # This year inspects the institutions operating today; earlier years those open then.
            open_then = (
                operating if year == today.year else [i for i in institutions if _open_throughout(i, start, end)]
            )
            if kind is InspectionKind.SEMIANNUAL_INSPECTION:
                # Most institutions are inspected each half-year; the rest show as not yet covered.
                share = 0.95 if end < today else 0.7
                targets = [(i, rng.sample(roster[i["county_code"]], 2)) for i in open_then if rng.random() < share]
                for institution, pair in targets:
                    writer.inspection(institution, [p["display_name"] for p in pair], kind, period, start, end, None)
                continue
            by_id = {str(i["id"]): i for i in open_then}
            for county_code in sorted({i["county_code"] for i in open_then}):
                candidates = tuple(sorted(str(i["id"]) for i in open_then if i["county_code"] == county_code))
                people = tuple(sorted(str(p["id"]) for p in roster.get(county_code, [])))
                draw_input = DrawInput(period, county_code, DRAW_SEED, DRAW_RATE, 1, candidates, people, conflict_pairs)
                result = draw(draw_input)
                draw_id = next_id()
                writer.demo.draws.append(_draw_row(draw_id, draw_input, result, start))
                for drawn in result.drawn:
                    writer.inspection(
                        by_id[drawn.institution_id],
                        [names[p] for p in drawn.inspector_ids],
                        kind,
                        period,
                        start,
                        end,
                        draw_id,
                    )
    _number_notices(writer.demo, county_names)
    return writer.demo


def _draw_row(draw_id: Any, draw_input: DrawInput, result: Any, start: date) -> dict[str, Any]:
    return {
        "id": draw_id,
        "period": draw_input.period,
        "county_code": draw_input.county_code,
        "seed": DRAW_SEED,
        "rate": DRAW_RATE,
        "minimum": 1,
        "inputs_sha256": draw_input.fingerprint(),
        "inputs_json": json.dumps(
            {
                "institutions": list(draw_input.institution_ids),
                "inspectors": list(draw_input.inspector_ids),
                "conflicts": sorted(map(list, draw_input.conflicts)),
            }
        ),
        "result_json": drawn_to_json(result.drawn),
        "drawn_by": "demo",
        "drawn_at": datetime.combine(start, time(9), tzinfo=UTC),
    }


def _number_notices(demo: InspectionDemo, county_names: dict[str, str]) -> None:
    """Numbers run per county and year in the order the notices were issued, as at a real bureau."""
    for notice in sorted(demo.notices, key=lambda n: (n["county_code"], n["issued_on"])):
        key = (notice["county_code"], notice["issued_on"].year)
        demo.counters[key] = demo.counters.get(key, 0) + 1
        notice["serial"] = demo.counters[key]
        notice["document_number"] = rectification_notice_number(county_names[key[0]], key[1], notice["serial"])


class _Writer:
    """Records one inspection at a time: its answers, the notice it issues and the 回头看 that closes it."""

    def __init__(
        self,
        rng: random.Random,
        next_id: Callable[[], Any],
        template: ChecklistTemplate,
        template_id: Any,
        calendar: WorkingDayCalendar,
        today: date,
    ) -> None:
        self.demo = InspectionDemo()
        self._rng = rng
        self._next_id = next_id
        self._template = template
        self._template_id = template_id
        self._calendar = calendar
        self._today = today
        self._codes = tuple(item.code for item in template.items)
        self._ordinary = [item for item in template.items if not item.veto]
        # evaluate() is pure, and most inspections find nothing: the same answers on the same day
        # give the same outcome, so it is computed once.
        self._outcomes: dict[tuple, InspectionOutcome] = {}
        self._shared: dict[tuple, tuple] = {}

    def _share(self, values: tuple) -> tuple:
        return self._shared.setdefault(values, values)

    def inspection(
        self,
        institution: dict[str, Any],
        inspectors: list[str],
        kind: InspectionKind,
        period: str,
        start: date,
        end: date,
        draw_id: Any,
    ) -> None:
        rng, template, demo = self._rng, self._template, self.demo
        day = _working_day_between(rng, start, end, self._calendar)
        answers = dict.fromkeys(self._codes, Answer.COMPLIANT)
        notes: dict[str, str] = {}
        failed: tuple[str, ...] = ()
        if rng.random() < FAILURE_RATE:
            picked = rng.sample(self._ordinary, rng.randint(1, 3))
            failed = tuple(item.code for item in picked)
            for item in picked:
                answers[item.code] = Answer.NON_COMPLIANT
                notes[item.code] = f"现场检查发现：{item.text[:24]}……未达到要求"
        if not institution["serves_meals"]:
            answers["food.business_licence"] = Answer.NOT_APPLICABLE
        key = (failed, institution["serves_meals"], day)
        outcome = self._outcomes.get(key)
        if outcome is None:
            outcome = self._outcomes[key] = evaluate(
                template, answers, notes, inspected_on=day, calendar=self._calendar
            )
        inspection_id = self._next_id()
        demo.inspections.append(
            self._inspection_row(inspection_id, institution, inspectors, kind, period, day, draw_id)
            | {"conclusion": outcome.conclusion, "score": outcome.score}
        )
        demo.sheets.append(
            AnswerSheet(
                inspection_id,
                tuple(self._next_id() for _ in answers),
                self._codes,
                self._share(tuple(answers.values())),
                self._share(tuple(notes.get(code) for code in self._codes)),
            )
        )
        if not outcome.findings:
            return
        county = institution["county_code"]
        notice_id = self._next_id()
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
        followed_up = FOLLOWED_UP if day.year == self._today.year else FOLLOWED_UP_EARLIER
        if follow_up_day < self._today and rng.random() < followed_up:
            follow_up_id = self._next_id()
            demo.inspections.append(
                self._inspection_row(
                    follow_up_id, institution, inspectors, InspectionKind.FOLLOW_UP, period, follow_up_day, None
                )
                | {"follow_up_of": notice_id, "conclusion": InspectionConclusion.PASSED, "score": None}
            )
            codes = self._share(tuple(f.item_code for f in outcome.findings))
            demo.sheets.append(
                AnswerSheet(
                    follow_up_id,
                    tuple(self._next_id() for _ in codes),
                    codes,
                    self._share((Answer.COMPLIANT,) * len(codes)),
                    self._share(("已整改",) * len(codes)),
                )
            )
            demo.closures.append(
                {
                    "id": self._next_id(),
                    "notice_id": notice_id,
                    "follow_up_id": follow_up_id,
                    "closed_on": follow_up_day,
                }
            )

    def _inspection_row(
        self,
        inspection_id: Any,
        institution: dict[str, Any],
        inspectors: list[str],
        kind: InspectionKind,
        period: str,
        day: date,
        draw_id: Any,
    ) -> dict[str, Any]:
        return {
            "id": inspection_id,
            "institution_id": institution["id"],
            "template_id": self._template_id,
            "kind": kind,
            "period": period,
            "draw_id": draw_id,
            "follow_up_of": None,
            "corrects_id": None,
            "inspected_at": datetime.combine(day, time(2), tzinfo=UTC),
            "inspectors": "、".join(inspectors),
            "representative": institution["principal_name"],
            "finished": True,
        }


def _working_day_between(rng: random.Random, start: date, end: date, calendar: WorkingDayCalendar) -> date:
    for _ in range(50):
        day = start + timedelta(days=rng.randint(0, max(0, (end - start).days)))
        if not calendar.covers(day) or calendar.is_working_day(day):
            return day
    return start
