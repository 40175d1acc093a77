"""Which roster entry claims a child's enrollment subsidy for a month (一人一月只领一次).

A child is known by its ID number; the same number may appear on several rosters of a county in one
month. The rule, for one ID number:

- already claimed this month by a live application: that claim stands; any other roster entry is a
  conflict (listed, not claimed);
- on one roster once: that entry claims;
- on several entries whose stays in the month follow one another (each ended before the next began):
  the child moved, and the last institution claims once — listed so the clerk sees it;
- on several entries whose stays overlap (two institutions at once, or twice on one roster): a
  conflict, and no entry claims until the clerk corrects the roster; paying either would be a guess.

Pure: the caller gives the entries and the existing claim; messages show the ID number masked.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date

from desktop.domain.identifiers import mask_id_number
from desktop.domain.registry_rules import format_date_cn

__all__ = ["Choice", "ClaimIssue", "ExistingClaim", "RosterEntry", "choose_claimant"]


@dataclass(frozen=True)
class RosterEntry:
    key: Hashable  # the caller's handle on the entry (the child's row id)
    institution: str
    child_name: str
    enrolled_on: date
    left_on: date | None


@dataclass(frozen=True)
class ExistingClaim:
    key: Hashable  # the entry the live claim was made for
    institution: str


@dataclass(frozen=True)
class ClaimIssue:
    """Something the clerk must see: ``kind`` is conflict, transfer, not_added or invalid."""

    kind: str
    id_number_masked: str
    child_names: tuple[str, ...]
    institutions: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Choice:
    claimant: RosterEntry | None
    issue: ClaimIssue | None = None
    already_claimed: int = 0  # entries whose claim already exists


def choose_claimant(id_number: str, entries: Sequence[RosterEntry], existing: ExistingClaim | None) -> Choice:
    masked = mask_id_number(id_number)
    names = tuple(dict.fromkeys(entry.child_name for entry in entries))
    if existing is not None:
        others = [entry for entry in entries if entry.key != existing.key]
        already = len(entries) - len(others)
        if not others:
            return Choice(None, None, already)
        elsewhere = "”“".join(dict.fromkeys(entry.institution for entry in others))
        issue = ClaimIssue(
            "conflict",
            masked,
            names,
            tuple(dict.fromkeys([existing.institution, *(entry.institution for entry in others)])),
            f"身份证号 {masked} 本月已由“{existing.institution}”申领入托补贴；“{elsewhere}”花名册上的同一幼儿未再申领。"
            "请核实幼儿实际在托机构，更正花名册。",
        )
        return Choice(None, issue, already)
    if len(entries) == 1:
        return Choice(entries[0])
    ordered = sorted(entries, key=lambda e: (e.enrolled_on, e.left_on or date.max))
    places = tuple(dict.fromkeys(entry.institution for entry in ordered))
    if all(a.left_on is not None and a.left_on < b.enrolled_on for a, b in itertools.pairwise(ordered)):
        last = ordered[-1]
        moved = (
            f"由“{ordered[0].institution}”转入“{last.institution}”"
            if ordered[0].institution != last.institution
            else f"在“{last.institution}”离托后再次入托"
        )
        message = (
            f"身份证号 {masked} 本月{moved}（{format_date_cn(last.enrolled_on)}入托），由“{last.institution}”申领一次。"
        )
        return Choice(last, ClaimIssue("transfer", masked, names, places, message))
    if len(places) == 1:
        where = f"在“{places[0]}”的花名册上登记了 {len(entries)} 次"
    else:
        where = f"同时在“{'”“'.join(places)}”在托"
    message = (
        f"身份证号 {masked} 本月{where}，在托时间重叠，均未申领。请核实后登记离托日期或更正身份证号，再重新准备本月。"
    )
    return Choice(None, ClaimIssue("conflict", masked, names, places, message))
