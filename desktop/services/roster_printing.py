"""The printed 发放花名册's data: a month's payment roster (payment_rosters.payment_roster) with the region it covers
and the body that fills it in, as the plain object desktop.reports.payment_roster_pdf draws.

A county's roster is filled in by the county bureau (甘州区卫生健康局) and titled with the city and county
(张掖市甘州区…); a roster of every county is the city commission's (张掖市卫生健康委员会).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desktop.domain.enums import RegionLevel, SubsidyScheme
from desktop.errors import NotFoundError
from desktop.models import Region
from desktop.reports.payment_roster_pdf import PaymentRosterDocument
from desktop.services.payment_rosters import payment_roster
from desktop.services.printing import issuing_body
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session

__all__ = ["CITY_BODY_SUFFIX", "payment_roster_document"]

CITY_BODY_SUFFIX = "卫生健康委员会"  # 张掖市 → 张掖市卫生健康委员会


def payment_roster_document(
    ctx: AppContext,
    month: str,
    scheme: SubsidyScheme,
    *,
    county_code: str | None = None,
    today: date | None = None,
) -> PaymentRosterDocument:
    """The roster of ``month`` ("2026-11") and ``scheme`` for one county, or every county when ``county_code`` is
    None, ready to print. Refuses (TuoyuError) an unknown county and a month with nothing to pay."""
    with read_session(ctx.db) as session:
        if county_code:
            county = session.scalar(
                select(Region).where(Region.code == county_code, Region.level == RegionLevel.COUNTY)
            )
            if county is None:
                raise NotFoundError(f"找不到县区代码 {county_code}：请填写 6 位县区代码，如甘州区为 620702。")
            city = session.scalar(select(Region.name).where(Region.code == county.parent_code)) or ""
            region_name, body = city + county.name, issuing_body(county.name)
        else:
            city = session.scalar(select(Region.name).where(Region.level == RegionLevel.CITY).order_by(Region.code))
            region_name, body = city or "", f"{city or ''}{CITY_BODY_SUFFIX}"
    roster = payment_roster(ctx, month, scheme, county_code=county_code)
    return PaymentRosterDocument(roster, region_name, body, today or date.today())
