"""双随机 draws for quarterly spot checks: gather the county's inputs, draw, record, publish.

A draw for a period and county is made once. Asking again with the same seed on the same data
returns the recorded draw (nothing new is written); a different seed, or changed data, is refused
with the recorded draw's details, so no one can quietly redraw until they like the result.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from desktop.domain.enums import OperatingStatus, RegionLevel, UserRole
from desktop.domain.problems import Problem, Severity
from desktop.domain.random_draw import (
    DrawInput,
    check_draw_input,
    conflicts_from,
    draw,
    drawn_from_json,
    drawn_to_json,
    parse_quarter,
)
from desktop.errors import TuoyuError
from desktop.models import InspectorConflict, Institution, RandomDraw, Region, User
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session


@dataclass(frozen=True)
class DrawnLine:
    institution_id: str
    institution_name: str
    inspector_ids: tuple[str, ...]
    inspector_names: tuple[str, ...]


@dataclass(frozen=True)
class CountyDraw:
    period: str
    county_code: str
    county_name: str
    seed: int
    rate: float
    minimum: int
    candidates: int
    inputs_sha256: str
    lines: tuple[DrawnLine, ...]
    problems: tuple[Problem, ...]
    drawn_by: str
    drawn_at: datetime
    # False when the same draw had already been recorded and was returned as it was.
    newly_recorded: bool


def _inputs(session, county_code: str, period: str, seed: int, rate: float, minimum: int) -> DrawInput:
    institutions = session.scalars(
        select(Institution.id).where(
            Institution.county_code == county_code, Institution.operating_status == OperatingStatus.OPERATING
        )
    )
    inspectors = session.scalars(
        select(User.id).where(User.county_code == county_code, User.role == UserRole.INSPECTOR, User.active.is_(True))
    )
    conflicts = session.execute(
        select(InspectorConflict.user_id, InspectorConflict.institution_id)
        .join(User, User.id == InspectorConflict.user_id)
        .where(User.county_code == county_code)
    )
    return DrawInput(
        period,
        county_code,
        seed,
        rate,
        minimum,
        tuple(sorted(str(i) for i in institutions)),
        tuple(sorted(str(i) for i in inspectors)),
        conflicts_from(conflicts),
    )


def draw_counties(
    ctx: AppContext, *, period: str, seed: int, rate: float, minimum: int = 1, county_code: str | None = None
) -> list[CountyDraw]:
    """Draw (or return the recorded draw of) one county, or of every county this installation holds."""
    try:
        quarter = parse_quarter(period)
    except ValueError as error:
        raise TuoyuError(str(error)) from error
    with read_session(ctx.db) as session:
        counties = dict(
            session.execute(
                select(Region.code, Region.name).where(Region.level == RegionLevel.COUNTY).order_by(Region.code)
            ).all()
        )
    if county_code is not None and county_code not in counties:
        raise TuoyuError(
            f"本系统中没有区划代码为 {county_code} 的县区。可用的县区："
            + "、".join(f"{name}（{code}）" for code, name in counties.items())
        )
    chosen = [county_code] if county_code else list(counties)
    return [_draw_county(ctx, quarter.label, code, counties[code], seed, rate, minimum) for code in chosen]


def _draw_county(
    ctx: AppContext, period: str, county_code: str, county_name: str, seed: int, rate: float, minimum: int
) -> CountyDraw:
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        draw_input = _inputs(session, county_code, period, seed, rate, minimum)
        errors = [p for p in check_draw_input(draw_input) if p.severity is Severity.ERROR]
        if errors:
            raise TuoyuError(f"{county_name}：" + "；".join(p.message for p in errors))
        recorded = session.scalars(
            select(RandomDraw).where(RandomDraw.period == period, RandomDraw.county_code == county_code)
        ).first()
        if recorded is not None:
            if recorded.inputs_sha256 != draw_input.fingerprint():
                when = f"{recorded.drawn_at.astimezone():%Y-%m-%d %H:%M}"
                raise TuoyuError(
                    f"{county_name} {period} 已于 {when} 由 {recorded.drawn_by} "
                    f"抽取（种子 {recorded.seed}，比例 {recorded.rate:g}）。同一期间不能重新抽取；"
                    "如需复核，请用原种子重新运行，结果应完全一致。"
                )
            return _from_record(recorded, county_name, session, newly_recorded=False)
        result = draw(draw_input)
        row = RandomDraw(
            period=period,
            county_code=county_code,
            seed=seed,
            rate=rate,
            minimum=minimum,
            inputs_sha256=draw_input.fingerprint(),
            inputs_json=_inputs_json(draw_input),
            result_json=drawn_to_json(result.drawn),
            drawn_by=ctx.actor.username,
        )
        session.add(row)
        session.flush()
        outcome = _from_record(row, county_name, session, newly_recorded=True)
        return replace(outcome, problems=result.problems)


def _inputs_json(draw_input: DrawInput) -> str:
    return json.dumps(
        {
            "institutions": list(draw_input.institution_ids),
            "inspectors": list(draw_input.inspector_ids),
            "conflicts": sorted(map(list, draw_input.conflicts)),
        },
        ensure_ascii=False,
    )


def _from_record(row: RandomDraw, county_name: str, session, *, newly_recorded: bool) -> CountyDraw:
    entries = drawn_from_json(row.result_json)
    ids = {e.institution_id for e in entries} | {p for e in entries for p in e.inspector_ids}
    uuids = [uuid.UUID(i) for i in ids]
    names = dict(session.execute(select(Institution.id, Institution.name).where(Institution.id.in_(uuids))).all())
    names |= dict(session.execute(select(User.id, User.display_name).where(User.id.in_(uuids))).all())
    by_text = {str(key): value for key, value in names.items()}
    lines = tuple(
        DrawnLine(
            e.institution_id,
            by_text.get(e.institution_id, "（已删除）"),
            e.inspector_ids,
            tuple(by_text.get(p, "（已删除）") for p in e.inspector_ids),
        )
        for e in entries
    )
    candidates = len(json.loads(row.inputs_json)["institutions"])
    return CountyDraw(
        row.period,
        row.county_code,
        county_name,
        row.seed,
        row.rate,
        row.minimum,
        candidates,
        row.inputs_sha256,
        lines,
        (),
        row.drawn_by,
        row.drawn_at,
        newly_recorded,
    )
