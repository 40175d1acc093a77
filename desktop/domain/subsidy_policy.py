"""Subsidy policy files (补贴政策): every number and choice of a city's subsidies, as readable TOML.

Cities pay the same three subsidies with different numbers (Zhangye, Xiamen, Jiangsu), and the Zhangye
draft leaves questions open that the county bureau answers (REFERENCE.md §1.1), so none of it is code:
a policy file holds the construction tiers, the operating and enrollment rates, who is eligible, how
age and partial periods are counted, and who pays which share. A new city or period is a new file.

A file is read strictly, like a checklist template: a typo in a key, a gap between tiers, shares that
do not add up to 100% — each would pay a wrong amount, so each is refused with a Chinese message that
names the rule, and all are listed at once. The caller reads the file; this module takes its text.

    format = 1
    name = "zhangye-2026"          # lower-case ASCII; the file is named after it
    version = 1                    # a corrected file for the same name gets a higher version
    title = "张掖市托育服务补贴"
    city_code = "620700"
    city_name = "张掖市"
    effective_from = 2026-01-01
    effective_to = 2026-12-31      # optional, inclusive; without it the policy runs until replaced
    [construction]                 # each scheme is optional: a city may not pay it
    [[construction.tiers]]         # min_slots..max_slots inclusive; the top tier has no max_slots
    [operating]
    [enrollment]
    [[cost_split]]                 # one per county of the city; city_percent + county_percent = 100

A policy is identified by name, version and the SHA-256 of its content (``fingerprint``): comments and
spacing do not change the fingerprint, any number or choice does. An approved amount records that
identity, so a newer file never changes what an older one produced. In a set of policies the highest
version of each name replaces the lower ones, and two policies of one city may not be in force on the
same day (``check_policy_set``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from desktop.domain.amount_words import format_yuan
from desktop.domain.enums import SponsorType
from desktop.domain.toml_reading import MISSING, TomlReader, as_written, problems_message, toml_syntax_message
from desktop.errors import TuoyuError

__all__ = [
    "FORMAT_VERSION",
    "AgeCountedOn",
    "ConstructionScheme",
    "ConstructionTier",
    "CostSplit",
    "EnrollmentScheme",
    "MissingAnniversary",
    "OperatingScheme",
    "PartialPeriod",
    "PolicyFormatError",
    "PolicyIdentity",
    "RectificationRule",
    "SlotBasis",
    "SubsidyKind",
    "SubsidyPolicy",
    "check_policy_set",
    "parse_policy",
    "policy_in_force",
]

FORMAT_VERSION = 1


class _Choice(StrEnum):
    """A closed choice in a policy file; ``label`` is how the screen and messages name it."""

    @property
    def label(self) -> str:
        return _CHOICE_LABELS[self]


class SubsidyKind(_Choice):
    CONSTRUCTION = "construction"
    OPERATING = "operating"
    ENROLLMENT = "enrollment"


class SlotBasis(_Choice):
    """Which slot count a per-slot amount or a tier is read from (REFERENCE §1.1 question 1)."""

    FILED = "filed"
    ACTUAL = "actual"
    LESSER = "lesser"


class PartialPeriod(_Choice):
    """An incomplete period: a year operated for some months, a month in care for some days (question 4)."""

    PRORATE = "prorate"
    PAY_WHOLE = "pay_whole"
    PAY_NOTHING = "pay_nothing"


class AgeCountedOn(_Choice):
    """The day of the month on which the child's age is compared with the limit."""

    MONTH_START = "month_start"
    MONTH_END = "month_end"


class MissingAnniversary(_Choice):
    """When a birthday does not exist in the month the limit is reached (29 February in a common year)."""

    FIRST_OF_NEXT_MONTH = "first_of_next_month"
    LAST_OF_MONTH = "last_of_month"


class RectificationRule(_Choice):
    """What an overdue major rectification (重大问题整改逾期) does to a subsidy."""

    BLOCK = "block"
    WARN = "warn"
    IGNORE = "ignore"


_CHOICE_LABELS: dict[_Choice, str] = {
    SubsidyKind.CONSTRUCTION: "建设补贴",
    SubsidyKind.OPERATING: "运营补贴",
    SubsidyKind.ENROLLMENT: "入托补贴",
    SlotBasis.FILED: "按备案托位数",
    SlotBasis.ACTUAL: "按实际托位数",
    SlotBasis.LESSER: "按备案与实际托位数中较少者",
    PartialPeriod.PRORATE: "按实际月数（年）或天数（月）折算",
    PartialPeriod.PAY_WHOLE: "不足整期按整期发放",
    PartialPeriod.PAY_NOTHING: "不足整期不发放",
    AgeCountedOn.MONTH_START: "按当月1日的月龄",
    AgeCountedOn.MONTH_END: "按当月最后一天的月龄",
    MissingAnniversary.FIRST_OF_NEXT_MONTH: "次月1日",
    MissingAnniversary.LAST_OF_MONTH: "当月最后一天",
    RectificationRule.BLOCK: "不予补助",
    RectificationRule.WARN: "提示，但不影响补助",
    RectificationRule.IGNORE: "不考虑",
}


# --------------------------------------------------------------------------- the policy


@dataclass(frozen=True)
class ConstructionTier:
    """Slots ``min_slots``..``max_slots`` inclusive (``None``: and above) get ``amount_fen``."""

    min_slots: int
    max_slots: int | None
    amount_fen: int

    def contains(self, slots: int) -> bool:
        return self.min_slots <= slots and (self.max_slots is None or slots <= self.max_slots)

    @property
    def label(self) -> str:
        """``50–99``, ``100 个及以上``, ``19 个及以下``: how the draft names the tier."""
        if self.max_slots is None:
            return f"{self.min_slots} 个及以上"
        if self.min_slots <= 1:
            return f"{self.max_slots} 个及以下"
        return f"{self.min_slots}–{self.max_slots}"


@dataclass(frozen=True)
class ConstructionScheme:
    tiers: tuple[ConstructionTier, ...]  # lowest first, contiguous from 1 upwards
    slot_basis: SlotBasis
    requires_filed: bool
    requires_meets_standard: bool
    overdue_major_rectification: RectificationRule

    def tier_for(self, slots: int) -> ConstructionTier | None:
        return next((tier for tier in self.tiers if tier.contains(slots)), None)


@dataclass(frozen=True)
class OperatingScheme:
    amount_per_slot_year_fen: int
    eligible_sponsor_types: tuple[SponsorType, ...]
    slot_basis: SlotBasis
    partial_year: PartialPeriod
    requires_filed: bool
    requires_puhui: bool
    overdue_major_rectification: RectificationRule


@dataclass(frozen=True)
class EnrollmentScheme:
    amount_per_child_month_fen: int
    age_limit_months: int
    age_counted_on: AgeCountedOn
    missing_anniversary: MissingAnniversary
    partial_month: PartialPeriod
    requires_filed: bool  # the institution the child attends
    requires_puhui: bool
    overdue_major_rectification: RectificationRule


@dataclass(frozen=True)
class CostSplit:
    """分担比例: who pays what share of a county's subsidies, in whole percent."""

    county_code: str
    county_name: str
    city_percent: int
    county_percent: int


@dataclass(frozen=True)
class PolicyIdentity:
    """What an approved amount records about the policy that produced it."""

    name: str
    version: int
    sha256: str

    def __str__(self) -> str:
        return f"{self.name} 第{self.version}版（{self.sha256[:12]}）"


@dataclass(frozen=True)
class SubsidyPolicy:
    name: str
    version: int
    title: str
    city_code: str
    city_name: str
    effective_from: date
    effective_to: date | None
    source: str
    construction: ConstructionScheme | None
    operating: OperatingScheme | None
    enrollment: EnrollmentScheme | None
    cost_splits: tuple[CostSplit, ...]
    sha256: str

    @property
    def identity(self) -> PolicyIdentity:
        return PolicyIdentity(self.name, self.version, self.sha256)

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def split_for(self, county_code: str) -> CostSplit | None:
        return next((split for split in self.cost_splits if split.county_code == county_code), None)

    @property
    def period_text(self) -> str:
        end = self.effective_to.isoformat() if self.effective_to else "长期"
        return f"{self.effective_from.isoformat()} 至 {end}"


class PolicyFormatError(TuoyuError):
    """A policy file or set of policies that cannot be used; ``problems`` lists every mistake found."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems or (message,)


# --------------------------------------------------------------------------- reading

_NAME = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")
_DIVISION = re.compile(r"\d{6}")

# The Chinese name of each key, said next to the key so the editor finds it in the file.
_LABELS = {
    "format": "文件格式版本", "name": "政策编号", "version": "版本号", "title": "名称", "city_code": "城市区划代码",
    "city_name": "城市名称", "effective_from": "生效日期", "effective_to": "失效日期", "source": "依据",
    "construction": "建设补贴", "operating": "运营补贴", "enrollment": "入托补贴", "cost_split": "分担比例",
    "tiers": "建设补贴档次", "min_slots": "最少托位数", "max_slots": "最多托位数", "amount_yuan": "补助金额（元）",
    "slot_basis": "托位数口径", "requires_filed": "须已备案", "requires_meets_standard": "须达到建设标准",
    "requires_puhui": "须为普惠", "overdue_major_rectification": "重大问题整改逾期的处理",
    "amount_per_slot_year_yuan": "每托位每年补助（元）", "eligible_sponsor_types": "可享受的举办主体",
    "partial_year": "不足一年的处理", "amount_per_child_month_yuan": "每生每月补助（元）",
    "age_limit_months": "月龄上限（月）", "age_counted_on": "月龄计算日", "missing_anniversary": "生日不存在时",
    "partial_month": "不足一月的处理", "county_code": "县区代码", "county_name": "县区名称",
    "city_percent": "市级承担比例（%）", "county_percent": "县区承担比例（%）",
}  # fmt: skip
_TOP_KEYS = ("format", "name", "version", "title", "city_code", "city_name", "effective_from", "effective_to",
             "source", "construction", "operating", "enrollment", "cost_split")  # fmt: skip
_CONSTRUCTION_KEYS = ("tiers", "slot_basis", "requires_filed", "requires_meets_standard", "overdue_major_rectification")
_TIER_KEYS = ("min_slots", "max_slots", "amount_yuan")
_OPERATING_KEYS = ("amount_per_slot_year_yuan", "eligible_sponsor_types", "slot_basis", "partial_year",
                   "requires_filed", "requires_puhui", "overdue_major_rectification")  # fmt: skip
_ENROLLMENT_KEYS = ("amount_per_child_month_yuan", "age_limit_months", "age_counted_on", "missing_anniversary",
                    "partial_month", "requires_filed", "requires_puhui", "overdue_major_rectification")  # fmt: skip
_SPLIT_KEYS = ("county_code", "county_name", "city_percent", "county_percent")

# Ten million yuan: far above any subsidy a county pays one institution or child in one go; a larger
# figure in a policy file is a few zeros too many.
_MAX_AMOUNT_FEN = 10_000_000 * 100


def parse_policy(text: str, *, source_name: str = "") -> SubsidyPolicy:
    """The policy written in ``text``; ``source_name`` (the file name) is quoted in messages."""
    return _Reader(text, source_name).read()


def fingerprint(data: dict[str, Any]) -> str:
    """SHA-256 of a parsed policy's content: key order, comments and spacing do not count."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_plain)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _plain(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"unexpected value in a policy: {value!r}")


class _Reader(TomlReader):
    labels = _LABELS

    def __init__(self, text: str, source_name: str) -> None:
        super().__init__(text, f"补贴政策文件“{source_name}”" if source_name else "补贴政策文件")

    def read(self) -> SubsidyPolicy:
        if not self.text.strip():
            raise PolicyFormatError(f"{self.file}是空的。请选择正确的补贴政策文件（.toml）。")
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            raise PolicyFormatError(f"{self.file}{toml_syntax_message(str(exc), self.text)}") from None
        fmt = data.get("format", MISSING)
        if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT_VERSION:
            # Refuse a newer file outright: guessing at keys we do not know could drop a rule.
            raise PolicyFormatError(
                f"{self.file}是第{fmt}版格式，本程序只能读取第{FORMAT_VERSION}版。请升级托育监管桌面版后再使用。"
            )
        policy = self.policy(data)
        if self.problems:
            raise PolicyFormatError(problems_message(self.file, self.problems), tuple(self.problems))
        assert policy is not None
        return policy

    def policy(self, data: dict[str, Any]) -> SubsidyPolicy | None:
        where = "文件开头"
        self.unknown_keys(data, _TOP_KEYS, where)
        fmt = self.field(data, "format", where, int)
        if fmt is not None and fmt < 1:
            self.fail(f"{where}：“文件格式版本”（format）应为 {FORMAT_VERSION}。")
        name = self.field(data, "name", where, str)
        if name is not None and not _NAME.fullmatch(name):
            self.fail(f"{where}：“政策编号”（name）“{name}”只能用小写英文字母、数字和 . _ -，如 zhangye-2026。")
        version = self.positive(data, "version", where)
        title = self.text_field(data, "title", where)
        city_code = self.division(data, "city_code", where)
        if city_code is not None and not city_code.endswith("00"):
            self.fail(f"{where}：“城市区划代码”（city_code）应为地级市的代码（以 00 结尾），如张掖市 620700。")
        city_name = self.text_field(data, "city_name", where)
        start = self.day(data, "effective_from", where)
        end = self.day(data, "effective_to", where, required=False)
        if start is not None and end is not None and end < start:
            self.fail(
                f"{where}：失效日期 {end.isoformat()} 早于生效日期 {start.isoformat()}。"
                "失效日期（effective_to）是政策最后有效的一天，应不早于生效日期。"
            )
        source = self.field(data, "source", where, str, default="")
        construction = self.section(data, "construction", self.construction)
        operating = self.section(data, "operating", self.operating)
        enrollment = self.section(data, "enrollment", self.enrollment)
        if not any(key in data for key in ("construction", "operating", "enrollment")):
            self.fail("政策中没有任何补贴：请至少写一个 [construction]、[operating] 或 [enrollment]。")
        splits = self.cost_splits(data.get("cost_split", MISSING), city_code)
        if self.problems:
            return None
        return SubsidyPolicy(
            name=name, version=version, title=title, city_code=city_code, city_name=city_name,
            effective_from=start, effective_to=end, source=source, construction=construction,
            operating=operating, enrollment=enrollment, cost_splits=splits, sha256=fingerprint(data),
        )  # fmt: skip

    # ----------------------------------------------------------------------- schemes

    def section(self, data: dict[str, Any], key: str, read: Any) -> Any:
        value = data.get(key, MISSING)
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.fail(f"“{_LABELS[key]}”应写成一个 [{key}] 表，现在是 {as_written(value)}。")
            return None
        return read(value, f"[{key}]")

    def construction(self, table: dict[str, Any], where: str) -> ConstructionScheme | None:
        self.unknown_keys(table, _CONSTRUCTION_KEYS, where)
        tiers = self.tiers(table.get("tiers", MISSING))
        values = (
            tiers,
            self.choice(table, "slot_basis", where, SlotBasis),
            self.field(table, "requires_filed", where, bool),
            self.field(table, "requires_meets_standard", where, bool),
            self.choice(table, "overdue_major_rectification", where, RectificationRule),
        )
        return None if any(v is None for v in values) else ConstructionScheme(*values)

    def tiers(self, value: Any) -> tuple[ConstructionTier, ...] | None:
        if value is MISSING or (isinstance(value, list) and not value):
            self.fail("建设补贴没有任何档次：请按托位数写出各档，每档一个 [[construction.tiers]]。")
            return None
        if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
            self.fail(f"建设补贴档次（tiers）应写成一个个 [[construction.tiers]] 表，现在是 {as_written(value)}。")
            return None
        tiers: list[ConstructionTier] = []
        for n, table in enumerate(value, 1):
            where = f"第{n}个建设补贴档次 [[construction.tiers]]"
            self.unknown_keys(table, _TIER_KEYS, where)
            low = self.positive(table, "min_slots", where)
            high = self.positive(table, "max_slots", where, required=False)
            amount = self.money(table, "amount_yuan", where)
            if low is not None and high is not None and high < low:
                self.fail(f"{where}：最多托位数 {high} 小于最少托位数 {low}。")
            elif low is not None and amount is not None:
                tiers.append(ConstructionTier(low, high, amount))
        if len(tiers) != len(value):
            return None
        tiers.sort(key=lambda tier: tier.min_slots)
        return tuple(tiers) if self.tiers_cover_all_counts(tiers) else None

    def tiers_cover_all_counts(self, tiers: list[ConstructionTier]) -> bool:
        """Every slot count from 1 upwards falls in exactly one tier (edges are inclusive)."""
        ok = True
        hint = "各档的 min_slots 和 max_slots 都包含在本档内，下一档的 min_slots 应为上一档的 max_slots + 1。"
        if tiers[0].min_slots != 1:
            self.fail(
                f"建设补贴缺少最低一档：托位 {_count_range(1, tiers[0].min_slots - 1)} 个不属于任何档次。"
                "最低一档的 min_slots 应为 1。"
            )
            ok = False
        for lower, upper in itertools.pairwise(tiers):
            if lower.max_slots is None:
                self.fail(
                    f"建设补贴档次重叠：“{lower.label}”档没有上限，与“{upper.label}”档重叠。"
                    "只有最高一档可以不写 max_slots。"
                )
                ok = False
            elif upper.min_slots <= lower.max_slots:
                both = _count_range(upper.min_slots, min(lower.max_slots, upper.max_slots or lower.max_slots))
                self.fail(f"建设补贴档次重叠：托位 {both} 个同时属于“{lower.label}”档和“{upper.label}”档。{hint}")
                ok = False
            elif upper.min_slots > lower.max_slots + 1:
                gap = _count_range(lower.max_slots + 1, upper.min_slots - 1)
                self.fail(
                    f"建设补贴档次之间有空档：托位 {gap} 个不属于任何档次"
                    f"（“{lower.label}”档与“{upper.label}”档之间）。{hint}"
                )
                ok = False
        top = tiers[-1]
        if top.max_slots is not None:
            self.fail(
                f"建设补贴缺少最高一档：托位超过 {top.max_slots} 个不属于任何档次。"
                "最高一档请不写 max_slots，表示“及以上”。"
            )
            ok = False
        return ok

    def operating(self, table: dict[str, Any], where: str) -> OperatingScheme | None:
        self.unknown_keys(table, _OPERATING_KEYS, where)
        values = (
            self.money(table, "amount_per_slot_year_yuan", where),
            self.sponsor_types(table.get("eligible_sponsor_types", MISSING), where),
            self.choice(table, "slot_basis", where, SlotBasis),
            self.choice(table, "partial_year", where, PartialPeriod),
            self.field(table, "requires_filed", where, bool),
            self.field(table, "requires_puhui", where, bool),
            self.choice(table, "overdue_major_rectification", where, RectificationRule),
        )
        return None if any(v is None for v in values) else OperatingScheme(*values)

    def sponsor_types(self, value: Any, where: str) -> tuple[SponsorType, ...] | None:
        key = "eligible_sponsor_types"
        if value is MISSING or not isinstance(value, list):
            self.fail(
                f'{where}：“可享受的举办主体”（{key}）应列出举办主体，如 {key} = ["social"]；可选 {_sponsors()}。'
            )
            return None
        types: list[SponsorType] = []
        for entry in value:
            if not isinstance(entry, str) or entry not in set(SponsorType):
                self.fail(f"{where}：举办主体“{entry}”不认识；可选 {_sponsors()}。")
            elif entry in types:
                self.fail(f"{where}：举办主体“{entry}”写了两次。")
            else:
                types.append(SponsorType(entry))
        return tuple(types) if len(types) == len(value) else None

    def enrollment(self, table: dict[str, Any], where: str) -> EnrollmentScheme | None:
        self.unknown_keys(table, _ENROLLMENT_KEYS, where)
        values = (
            self.money(table, "amount_per_child_month_yuan", where),
            self.positive(table, "age_limit_months", where),
            self.choice(table, "age_counted_on", where, AgeCountedOn),
            self.choice(table, "missing_anniversary", where, MissingAnniversary),
            self.choice(table, "partial_month", where, PartialPeriod),
            self.field(table, "requires_filed", where, bool),
            self.field(table, "requires_puhui", where, bool),
            self.choice(table, "overdue_major_rectification", where, RectificationRule),
        )
        return None if any(v is None for v in values) else EnrollmentScheme(*values)

    def cost_splits(self, value: Any, city_code: str | None) -> tuple[CostSplit, ...]:
        if value is MISSING or (isinstance(value, list) and not value):
            self.fail("缺少分担比例：请为每个县区写一个 [[cost_split]]，写明市级和县区承担的百分比。")
            return ()
        if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
            self.fail(f"分担比例（cost_split）应写成一个个 [[cost_split]] 表，现在是 {as_written(value)}。")
            return ()
        splits: list[CostSplit] = []
        seen: dict[str, str] = {}
        for n, table in enumerate(value, 1):
            where = f"第{n}个分担比例 [[cost_split]]"
            self.unknown_keys(table, _SPLIT_KEYS, where)
            code = self.division(table, "county_code", where)
            name = self.text_field(table, "county_name", where)
            if code is not None:
                where += f"（{code} {name or ''}）".replace(" ）", "）")
            city = self.percent(table, "city_percent", where)
            county = self.percent(table, "county_percent", where)
            if code is not None and city_code is not None and (code[:4] != city_code[:4] or code == city_code):
                self.fail(f"{where}：县区代码 {code} 不是本市（{city_code}）的县区。")
                code = None
            if code is not None and code in seen:
                self.fail(f"县区 {code} 的分担比例写了两次：{seen[code]}和{where}。每个县区只能写一次。")
                continue
            if city is not None and county is not None and city + county != 100:
                self.fail(
                    f"{where}：分担比例之和应为 100%，现在是市级 {city}% + 县区 {county}% = {city + county}%。"
                    "请改正，使两者相加为 100。"
                )
                continue
            if code is not None:
                seen[code] = where
            if None not in (code, name, city, county):
                splits.append(CostSplit(code, name, city, county))
        return tuple(splits)

    # ----------------------------------------------------------------------- single keys

    def percent(self, table: dict[str, Any], key: str, where: str) -> int | None:
        value = self.field(table, key, where, int)
        if value is not None and not 0 <= value <= 100:
            self.fail(f"{where}：{self.label(key)}应为 0 到 100 之间的整数，现在是 {value}。")
            return None
        return value

    def division(self, table: dict[str, Any], key: str, where: str) -> str | None:
        value = self.field(table, key, where, str)
        if value is not None and not _DIVISION.fullmatch(value):
            self.fail(f"{where}：{self.label(key)}应为 6 位数字的行政区划代码（用英文双引号括起来），如 “620702”。")
            return None
        return value

    def day(self, table: dict[str, Any], key: str, where: str, *, required: bool = True) -> date | None:
        value = table.get(key, MISSING)
        label = self.label(key)
        if value is MISSING:
            if required:
                self.fail(f"{where}：缺少{label}，请补上，如 {key} = 2026-01-01。")
            return None
        if not isinstance(value, date) or isinstance(value, datetime):
            self.fail(f"{where}：{label}应写成不带引号、不带时间的日期，如 2026-01-01，现在是 {as_written(value)}。")
            return None
        return value

    def money(self, table: dict[str, Any], key: str, where: str) -> int | None:
        """A positive amount in yuan (an integer, or a quoted amount with at most two decimals) as fen."""
        value = table.get(key, MISSING)
        label = self.label(key)
        shape = f'应为正的金额（元）：写整数如 {key} = 1000，或带引号的金额如 {key} = "12.50"'
        if value is MISSING:
            self.fail(f"{where}：缺少{label}，请补上，如 {key} = 1000。")
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            # A float (12.5) is refused: binary fractions cannot hold every amount in fen exactly.
            self.fail(f"{where}：{label}{shape}，现在是 {as_written(value)}。")
            return None
        try:
            yuan = Decimal(value)
        except InvalidOperation:
            yuan = None
        if yuan is None or not yuan.is_finite() or yuan <= 0 or yuan != yuan.quantize(Decimal("0.01")):
            self.fail(f"{where}：{label}{shape}，现在是 {as_written(value)}。")
            return None
        fen = int(yuan * 100)
        if fen > _MAX_AMOUNT_FEN:
            self.fail(f"{where}：{label} {format_yuan(fen)} 元大得不合常理，请检查是否多写了零。")
            return None
        return fen

    def choice(self, table: dict[str, Any], key: str, where: str, kind: type[_Choice]) -> Any:
        value = self.field(table, key, where, str)
        if value is None:
            return None
        if value not in set(kind):
            allowed = "、".join(f"{c.value}（{c.label}）" for c in kind)
            self.fail(f"{where}：{self.label(key)}“{value}”不认识；可选 {allowed}。")
            return None
        return kind(value)


def _count_range(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def _sponsors() -> str:
    return "、".join(f"{s.value}（{s.label}）" for s in SponsorType)


# --------------------------------------------------------------------------- sets of policies


def check_policy_set(policies: Iterable[SubsidyPolicy]) -> tuple[SubsidyPolicy, ...]:
    """The policies that count: the highest version of each name, ordered by city and start date.

    Refused with every problem listed: one name and version with two different contents (which one
    produced an amount could not be told), and two policies of one city in force on the same day.
    """
    problems: list[str] = []
    latest: dict[str, SubsidyPolicy] = {}
    seen: dict[tuple[str, int], SubsidyPolicy] = {}
    for policy in policies:
        key = (policy.name, policy.version)
        if key in seen and seen[key].sha256 != policy.sha256:
            problems.append(
                f"政策“{policy.name}”第{policy.version}版有两个内容不同的文件。同一版本的政策一经使用不能修改："
                "请给修改后的文件一个更高的版本号（version）。"
            )
            continue
        seen[key] = policy
        if policy.name not in latest or latest[policy.name].version < policy.version:
            latest[policy.name] = policy
    current = sorted(latest.values(), key=lambda p: (p.city_code, p.effective_from, p.name))
    for n, first in enumerate(current):
        for second in current[n + 1 :]:
            if first.city_code == second.city_code and _overlap(first, second):
                problems.append(
                    f"{first.city_name}的补贴政策“{first.name}”（{first.period_text}）与“{second.name}”"
                    f"（{second.period_text}）生效日期重叠：同一城市同一天只能有一个补贴政策生效。"
                    f"请给较早的政策写上失效日期（effective_to），或调整较晚政策的生效日期。"
                )
    if problems:
        raise PolicyFormatError(problems_message("补贴政策", problems), tuple(problems))
    return tuple(current)


def _overlap(a: SubsidyPolicy, b: SubsidyPolicy) -> bool:
    a_end, b_end = a.effective_to or date.max, b.effective_to or date.max
    return a.effective_from <= b_end and b.effective_from <= a_end


def policy_in_force(policies: Iterable[SubsidyPolicy], city_code: str, day: date) -> SubsidyPolicy | None:
    """The city's policy in force on ``day`` among checked policies (``check_policy_set``), if any."""
    return next((p for p in policies if p.city_code == city_code and p.in_force_on(day)), None)
