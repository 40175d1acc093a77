"""发放花名册 and the annual summary as plain data: what was (or is ready to be) paid, and who pays it.

Filled by ``desktop.services.payment_rosters``, shown by the 补贴 screen, written to Excel by
``desktop.excel.payment_roster_workbooks`` and printed by the printing issue — so it lives here,
where all of them may import it. Totals are sums of whole applications: each application's shares
already add up to its amount (the city's share rounded down, the county paying the rest), so the
per-payer totals add up to the roster's total to the fen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from desktop.domain.amount_words import amount_words
from desktop.domain.enums import ApplicationStatus, SubsidyScheme

__all__ = ["AnnualSummary", "ChildLine", "PaymentRoster", "RosterLine", "SummaryRow"]

CITY_PAYER = "市级"


@dataclass(frozen=True)
class ChildLine:
    """One child-month of an enrollment application (ID number masked)."""

    name: str
    id_number_masked: str
    amount_fen: int


@dataclass(frozen=True)
class RosterLine:
    application_id: str
    institution: str
    county_code: str
    county_name: str
    period: str
    status: ApplicationStatus  # approved (ready to pay) or paid
    paid_on: date | None
    amount_fen: int
    city_share_fen: int
    county_share_fen: int
    children: tuple[ChildLine, ...] = ()

    @property
    def status_text(self) -> str:
        return "已发放" if self.status is ApplicationStatus.PAID else "待发放"


def _sum(values: Iterable[int]) -> int:
    return sum(values, 0)


@dataclass(frozen=True)
class PaymentRoster:
    scheme: SubsidyScheme
    month: str  # "2026-11"
    county_name: str  # "" for every county
    lines: tuple[RosterLine, ...]

    @property
    def title(self) -> str:
        year, month = self.month.split("-")
        where = f"（{self.county_name}）" if self.county_name else ""
        return f"{self.scheme.label}发放花名册　{int(year)}年{int(month)}月{where}"

    @property
    def total_fen(self) -> int:
        return _sum(line.amount_fen for line in self.lines)

    @property
    def city_fen(self) -> int:
        return _sum(line.city_share_fen for line in self.lines)

    @property
    def county_fen(self) -> int:
        return _sum(line.county_share_fen for line in self.lines)

    @property
    def children(self) -> int:
        return _sum(len(line.children) for line in self.lines)

    @property
    def total_words(self) -> str:
        return amount_words(self.total_fen)

    def payer_totals(self) -> list[tuple[str, int]]:
        """(payer, fen): the city first, then each county in the order its lines come."""
        counties: dict[str, int] = {}
        for line in self.lines:
            counties[line.county_name] = counties.get(line.county_name, 0) + line.county_share_fen
        return [(CITY_PAYER, self.city_fen), *counties.items()]


@dataclass(frozen=True)
class SummaryRow:
    county_code: str
    county_name: str
    scheme: SubsidyScheme
    count: int
    amount_fen: int
    city_share_fen: int
    county_share_fen: int


@dataclass(frozen=True)
class AnnualSummary:
    """Subsidies paid in a year (by payment date), per county and scheme."""

    year: int
    county_name: str  # "" for every county
    rows: tuple[SummaryRow, ...]

    @property
    def title(self) -> str:
        where = f"（{self.county_name}）" if self.county_name else ""
        return f"{self.year}年托育补贴发放汇总{where}"

    @property
    def count(self) -> int:
        return _sum(row.count for row in self.rows)

    @property
    def total_fen(self) -> int:
        return _sum(row.amount_fen for row in self.rows)

    @property
    def city_fen(self) -> int:
        return _sum(row.city_share_fen for row in self.rows)

    @property
    def county_fen(self) -> int:
        return _sum(row.county_share_fen for row in self.rows)

    @property
    def total_words(self) -> str:
        return amount_words(self.total_fen)

    def by_scheme(self) -> list[SummaryRow]:
        """One row per scheme over all counties (county fields empty)."""
        totals: dict[SubsidyScheme, list[int]] = {}
        for row in self.rows:
            figures = totals.setdefault(row.scheme, [0, 0, 0, 0])
            for i, value in enumerate((row.count, row.amount_fen, row.city_share_fen, row.county_share_fen)):
                figures[i] += value
        return [SummaryRow("", "", scheme, *figures) for scheme, figures in totals.items()]
