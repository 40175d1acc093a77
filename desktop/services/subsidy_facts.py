"""The facts of a subsidy case, read from the register: what ``desktop.domain.subsidy_rules`` needs.

- filed (备案): the institution's filing status is 已备案 today;
- 普惠, sponsor type and filed slots (备案托位数): as on the register;
- months operating in a year: from its lifecycle events (``desktop.domain.operating_months``);
- an overdue major rectification: an open rectification notice (no 回头看 has closed it) past its
  deadline with at least one item of severity 较重 or 严重;
- previously granted (construction): another live construction application of the institution;
- meets the construction standards: not in the register (it is a judgement of the site against
  the national and provincial standards), so the clerk states it when creating the application.

Facts are stored on the application in the quote calculator's form (``tuoyu subsidy quote``), so an
auditor can recompute an amount from the row and the policy file alone. The policy is the city's in
force on the day the calculator would use: the step's day for construction, 1 January for the
operating year, the first day of the month for enrollment.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desktop.domain.enums import (
    ApplicationStatus,
    FilingStatus,
    ItemSeverity,
    OperatingStatus,
    SponsorType,
    SubsidyScheme,
)
from desktop.domain.lifecycle_rules import LifecycleEvent, LifecycleState, events_for_initial_state
from desktop.domain.operating_months import months_operating
from desktop.domain.registry_rules import format_date_cn
from desktop.domain.subsidy_policy import SubsidyKind, SubsidyPolicy, policy_in_force
from desktop.domain.subsidy_rules import ConstructionFacts, EnrollmentFacts, OperatingFacts
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import (
    Institution,
    InstitutionEvent,
    RectificationClosure,
    RectificationNotice,
    SubsidyApplication,
)
from desktop.services.field_laptop import is_field_laptop
from desktop.services.startup import AppContext
from desktop.services.subsidy_policies import load_policies, received_policy_folder
from desktop.services.unit_of_work import write_session

__all__ = [
    "InstitutionSnapshot",
    "PolicyBook",
    "construction_facts",
    "facts_to_json",
    "institutions_with_overdue_major_rectification",
    "operating_facts",
    "refuse_closed",
    "snapshot",
    "subsidy_write_session",
]

MAJOR = frozenset({ItemSeverity.MAJOR.value, ItemSeverity.CRITICAL.value})
_OPEN = ~exists().where(RectificationClosure.notice_id == RectificationNotice.id)
_LIFECYCLE = tuple(f.name for f in fields(LifecycleState))


@dataclass(frozen=True)
class InstitutionSnapshot:
    """The register's facts about one institution that its subsidies depend on."""

    id: uuid.UUID
    name: str
    county_code: str
    slots: int
    sponsor_type: SponsorType
    filed: bool
    puhui: bool
    operating_status: OperatingStatus
    status_changed_on: date | None
    lifecycle: LifecycleState
    created_on: date


def snapshot(institution: Institution) -> InstitutionSnapshot:
    return InstitutionSnapshot(
        id=institution.id,
        name=institution.name,
        county_code=institution.county_code,
        slots=institution.slots,
        sponsor_type=institution.sponsor_type,
        filed=institution.filing_status is FilingStatus.FILED,
        puhui=institution.puhui,
        operating_status=institution.operating_status,
        status_changed_on=institution.status_changed_on,
        lifecycle=LifecycleState(**{key: getattr(institution, key) for key in _LIFECYCLE}),
        created_on=institution.created_at.date(),
    )


def load_institution(session: Session, institution_id: uuid.UUID) -> InstitutionSnapshot:
    institution = session.get(Institution, institution_id)
    if institution is None:
        raise NotFoundError("该机构已不存在，可能已被其他用户删除。请刷新列表。")
    return snapshot(institution)


@contextmanager
def subsidy_write_session(ctx: AppContext) -> Iterator[Session]:
    """A write session for subsidy work, refused on a field laptop: subsidies are the county's."""
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        if is_field_laptop(session):
            raise TuoyuError("这是检查笔记本：补贴申请和审核在县区数据库中办理，笔记本上不能办理补贴。")
        yield session


def refuse_closed(institution: InstitutionSnapshot, what: str, *, period_start: date | None = None) -> None:
    """Refuse a closed institution: for construction always; for a year or a month (``period_start``)
    only when it closed before that period began — care given before a closure is still subsidised."""
    if institution.operating_status is not OperatingStatus.CLOSED:
        return
    closed_on = institution.status_changed_on
    if period_start is not None and closed_on is not None and closed_on >= period_start:
        return
    since = f"于{format_date_cn(closed_on)}" if closed_on else ""
    raise TuoyuError(
        f"“{institution.name}”已{since}关闭，不能{what}。已关闭的机构不再享受补贴；"
        "如机构已重新开办，请先在机构档案中办理“重新开办”。"
    )


class PolicyBook:
    """The policies (highest version of each), read once and asked per county and day."""

    def __init__(self, policies: Iterable[SubsidyPolicy] | None = None) -> None:
        self.policies = tuple(policies) if policies is not None else load_policies()

    @classmethod
    def of(cls, ctx: AppContext) -> PolicyBook:
        """This installation's: the bundled policies and those its city sent (desktop.sync)."""
        return cls(load_policies(received=received_policy_folder(ctx.db.data_dir)))

    def policy_for(self, county_code: str, day: date, kind: SubsidyKind) -> SubsidyPolicy:
        city_code = county_code[:4] + "00"
        policy = policy_in_force(self.policies, city_code, day)
        if policy is None:
            raise TuoyuError(
                f"没有在 {day.isoformat()} 生效、适用于县区 {county_code} 的补贴政策"
                "（resources/policies 中没有覆盖该日期和城市的政策文件），无法计算金额。"
                "请向市卫生健康委取得政策文件。"
            )
        if getattr(policy, kind.value) is None:
            raise TuoyuError(f"补贴政策“{policy.name}”没有{kind.label}，不能办理该项补贴。")
        return policy


def institutions_with_overdue_major_rectification(
    session: Session, today: date, *, institution_ids: Iterable[uuid.UUID] | None = None, county_code: str | None = None
) -> set[uuid.UUID]:
    """Institutions with an open notice past its deadline that lists a 较重 or 严重 item."""
    query = select(RectificationNotice.institution_id, RectificationNotice.items_json).where(
        _OPEN, RectificationNotice.deadline < today
    )
    if institution_ids is not None:
        query = query.where(RectificationNotice.institution_id.in_(list(institution_ids)))
    if county_code is not None:
        query = query.where(RectificationNotice.county_code == county_code)
    found = set()
    for institution_id, items_json in session.execute(query):
        if any(item.get("severity") in MAJOR for item in json.loads(items_json)):
            found.add(institution_id)
    return found


def construction_facts(
    session: Session,
    institution: InstitutionSnapshot,
    *,
    meets_standard: bool,
    today: date,
    application_id: uuid.UUID | None = None,
) -> ConstructionFacts:
    others = select(SubsidyApplication.id).where(
        SubsidyApplication.scheme == SubsidyScheme.CONSTRUCTION,
        SubsidyApplication.institution_id == institution.id,
        SubsidyApplication.status != ApplicationStatus.REJECTED,
    )
    if application_id is not None:
        others = others.where(SubsidyApplication.id != application_id)
    return ConstructionFacts(
        county_code=institution.county_code,
        slots=institution.slots,
        filed=institution.filed,
        meets_standard=meets_standard,
        previously_granted=session.scalar(others.limit(1)) is not None,
        overdue_major_rectification=institution.id
        in institutions_with_overdue_major_rectification(session, today, institution_ids=[institution.id]),
    )


def operating_facts(session: Session, institution: InstitutionSnapshot, year: int, *, today: date) -> OperatingFacts:
    if year > today.year:
        raise TuoyuError(f"{year} 年度尚未开始，不能申请该年度的运营补贴。")
    months = months_operating(_events(session, institution), year)
    if months == 0:
        raise TuoyuError(
            f"“{institution.name}”在 {year} 年没有运营记录（机构档案中没有该年度的开始运营或恢复运营），"
            "不能申请该年度的运营补贴。如档案有误，请先在机构档案中补记运营状态。"
        )
    return OperatingFacts(
        county_code=institution.county_code,
        slots=institution.slots,
        filed=institution.filed,
        puhui=institution.puhui,
        sponsor_type=institution.sponsor_type,
        year=year,
        months_operating=months,
        overdue_major_rectification=institution.id
        in institutions_with_overdue_major_rectification(session, today, institution_ids=[institution.id]),
    )


def _events(session: Session, institution: InstitutionSnapshot) -> list[LifecycleEvent]:
    rows = session.execute(
        select(InstitutionEvent.kind, InstitutionEvent.occurred_on).where(
            InstitutionEvent.institution_id == institution.id
        )
    ).all()
    if rows:
        return [LifecycleEvent(kind, day) for kind, day in rows]
    # A record without events (entered before events were kept): its state, dated as the record says.
    return events_for_initial_state(institution.lifecycle, registered_on=institution.created_on)


def facts_to_json(facts: ConstructionFacts | OperatingFacts | EnrollmentFacts, **extra: Any) -> str:
    """The facts as the quote calculator reads them (``kind`` first, dates as text), plus ``extra``."""
    values: dict[str, Any] = {"kind": facts.kind.value}
    for field in fields(facts):
        value = getattr(facts, field.name)
        if value is None:
            continue
        if field.name == "month":
            value = value.strftime("%Y-%m")
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Enum):
            value = value.value
        values[field.name] = value
    return json.dumps(
        values | {k: v.isoformat() if isinstance(v, date) else v for k, v in extra.items()}, ensure_ascii=False
    )
