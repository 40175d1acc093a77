"""Administrative regions and their populations, loaded from the reference files in resources/regions.

Each file holds one city (e.g. ``620700.toml`` for 张掖市). Loading is idempotent: a region already
present (by code) is left as it is, so a clerk's corrections are never overwritten.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop.domain.enums import RegionLevel, TownshipKind
from desktop.models import Region, RegionPopulation
from desktop.paths import resources_dir
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session

PROVINCE_OF_CITY = {"62": ("620000", "甘肃省")}


@dataclass(frozen=True)
class RegionOption:
    """A county or township as a filter or form offers it."""

    code: str
    name: str


def region_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or resources_dir() / "regions").glob("*.toml"))


def read_region_file(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def ensure_regions(ctx: AppContext, files: list[Path] | None = None) -> int:
    """Add the regions and populations of the reference files that are missing. Returns rows added."""
    added = 0
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        known = set(session.scalars(select(Region.code)))
        population_keys = select(RegionPopulation.region_code, RegionPopulation.year)
        known_populations = {tuple(row) for row in session.execute(population_keys)}
        for path in files if files is not None else region_files():
            data = read_region_file(path)
            for region, populations in _regions_of(data):
                if region.code not in known:
                    session.add(region)
                    known.add(region.code)
                    added += 1
                    session.flush()  # parents before children: codes are foreign keys
                for year, figures in populations.items():
                    if (region.code, int(year)) in known_populations:
                        continue
                    session.add(
                        RegionPopulation(
                            region_code=region.code,
                            year=int(year),
                            resident_population=figures.get("resident"),
                            under3_population=figures.get("under3"),
                            under3_estimated=bool(figures.get("under3_estimated", False)),
                            source=(figures.get("source") or "")[:300] or None,
                        )
                    )
                    known_populations.add((region.code, int(year)))
                    added += 1
    return added


def _regions_of(data: dict[str, Any]):
    city = data["city"]
    province_code, province_name = PROVINCE_OF_CITY.get(city["code"][:2], (city["code"][:2] + "0000", ""))
    yield Region(code=province_code, name=province_name, level=RegionLevel.PROVINCE, parent_code=None), {}
    yield (
        Region(code=city["code"], name=city["name"], level=RegionLevel.CITY, parent_code=province_code),
        city.get("population", {}),
    )
    for county in data["counties"]:
        yield (
            Region(code=county["code"], name=county["name"], level=RegionLevel.COUNTY, parent_code=city["code"]),
            county.get("population", {}),
        )
        for township in county["townships"]:
            populations = township.get("population", {})
            yield (
                Region(
                    code=township["code"],
                    name=township["name"],
                    level=RegionLevel.TOWNSHIP,
                    parent_code=county["code"],
                    township_kind=TownshipKind(township["kind"]),
                ),
                populations,
            )


def has_regions(ctx: AppContext) -> bool:
    with read_session(ctx.db) as session:
        return session.scalar(select(Region.id).limit(1)) is not None


def counties(ctx: AppContext) -> list[RegionOption]:
    with read_session(ctx.db) as session:
        rows = session.execute(
            select(Region.code, Region.name).where(Region.level == RegionLevel.COUNTY).order_by(Region.code)
        )
        return [RegionOption(code, name) for code, name in rows]


def townships(ctx: AppContext, county_code: str) -> list[RegionOption]:
    with read_session(ctx.db) as session:
        rows = session.execute(
            select(Region.code, Region.name).where(Region.parent_code == county_code).order_by(Region.code)
        )
        return [RegionOption(code, name) for code, name in rows]


def region_name_maps(ctx: AppContext) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(county code -> name, county code -> {township code -> name}) for the sheet parser and exports."""
    counties: dict[str, str] = {}
    townships: dict[str, dict[str, str]] = {}
    with read_session(ctx.db) as session:
        for code, name, level, parent in session.execute(
            select(Region.code, Region.name, Region.level, Region.parent_code)
        ):
            if level is RegionLevel.COUNTY:
                counties[code] = name
            elif level is RegionLevel.TOWNSHIP and parent:
                townships.setdefault(parent, {})[code] = name
    return counties, townships
