"""The demo's people who use Tuoyu: the bureau's accounts, each county's inspector roster (检查人员库),
and the conflicts of interest a few inspectors declare (回避)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from desktop.demo import names
from desktop.domain.enums import UserRole

if TYPE_CHECKING:
    from desktop.demo.zhangye import DemoIds

INSPECTORS_PER_COUNTY = 10
CONFLICT_REASONS = ("配偶在该机构任职", "曾在该机构任职，离职未满两年", "近亲属为该机构举办者", "子女在该机构入托")


def inspectors(rng: random.Random, ids: DemoIds, regions: dict[str, Any]) -> list[dict[str, Any]]:
    """The county's inspector roster (检查人员库) for the 双随机 draw."""
    rows = []
    for county in regions["counties"]:
        for number in range(1, INSPECTORS_PER_COUNTY + 1):
            rows.append(
                {
                    "id": ids.next(),
                    "username": f"insp{county['code']}-{number:02d}",
                    "display_name": names.person_name(rng),
                    "role": UserRole.INSPECTOR,
                    "county_code": county["code"],
                    "active": number != INSPECTORS_PER_COUNTY,  # one has left
                    "password_hash": None,
                }
            )
    return rows


def conflicts(
    rng: random.Random, ids: DemoIds, inspectors: list[dict[str, Any]], institutions: list[dict[str, Any]], today: date
) -> list[dict[str, Any]]:
    """A few inspectors per county declare a conflict with an institution of their county (回避)."""
    rows = []
    by_county: dict[str, list[dict[str, Any]]] = {}
    for institution in institutions:
        by_county.setdefault(institution["county_code"], []).append(institution)
    for inspector in inspectors[::4]:
        candidates = by_county.get(inspector["county_code"], [])
        if candidates:
            rows.append(
                {
                    "id": ids.next(),
                    "user_id": inspector["id"],
                    "institution_id": rng.choice(candidates)["id"],
                    "reason": rng.choice(CONFLICT_REASONS),
                    "declared_on": today - timedelta(days=rng.randint(30, 300)),
                }
            )
    return rows


def office_users(ids: DemoIds, regions: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [
        {
            "id": ids.next(),
            "username": "admin",
            "display_name": "系统管理员",
            "role": UserRole.ADMIN,
            "county_code": None,
            "active": True,
            "password_hash": None,
        },
        {
            "id": ids.next(),
            "username": "city",
            "display_name": "市卫健委查看",
            "role": UserRole.CITY_VIEWER,
            "county_code": None,
            "active": True,
            "password_hash": None,
        },
    ]
    for county in regions["counties"]:
        short = names.county_short_name(county["name"])
        rows.append(
            {
                "id": ids.next(),
                "username": f"clerk{county['code']}",
                "display_name": f"{short}经办人",
                "role": UserRole.CLERK,
                "county_code": county["code"],
                "active": True,
                "password_hash": None,
            }
        )
    return rows
