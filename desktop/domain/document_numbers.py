"""Numbers of the documents a county bureau issues, e.g. 甘州卫监改〔2026〕12号 (GB/T 9704: the year in
full inside 〔 〕, no leading zeros, ending with 号)."""

from __future__ import annotations


def county_abbreviation(county_name: str) -> str:
    """ "甘州区" -> "甘州", "肃南裕固族自治县" -> "肃南": the first two characters, as document numbers use."""
    return county_name[:2]


def rectification_notice_number(county_name: str, year: int, serial: int) -> str:
    return f"{county_abbreviation(county_name)}卫监改〔{year}〕{serial}号"
