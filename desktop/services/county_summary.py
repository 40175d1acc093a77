"""Counting a county's main indicators for the summary sheet (desktop.reports.county_summary) on one day.

The day is today for this year and 31 December for a past one (county_indicators.counting_day). Everything is
counted as it stood on that day where the register keeps the history: an institution's operating, filing and 普惠
state comes from its dated lifecycle events, children in care from their enrollment dates, notices open from their
closures' dates. Slots and townships are as the register holds them now (it keeps no history of them). The half-year
and the quarter are those of the counting day; "done" counts institutions inspected, not inspections, as the
inspection ledger does, so the two agree.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, or_, select

from desktop.domain.county_indicators import (
    SLOTS_PER_1000_TARGET,
    PopulationFigure,
    counting_day,
    percentage,
    population_for,
    slots_per_1000,
    state_on,
)
from desktop.domain.enums import (
    ApplicationStatus,
    FilingStatus,
    InspectionKind,
    OperatingStatus,
    RegionLevel,
    SubsidyScheme,
)
from desktop.domain.lifecycle_rules import LifecycleEvent, LifecycleState, events_for_initial_state
from desktop.domain.random_draw import drawn_from_json
from desktop.errors import TuoyuError
from desktop.models import (
    Child,
    Inspection,
    Institution,
    InstitutionEvent,
    RandomDraw,
    RectificationClosure,
    RectificationNotice,
    Region,
    RegionPopulation,
    SubsidyApplication,
)
from desktop.reports.county_summary import CountOf, CountySummaryDocument, SubsidyPaid
from desktop.services.county_lookup import county_name
from desktop.services.inspection_ledger import half_year, quarter
from desktop.services.printing import issuing_body
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session

_LIFECYCLE_COLUMNS = (
    "filing_status",
    "filing_number",
    "filed_on",
    "puhui",
    "puhui_recognized_on",
    "operating_status",
    "opened_on",
    "status_changed_on",
    "status_reason",
)
OPERATING_ORDER = (
    OperatingStatus.OPERATING,
    OperatingStatus.PREPARING,
    OperatingStatus.SUSPENDED,
    OperatingStatus.CLOSED,
)
FILING_ORDER = (FilingStatus.FILED, FilingStatus.PENDING, FilingStatus.NOT_FILED, FilingStatus.CANCELLED)
SCHEME_ORDER = (SubsidyScheme.CONSTRUCTION, SubsidyScheme.OPERATING, SubsidyScheme.ENROLLMENT)


@dataclass(frozen=True)
class _InstitutionOnDay:
    id: uuid.UUID
    state: LifecycleState  # on the counting day
    slots: int
    township_code: str | None
    entered_on: date  # its first event, or the day it was entered when it has none


def county_summary_document(
    ctx: AppContext, *, county_code: str, year: int | None = None, today: date
) -> CountySummaryDocument:
    """The main indicators of ``county_code`` for ``year`` (this year when None), counted on its counting day."""
    year = today.year if year is None else year
    try:
        day = counting_day(year, today)
    except ValueError as error:
        raise TuoyuError(str(error)) from error
    county_code = county_code.strip()
    county = county_name(ctx, county_code)
    half, this_quarter = half_year(day), quarter(day)
    with read_session(ctx.db) as session:
        # An institution that entered the record after the day did not exist yet: it is not counted at all.
        existing = [i for i in _institutions_on(session, county_code, day) if i.entered_on <= day]
        townships = set(
            session.scalars(
                select(Region.code).where(Region.parent_code == county_code, Region.level == RegionLevel.TOWNSHIP)
            )
        )
        population = population_for(year, _populations(session, county_code))
        operating = [i for i in existing if i.state.operating_status is OperatingStatus.OPERATING]
        children = _children_in_care(session, county_code, day, {i.id for i in operating})
        semiannual_done = len(_inspected(session, county_code, half, InspectionKind.SEMIANNUAL_INSPECTION))
        drawn = _drawn(session, county_code, this_quarter)
        spot_checked = _inspected(session, county_code, this_quarter, InspectionKind.QUARTERLY_SPOT_CHECK)
        issued, open_notices, overdue = _notices(session, county_code, year, day)
        follow_ups = _follow_ups(session, county_code, year)
        subsidies = _subsidies(session, county_code, year, day)
    slots = sum(i.slots for i in operating)
    puhui = [i for i in operating if i.state.puhui]
    covered = {i.township_code for i in puhui} & townships
    spot_done = len(drawn & spot_checked) if drawn is not None else 0
    by_operating = Counter(i.state.operating_status for i in existing)
    by_filing = Counter(i.state.filing_status for i in existing)
    return CountySummaryDocument(
        issuing_body=issuing_body(county),
        county_name=county,
        year=year,
        counted_on=day,
        printed_on=today,
        institutions=len(existing),
        by_operating=tuple(CountOf(status.label, by_operating[status]) for status in OPERATING_ORDER),
        by_filing=tuple(CountOf(status.label, by_filing[status]) for status in FILING_ORDER),
        puhui_operating=len(puhui),
        slots_operating=slots,
        population=population.resident if population else None,
        population_year=population.year if population else None,
        slots_per_1000=slots_per_1000(slots, population.resident if population else None),
        slots_per_1000_target=SLOTS_PER_1000_TARGET,
        townships=len(townships),
        townships_with_puhui=len(covered),
        township_coverage=percentage(len(covered), len(townships)),
        children_in_care=children,
        slot_use=percentage(children, slots),
        half_year_label=f"{half[:4]}年{'上' if half.endswith('H1') else '下'}半年",
        semiannual_due=len(operating),
        semiannual_done=semiannual_done,
        semiannual_rate=percentage(semiannual_done, len(operating)),
        quarter_label=f"{this_quarter[:4]}年第{this_quarter[-1]}季度",
        drawn=len(drawn) if drawn is not None else None,
        drawn_done=spot_done,
        drawn_rate=percentage(spot_done, len(drawn)) if drawn is not None else None,
        notices_issued=issued,
        notices_open=open_notices,
        notices_overdue=overdue,
        follow_ups=follow_ups,
        subsidies=tuple(SubsidyPaid(scheme.label, *subsidies.get(scheme, (0, 0))) for scheme in SCHEME_ORDER),
    )


def _institutions_on(session, county_code: str, day: date) -> list[_InstitutionOnDay]:
    events: dict[uuid.UUID, list[LifecycleEvent]] = defaultdict(list)
    for institution_id, kind, occurred_on in session.execute(
        select(InstitutionEvent.institution_id, InstitutionEvent.kind, InstitutionEvent.occurred_on)
        .join(Institution, Institution.id == InstitutionEvent.institution_id)
        .where(Institution.county_code == county_code)
    ):
        events[institution_id].append(LifecycleEvent(kind, occurred_on))
    columns = [getattr(Institution, name) for name in _LIFECYCLE_COLUMNS]
    result = []
    for row in session.execute(
        select(Institution.id, Institution.slots, Institution.township_code, Institution.created_at, *columns).where(
            Institution.county_code == county_code
        )
    ):
        entered_on = row.created_at.date()
        own = events.get(row.id)
        if not own:
            # A record without events (entered before events were kept): its state, dated as the record says.
            register = LifecycleState(**{name: getattr(row, name) for name in _LIFECYCLE_COLUMNS})
            own = events_for_initial_state(register, registered_on=entered_on)
        entered_on = min((event.occurred_on for event in own), default=entered_on)
        result.append(_InstitutionOnDay(row.id, state_on(own, day), row.slots, row.township_code, entered_on))
    return result


def _populations(session, county_code: str) -> list[PopulationFigure]:
    return [
        PopulationFigure(year, resident, source or "")
        for year, resident, source in session.execute(
            select(RegionPopulation.year, RegionPopulation.resident_population, RegionPopulation.source).where(
                RegionPopulation.region_code == county_code, RegionPopulation.resident_population.is_not(None)
            )
        )
    ]


def _children_in_care(session, county_code: str, day: date, operating: set[uuid.UUID]) -> int:
    """Children in care on ``day`` (``left_on`` is the last day in care) at the institutions operating then."""
    counts = session.execute(
        select(Child.institution_id, func.count())
        .join(Institution, Institution.id == Child.institution_id)
        .where(
            Institution.county_code == county_code,
            Child.enrolled_on <= day,
            or_(Child.left_on.is_(None), Child.left_on >= day),
        )
        .group_by(Child.institution_id)
    )
    return sum(count for institution_id, count in counts if institution_id in operating)


def _inspected(session, county_code: str, period: str, kind: InspectionKind) -> set[str]:
    return {
        str(institution_id)
        for institution_id in session.scalars(
            select(Inspection.institution_id)
            .join(Institution, Institution.id == Inspection.institution_id)
            .where(
                Institution.county_code == county_code,
                Inspection.period == period,
                Inspection.kind == kind,
                Inspection.finished.is_(True),
            )
            .distinct()
        )
    }


def _drawn(session, county_code: str, period: str) -> set[str] | None:
    result_json = session.scalar(
        select(RandomDraw.result_json)
        .where(RandomDraw.county_code == county_code, RandomDraw.period == period)
        .order_by(RandomDraw.drawn_at)
        .limit(1)
    )
    return None if result_json is None else {line.institution_id for line in drawn_from_json(result_json)}


def _notices(session, county_code: str, year: int, day: date) -> tuple[int, int, int]:
    """Notices numbered in ``year`` by the day; and notices served by the day and not closed by then (any year),
    with those past their deadline."""
    issued = session.scalar(
        select(func.count()).where(
            RectificationNotice.county_code == county_code,
            RectificationNotice.year == year,
            RectificationNotice.issued_on <= day,
        )
    )
    closed_by_then = exists().where(
        RectificationClosure.notice_id == RectificationNotice.id, RectificationClosure.closed_on <= day
    )
    open_rows = session.execute(
        select(RectificationNotice.deadline).where(
            and_(RectificationNotice.county_code == county_code, RectificationNotice.issued_on <= day, ~closed_by_then)
        )
    ).scalars()
    deadlines = list(open_rows)
    return issued or 0, len(deadlines), sum(1 for deadline in deadlines if deadline < day)


def _follow_ups(session, county_code: str, year: int) -> int:
    """回头看 visits finished in the year's periods; a correction describes the same visit and is not counted again."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Inspection)
            .join(Institution, Institution.id == Inspection.institution_id)
            .where(
                Institution.county_code == county_code,
                Inspection.kind == InspectionKind.FOLLOW_UP,
                Inspection.finished.is_(True),
                Inspection.corrects_id.is_(None),
                Inspection.period.like(f"{year}%"),
            )
        )
        or 0
    )


def _subsidies(session, county_code: str, year: int, day: date) -> dict[SubsidyScheme, tuple[int, int]]:
    """Per scheme: the payments made from 1 January to the day, and their amount in fen."""
    return {
        scheme: (count, amount or 0)
        for scheme, count, amount in session.execute(
            select(SubsidyApplication.scheme, func.count(), func.sum(SubsidyApplication.amount_fen))
            .where(
                SubsidyApplication.county_code == county_code,
                SubsidyApplication.status == ApplicationStatus.PAID,
                SubsidyApplication.paid_on >= date(year, 1, 1),
                SubsidyApplication.paid_on <= day,
            )
            .group_by(SubsidyApplication.scheme)
        )
    }
