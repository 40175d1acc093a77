"""Counties and townships as clerks write them: "甘州区", "甘州", "张掖市甘州区", "620702", "肃南县".

The caller passes the regions it knows (code -> name), so this module needs no database. A short
form is accepted only when exactly one region fits it; anything else is refused with the list of
names to choose from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from desktop.excel.cell_values import Parsed, clean_text, shown
from desktop.excel.sheet_data import CellValue

_COUNTY_SUFFIX = re.compile(r"(?:区|县|市|旗)$")
_TOWNSHIP_SUFFIX = re.compile(r"(?:街道办事处|办事处|街道|镇|乡)$")


def _key(value: CellValue) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "".join(clean_text(str(value)).split())


def _find(text: str, names: Mapping[str, str], suffix: re.Pattern[str]) -> str | None:
    """Code of the one region ``text`` names: by code, by name, by a name it ends with, or by short form."""
    if text in names:
        return text
    exact = [code for code, name in names.items() if name == text]
    if len(exact) == 1:
        return exact[0]
    ending = [code for code, name in names.items() if text.endswith(name)]
    if ending:
        longest = max(len(names[code]) for code in ending)
        best = [code for code in ending if len(names[code]) == longest]
        return best[0] if len(best) == 1 else None
    base = suffix.sub("", text)
    if len(base) >= 2:
        starting = [code for code, name in names.items() if name.startswith(base)]
        if len(starting) == 1:
            return starting[0]
    return None


class RegionResolver:
    """Resolves county and township cells; results are memoised per distinct text."""

    def __init__(self, counties: Mapping[str, str], townships: Mapping[str, Mapping[str, str]]) -> None:
        self._counties = dict(counties)
        self._townships = {county: dict(names) for county, names in townships.items()}
        self._county_of_township = {code: county for county, names in self._townships.items() for code in names}
        self._memo: dict[tuple[str, str], Parsed] = {}

    def county(self, value: CellValue) -> Parsed:
        text = _key(value)
        if not text:
            return None, None
        memo_key = ("", text)
        if memo_key not in self._memo:
            code = _find(text, self._counties, _COUNTY_SUFFIX)
            if code is None:
                listed = "、".join(self._counties.values()) or "（未载入任何县区）"
                self._memo[memo_key] = (None, f"“{shown(value)}”不是已知的县区，可填写：{listed}。")
            else:
                self._memo[memo_key] = (code, None)
        return self._memo[memo_key]

    def township(self, value: CellValue, county_code: str) -> Parsed:
        text = _key(value)
        if not text:
            return None, None
        memo_key = (county_code, text)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._township(value, text, county_code)
        return self._memo[memo_key]

    def _township(self, value: CellValue, text: str, county_code: str) -> Parsed:
        county_name = self._counties.get(county_code, county_code)
        if len(text) == 12 and text.isdigit() and text.endswith("000"):
            text = text[:9]  # the statistics bureau's 12-digit form of a township code
        names = self._townships.get(county_code, {})
        code = _find(text, names, _TOWNSHIP_SUFFIX)
        if code is not None:
            return code, None
        elsewhere = self._county_of_township.get(text) or next(
            (county for county, others in self._townships.items() if county != county_code and text in others.values()),
            None,
        )
        if elsewhere is not None:
            other = self._counties.get(elsewhere, elsewhere)
            return None, f"“{shown(value)}”属于{other}，不属于本行所填的{county_name}，请核对县区和乡镇（街道）。"
        return None, f"“{shown(value)}”不是{county_name}下辖的乡镇（街道），请核对名称。"
