"""Who enrols whom: a county its laptops and its city, the city its counties, a laptop its county; nothing else."""

from __future__ import annotations

import pytest

from desktop.domain.enums import NodeKind
from desktop.domain.node_enrolment import EnrolmentRefused, NodeSide, check_enrolment, city_of

LAPTOP, COUNTY, CITY = NodeKind.LAPTOP, NodeKind.COUNTY, NodeKind.CITY
GANZHOU, SUNAN, ZHANGYE, JIUQUAN, SUZHOU = "620702", "620721", "620700", "620900", "620902"
NAMES = {GANZHOU: "甘州区", SUNAN: "肃南县", ZHANGYE: "张掖市"}


def _side(role: NodeKind, code: str) -> NodeSide:
    return NodeSide(role, code, f"{role.value}-{code}")


ALLOWED = [
    ((COUNTY, GANZHOU), (LAPTOP, GANZHOU)),
    ((COUNTY, GANZHOU), (CITY, ZHANGYE)),
    ((CITY, ZHANGYE), (COUNTY, GANZHOU)),
    ((CITY, ZHANGYE), (COUNTY, SUNAN)),
    ((LAPTOP, GANZHOU), (COUNTY, GANZHOU)),
]

REFUSED = [
    ((COUNTY, GANZHOU), (LAPTOP, SUNAN), "只登记本县区的检查笔记本"),
    ((COUNTY, GANZHOU), (COUNTY, SUNAN), "只登记本县区的检查笔记本和张掖市（620700）的市级节点"),
    ((COUNTY, GANZHOU), (CITY, JIUQUAN), "只登记本县区的检查笔记本"),
    ((COUNTY, SUZHOU), (CITY, ZHANGYE), "只登记本县区的检查笔记本"),
    ((CITY, ZHANGYE), (COUNTY, SUZHOU), "只登记本市所辖的县区节点"),
    ((CITY, ZHANGYE), (LAPTOP, GANZHOU), "检查笔记本由所属县区登记"),
    ((CITY, ZHANGYE), (CITY, JIUQUAN), "只登记本市所辖的县区节点"),
    ((LAPTOP, GANZHOU), (COUNTY, SUNAN), "只登记本县区的县区节点"),
    ((LAPTOP, GANZHOU), (LAPTOP, GANZHOU), "只登记本县区的县区节点"),
    ((LAPTOP, GANZHOU), (CITY, ZHANGYE), "只登记本县区的县区节点"),
]


@pytest.mark.parametrize(("own", "peer"), ALLOWED)
def test_the_lines_bundles_travel_along_may_be_enrolled(own, peer):
    check_enrolment(_side(*own), _side(*peer), NAMES)


@pytest.mark.parametrize(("own", "peer", "rule"), REFUSED)
def test_every_other_pair_is_refused_saying_what_this_node_enrols(own, peer, rule):
    with pytest.raises(EnrolmentRefused, match=rule) as refused:
        check_enrolment(_side(*own), _side(*peer), NAMES)
    assert f"“{peer[0].value}-{peer[1]}”" in refused.value.message


def test_every_pair_of_roles_is_decided():
    decided = {(own[0], peer[0]) for own, peer in ALLOWED} | {(own[0], peer[0]) for own, peer, _ in REFUSED}
    assert decided == {(a, b) for a in NodeKind for b in NodeKind}


def test_regions_are_named_where_known_and_shown_by_code_otherwise():
    with pytest.raises(EnrolmentRefused, match=r"“laptop-620902”是620902的检查笔记本，而本机是甘州区（620702）"):
        check_enrolment(_side(COUNTY, GANZHOU), _side(LAPTOP, SUZHOU), NAMES)


def test_a_county_belongs_to_the_city_with_its_first_four_digits():
    assert city_of(GANZHOU) == ZHANGYE and city_of(SUZHOU) == JIUQUAN
