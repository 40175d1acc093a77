"""The inspection ledger (检查台账): what the rules ask for and what was done, by county and this week.

- Half-year rule (半年检查): every operating institution is inspected once each half-year.
- Quarterly draw (季度抽查): every institution drawn for the quarter is inspected in it.
- Rectification: a notice is open until a 回头看 closes it, and overdue once its deadline has passed.

All figures are counted in SQL (aggregates over the inspection tables), so the county view stays fast
with a province's 100,000 inspections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, exists, func, select

from desktop.domain.enums import InspectionKind, OperatingStatus, RegionLevel
from desktop.domain.random_draw import drawn_from_json, parse_quarter
from desktop.models import Inspection, Institution, RandomDraw, RectificationClosure, RectificationNotice, Region
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_connection

WEEK = timedelta(days=7)


def half_year(day: date) -> str:
    return f"{day.year}H{1 if day.month <= 6 else 2}"


def half_year_end(day: date) -> date:
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


def quarter(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class CountyLedger:
    county_code: str
    county_name: str
    half_year: str
    operating: int
    semiannual_done: int
    quarter: str
    drawn: int
    drawn_done: int
    open_notices: int
    overdue_notices: int

    @property
    def semiannual_coverage(self) -> float:
        return self.semiannual_done / self.operating if self.operating else 1.0


@dataclass(frozen=True)
class DueItem:
    kind: str  # "overdue_notice", "notice_due", "drawn_pending", "semiannual_pending"
    institution_id: str
    institution_name: str
    county_name: str
    what: str
    due: date
    document_number: str = ""


_OPEN = ~exists().where(RectificationClosure.notice_id == RectificationNotice.id)


def county_ledgers(ctx: AppContext, *, today: date) -> list[CountyLedger]:
    half, this_quarter = half_year(today), quarter(today)
    done_half = (
        select(Institution.county_code, func.count(func.distinct(Inspection.institution_id)))
        .join(Institution, Institution.id == Inspection.institution_id)
        .where(
            Inspection.period == half,
            Inspection.finished.is_(True),
            Inspection.kind == InspectionKind.SEMIANNUAL_INSPECTION,
        )
        .group_by(Institution.county_code)
    )
    operating = (
        select(Institution.county_code, func.count())
        .where(Institution.operating_status == OperatingStatus.OPERATING)
        .group_by(Institution.county_code)
    )
    notices = (
        select(
            RectificationNotice.county_code,
            func.count(),
            func.sum(case((RectificationNotice.deadline < today, 1), else_=0)),
        )
        .where(_OPEN)
        .group_by(RectificationNotice.county_code)
    )
    with read_connection(ctx.db) as connection:
        counties = connection.execute(
            select(Region.code, Region.name).where(Region.level == RegionLevel.COUNTY).order_by(Region.code)
        ).all()
        done = dict(connection.execute(done_half).all())
        active = dict(connection.execute(operating).all())
        open_counts = {code: (total, overdue or 0) for code, total, overdue in connection.execute(notices)}
        drawn = _drawn(connection, this_quarter)
    return [
        CountyLedger(
            code,
            name,
            half,
            active.get(code, 0),
            done.get(code, 0),
            this_quarter,
            len(drawn.get(code, {})),
            sum(drawn.get(code, {}).values()),
            open_counts.get(code, (0, 0))[0],
            open_counts.get(code, (0, 0))[1],
        )
        for code, name in counties
    ]


def _drawn(connection, period: str) -> dict[str, dict[str, bool]]:
    """Per county: each drawn institution of the quarter, and whether its spot check is done."""
    done = {
        str(i)
        for i in connection.execute(
            select(Inspection.institution_id).where(
                Inspection.period == period,
                Inspection.kind == InspectionKind.QUARTERLY_SPOT_CHECK,
                Inspection.finished.is_(True),
            )
        ).scalars()
    }
    result: dict[str, dict[str, bool]] = {}
    for county_code, result_json in connection.execute(
        select(RandomDraw.county_code, RandomDraw.result_json).where(RandomDraw.period == period)
    ):
        result[county_code] = {d.institution_id: d.institution_id in done for d in drawn_from_json(result_json)}
    return result


def due_this_week(ctx: AppContext, *, today: date, county_code: str | None = None) -> list[DueItem]:
    """What needs doing by a week from today: overdue and due notices, pending spot checks, and —
    in the half-year's last month — institutions without their half-year inspection."""
    until = today + WEEK
    items: list[DueItem] = []
    county_filter = [] if county_code is None else [Institution.county_code == county_code]
    with read_connection(ctx.db) as connection:
        county_names = dict(connection.execute(select(Region.code, Region.name)).all())
        for row in connection.execute(
            select(
                RectificationNotice.document_number,
                RectificationNotice.deadline,
                Institution.id,
                Institution.name,
                Institution.county_code,
            )
            .join(Institution, Institution.id == RectificationNotice.institution_id)
            .where(_OPEN, RectificationNotice.deadline <= until, *county_filter)
            .order_by(RectificationNotice.deadline)
        ):
            overdue = row.deadline < today
            items.append(
                DueItem(
                    "overdue_notice" if overdue else "notice_due",
                    str(row.id),
                    row.name,
                    county_names.get(row.county_code, ""),
                    f"整改{'已逾期' if overdue else '本周到期'}，待回头看",
                    row.deadline,
                    row.document_number,
                )
            )
        this_quarter = quarter(today)
        pending = {i for c in _drawn(connection, this_quarter).values() for i, done in c.items() if not done}
        quarter_end = parse_quarter(this_quarter).last_day
        if pending:
            for row in connection.execute(
                select(Institution.id, Institution.name, Institution.county_code).where(*county_filter)
            ):
                if str(row.id) in pending:
                    items.append(
                        DueItem(
                            "drawn_pending",
                            str(row.id),
                            row.name,
                            county_names.get(row.county_code, ""),
                            f"{this_quarter} 季度抽查已抽中，尚未检查",
                            quarter_end,
                        )
                    )
        end = half_year_end(today)
        if end - today <= timedelta(days=31):
            half = half_year(today)
            # One list of the half-year's inspected institutions, not a subquery per institution: SQLite
            # would run that one through the period index (25,000 rows a half-year at province scale),
            # 1.5 s for one county instead of milliseconds.
            inspected = select(Inspection.institution_id).where(
                Inspection.period == half,
                Inspection.kind == InspectionKind.SEMIANNUAL_INSPECTION,
                Inspection.finished.is_(True),
            )
            for row in connection.execute(
                select(Institution.id, Institution.name, Institution.county_code)
                .where(
                    and_(
                        Institution.operating_status == OperatingStatus.OPERATING,
                        Institution.id.not_in(inspected),
                        *county_filter,
                    )
                )
                .order_by(Institution.name_initials)
            ):
                items.append(
                    DueItem(
                        "semiannual_pending",
                        str(row.id),
                        row.name,
                        county_names.get(row.county_code, ""),
                        f"{half} 半年检查尚未完成",
                        end,
                    )
                )
    return sorted(items, key=lambda item: (item.due, item.kind, item.institution_name))
