"""双随机: a quarterly spot check's random targets and random inspector pairs, reproducible by anyone.

Pure. The draw does not use Python's random module, whose algorithms may change between versions:
every candidate gets the SHA-256 of "seed|period|county|institution" (for an inspector of an
institution: "seed|period|institution|inspector"), and the lowest hashes win. Anyone with the seed,
the published inputs and a SHA-256 tool can redo it by hand; the same seed on the same data gives
the same list.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from desktop.domain.problems import Problem, Severity

INSPECTORS_PER_INSTITUTION = 2
_PERIOD = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> date:
        following = date(self.year + 1, 1, 1) if self.quarter == 4 else date(self.year, 3 * self.quarter + 1, 1)
        return following - timedelta(days=1)


def parse_quarter(text: str) -> Quarter:
    """ "2026Q1" -> Quarter(2026, 1); raises ValueError with a Chinese message otherwise."""
    match = _PERIOD.match(text.strip().upper())
    if not match:
        raise ValueError(f"抽查期间“{text}”格式不对，应写作 年份 + Q + 季度，例如 2026Q1。")
    return Quarter(int(match[1]), int(match[2]))


@dataclass(frozen=True)
class DrawInput:
    period: str
    county_code: str
    seed: int
    rate: float
    minimum: int
    institution_ids: tuple[str, ...]  # operating institutions of the county
    inspector_ids: tuple[str, ...]  # active inspectors of the county
    conflicts: frozenset[tuple[str, str]]  # (inspector_id, institution_id) pairs declared conflicted

    def fingerprint(self) -> str:
        """SHA-256 of the inputs in a canonical form: recorded with the draw, published with the list."""
        canonical = {
            "period": self.period,
            "county": self.county_code,
            "seed": self.seed,
            "rate": round(self.rate, 6),
            "minimum": self.minimum,
            "institutions": sorted(self.institution_ids),
            "inspectors": sorted(self.inspector_ids),
            "conflicts": sorted(map(list, self.conflicts)),
        }
        return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class DrawnInspection:
    institution_id: str
    inspector_ids: tuple[str, ...]


def drawn_to_json(drawn: Iterable[DrawnInspection]) -> str:
    """The drawn list as a draw record stores it (and ``tuoyu inspections draw --json`` prints it)."""
    return json.dumps(
        [{"institution_id": d.institution_id, "inspectors": list(d.inspector_ids)} for d in drawn], ensure_ascii=False
    )


def drawn_from_json(text: str) -> tuple[DrawnInspection, ...]:
    return tuple(DrawnInspection(d["institution_id"], tuple(d["inspectors"])) for d in json.loads(text))


@dataclass(frozen=True)
class DrawResult:
    input: DrawInput
    drawn: tuple[DrawnInspection, ...]
    problems: tuple[Problem, ...]


def sample_size(candidates: int, rate: float, minimum: int) -> int:
    """ceil(candidates × rate), at least ``minimum``, never more than there are candidates."""
    return min(candidates, max(minimum, math.ceil(candidates * rate - 1e-9)))


def _key(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def check_draw_input(draw_input: DrawInput) -> tuple[Problem, ...]:
    problems = []
    if not 0 < draw_input.rate <= 1:
        problems.append(
            Problem(
                "draw.rate",
                f"抽查比例 {draw_input.rate} 不对，应在 0 到 1 之间，例如 0.2 表示 20%。",
                Severity.ERROR,
                "rate",
            )
        )
    if draw_input.minimum < 0:
        problems.append(Problem("draw.minimum", "最少抽查家数不能为负数。", Severity.ERROR, "minimum"))
    if len(draw_input.inspector_ids) < INSPECTORS_PER_INSTITUTION:
        message = (
            f"检查人员库只有 {len(draw_input.inspector_ids)} 人，每家机构需要随机抽取 "
            f"{INSPECTORS_PER_INSTITUTION} 名检查人员。请先补充检查人员。"
        )
        problems.append(Problem("draw.too_few_inspectors", message, Severity.ERROR, "inspectors"))
    return tuple(problems)


def draw(draw_input: DrawInput) -> DrawResult:
    """Draw the institutions to inspect and a pair of inspectors for each, honouring recusal."""
    problems = list(check_draw_input(draw_input))
    if any(p.severity is Severity.ERROR for p in problems):
        return DrawResult(draw_input, (), tuple(problems))
    d = draw_input
    count = sample_size(len(d.institution_ids), d.rate, d.minimum)
    targets = sorted(d.institution_ids, key=lambda i: _key(d.seed, d.period, d.county_code, i))[:count]
    drawn = []
    for institution_id in sorted(targets, key=lambda i: _key(d.seed, d.period, d.county_code, i)):
        eligible = [person for person in d.inspector_ids if (person, institution_id) not in d.conflicts]
        pair = tuple(
            sorted(eligible, key=lambda p: _key(d.seed, d.period, institution_id, p))[:INSPECTORS_PER_INSTITUTION]
        )
        if len(pair) < INSPECTORS_PER_INSTITUTION:
            problems.append(
                Problem(
                    "draw.recusal_leaves_too_few",
                    f"回避后可抽取的检查人员不足两名，该机构只抽到 {len(pair)} 名，请补充检查人员或由县局指派。",
                    Severity.WARNING,
                    institution_id,
                )
            )
        drawn.append(DrawnInspection(institution_id, pair))
    return DrawResult(draw_input, tuple(drawn), tuple(problems))


def conflicts_from(pairs: Iterable[tuple[object, object]]) -> frozenset[tuple[str, str]]:
    return frozenset((str(inspector), str(institution)) for inspector, institution in pairs)
