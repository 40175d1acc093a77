"""Checklist template files (检查表模板): a TOML text format, read and written without any I/O.

A template file is what the city issues and a county imports, so it is read strictly: every
mistake a person can make while editing one (a typo in a field name, an item in an area that does
not exist, two items with one code) is reported in Chinese with the file, line and item, and all
such mistakes are listed at once so the editor fixes them in one pass. The caller reads the file.

    format = 1                    # version of this file format, not of the template
    code = "zhangye-safety"       # code and version: lower-case ASCII, as in the file name
    version = "2026.1"
    title = "张掖市托育机构安全检查表"
    kinds = ["quarterly_spot_check", "semiannual_inspection"]
    effective_from = 2026-01-01
    source = "依据……整理"          # optional
    [rectification_working_days]  # every severity, each ≥ 1
    critical = 5
    major = 10
    minor = 20
    [[areas]]                     # code, title
    code = "fire"
    title = "消防安全"
    [[items]]                     # code, area, text, rule, severity (critical | major | minor)
    code = "fire.extinguishers"   # optional: veto = false, mandatory = true (a veto item must be
    area = "fire"                 # mandatory), points = 10 (on every item or on none)
    text = "每50平方米配置灭火器……"
    rule = "《托育机构消防安全指南（试行）》"
    severity = "major"

``template_fingerprint`` hashes the template's content, not its layout, so comments and spacing
never change it while any change to a code, text, rule or number does.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from datetime import date, datetime
from typing import Any

from desktop.domain.checklists import ChecklistArea, ChecklistItem, ChecklistTemplate
from desktop.domain.enums import InspectionKind, ItemSeverity
from desktop.domain.toml_reading import MISSING, TomlReader, as_written, problems_message, toml_syntax_message
from desktop.errors import TuoyuError

__all__ = ["FORMAT_VERSION", "TemplateFormatError", "dump_template", "parse_template", "template_fingerprint"]

FORMAT_VERSION = 1

# Codes end up in the database, in file names and in bundles: plain lower-case ASCII keeps them
# identical on every machine and keyboard.
_CODE = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")
_VERSION = re.compile(r"[0-9A-Za-z]+(?:[._-][0-9A-Za-z]+)*")
_CODE_HINT = "只能用小写英文字母、数字和 . _ -，如 fire.extinguishers"

# The Chinese name of each field, said next to the key so the editor finds it in the file.
_LABELS = {
    "format": "文件格式版本", "code": "编号", "version": "版本号", "title": "名称", "kinds": "适用检查类型",
    "effective_from": "生效日期", "source": "来源说明", "rectification_working_days": "整改期限（工作日）",
    "areas": "检查区域", "items": "检查项", "area": "所属区域", "text": "检查内容", "rule": "依据",
    "severity": "严重程度", "veto": "一票否决", "mandatory": "必答", "points": "分值",
}  # fmt: skip
_TOP_FIELDS = ("format", "code", "version", "title", "kinds", "effective_from", "source",
               "rectification_working_days", "areas", "items")  # fmt: skip
_AREA_FIELDS = ("code", "title")
_ITEM_FIELDS = ("code", "area", "text", "rule", "severity", "veto", "mandatory", "points")


class TemplateFormatError(TuoyuError):
    """A template file that cannot be used; ``problems`` lists every mistake found, one per entry."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems or (message,)


# --------------------------------------------------------------------------- reading


def parse_template(text: str, *, source_name: str = "") -> ChecklistTemplate:
    """The template written in ``text``; ``source_name`` (the file name) is quoted in messages."""
    return _Reader(text, source_name).read()


class _Reader(TomlReader):
    labels = _LABELS

    def __init__(self, text: str, source_name: str) -> None:
        super().__init__(text, f"检查表模板“{source_name}”" if source_name else "检查表模板")

    def read(self) -> ChecklistTemplate:
        empty = f"{self.file}是空的，没有任何内容。请选择正确的检查表模板文件（.toml）。"
        if not self.text.strip():
            raise TemplateFormatError(empty)
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            raise TemplateFormatError(f"{self.file}{toml_syntax_message(str(exc), self.text)}") from None
        if not data:  # only comments
            raise TemplateFormatError(empty)
        fmt = data.get("format", MISSING)
        if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT_VERSION:
            # Refuse a newer file outright: guessing at fields we do not know could drop a rule.
            raise TemplateFormatError(
                f"{self.file}是第{fmt}版格式，本程序只能读取第{FORMAT_VERSION}版及以前的格式。请升级托育监管桌面版后再导入。"
            )
        template = self.template(data)
        if self.problems:
            raise TemplateFormatError(problems_message(self.file, self.problems), tuple(self.problems))
        assert template is not None
        return template

    def template(self, data: dict[str, Any]) -> ChecklistTemplate | None:
        where = "模板开头"
        self.unknown_keys(data, _TOP_FIELDS, where)
        fmt = self.field(data, "format", where, int)
        if fmt is not None and fmt < 1:
            self.fail(f"{where}：“文件格式版本”（format）应为 {FORMAT_VERSION}。")
        code = self.code(data, where, _CODE, _CODE_HINT)
        version = self.code(data, where, _VERSION, "只能用英文字母、数字和 . _ -，如 2026.1", key="version")
        title = self.text_field(data, "title", where)
        kinds = self.kinds(data.get("kinds", MISSING), where)
        effective_from = self.effective_from(data.get("effective_from", MISSING), where)
        source = self.field(data, "source", where, str, default="")
        days = self.working_days(data.get("rectification_working_days", MISSING))
        areas = self.areas(data.get("areas", MISSING))
        items = self.items(data.get("items", MISSING), areas)
        if self.problems:
            return None
        return ChecklistTemplate(
            code=code, version=version, title=title, kinds=kinds, effective_from=effective_from,
            areas=tuple(area for area, _ in areas), items=items, rectification_working_days=days, source=source,
        )  # fmt: skip

    # ----------------------------------------------------------------------- single fields

    def code(self, table: dict[str, Any], where: str, pattern: re.Pattern[str], hint: str, key: str = "code") -> Any:
        value = self.field(table, key, where, str)
        if value is not None and not pattern.fullmatch(value):
            self.fail(f"{where}：{self.label(key)}“{value}”写法不对，{hint}。")
            return None
        return value

    def kinds(self, value: Any, where: str) -> tuple[InspectionKind, ...] | None:
        allowed = "、".join(f"{k.value}（{k.label}）" for k in InspectionKind)
        if value is MISSING or not isinstance(value, list) or not value:
            self.fail(f'{where}：“适用检查类型”（kinds）应列出至少一种检查类型，如 kinds = ["semiannual_inspection"]。')
            return None
        kinds: list[InspectionKind] = []
        for entry in value:
            if not isinstance(entry, str) or entry not in set(InspectionKind):
                self.fail(f"{where}：检查类型“{entry}”不认识；可选 {allowed}。")
            elif entry in kinds:
                self.fail(f"{where}：检查类型“{entry}”写了两次。")
            else:
                kinds.append(InspectionKind(entry))
        return tuple(kinds)

    def effective_from(self, value: Any, where: str) -> date | None:
        if value is MISSING:
            self.fail(f"{where}：缺少“生效日期”（effective_from），请补上，如 effective_from = 2026-01-01。")
        elif not isinstance(value, date) or isinstance(value, datetime):
            shown = as_written(value)
            self.fail(
                f"{where}：“生效日期”（effective_from）应写成不带引号、不带时间的日期，如 2026-01-01，现在是 {shown}。"
            )
        else:
            return value
        return None

    def working_days(self, value: Any) -> dict[ItemSeverity, int]:
        where = "整改期限表 [rectification_working_days]"
        if value is MISSING or not isinstance(value, dict):
            self.fail(f"缺少整改期限表 [rectification_working_days]，请为{_severities()}各写一个工作日数。")
            return {}
        days: dict[ItemSeverity, int] = {}
        for key, number in value.items():
            if key not in set(ItemSeverity):
                self.fail(f"{where}：严重程度“{key}”不认识；可选 {_severities()}。")
            elif not isinstance(number, int) or isinstance(number, bool) or number < 1:
                label = f"“{ItemSeverity(key).label}”（{key}）"
                self.fail(f"{where}：{label}的整改期限应为不小于1的整数（工作日），现在是 {as_written(number)}。")
            else:
                days[ItemSeverity(key)] = number
        for severity in ItemSeverity:
            if (key := severity.value) not in value:
                self.fail(f"{where}：缺少“{severity.label}”（{key}）问题的整改期限，请补上，如 {key} = 10。")
        # Stored in one order so two equal templates also print the same way.
        return {s: days[s] for s in _SEVERITY_ORDER if s in days}

    # ----------------------------------------------------------------------- areas and items

    def tables(self, value: Any, key: str) -> list[tuple[dict[str, Any], str]]:
        """The entries of an array of tables, each with how a message names its position."""
        label = _LABELS[key]
        if value is MISSING or (isinstance(value, list) and not value):
            self.fail(f"模板中没有任何{label}，请至少写一个 [[{key}]]。")
            return []
        if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
            self.fail(f"“{label}”（{key}）应写成一个个 [[{key}]] 表，现在是 {as_written(value)}。")
            return []
        lines = _header_lines(self.text, key, len(value))
        return [
            (entry, f"第{n}个{label}" + (f"“{entry['code']}”" if isinstance(entry.get("code"), str) else "")
             + (f"（第{lines[n - 1]}行）" if lines else ""))
            for n, entry in enumerate(value, 1)
        ]  # fmt: skip

    def areas(self, value: Any) -> list[tuple[ChecklistArea, str]]:
        areas: list[tuple[ChecklistArea, str]] = []
        seen: dict[str, str] = {}
        for table, where in self.tables(value, "areas"):
            self.unknown_keys(table, _AREA_FIELDS, where)
            code = self.code(table, where, _CODE, "只能用小写英文字母、数字和 . _ -，如 fire")
            title = self.text_field(table, "title", where)
            if code is not None and code in seen:
                self.fail(f"检查区域编号“{code}”重复：{seen[code]}和{where}都用了这个编号，请改掉其中一个。")
            elif code is not None and title is not None:
                seen[code] = where
                areas.append((ChecklistArea(code=code, title=title), where))
        return areas

    def items(self, value: Any, areas: list[tuple[ChecklistArea, str]]) -> tuple[ChecklistItem, ...]:
        known = {area.code for area, _ in areas}
        items: list[ChecklistItem] = []
        seen: dict[str, str] = {}
        scored = unscored = ""  # the first item with points and the first without
        for table, where in self.tables(value, "items"):
            self.unknown_keys(table, _ITEM_FIELDS, where)
            code = self.code(table, where, _CODE, _CODE_HINT)
            area = self.field(table, "area", where, str)
            text = self.text_field(table, "text", where)
            rule = self.text_field(table, "rule", where)
            severity = self.severity(table, where)
            veto = self.field(table, "veto", where, bool, default=False)
            mandatory = self.field(table, "mandatory", where, bool, default=True)
            points = self.field(table, "points", where, int, default=None)
            if area is not None and area not in known and known:
                self.fail(f"{where}：所属区域“{area}”没有定义；已定义的区域有 {'、'.join(sorted(known))}。")
                area = None
            if veto and mandatory is False:
                self.fail(f"{where}：一票否决项必须是必答项，请删去 mandatory = false 或取消一票否决。")
            # Not ``self.positive``: this problem is listed after the area's and the veto's, as it always was.
            if points is not None and points < 1:
                self.fail(f"{where}：“分值”（points）应为正整数，现在是 {points}。")
            if "points" in table:
                scored = scored or where
            else:
                unscored = unscored or where
            if code is not None and code in seen:
                self.fail(
                    f"检查项编号“{code}”重复：{seen[code]}和{where}都用了这个编号。每个检查项的编号必须唯一，请改掉其中一个。"
                )
                continue
            if code is not None:
                seen[code] = where
            values = (code, area, text, rule, severity, veto, mandatory)
            if all(v is not None for v in values):
                items.append(ChecklistItem(code, area, text, rule, severity, veto, mandatory, points))
        if scored and unscored:
            self.fail(f"分值（points）要么每个检查项都填，要么都不填：{scored}填了，{unscored}没有填。")
        used = {item.area for item in items}
        for area, where in areas:
            if area.code not in used and not self.problems:
                self.fail(f"{where}没有任何检查项；请给它加上检查项，或删去这个区域。")
        return tuple(items)

    def severity(self, table: dict[str, Any], where: str) -> ItemSeverity | None:
        value = self.field(table, "severity", where, str)
        if value is not None and value not in set(ItemSeverity):
            self.fail(f"{where}：严重程度“{value}”不认识；可选 {_severities()}。")
            return None
        return None if value is None else ItemSeverity(value)


_SEVERITY_ORDER = (ItemSeverity.CRITICAL, ItemSeverity.MAJOR, ItemSeverity.MINOR)


def _severities() -> str:
    return "、".join(f"{s.value}（{s.label}）" for s in _SEVERITY_ORDER)


def _header_lines(text: str, key: str, count: int) -> list[int]:
    """Line numbers of the ``[[key]]`` headers, or none when they cannot be matched one to one."""
    header = re.compile(rf"\s*\[\[\s*{key}\s*\]\]\s*(?:#.*)?")
    lines = [n for n, line in enumerate(text.splitlines(), 1) if header.fullmatch(line)]
    # A header-like line inside a multi-line string, or entries written inline, would shift every
    # number after it: better no line number than a wrong one.
    return lines if len(lines) == count else []


# --------------------------------------------------------------------------- writing


def dump_template(template: ChecklistTemplate) -> str:
    """The template as a file that ``parse_template`` reads back equal; refuses an invalid one."""
    text = _render(template)
    # Read it back with the importer's own checks, so an export can never produce a file that the
    # county's copy of the program would refuse.
    name = f"{template.code}-{template.version}"
    try:
        again = parse_template(text, source_name=name)
    except TemplateFormatError as exc:
        raise TemplateFormatError(f"无法导出：{exc.message}", exc.problems) from None
    if _canonical(again) != _canonical(template):
        raise TemplateFormatError(f"无法导出检查表模板“{name}”：写出的文件读回后与原模板不一致，请报告此问题。")
    return text


def _render(t: ChecklistTemplate) -> str:
    out = [
        "# 托育机构检查表模板（托育监管桌面版）。整改期限为县（区）卫生健康部门设定的参数。",
        f"format = {FORMAT_VERSION}",
        f"code = {_quote(t.code)}",
        f"version = {_quote(t.version)}",
        f"title = {_quote(t.title)}",
        f"kinds = [{', '.join(_quote(k) for k in t.kinds)}]",
        f"effective_from = {t.effective_from.isoformat()}",
    ]
    if t.source:
        out.append(f"source = {_quote(t.source)}")
    out += ["", "[rectification_working_days]"]
    days = t.rectification_working_days
    out += [f"{s.value} = {days[s]}" for s in _SEVERITY_ORDER if s in days]
    out += [f"{k} = {v}" for k, v in days.items() if k not in _SEVERITY_ORDER]  # left for the check
    for area in t.areas:
        out += ["", "[[areas]]", f"code = {_quote(area.code)}", f"title = {_quote(area.title)}"]
    titles = {area.code: area.title for area in t.areas}
    previous = None
    for item in t.items:
        if item.area != previous:
            # Comments may not hold control characters, and a title may (it is free text).
            title = _CONTROL.sub(" ", titles.get(item.area, item.area))
            out += ["", f"# ── {title} ──"]
            previous = item.area
        out += ["", "[[items]]"] + [f"{key} = {_quote(getattr(item, key))}" for key in _ITEM_FIELDS[:5]]
        if item.veto:
            out.append("veto = true")
        if not item.mandatory:
            out.append("mandatory = false")
        if item.points is not None:
            out.append(f"points = {item.points}")
    return "\n".join(out) + "\n"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _quote(value: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    escaped = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    body = "".join(
        escaped.get(ch) or (f"\\u{ord(ch):04X}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch) for ch in str(value)
    )
    return f'"{body}"'


# --------------------------------------------------------------------------- fingerprint


def template_fingerprint(text: str | ChecklistTemplate) -> str:
    """SHA-256 (hex) of the template's content; the same for any layout or comments of the file.

    Hashes a canonical JSON of the parsed data rather than the TOML text, so that a later release
    that lays out exported files differently still gets the same fingerprint for the same template.
    """
    template = parse_template(text) if isinstance(text, str) else text
    canonical = json.dumps(_canonical(template), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _canonical(t: ChecklistTemplate) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "code": t.code,
        "version": t.version,
        "title": t.title,
        "kinds": [str(k) for k in t.kinds],
        "effective_from": t.effective_from.isoformat(),
        "source": t.source,
        "rectification_working_days": {str(k): v for k, v in t.rectification_working_days.items()},
        "areas": [[a.code, a.title] for a in t.areas],
        "items": [[i.code, i.area, i.text, i.rule, str(i.severity), i.veto, i.mandatory, i.points] for i in t.items],
    }
