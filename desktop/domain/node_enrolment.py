"""Who may enrol whom: the lines along which bundles travel between laptops, counties and their city.

A county enrols its own laptops and its city; the city enrols the counties under it; a laptop enrols its county.
Nothing else: two counties never exchange bundles directly, and the city never talks to a laptop. Division codes
follow GB/T 2260: a county's city has the county's first four digits followed by ``00`` (620702 甘州区 → 620700
张掖市).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from desktop.domain.enums import NodeKind
from desktop.errors import TuoyuError


class EnrolmentRefused(TuoyuError):
    """This node may not enrol that one; nothing was changed."""


@dataclass(frozen=True)
class NodeSide:
    """One end of an enrolment: the node's role, its division code, and a name to show."""

    role: NodeKind
    division_code: str
    name: str


def city_of(county_code: str) -> str:
    return county_code[:4] + "00"


def check_enrolment(own: NodeSide, peer: NodeSide, region_names: Mapping[str, str] | None = None) -> None:
    """Raise EnrolmentRefused, saying which nodes this one enrols instead, unless ``own`` may enrol ``peer``."""
    names = region_names or {}

    def region(code: str) -> str:
        return f"{names[code]}（{code}）" if code in names else code

    who = f"“{peer.name}”是{region(peer.division_code)}的{role_noun(peer.role)}"
    if own.role is NodeKind.COUNTY:
        if peer.role is NodeKind.LAPTOP and peer.division_code == own.division_code:
            return
        if peer.role is NodeKind.CITY and peer.division_code == city_of(own.division_code):
            return
        city = region(city_of(own.division_code))
        rule = f"本机是{region(own.division_code)}的县区节点，只登记本县区的检查笔记本和{city}的市级节点"
    elif own.role is NodeKind.CITY:
        if peer.role is NodeKind.COUNTY and city_of(peer.division_code) == own.division_code:
            return
        rule = f"本机是{region(own.division_code)}的市级节点，只登记本市所辖的县区节点（检查笔记本由所属县区登记）"
    else:
        if peer.role is NodeKind.COUNTY and peer.division_code == own.division_code:
            return
        rule = f"本机是{region(own.division_code)}的检查笔记本，只登记本县区的县区节点"
    raise EnrolmentRefused(f"不能登记：{who}，而{rule}。请确认选择的公钥文件。")


def role_noun(role: NodeKind) -> str:
    return {NodeKind.LAPTOP: "检查笔记本", NodeKind.COUNTY: "县区节点", NodeKind.CITY: "市级节点"}[role]
