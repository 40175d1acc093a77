"""A realistic demo of Zhangye city (张掖市): institutions of every sponsor type, classes and staff.

Pure and deterministic: the same seed, scale and ``today`` give the same rows, ids included. The
demo deliberately carries the problems a county really has (over-full classes, too few carers,
expired health certificates, short training hours, a carer on two payrolls, unfiled institutions)
so that every screen and every validation has something true to show.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from desktop.demo import names, roster
from desktop.demo.children import generate_children
from desktop.domain.enums import (
    ClassType,
    DemonstrationLevel,
    FilingStatus,
    OperatingStatus,
    Ownership,
    RegistrationType,
    ServiceMode,
    Sex,
    SponsorType,
    StaffRole,
)
from desktop.domain.identifiers import make_credit_code, make_id_number
from desktop.domain.lifecycle_rules import LifecycleState, events_for_initial_state
from desktop.domain.pinyin_search import name_initials
from desktop.models.uuid7 import uuid7_from


class Scale(StrEnum):
    COUNTY = "county"
    CITY = "city"
    PROVINCE = "province"


# Institutions in the whole demo. County scale is about what Zhangye really has (~1 per 7,000
# residents); city and province scale exist for benchmarks.
INSTITUTIONS_AT_SCALE = {Scale.COUNTY: 160, Scale.CITY: 3000, Scale.PROVINCE: 10000}

SPONSOR_MIX = (
    (SponsorType.SOCIAL, 40),
    (SponsorType.KINDERGARTEN_CLASS, 22),
    (SponsorType.COMMUNITY_EMBEDDED, 10),
    (SponsorType.PUBLIC, 8),
    (SponsorType.EMPLOYER_CLASS, 6),
    (SponsorType.PUBLIC_INSTITUTION_CLASS, 4),
    (SponsorType.MEDICAL, 4),
    (SponsorType.HOME_BASED, 6),
)

SLOT_RANGE = {
    SponsorType.SOCIAL: (20, 150),
    SponsorType.KINDERGARTEN_CLASS: (15, 60),
    SponsorType.COMMUNITY_EMBEDDED: (15, 50),
    SponsorType.PUBLIC: (60, 160),
    SponsorType.EMPLOYER_CLASS: (15, 80),
    SponsorType.PUBLIC_INSTITUTION_CLASS: (15, 60),
    SponsorType.MEDICAL: (30, 100),
    SponsorType.HOME_BASED: (3, 5),
}

CLASS_LIMITS = {ClassType.INFANT: 10, ClassType.TODDLER: 15, ClassType.OLDER_TODDLER: 20, ClassType.MIXED_AGE: 18}
CARER_RATIO = {ClassType.INFANT: 3, ClassType.TODDLER: 5, ClassType.OLDER_TODDLER: 7, ClassType.MIXED_AGE: 5}
CLASS_NAMES = {
    ClassType.INFANT: "乳儿",
    ClassType.TODDLER: "托小",
    ClassType.OLDER_TODDLER: "托大",
    ClassType.MIXED_AGE: "混龄",
}

# Share of an operating institution's slots with a child in care. About what Zhangye's institutions
# report; the province scale exists for the subsidy benchmark, which the issue sizes at about 200,000
# children, and its 10,000 institutions have ~550,000 slots, so its rosters are filled to a third.
CHILD_FILL = {Scale.COUNTY: (0.6, 0.9), Scale.CITY: (0.6, 0.9), Scale.PROVINCE: (0.3, 0.42)}

# A fixed instant the demo's ids are made from, so that ids do not depend on the clock.
ID_EPOCH_MS = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp() * 1000)


@dataclass
class DemoData:
    """Rows ready for bulk insertion, keyed by table."""

    institutions: list[dict[str, Any]] = field(default_factory=list)
    class_groups: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    children: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Township:
    code: str
    name: str
    county_code: str
    county_name: str
    population: int


class DemoIds:
    """Deterministic time-ordered ids from the demo's random generator."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._tick = 0

    def next(self) -> uuid.UUID:
        self._tick += 1
        return uuid7_from(ID_EPOCH_MS + self._tick, self._rng.getrandbits(74))


def townships_from_regions(regions: dict[str, Any]) -> list[Township]:
    """The townships of the regions file, each weighted by its county's population."""
    result = []
    for county in regions["counties"]:
        populations = county.get("population", {})
        resident = next(
            (p["resident"] for _, p in sorted(populations.items(), reverse=True) if "resident" in p), 100_000
        )
        per_township = resident // max(1, len(county["townships"]))
        for township in county["townships"]:
            result.append(Township(township["code"], township["name"], county["code"], county["name"], per_township))
    return result


def generate(regions: dict[str, Any], *, scale: Scale, seed: int, today: date) -> DemoData:
    rng = random.Random(seed)
    ids = DemoIds(rng)
    townships = townships_from_regions(regions)
    weights = [t.population for t in townships]
    data = DemoData()
    people = _People(rng)
    count = INSTITUTIONS_AT_SCALE[scale]
    sponsor_types = [s for s, _ in SPONSOR_MIX]
    sponsor_weights = [w for _, w in SPONSOR_MIX]
    serial_by_county: dict[str, int] = {}
    for index in range(count):
        township = rng.choices(townships, weights)[0]
        sponsor = rng.choices(sponsor_types, sponsor_weights)[0]
        serial_by_county[township.county_code] = serial_by_county.get(township.county_code, 0) + 1
        institution = _institution(rng, ids, township, sponsor, serial_by_county[township.county_code], index, today)
        data.institutions.append(institution)
        classes = _classes(rng, ids, institution)
        data.class_groups.extend(classes)
        data.staff.extend(_staff(rng, ids, people, institution, classes, today))
    _mark_demonstrations(rng, data.institutions, today)
    _share_carers(rng, data.staff)
    data.events.extend(_lifecycle_events(ids, data.institutions))
    data.users.extend(roster.office_users(ids, regions))
    inspectors = roster.inspectors(rng, ids, regions)
    data.users.extend(inspectors)
    data.conflicts.extend(roster.conflicts(rng, ids, inspectors, data.institutions, today))
    # From generators of their own (seed + 1 and + 2 make the inspections), so the rows above stay as they were.
    data.children.extend(
        generate_children(
            random.Random(seed + 3),
            DemoIds(random.Random(seed + 4)).next,
            data.institutions,
            fill=CHILD_FILL[scale],
            today=today,
        )
    )
    return data


def _institution(
    rng: random.Random, ids: DemoIds, township: Township, sponsor: SponsorType, serial: int, index: int, today: date
) -> dict[str, Any]:
    name = names.institution_name(rng, sponsor, township.county_name, township.name, serial)
    low, high = SLOT_RANGE[sponsor]
    slots = rng.randint(low, high)
    registration = _registration_type(rng, sponsor)
    filing_status = rng.choices(
        [FilingStatus.FILED, FilingStatus.PENDING, FilingStatus.NOT_FILED, FilingStatus.CANCELLED], [78, 8, 12, 2]
    )[0]
    opened_on = today - timedelta(days=rng.randint(60, 3650))
    filed_on = opened_on + timedelta(days=rng.randint(20, 200)) if filing_status is FilingStatus.FILED else None
    if filed_on and filed_on > today:
        filed_on = today - timedelta(days=rng.randint(1, 30))
    puhui = filing_status is FilingStatus.FILED and (sponsor is SponsorType.PUBLIC or rng.random() < 0.55)
    status = rng.choices(
        [OperatingStatus.OPERATING, OperatingStatus.PREPARING, OperatingStatus.SUSPENDED, OperatingStatus.CLOSED],
        [88, 4, 4, 4],
    )[0]
    status_reason, status_changed_on = None, None
    if status in (OperatingStatus.SUSPENDED, OperatingStatus.CLOSED):
        # Suspended or closed some time after it opened, never before.
        status_changed_on = max(opened_on + timedelta(days=30), today - timedelta(days=rng.randint(10, 400)))
        status_changed_on = min(status_changed_on, today)
        status_reason = rng.choice(
            names.CLOSURE_REASONS if status is OperatingStatus.CLOSED else names.SUSPENSION_REASONS
        )
    serves_meals = sponsor is not SponsorType.HOME_BASED and rng.random() < 0.85
    full_day_fee_yuan = rng.randrange(900, 1700, 50) if puhui else rng.randrange(1500, 3400, 100)
    modes = {ServiceMode.FULL_DAY}
    modes.update(m for m in (ServiceMode.HALF_DAY, ServiceMode.HOURLY, ServiceMode.TEMPORARY) if rng.random() < 0.3)
    leased = (
        sponsor in (SponsorType.SOCIAL, SponsorType.HOME_BASED, SponsorType.COMMUNITY_EMBEDDED) and rng.random() < 0.8
    )
    medical = sponsor is SponsorType.MEDICAL or rng.random() < 0.3
    county_short = names.county_short_name(township.county_name)
    return {
        "id": ids.next(),
        "name": name,
        "name_initials": name_initials(name),
        "credit_code": _credit_code(rng, registration, sponsor, township.county_code),
        "sponsor_type": sponsor,
        "ownership": _ownership(rng, sponsor),
        "registration_type": registration,
        "service_modes": frozenset(modes),
        "chain_brand": rng.choice(names.CHAIN_BRANDS) if sponsor is SponsorType.SOCIAL and rng.random() < 0.1 else None,
        "county_code": township.county_code,
        "township_code": township.code,
        "address": names.address(rng, township.county_name, township.name),
        "legal_representative": names.person_name(rng),
        "principal_name": names.person_name(rng),
        "contact_person": names.person_name(rng),
        "contact_phone": names.phone(rng),
        "slots": slots,
        "building_area_m2": Decimal(slots * rng.randint(6, 12)) + Decimal(rng.randint(0, 99)) / 100,
        "outdoor_area_m2": Decimal(slots * rng.randint(2, 4)),
        "premises_leased": leased,
        "lease_expires_on": today + timedelta(days=rng.randint(-60, 1800)) if leased else None,
        "fee_full_day_monthly_fen": full_day_fee_yuan * 100,
        "fee_half_day_monthly_fen": (full_day_fee_yuan * 60 // 100) * 100 if ServiceMode.HALF_DAY in modes else None,
        "fee_hourly_fen": rng.randrange(20, 50, 5) * 100 if ServiceMode.HOURLY in modes else None,
        "meal_fee_daily_fen": rng.randrange(10, 25) * 100 if serves_meals else None,
        "serves_meals": serves_meals,
        "food_licence_number": f"JY3{township.county_code}{rng.randint(0, 99999999):08d}" if serves_meals else None,
        "filing_status": filing_status,
        "filing_number": f"{county_short}卫托备〔{filed_on.year}〕{serial}号" if filed_on else None,
        "filed_on": filed_on,
        "puhui": puhui,
        "puhui_recognized_on": min(filed_on + timedelta(days=rng.randint(30, 300)), today)
        if puhui and filed_on
        else None,
        "operating_status": status,
        "opened_on": opened_on,
        "status_changed_on": status_changed_on,
        "status_reason": status_reason,
        "demonstration": False,
        "demonstration_level": None,
        "demonstration_recognized_on": None,
        "medical_partnership": medical,
        "medical_partner_name": names.medical_partner(rng, township.county_name) if medical else None,
        "notes": None,
    }


def _registration_type(rng: random.Random, sponsor: SponsorType) -> RegistrationType:
    if sponsor in (SponsorType.PUBLIC, SponsorType.PUBLIC_INSTITUTION_CLASS, SponsorType.MEDICAL):
        return RegistrationType.PUBLIC_INSTITUTION
    if sponsor is SponsorType.HOME_BASED:
        return RegistrationType.FOR_PROFIT
    return rng.choice([RegistrationType.FOR_PROFIT, RegistrationType.SOCIAL_SERVICE])


def _ownership(rng: random.Random, sponsor: SponsorType) -> Ownership:
    if sponsor in (SponsorType.PUBLIC, SponsorType.PUBLIC_INSTITUTION_CLASS, SponsorType.MEDICAL):
        return Ownership.PUBLIC
    if sponsor is SponsorType.COMMUNITY_EMBEDDED:
        return rng.choice([Ownership.PUBLIC_BUILT_PRIVATE_RUN, Ownership.PRIVATE_PUBLIC_AIDED])
    return Ownership.PRIVATE


def _credit_code(rng: random.Random, registration: RegistrationType, sponsor: SponsorType, county_code: str) -> str:
    # 12: public institution; 52: private non-enterprise unit; 91/92: enterprise / individual business.
    dept, entity = {
        RegistrationType.PUBLIC_INSTITUTION: ("1", "2"),
        RegistrationType.SOCIAL_SERVICE: ("5", "2"),
        RegistrationType.FOR_PROFIT: ("9", "2" if sponsor is SponsorType.HOME_BASED else "1"),
    }[registration]
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice(alphabet) for _ in range(8))
    return make_credit_code(dept, entity, county_code, body)


def _classes(rng: random.Random, ids: DemoIds, institution: dict[str, Any]) -> list[dict[str, Any]]:
    remaining = institution["slots"]
    if institution["sponsor_type"] is SponsorType.HOME_BASED:
        plan = [ClassType.MIXED_AGE]
    elif institution["sponsor_type"] is SponsorType.KINDERGARTEN_CLASS:
        plan = [ClassType.OLDER_TODDLER] * 4  # 托幼一体: nursery classes take 2–3-year-olds
    else:
        plan = [
            ClassType.INFANT,
            ClassType.TODDLER,
            ClassType.OLDER_TODDLER,
            ClassType.TODDLER,
            ClassType.OLDER_TODDLER,
            ClassType.MIXED_AGE,
        ] * 3
    rows = []
    counters: dict[ClassType, int] = {}
    for class_type in plan:
        if remaining <= 0:
            break
        limit = CLASS_LIMITS[class_type]
        # About one class in twenty is set up over the national limit: a finding for the registry.
        capacity = min(remaining, limit) if rng.random() > 0.05 else limit + rng.randint(1, 4)
        remaining -= capacity
        counters[class_type] = counters.get(class_type, 0) + 1
        active = institution["operating_status"] is OperatingStatus.OPERATING
        rows.append(
            {
                "id": ids.next(),
                "institution_id": institution["id"],
                "name": f"{CLASS_NAMES[class_type]}{counters[class_type]}班",
                "class_type": class_type,
                "capacity": capacity,
                "enrolled_count": round(capacity * rng.uniform(0.5, 1.0)) if active else 0,
            }
        )
    return rows


class _People:
    """Makes staff members with valid resident ID numbers, each number used once.

    Only ``_share_carers`` gives two staff rows the same number, on purpose: any other repeat
    would be a false "same person at two institutions" finding.
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def person(self, county_code: str, *, female_share: float = 0.9) -> dict[str, Any]:
        rng = self._rng
        sex = Sex.FEMALE if rng.random() < female_share else Sex.MALE
        while True:
            birth = date(rng.randint(1966, 2004), rng.randint(1, 12), rng.randint(1, 28))
            # The 17th digit is odd for men and even for women (GB 11643).
            sequence = rng.randrange(0, 998, 2) + (1 if sex is Sex.MALE else 0)
            id_number = make_id_number(county_code, birth, sequence)
            if id_number not in self._used:
                self._used.add(id_number)
                return {"name": names.person_name(rng, sex), "sex": sex, "id_number": id_number}


def _staff(
    rng: random.Random,
    ids: DemoIds,
    people: _People,
    institution: dict[str, Any],
    classes: list[dict[str, Any]],
    today: date,
) -> list[dict[str, Any]]:
    county = institution["county_code"]
    rows: list[dict[str, Any]] = []

    def add(role: StaffRole, class_id: uuid.UUID | None = None, training: tuple[int, int] = (20, 200)) -> None:
        person = people.person(county, female_share=0.2 if role is StaffRole.SECURITY else 0.9)
        expires = today + timedelta(days=rng.randint(-90, 360))  # some expired, some expiring soon
        rows.append(
            {
                "id": ids.next(),
                "institution_id": institution["id"],
                "class_group_id": class_id,
                **person,
                "role": role,
                "phone": names.mobile(rng),
                "education": rng.choice(names.EDUCATION_LEVELS),
                "qualification": rng.choice(names.QUALIFICATIONS[role]),
                "employed_from": min(institution["opened_on"] + timedelta(days=rng.randint(0, 400)), today),
                "employed_until": None,
                "health_certificate_number": f"{county}{rng.randint(0, 9999999):07d}",
                "health_certificate_expires_on": expires,
                "training_hours": rng.randint(*training),
                "criminal_record_checked_on": today - timedelta(days=rng.randint(30, 900))
                if rng.random() < 0.92
                else None,
            }
        )

    add(StaffRole.PRINCIPAL, training=(40, 160))
    for group in classes:
        needed = -(-group["enrolled_count"] // CARER_RATIO[group["class_type"]]) or 1
        # Now and then a class is one carer short: the ratio warning has something to find.
        for _ in range(max(1, needed - (1 if rng.random() < 0.08 else 0))):
            add(StaffRole.CARER, group["id"], training=(80, 240))
    if institution["sponsor_type"] is not SponsorType.HOME_BASED:
        add(StaffRole.HEALTH_STAFF)
        add(StaffRole.SECURITY, training=(8, 40))
    if institution["serves_meals"]:
        add(StaffRole.COOK, training=(8, 40))
    return rows


def _mark_demonstrations(rng: random.Random, institutions: list[dict[str, Any]], today: date) -> None:
    """At least one demonstration institution in most counties (the 100% county-coverage target)."""
    by_county: dict[str, list[dict[str, Any]]] = {}
    for institution in institutions:
        if (
            institution["filing_status"] is FilingStatus.FILED
            and institution["operating_status"] is OperatingStatus.OPERATING
        ):
            by_county.setdefault(institution["county_code"], []).append(institution)
    for county_code in sorted(by_county):
        candidates = by_county[county_code]
        # One county is left without any, so the coverage indicator is not trivially 100%.
        if county_code.endswith("21"):
            continue
        chosen = rng.sample(candidates, k=min(len(candidates), max(1, len(candidates) // 25)))
        for institution in chosen:
            institution["demonstration"] = True
            institution["demonstration_level"] = rng.choice(
                [DemonstrationLevel.COUNTY, DemonstrationLevel.CITY, DemonstrationLevel.PROVINCE]
            )
            institution["demonstration_recognized_on"] = today - timedelta(days=rng.randint(30, 700))


def _share_carers(rng: random.Random, staff: list[dict[str, Any]]) -> None:
    """Give a few carers a second job under the same ID number: the registry must flag it."""
    carers = [s for s in staff if s["role"] is StaffRole.CARER]
    for _ in range(max(1, len(carers) // 400)):
        first, second = rng.sample(carers, 2)
        if first["institution_id"] != second["institution_id"]:
            second.update(name=first["name"], sex=first["sex"], id_number=first["id_number"])


def _lifecycle_events(ids: DemoIds, institutions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each institution's filing, 普惠 and operating history, as the register keeps it."""
    rows = []
    for institution in institutions:
        state = LifecycleState(**{key: institution[key] for key in LifecycleState.__dataclass_fields__})
        registered_on = institution["opened_on"] - timedelta(days=30)  # entered before it opened
        for event in events_for_initial_state(state, registered_on=registered_on):
            rows.append(
                {
                    "id": ids.next(),
                    "institution_id": institution["id"],
                    "kind": event.kind,
                    "occurred_on": event.occurred_on,
                    "document_number": event.document_number,
                    "reason": event.reason,
                }
            )
    return rows
