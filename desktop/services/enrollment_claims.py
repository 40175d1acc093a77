"""The child-months of an enrollment application (入托补贴): each child's amount, and the application's.

Each child is computed on its own by ``desktop.domain.subsidy_rules`` (age at the month boundary as
the policy counts it, days in care, the institution's filing and 普惠), and the application's amount
is the sum of its eligible children. The cost split is applied once, to that sum — the city's share
of the total rounded down to the fen, the county paying the rest — so the shares of an application
add up to its amount exactly and a roster's per-payer totals are sums of whole applications.

A month of a province is about 200,000 children, but far fewer distinct cases: children born on the
same day in institutions with the same facts get the same result. ``ClaimCalculator`` computes each
distinct case once.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from desktop.domain.amount_words import format_yuan
from desktop.domain.subsidy_policy import RectificationRule, SubsidyKind, SubsidyPolicy
from desktop.domain.subsidy_rules import EnrollmentFacts, SubsidyFactsError, SubsidyResult, compute, split_amount
from desktop.errors import TuoyuError
from desktop.models import Child, EnrollmentClaim, SubsidyApplication
from desktop.models.base import utc_now
from desktop.services.subsidy_facts import (
    InstitutionSnapshot,
    PolicyBook,
    institutions_with_overdue_major_rectification,
)

__all__ = [
    "ClaimCalculator",
    "ClaimFigures",
    "application_result",
    "enrollment_facts_json",
    "month_bounds",
    "recompute_enrollment",
]

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_bounds(month: str) -> tuple[date, date]:
    """The first and last day of ``"2026-11"``; a Chinese message for anything else."""
    found = _MONTH.fullmatch(month or "")
    if not found or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2999:
        raise TuoyuError(f"月份“{month}”格式不对，请写成 YYYY-MM，如 2026-11。")
    first = date(int(found[1]), int(found[2]), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


@dataclass(frozen=True)
class ClaimFigures:
    """One child-month as computed: what goes on the claim row."""

    eligible: bool
    amount_fen: int
    reasons_json: str
    result: SubsidyResult | None  # None when the child's facts could not be computed


class ClaimCalculator:
    """Computes child-months for one policy and month, each distinct case once."""

    def __init__(self, policy: SubsidyPolicy, month: str) -> None:
        self.policy = policy
        self.first, self.last = month_bounds(month)
        self._cache: dict[tuple, ClaimFigures] = {}

    def claims(
        self,
        county_code: str,
        children: Sequence[tuple[date, date, date | None]],
        *,
        filed: bool,
        puhui: bool,
        overdue: bool,
    ) -> list[ClaimFigures]:
        """One institution's children, each (birth date, enrolled on, left on)."""
        # Facts the policy does not look at do not change the result (dates outside the month, a
        # condition the policy does not require): dropping them lets more children share one.
        scheme = self.policy.enrollment
        facts = (
            filed and scheme.requires_filed,
            puhui and scheme.requires_puhui,
            overdue and scheme.overdue_major_rectification is not RectificationRule.IGNORE,
        )
        first, last, cache, compute_one = self.first, self.last, self._cache, self._compute
        result = []
        for birth_date, enrolled_on, left_on in children:
            key = (
                county_code,
                birth_date,
                enrolled_on if enrolled_on > first else None,
                left_on if left_on is not None and left_on < last else None,
                *facts,
            )
            figures = cache.get(key)
            if figures is None:
                figures = cache[key] = compute_one(key)
            result.append(figures)
        return result

    def _compute(self, key: tuple) -> ClaimFigures:
        county_code, birth_date, start, end, filed, puhui, overdue = key
        facts = EnrollmentFacts(
            county_code=county_code,
            birth_date=birth_date,
            month=self.first,
            institution_filed=filed,
            institution_puhui=puhui,
            enrolled_on=start,
            left_on=end,
            overdue_major_rectification=overdue,
        )
        try:
            result = compute(facts, self.policy)
        except SubsidyFactsError as error:
            return ClaimFigures(False, 0, _reasons([f"无法计算：{error.message}"]), None)
        return ClaimFigures(result.eligible, result.amount_fen, _reasons(result.reasons), result)


def _reasons(reasons: Sequence[str]) -> str:
    return json.dumps(list(reasons), ensure_ascii=False)


def application_result(
    policy: SubsidyPolicy, county_code: str, month: str, claims: Sequence[ClaimFigures]
) -> SubsidyResult:
    """The application's figures: the sum of its eligible children, split once on the total."""
    first, _ = month_bounds(month)
    split = policy.split_for(county_code)
    if split is None:
        raise TuoyuError(f"县区代码 {county_code} 不在政策“{policy.name}”的分担比例表中，无法计算入托补贴。")
    eligible = [c for c in claims if c.eligible]
    total = sum(c.amount_fen for c in eligible)
    city, county = split_amount(total, split)
    month_text = f"{first.year}年{first.month}月"
    reasons = [
        f"{month_text}在托幼儿 {len(claims)} 人，其中符合条件 {len(eligible)} 人，补助合计 {format_yuan(total)} 元。"
    ]
    if len(claims) > len(eligible):
        reasons.append(f"不符合条件 {len(claims) - len(eligible)} 人，每人原因见幼儿名单。")
    if total == 0:
        reasons.append("没有符合条件的幼儿，补助 0.00 元。")
    elif split.city_percent:
        reasons.append(
            f"{split.county_name}分担比例 市级 {split.city_percent}% : 县区 {split.county_percent}%，"
            f"按申请合计金额分担（市级份额舍去不足 1 分的部分，余额由县区承担）：市级承担 {format_yuan(city)} 元，"
            f"{split.county_name}承担 {format_yuan(county)} 元。"
        )
    else:
        reasons.append(f"{split.county_name}财政全额承担 {format_yuan(county)} 元。")
    warnings = list(dict.fromkeys(w for c in claims if c.result for w in c.result.warnings))
    computed = next((c.result for c in claims if c.result is not None), None)
    parameters = computed.parameters if computed is not None else {}
    return SubsidyResult(
        kind=SubsidyKind.ENROLLMENT, eligible=total > 0, amount_fen=total, city_share_fen=city,
        county_share_fen=county, reasons=tuple(reasons), warnings=tuple(warnings), policy=policy.identity,
        parameters=parameters,
    )  # fmt: skip


def enrollment_facts_json(
    county_code: str, month: str, *, filed: bool, puhui: bool, overdue: bool, children: int, eligible: int
) -> str:
    """The application's own facts; each child's are on its claim (birth date and days in its reasons)."""
    return json.dumps(
        {
            "kind": SubsidyKind.ENROLLMENT.value,
            "county_code": county_code,
            "month": month,
            "institution_filed": filed,
            "institution_puhui": puhui,
            "overdue_major_rectification": overdue,
            "children": children,
            "eligible_children": eligible,
        },
        ensure_ascii=False,
    )


def recompute_enrollment(
    session: Session, application: SubsidyApplication, institution: InstitutionSnapshot, book: PolicyBook, today: date
) -> tuple[SubsidyResult, str]:
    """Recompute every live claim of a not yet approved application (policy and facts as they are now),
    store the claims that changed, and return the application's result and facts."""
    first, _ = month_bounds(application.period)
    policy = book.policy_for(application.county_code, first, SubsidyKind.ENROLLMENT)
    overdue = institution.id in institutions_with_overdue_major_rectification(
        session, today, institution_ids=[institution.id]
    )
    calculator = ClaimCalculator(policy, application.period)
    rows = session.execute(
        select(
            EnrollmentClaim.id,
            EnrollmentClaim.eligible,
            EnrollmentClaim.amount_fen,
            EnrollmentClaim.reasons_json,
            Child.birth_date,
            Child.enrolled_on,
            Child.left_on,
        )
        .join(Child, Child.id == EnrollmentClaim.child_id)
        .where(EnrollmentClaim.application_id == application.id, EnrollmentClaim.live.is_(True))
    ).all()
    claims, changed = [], []
    computed = calculator.claims(
        application.county_code,
        [(row.birth_date, row.enrolled_on, row.left_on) for row in rows],
        filed=institution.filed,
        puhui=institution.puhui,
        overdue=overdue,
    )
    for row, figures in zip(rows, computed, strict=True):
        claims.append(figures)
        stored = (row.eligible, row.amount_fen, row.reasons_json)
        if (figures.eligible, figures.amount_fen, figures.reasons_json) != stored:
            changed.append(_claim_update(row.id, figures))
    if changed:
        table = EnrollmentClaim.__table__
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("claim_id"))
            .values(
                eligible=bindparam("new_eligible"),
                amount_fen=bindparam("new_amount_fen"),
                reasons_json=bindparam("new_reasons_json"),
                updated_at=bindparam("new_updated_at"),
                version=table.c.version + 1,
            ),
            changed,
        )
    result = application_result(policy, application.county_code, application.period, claims)
    facts = enrollment_facts_json(
        application.county_code,
        application.period,
        filed=institution.filed,
        puhui=institution.puhui,
        overdue=overdue,
        children=len(claims),
        eligible=sum(c.eligible for c in claims),
    )
    return result, facts


def _claim_update(claim_id: uuid.UUID, figures: ClaimFigures) -> dict:
    return {
        "claim_id": claim_id,
        "new_eligible": figures.eligible,
        "new_amount_fen": figures.amount_fen,
        "new_reasons_json": figures.reasons_json,
        "new_updated_at": utc_now(),
    }
