"""Gathering the 双随机抽查名单: the recorded draw of one county and quarter, as desktop.reports.random_draw_list
prints it. Reading only: a draw is made by desktop.services.random_draws, never here.
"""

from __future__ import annotations

import json
import uuid
from datetime import date

from sqlalchemy import select

from desktop.domain.enums import SponsorType
from desktop.domain.random_draw import drawn_from_json, parse_quarter
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import Institution, RandomDraw, Region, User
from desktop.reports.random_draw_list import DrawnInstitution, RandomDrawListDocument
from desktop.services.county_lookup import county_name
from desktop.services.printing import issuing_body
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session

DELETED = "（已删除）"


def random_draw_list_document(ctx: AppContext, *, county_code: str, period: str, today: date) -> RandomDrawListDocument:
    """The public list of the draw recorded for ``county_code`` in ``period`` ("2026Q2"), dated ``today``."""
    try:
        quarter = parse_quarter(period)
    except ValueError as error:
        raise TuoyuError(str(error)) from error
    county_code = county_code.strip()
    county = county_name(ctx, county_code)
    with read_session(ctx.db) as session:
        draw = session.scalar(
            select(RandomDraw)
            .where(RandomDraw.county_code == county_code, RandomDraw.period == quarter.label)
            .order_by(RandomDraw.drawn_at)
            .limit(1)
        )
        if draw is None:
            raise NotFoundError(
                f"{county}（{county_code}）{quarter.year}年第{quarter.quarter}季度还没有抽取记录："
                f"请先抽取（tuoyu inspections draw --period {quarter.label} --county {county_code} …），再打印名单。"
            )
        entries = drawn_from_json(draw.result_json)
        institution_ids = [uuid.UUID(e.institution_id) for e in entries]
        inspector_ids = [uuid.UUID(p) for e in entries for p in e.inspector_ids]
        institutions = {
            str(row.id): row
            for row in session.execute(
                select(
                    Institution.id,
                    Institution.name,
                    Institution.address,
                    Institution.sponsor_type,
                    Region.name.label("township"),
                )
                .outerjoin(Region, Region.code == Institution.township_code)
                .where(Institution.id.in_(institution_ids))
            )
        }
        inspectors = {
            str(key): name
            for key, name in session.execute(select(User.id, User.display_name).where(User.id.in_(inspector_ids)))
        }
        candidates = len(json.loads(draw.inputs_json)["institutions"])
        lines = []
        for number, entry in enumerate(entries, start=1):
            row = institutions.get(entry.institution_id)
            lines.append(
                DrawnInstitution(
                    number=number,
                    name=row.name if row else DELETED,
                    address=row.address if row else "",
                    address_withheld=row is not None and row.sponsor_type is SponsorType.HOME_BASED,
                    township=(row.township or "") if row else "",
                    inspectors=tuple(inspectors.get(p, DELETED) for p in entry.inspector_ids),
                )
            )
        return RandomDrawListDocument(
            issuing_body=issuing_body(county),
            county_name=county,
            year=quarter.year,
            quarter=quarter.quarter,
            first_day=quarter.first_day,
            last_day=quarter.last_day,
            drawn_at=draw.drawn_at.astimezone(),
            seed=draw.seed,
            rate=draw.rate,
            minimum=draw.minimum,
            candidates=candidates,
            inputs_sha256=draw.inputs_sha256,
            institutions=tuple(lines),
            printed_on=today,
        )
