"""Reading a hand-edited TOML file strictly: the checks every such file format of the program shares.

Checklist templates and subsidy policies are TOML files that a person edits in Notepad and another
office imports, so both are read the same way: every mistake is collected (``fail``) rather than
raised, so the editor sees them all at once, and each says in Chinese which key of which table is
wrong and what to write instead. A format's own reader subclasses ``TomlReader`` with the Chinese
names of its keys (``labels``) and adds its own checks; the messages here are the same in every
format so that an editor who knows one knows the other. Pure: the caller reads the file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

__all__ = ["MISSING", "TomlReader", "as_written", "problems_message", "toml_syntax_message"]

# A key that is not in the table at all (``None`` is not a TOML value, but a reader's default may be).
MISSING: Any = object()

_SHAPES = {str: "文字（用英文双引号括起来）", int: "整数", bool: "true 或 false"}


class TomlReader:
    """Collects the problems of one file; ``labels`` names each key in Chinese, next to the key."""

    labels: ClassVar[Mapping[str, str]]

    def __init__(self, text: str, file: str) -> None:
        # Notepad on Windows saves UTF-8 with a byte-order mark, which TOML does not allow.
        self.text = text.removeprefix("\ufeff")
        self.file = file  # how messages name the file, e.g. 检查表模板“zhangye-safety-2026.1”
        self.problems: list[str] = []

    def fail(self, problem: str) -> None:
        self.problems.append(problem)

    def label(self, key: str) -> str:
        """``“名称”（title）``: the Chinese name to understand, the key to find it in the file."""
        return f"“{self.labels[key]}”（{key}）"

    def unknown_keys(self, table: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                guess = difflib.get_close_matches(key, allowed, n=1)
                hint = f"是不是“{guess[0]}”？" if guess else ""
                self.fail(f"{where}：有未知字段“{key}”。{hint}可用的字段是 {'、'.join(allowed)}。")

    def field(self, table: dict[str, Any], key: str, where: str, kind: type, default: Any = MISSING) -> Any:
        """The value of ``key`` if it is a ``kind`` (str, int or bool); ``default`` when absent, if given."""
        value = table.get(key, MISSING)
        if value is MISSING:
            if default is MISSING:
                self.fail(f"{where}：缺少{self.label(key)}，请补上。")
                return None
            return default
        # bool is an int in Python; "points = true" must not count as 1 point.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(f"{where}：{self.label(key)}应为{_SHAPES[kind]}，现在是 {as_written(value)}。")
            return None
        return value

    def text_field(self, table: dict[str, Any], key: str, where: str) -> str | None:
        value = self.field(table, key, where, str)
        if value is not None and not value.strip():
            self.fail(f"{where}：{self.label(key)}是空的，请填写。")
            return None
        return value

    def positive(self, table: dict[str, Any], key: str, where: str, *, required: bool = True) -> int | None:
        value = self.field(table, key, where, int, default=MISSING if required else None)
        if value is not None and value < 1:
            self.fail(f"{where}：{self.label(key)}应为正整数，现在是 {value}。")
            return None
        return value


def problems_message(subject: str, problems: Sequence[str]) -> str:
    """One problem said in a sentence, several numbered one per line: ``subject`` names the file."""
    if len(problems) == 1:
        return f"{subject}有错误：{problems[0]}"
    listed = "\n".join(f"（{n}）{p}" for n, p in enumerate(problems, 1))
    return f"{subject}有{len(problems)}处错误：\n{listed}"


def as_written(value: Any) -> str:
    """A value as the editor wrote it in the file (TOML spelling, not Python's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"“{value}”" if isinstance(value, str) else repr(value)


# tomllib's messages are English; the start of each is stable enough to explain in Chinese.
_SYNTAX_HINTS = (
    ("Cannot overwrite a value", "同一个字段写了两次"),
    ("Cannot declare", "同一个表头写了两次"),
    ("Cannot mutate", "同一个表头写了两次"),
    ("Unterminated string", "文字缺少结尾的英文双引号"),
    ("Invalid value", "值的写法不对：文字要用英文双引号括起来，日期写成 2026-01-01，是非写 true 或 false"),
    ("Expected newline or end of document", "一行只能写一个“字段 = 值”，这一行后面多了内容（文字是否漏了引号？）"),
    ("Expected '=' after a key", "字段名后面缺少“=”"),
    ("Invalid initial character for a key", "字段名写法不对：只能用英文字母、数字、_ 和 -"),
    ("Unescaped '\\'", "文字中的反斜杠要写成 \\\\"),
    # A string left open runs into the end of its line, which tomllib reports as a stray newline.
    ("Illegal character '\\n'", "文字缺少结尾的英文双引号（要换行请写 \\n）"),
    ("Illegal character", "含有不允许的控制字符"),
)


def toml_syntax_message(detail: str, text: str) -> str:
    """Where and what a ``tomllib.TOMLDecodeError`` (its ``detail``) found wrong in ``text``, in Chinese."""
    found = re.search(r"\(at line (\d+), column (\d+)\)$", detail)
    where = f"第{found[1]}行第{found[2]}列" if found else f"第{max(1, len(text.splitlines()))}行（文件末尾）"
    plain = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)$", "", detail)
    hint = next((chinese for english, chinese in _SYNTAX_HINTS if plain.startswith(english)), "格式不符合 TOML 语法")
    return f"{where}有格式错误：{hint}。（解析器原文：{plain}）"
