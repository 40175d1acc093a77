"""A county named on the command line or in a form, checked against the counties this installation holds."""

from __future__ import annotations

from desktop.errors import NotFoundError
from desktop.services.regions import counties
from desktop.services.startup import AppContext


def county_name(ctx: AppContext, county_code: str) -> str:
    """The county's name, or a NotFoundError that lists the counties there are."""
    known = counties(ctx)
    for county in known:
        if county.code == county_code.strip():
            return county.name
    choices = "、".join(f"{county.name}（{county.code}）" for county in known) or "无（请先载入行政区划：tuoyu init）"
    raise NotFoundError(f"本系统中没有区划代码为 {county_code} 的县区。可用的县区：{choices}")
