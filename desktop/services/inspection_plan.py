"""The county's half-year plan, institution by institution: planned month, done or overdue, this
quarter's draw, and rectifications in progress (desktop.domain.inspection_plan holds the rules)."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select

from desktop.domain.enums import InspectionKind, OperatingStatus
from desktop.domain.inspection_plan import PlanEntry, plan_state, planned_months
from desktop.domain.random_draw import drawn_from_json
from desktop.models import Inspection, Institution, RandomDraw, RectificationClosure, RectificationNotice, Region
from desktop.services.inspection_ledger import half_year, quarter
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_connection


class DrawState:
    NOT_DRAWN = ""
    PENDING = "抽中，未检查"
    DONE = "抽中，已检查"


@dataclass(frozen=True)
class PlanRow:
    institution_id: uuid.UUID
    name: str
    township_name: str
    plan: PlanEntry
    inspected_on: date | None
    draw_state: str
    open_notices: int
    overdue_notices: int


def county_plan(ctx: AppContext, county_code: str, *, today: date) -> list[PlanRow]:
    half, this_quarter = half_year(today), quarter(today)
    with read_connection(ctx.db) as connection:
        institutions = connection.execute(
            select(Institution.id, Institution.name, Region.name)
            .outerjoin(Region, Region.code == Institution.township_code)
            .where(Institution.county_code == county_code, Institution.operating_status == OperatingStatus.OPERATING)
            .order_by(Institution.name_initials, Institution.name)
        ).all()
        ids = [row[0] for row in institutions]
        in_county = select(Institution.id).where(Institution.county_code == county_code)
        first_inspection = dict(
            connection.execute(
                select(Inspection.institution_id, func.min(Inspection.inspected_at))
                .where(
                    Inspection.institution_id.in_(in_county),
                    Inspection.period == half,
                    Inspection.kind == InspectionKind.SEMIANNUAL_INSPECTION,
                    Inspection.finished.is_(True),
                )
                .group_by(Inspection.institution_id)
            ).all()
        )
        spot_checked = set(
            connection.execute(
                select(Inspection.institution_id).where(
                    Inspection.institution_id.in_(in_county),
                    Inspection.period == this_quarter,
                    Inspection.kind == InspectionKind.QUARTERLY_SPOT_CHECK,
                    Inspection.finished.is_(True),
                )
            ).scalars()
        )
        drawn = {
            uuid.UUID(line.institution_id)
            for result_json in connection.execute(
                select(RandomDraw.result_json).where(
                    RandomDraw.county_code == county_code, RandomDraw.period == this_quarter
                )
            ).scalars()
            for line in drawn_from_json(result_json)
        }
        open_notices, overdue = Counter(), Counter()
        for institution_id, deadline in connection.execute(
            select(RectificationNotice.institution_id, RectificationNotice.deadline).where(
                RectificationNotice.county_code == county_code,
                ~exists().where(RectificationClosure.notice_id == RectificationNotice.id),
            )
        ):
            open_notices[institution_id] += 1
            overdue[institution_id] += deadline < today
    plan = planned_months([str(i) for i in ids], half)
    rows = []
    for institution_id, name, township in institutions:
        inspected_at = first_inspection.get(institution_id)
        inspected_on = inspected_at.astimezone().date() if inspected_at else None
        planned = plan[str(institution_id)]
        if institution_id not in drawn:
            draw_state = DrawState.NOT_DRAWN
        else:
            draw_state = DrawState.DONE if institution_id in spot_checked else DrawState.PENDING
        rows.append(
            PlanRow(
                institution_id,
                name,
                township or "",
                PlanEntry(planned, plan_state(planned, inspected_on, today)),
                inspected_on,
                draw_state,
                open_notices[institution_id],
                overdue[institution_id],
            )
        )
    return rows
