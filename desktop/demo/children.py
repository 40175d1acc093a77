"""The demo's rosters of enrolled children (在托幼儿): what the enrollment subsidy is paid from.

Pure and deterministic, from its own random generator, so adding children changed nothing else in
the demo. Operating institutions only. Every ID number is valid (the institution's county code, a
birth 6–35 months before ``today``, the sex digit); a few children have left; and a couple of children
are deliberately on two rosters of one county at once, so the cross-institution warning and the
subsidy's double-claim check have something true to show.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from desktop.demo import names
from desktop.domain.enums import OperatingStatus, Sex
from desktop.domain.identifiers import make_id_number

LEFT_SHARE = 0.08  # children who have left, beside those in care
DOUBLE_ENROLLED = 2  # children on two rosters of one county at once
# 6 to 35 months old today: infant classes (乳儿班) take children from 6 months (托育机构设置标准).
_YOUNGEST_DAYS, _OLDEST_DAYS = 183, 1064
_ENROLLED_FROM_DAYS = 183


def generate_children(
    rng: random.Random,
    next_id: Callable[[], uuid.UUID],
    institutions: list[dict[str, Any]],
    *,
    fill: tuple[float, float],
    today: date,
) -> list[dict[str, Any]]:
    """Children for each operating institution: ``fill`` (low, high) is the share of its slots in care."""
    used: set[str] = set()
    rows: list[dict[str, Any]] = []
    low, high = fill
    for institution in institutions:
        if institution["operating_status"] is not OperatingStatus.OPERATING:
            continue
        in_care = round(institution["slots"] * rng.uniform(low, high))
        left = round(in_care * LEFT_SHARE * rng.uniform(0.5, 1.5))
        for number in range(in_care + left):
            rows.append(_child(rng, next_id, used, institution, today, leaving=number >= in_care))
    _enroll_twice(rng, rows, institutions)
    return rows


def _child(
    rng: random.Random,
    next_id: Callable[[], uuid.UUID],
    used: set[str],
    institution: dict[str, Any],
    today: date,
    *,
    leaving: bool,
) -> dict[str, Any]:
    sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
    while True:
        age_days = rng.randint(_YOUNGEST_DAYS, _OLDEST_DAYS)
        birth = today - timedelta(days=age_days)
        # The 17th digit is odd for boys and even for girls (GB 11643).
        sequence = rng.randrange(0, 998, 2) + (1 if sex is Sex.MALE else 0)
        id_number = make_id_number(institution["county_code"], birth, sequence)
        if id_number not in used:
            used.add(id_number)
            break
    surname = rng.choice(names.SURNAMES)
    given = names.FEMALE_GIVEN if sex is Sex.FEMALE else names.MALE_GIVEN
    if rng.random() < 0.55:  # the mother is named as guardian a little more often than the father
        guardian = rng.choice(names.SURNAMES) + rng.choice(names.FEMALE_GIVEN)
    else:
        guardian = surname + rng.choice(names.MALE_GIVEN)
    # Enrolled from six months old, never before the institution opened.
    earliest = min(max(birth + timedelta(days=_ENROLLED_FROM_DAYS), institution["opened_on"]), today)
    enrolled_on = earliest + timedelta(days=rng.randint(0, (today - earliest).days))
    left_on = None
    if leaving and enrolled_on < today:
        left_on = enrolled_on + timedelta(days=rng.randint(0, (today - enrolled_on).days - 1))
    return {
        "id": next_id(),
        "institution_id": institution["id"],
        "name": surname + rng.choice(given),
        "id_number": id_number,
        "birth_date": birth,
        "sex": sex,
        "guardian_name": guardian,
        "guardian_phone": names.mobile(rng),
        "enrolled_on": enrolled_on,
        "left_on": left_on,
    }


def _enroll_twice(rng: random.Random, rows: list[dict[str, Any]], institutions: list[dict[str, Any]]) -> None:
    """Put a few children in care at two institutions of the county with the most children."""
    county_of = {institution["id"]: institution["county_code"] for institution in institutions}
    by_county: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["left_on"] is None:
            by_county.setdefault(county_of[row["institution_id"]], []).append(row)
    if not by_county:
        return
    county = max(sorted(by_county), key=lambda code: len(by_county[code]))
    candidates = by_county[county]
    done = 0
    for _ in range(100):
        if done == DOUBLE_ENROLLED or len(candidates) < 2:
            return
        first, second = rng.sample(candidates, 2)
        if first["institution_id"] == second["institution_id"] or first["id_number"] == second["id_number"]:
            continue
        done += 1
        second.update(
            name=first["name"],
            id_number=first["id_number"],
            birth_date=first["birth_date"],
            sex=first["sex"],
            enrolled_on=max(second["enrolled_on"], first["enrolled_on"]),
        )
