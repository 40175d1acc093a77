"""One child, one claim a month: which roster entry claims, and what the clerk is told."""

from __future__ import annotations

from datetime import date

from desktop.domain.claim_conflicts import ExistingClaim, RosterEntry, choose_claimant
from desktop.domain.identifiers import make_id_number

D = date.fromisoformat
ID = make_id_number("620702", D("2024-06-15"), 123)
MASKED = "620702********" + ID[-4:]


def entry(key: str, institution: str, enrolled: str = "2025-09-01", left: str | None = None) -> RosterEntry:
    return RosterEntry(key, institution, "王小明", D(enrolled), D(left) if left else None)


def test_one_entry_claims():
    only = entry("a", "阳光")
    assert choose_claimant(ID, [only], None).claimant == only


def test_an_existing_claim_stands_and_another_roster_is_a_conflict():
    choice = choose_claimant(ID, [entry("a", "阳光"), entry("b", "小星星")], ExistingClaim("a", "阳光"))
    assert choice.claimant is None and choice.already_claimed == 1
    assert choice.issue.kind == "conflict" and choice.issue.institutions == ("阳光", "小星星")
    assert f"身份证号 {MASKED} 本月已由“阳光”申领" in choice.issue.message and ID not in choice.issue.message


def test_the_same_entry_already_claimed_is_no_issue():
    choice = choose_claimant(ID, [entry("a", "阳光")], ExistingClaim("a", "阳光"))
    assert (choice.claimant, choice.issue, choice.already_claimed) == (None, None, 1)


def test_overlapping_stays_claim_nothing():
    choice = choose_claimant(ID, [entry("a", "阳光"), entry("b", "小星星", "2026-11-05")], None)
    assert choice.claimant is None
    assert "同时在“阳光”“小星星”在托，在托时间重叠，均未申领" in choice.issue.message


def test_twice_on_one_roster_is_named_so():
    choice = choose_claimant(ID, [entry("a", "阳光"), entry("b", "阳光")], None)
    assert choice.claimant is None and "在“阳光”的花名册上登记了 2 次" in choice.issue.message


def test_a_move_during_the_month_is_claimed_by_the_new_institution():
    later = entry("b", "小星星", "2026-11-16")
    choice = choose_claimant(ID, [later, entry("a", "阳光", left="2026-11-10")], None)
    assert choice.claimant == later and choice.issue.kind == "transfer"
    assert "由“阳光”转入“小星星”（2026年11月16日入托），由“小星星”申领一次" in choice.issue.message


def test_leaving_and_coming_back_to_the_same_institution_is_one_claim():
    back = entry("b", "阳光", "2026-11-20")
    choice = choose_claimant(ID, [entry("a", "阳光", left="2026-11-05"), back], None)
    assert choice.claimant == back and "在“阳光”离托后再次入托" in choice.issue.message


def test_leaving_on_the_day_the_other_stay_begins_is_an_overlap():
    choice = choose_claimant(ID, [entry("a", "阳光", left="2026-11-10"), entry("b", "小星星", "2026-11-10")], None)
    assert choice.claimant is None and choice.issue.kind == "conflict"
