"""Subsidy policy files: the bundled Zhangye policy says what the draft says, every mistake an editor
can make is refused with a message naming the rule, and sets of policies never overlap."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from desktop.domain.enums import SponsorType
from desktop.domain.subsidy_policy import (
    AgeCountedOn,
    ConstructionTier,
    MissingAnniversary,
    PartialPeriod,
    PolicyFormatError,
    RectificationRule,
    SlotBasis,
    SubsidyPolicy,
    check_policy_set,
    parse_policy,
    policy_in_force,
)
from desktop.errors import TuoyuError
from desktop.paths import resources_dir

POLICIES = resources_dir() / "policies"
BUNDLED = sorted(POLICIES.glob("*.toml"))
ZHANGYE = POLICIES / "zhangye-2026.toml"
TEXT = ZHANGYE.read_text(encoding="utf-8")


def edited(*changes: tuple[str, str]) -> str:
    text = TEXT
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def refused(text: str) -> PolicyFormatError:
    with pytest.raises(PolicyFormatError) as caught:
        parse_policy(text, source_name="test.toml")
    assert isinstance(caught.value, TuoyuError)
    return caught.value


# --------------------------------------------------------------------------- the bundled policy


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_each_bundled_policy_is_valid_and_named_after_its_file(path: Path) -> None:
    policy = parse_policy(path.read_text(encoding="utf-8"), source_name=path.name)
    assert path.name == f"{policy.name}.toml"


def test_the_bundled_policies_form_a_valid_set() -> None:
    policies = check_policy_set(parse_policy(p.read_text(encoding="utf-8")) for p in BUNDLED)
    assert ZHANGYE.stem in {p.name for p in policies}


def test_zhangye_numbers_are_those_of_the_draft() -> None:
    policy = parse_policy(TEXT)
    assert (policy.city_code, policy.effective_from, policy.effective_to) == ("620700", date(2026, 1, 1), None)
    construction = policy.construction
    assert construction is not None
    assert construction.tiers == (
        ConstructionTier(1, 19, 1_000_000),
        ConstructionTier(20, 49, 2_000_000),
        ConstructionTier(50, 99, 3_000_000),
        ConstructionTier(100, None, 5_000_000),
    )
    assert construction.requires_filed and construction.requires_meets_standard
    operating = policy.operating
    assert operating is not None and operating.amount_per_slot_year_fen == 100_000
    assert operating.requires_filed and operating.requires_puhui
    assert set(operating.eligible_sponsor_types) == {
        SponsorType.SOCIAL, SponsorType.KINDERGARTEN_CLASS, SponsorType.PUBLIC_INSTITUTION_CLASS,
        SponsorType.EMPLOYER_CLASS, SponsorType.COMMUNITY_EMBEDDED,
    }  # fmt: skip
    enrollment = policy.enrollment
    assert enrollment is not None
    assert (enrollment.amount_per_child_month_fen, enrollment.age_limit_months) == (20_000, 36)


def test_zhangye_open_questions_have_their_chosen_defaults() -> None:
    policy = parse_policy(TEXT)
    assert policy.construction and policy.operating and policy.enrollment
    assert policy.construction.slot_basis is SlotBasis.FILED
    assert policy.operating.slot_basis is SlotBasis.FILED
    assert policy.operating.partial_year is PartialPeriod.PRORATE
    assert SponsorType.PUBLIC not in policy.operating.eligible_sponsor_types
    assert policy.enrollment.partial_month is PartialPeriod.PAY_WHOLE
    assert policy.enrollment.age_counted_on is AgeCountedOn.MONTH_START
    assert policy.enrollment.missing_anniversary is MissingAnniversary.FIRST_OF_NEXT_MONTH
    assert (policy.enrollment.requires_filed, policy.enrollment.requires_puhui) == (True, False)
    for scheme in (policy.construction, policy.operating, policy.enrollment):
        assert scheme.overdue_major_rectification is RectificationRule.WARN


def test_zhangye_splits_cover_exactly_the_counties_of_the_region_file() -> None:
    regions = tomllib.loads((resources_dir() / "regions" / "620700.toml").read_text(encoding="utf-8"))
    counties = {c["code"]: c["name"] for c in regions["counties"]}
    policy = parse_policy(TEXT)
    assert {s.county_code: s.county_name for s in policy.cost_splits} == counties
    ganzhou = policy.split_for("620702")
    assert ganzhou is not None and (ganzhou.city_percent, ganzhou.county_percent) == (20, 80)
    for split in policy.cost_splits:
        if split.county_code != "620702":
            assert (split.city_percent, split.county_percent) == (0, 100)


# --------------------------------------------------------------------------- identity


def test_the_fingerprint_ignores_comments_spacing_and_order_but_not_numbers() -> None:
    original = parse_policy(TEXT)
    assert len(original.sha256) == 64
    reformatted = "# 新的说明\n" + TEXT.replace("amount_yuan = 50_000", "amount_yuan   =   50000  # 五万")
    assert parse_policy(reformatted).sha256 == original.sha256
    changed = parse_policy(edited(("amount_yuan = 50_000", "amount_yuan = 60_000")))
    assert changed.sha256 != original.sha256
    assert changed.identity.name == original.identity.name and changed.identity.version == 1
    assert str(original.identity).startswith("zhangye-2026 第1版（")


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse_policy("\ufeff" + TEXT).sha256 == parse_policy(TEXT).sha256


# --------------------------------------------------------------------------- bad files

TOP_TIER = "min_slots = 100\namount_yuan = 50_000\n"
LOW_TIER = "[[construction.tiers]]\nmin_slots = 1\nmax_slots = 19\namount_yuan = 10_000\n"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param([("min_slots = 20", "min_slots = 21")], "档次之间有空档：托位 20 个不属于任何档次", id="gap"),
        pytest.param([("min_slots = 50", "min_slots = 60")], "托位 50–59 个不属于任何档次", id="wide-gap"),
        pytest.param([("max_slots = 49", "max_slots = 55")], "档次重叠：托位 50–55 个同时属于", id="overlap"),
        pytest.param([(LOW_TIER, "")], "缺少最低一档：托位 1–19 个不属于任何档次", id="missing-lowest-tier"),
        pytest.param([(TOP_TIER, TOP_TIER + "max_slots = 200\n")], "缺少最高一档：托位超过 200 个", id="capped-top"),
        pytest.param([("max_slots = 99\n", "")], "“50 个及以上”档没有上限", id="two-open-tiers"),
        pytest.param([("max_slots = 19", "max_slots = 0")], "“最多托位数”（max_slots）应为正整数", id="zero-max"),
        pytest.param(
            [("min_slots = 50\nmax_slots = 99", "min_slots = 99\nmax_slots = 50")],
            "最多托位数 50 小于最少托位数 99",
            id="inverted",
        ),
        pytest.param(
            [("city_percent = 20\ncounty_percent = 80", "city_percent = 20\ncounty_percent = 70")],
            "分担比例之和应为 100%，现在是市级 20% + 县区 70% = 90%",
            id="shares-not-100",
        ),
        pytest.param([("city_percent = 20", "city_percent = 120")], "应为 0 到 100 之间的整数", id="percent-range"),
        pytest.param([('"social", ', '"private", ')], "举办主体“private”不认识；可选 public", id="unknown-sponsor"),
        pytest.param([('"social", ', '"social", "social", ')], "举办主体“social”写了两次", id="sponsor-twice"),
        pytest.param(
            [("amount_per_slot_year_yuan", "amount_per_slot_yuan")],
            "[operating]：有未知字段“amount_per_slot_yuan”。是不是“amount_per_slot_year_yuan”？",
            id="unknown-key",
        ),
        pytest.param(
            [("effective_from", "effective_form")],
            "有未知字段“effective_form”。是不是“effective_from”？",
            id="typo-top",
        ),
        pytest.param(
            [("\nsource =", "\neffective_to = 2025-12-31\nsource =")],
            "失效日期 2025-12-31 早于生效日期",
            id="ends-before-start",
        ),
        pytest.param([("amount_yuan = 10_000", "amount_yuan = 10000.5")], "带引号的金额", id="float-amount"),
        pytest.param([("amount_yuan = 10_000", 'amount_yuan = "10.005"')], "应为正的金额", id="three-decimals"),
        pytest.param([("amount_yuan = 10_000", "amount_yuan = 0")], "应为正的金额", id="zero-amount"),
        pytest.param([("amount_yuan = 10_000", "amount_yuan = 100_000_000")], "大得不合常理", id="huge-amount"),
        pytest.param(
            [('slot_basis = "filed"', 'slot_basis = "planned"')],
            "“托位数口径”（slot_basis）“planned”不认识；可选 filed",
            id="bad-choice",
        ),
        pytest.param(
            [("requires_puhui = false", 'requires_puhui = "no"')],
            "“须为普惠”（requires_puhui）应为true 或 false",
            id="bool-as-text",
        ),
        pytest.param([("age_limit_months = 36\n", "")], "缺少“月龄上限（月）”（age_limit_months）", id="missing-key"),
        pytest.param(
            [('county_code = "620725"', 'county_code = "610102"')],
            "县区代码 610102 不是本市（620700）的县区",
            id="foreign-county",
        ),
        pytest.param(
            [('county_code = "620725"', 'county_code = "620702"')], "县区 620702 的分担比例写了两次", id="county-twice"
        ),
        pytest.param(
            [('county_code = "620725"', "county_code = 620725")],
            "“县区代码”（county_code）应为文字（用英文双引号括起来），现在是 620725",
            id="code-as-number",
        ),
        pytest.param([('city_code = "620700"', 'city_code = "620702"')], "应为地级市的代码", id="county-as-city"),
        pytest.param(
            [("effective_from = 2026-01-01", 'effective_from = "2026-01-01"')],
            "不带引号、不带时间的日期",
            id="quoted-date",
        ),
        pytest.param([('name = "zhangye-2026"', 'name = "张掖2026"')], "只能用小写英文字母", id="bad-name"),
        pytest.param([("version = 1", "version = 0")], "“版本号”（version）应为正整数", id="zero-version"),
        pytest.param([("format = 1", "format = 2")], "第2版格式，本程序只能读取第1版", id="newer-format"),
        pytest.param([('title = "', 'title = "未闭合\n')], "有格式错误", id="syntax"),
    ],
)
def test_a_bad_policy_is_refused_with_a_message_naming_the_rule(changes: list[tuple[str, str]], message: str) -> None:
    error = refused(edited(*changes))
    assert message in error.message, error.message
    assert "test.toml" in error.message


def test_a_policy_without_tiers_splits_or_schemes_is_refused() -> None:
    no_tiers = TEXT.split("[[construction.tiers]]")[0] + "[operating]" + TEXT.split("\n[operating]", 1)[1]
    assert "建设补贴没有任何档次" in refused(no_tiers).message
    no_splits = TEXT.split("[[cost_split]]")[0]
    assert "缺少分担比例" in refused(no_splits).message
    header = TEXT.split("\n[construction]", 1)[0]
    only_splits = header + "\n[[cost_split]]" + TEXT.split("[[cost_split]]", 1)[1]
    assert "政策中没有任何补贴" in refused(only_splits).message
    assert "是空的" in refused("  \n").message


def test_every_mistake_in_a_file_is_listed_at_once() -> None:
    error = refused(
        edited(
            ("min_slots = 20", "min_slots = 21"),
            ('"social", ', '"private", '),
            ("county_percent = 80", "county_percent = 70"),
        )
    )
    assert len(error.problems) == 3
    assert "有3处错误" in error.message


def test_a_scheme_may_be_left_out() -> None:
    start, rest = TEXT.split("\n[enrollment]", 1)
    without = start + "\n[[cost_split]]" + rest.split("[[cost_split]]", 1)[1]
    policy = parse_policy(without)
    assert policy.enrollment is None and policy.operating is not None


def test_an_amount_may_be_written_with_fen() -> None:
    policy = parse_policy(edited(("amount_per_child_month_yuan = 200", 'amount_per_child_month_yuan = "199.99"')))
    assert policy.enrollment is not None and policy.enrollment.amount_per_child_month_fen == 19_999


# --------------------------------------------------------------------------- sets of policies

BASE = parse_policy(TEXT)


def variant(name: str, start: str, end: str | None = None, *, version: int = 1, city: str = "620700") -> SubsidyPolicy:
    return replace(
        BASE, name=name, version=version, city_code=city, effective_from=date.fromisoformat(start),
        effective_to=date.fromisoformat(end) if end else None, sha256=f"{name}-{version}-{start}-{end}",
    )  # fmt: skip


def test_overlapping_policies_of_one_city_are_refused() -> None:
    with pytest.raises(PolicyFormatError, match="生效日期重叠") as caught:
        check_policy_set([variant("a", "2026-01-01"), variant("b", "2026-07-01")])
    assert "“a”（2026-01-01 至 长期）" in caught.value.message
    with pytest.raises(PolicyFormatError, match="生效日期重叠"):
        check_policy_set([variant("a", "2026-01-01", "2026-12-31"), variant("b", "2026-12-31")])


def test_consecutive_periods_and_other_cities_are_fine() -> None:
    policies = check_policy_set(
        [
            variant("b", "2027-01-01"),
            variant("a", "2026-01-01", "2026-12-31"),
            variant("x", "2026-01-01", city="350200"),
        ]
    )
    assert policy_in_force(policies, "620700", date(2026, 12, 31)).name == "a"  # type: ignore[union-attr]
    assert policy_in_force(policies, "620700", date(2027, 1, 1)).name == "b"  # type: ignore[union-attr]
    assert policy_in_force(policies, "350200", date(2030, 1, 1)).name == "x"  # type: ignore[union-attr]
    assert policy_in_force(policies, "620700", date(2025, 12, 31)) is None
    assert policy_in_force(policies, "320100", date(2026, 6, 1)) is None


def test_a_higher_version_replaces_a_lower_one_of_the_same_name() -> None:
    old = variant("a", "2026-01-01")
    new = variant("a", "2026-03-01", version=2)
    policies = check_policy_set([new, old])
    assert policies == (new,)
    assert policy_in_force(policies, "620700", date(2026, 2, 1)) is None


def test_one_version_with_two_contents_is_refused() -> None:
    one = variant("a", "2026-01-01")
    with pytest.raises(PolicyFormatError, match="第1版有两个内容不同的文件"):
        check_policy_set([one, replace(one, sha256="other")])
    assert check_policy_set([one, one]) == (one,)
