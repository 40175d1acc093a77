"""Checklist template files: the bundled templates are complete and valid, round trips are exact,
and every mistake an editor can make in a file gets a Chinese message that says where it is."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.checklist_format import (
    TemplateFormatError,
    dump_template,
    parse_template,
    template_fingerprint,
)
from desktop.domain.checklists import ChecklistArea, ChecklistItem, ChecklistTemplate
from desktop.domain.enums import InspectionKind, ItemSeverity
from desktop.errors import TuoyuError
from desktop.paths import resources_dir

CHECKLISTS = resources_dir() / "checklists"
BUNDLED = sorted(CHECKLISTS.glob("*.toml"))
MAIN = CHECKLISTS / "zhangye-safety-2026.1.toml"


def load(path: Path) -> ChecklistTemplate:
    return parse_template(path.read_text(encoding="utf-8"), source_name=path.name)


# --------------------------------------------------------------------------- bundled templates


def test_there_are_bundled_templates() -> None:
    assert MAIN in BUNDLED


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_each_bundled_template_is_valid_and_round_trips(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    template = parse_template(text, source_name=path.name)
    # The file name is how a clerk tells versions apart in a folder.
    assert path.name == f"{template.code}-{template.version}.toml"
    codes = [item.code for item in template.items]
    assert len(codes) == len(set(codes))
    assert len({a.code for a in template.areas}) == len(template.areas)
    assert {a.code for a in template.areas} == {item.area for item in template.items}
    assert set(template.rectification_working_days) == set(ItemSeverity)
    assert all(item.rule.strip() and item.text.strip() for item in template.items)
    assert all(item.mandatory for item in template.items if item.veto)

    dumped = dump_template(template)
    assert parse_template(dumped) == template
    assert template_fingerprint(text) == template_fingerprint(dumped) == template_fingerprint(template)
    assert len(template_fingerprint(text)) == 64


def test_the_safety_template_serves_both_scheduled_inspections() -> None:
    template = load(MAIN)
    assert (template.code, template.version) == ("zhangye-safety", "2026.1")
    assert set(template.kinds) == {InspectionKind.QUARTERLY_SPOT_CHECK, InspectionKind.SEMIANNUAL_INSPECTION}
    assert 35 <= len(template.items) <= 50
    assert template.rectification_working_days == {
        ItemSeverity.CRITICAL: 5,
        ItemSeverity.MAJOR: 10,
        ItemSeverity.MINOR: 20,
    }


def test_the_safety_template_covers_the_areas_of_the_regime() -> None:
    titles = " ".join(area.title for area in load(MAIN).areas)
    for word in ("建筑", "消防", "食品", "卫生", "人员", "保育", "人身", "财产", "视频监控", "一键报警", "公示"):
        assert word in titles


REQUIRED_ITEMS = {
    "staff.health_certificates": ("健康", "每年"),
    "staff.criminal_record": ("无犯罪记录",),
    "staff.principal_qualification": ("60学时",),
    "staff.carer_training": ("培训",),
    "care.class_sizes": ("乳儿班10人", "托小班15人", "托大班20人", "混龄班18人"),
    "care.carer_ratios": ("1:3", "1:5", "1:7"),
    "health.health_staff": ("150",),
    "building.floor_level": ("三层", "地下室"),
    "building.railings": ("1.30米", "0.09米"),
    "building.windows": ("20%",),
    "fire.inspection_certificate": ("消防",),
    "fire.extinguishers": ("50平方米",),
    "fire.two_exits": ("50平方米", "2个"),
    "fire.evacuation_routes": ("疏散通道",),
    "fire.signs_lighting": ("应急照明",),
    "fire.patrols": ("2次",),
    "fire.monthly_inspection": ("每月",),
    "fire.ebikes": ("电动自行车", "充电"),
    "fire.drills": ("每季度", "演练"),
    "security.video_monitoring": ("24小时", "90日"),
    "security.one_button_alarm": ("一键报警",),
    "security.guard": ("保安员证",),
    "food.business_licence": ("食品经营许可证",),
    "food.samples": ("125克", "48小时", "标明"),
    "food.weekly_menu": ("每周",),
    "food.allergies": ("过敏",),
    "health.morning_midday_checks": ("晨检", "午检"),
    "health.disinfection": ("消毒",),
    "health.isolation": ("隔离室",),
    "health.enrollment_check": ("预防接种",),
    "care.outdoor_activity": ("2小时",),
    "disclosure.fees": ("收费",),
}


@pytest.mark.parametrize("code", sorted(REQUIRED_ITEMS))
def test_the_safety_template_has_the_required_checks(code: str) -> None:
    item = load(MAIN).item(code)
    for fragment in REQUIRED_ITEMS[code]:
        assert fragment in item.text


def test_veto_items_are_the_most_serious_ones() -> None:
    template = load(MAIN)
    vetoes = {item.code for item in template.items if item.veto}
    assert {
        "fire.inspection_certificate",
        "staff.health_certificates",
        "staff.criminal_record",
        "security.video_monitoring",
        "security.one_button_alarm",
    } <= vetoes
    assert all(template.item(code).severity is ItemSeverity.CRITICAL for code in vetoes)
    assert len(vetoes) < len(template.items) // 4  # a veto is the exception, not the rule


def test_unverified_facts_are_marked_in_the_rule_an_inspector_sees() -> None:
    template = load(MAIN)
    for code in ("food.samples", "fire.extinguishers", "fire.two_exits"):
        assert "待核实" in template.item(code).rule
    assert "90日" in template.item("security.video_monitoring").rule  # the 30 vs 90 days conflict
    assert "待核实" in template.source


def test_comments_and_layout_do_not_change_the_fingerprint_but_content_does() -> None:
    text = MAIN.read_text(encoding="utf-8")
    template = parse_template(text)
    relaid = "# 另加的注释\n\n" + text.replace("\n\n", "\n\n\n")
    assert template_fingerprint(relaid) == template_fingerprint(text)
    edited = replace(
        template, items=(replace(template.items[0], text=template.items[0].text + "。"), *template.items[1:])
    )
    assert template_fingerprint(edited) != template_fingerprint(template)
    assert template_fingerprint(replace(template, version="2026.2")) != template_fingerprint(template)


# --------------------------------------------------------------------------- bad input

BASE = """\
format = 1
code = "t"
version = "1"
title = "测试模板"
kinds = ["semiannual_inspection"]
effective_from = 2026-01-01

[rectification_working_days]
critical = 5
major = 10
minor = 20

[[areas]]
code = "fire"
title = "消防安全"

[[areas]]
code = "food"
title = "食品安全"

[[items]]
code = "fire.a"
area = "fire"
text = "灭火器"
rule = "《指南》"
severity = "major"

[[items]]
code = "food.b"
area = "food"
text = "留样"
rule = "《规范》"
severity = "critical"
veto = true
"""
ITEM_LINES = [n for n, line in enumerate(BASE.splitlines(), 1) if line == "[[items]]"]
AREA_LINES = [n for n, line in enumerate(BASE.splitlines(), 1) if line == "[[areas]]"]


def edit(old: str, new: str) -> str:
    assert old in BASE, old  # an edit that matches nothing would test the valid file
    return BASE.replace(old, new, 1)


def test_the_base_of_the_bad_cases_is_valid() -> None:
    template = parse_template(BASE)
    assert [item.code for item in template.items] == ["fire.a", "food.b"]
    assert template.item("food.b").veto and template.item("fire.a").points is None


BAD: list[tuple[str, str, list[str]]] = [
    ("empty", "", ["是空的"]),
    ("only-comments", "# 只有注释\n\n", ["是空的"]),
    ("syntax-unquoted", edit('title = "测试模板"', "title = 测试模板"), ["第4行", "格式错误", "英文双引号"]),
    ("syntax-unterminated", edit('text = "灭火器"', 'text = "灭火器'), [f"第{ITEM_LINES[0] + 3}行", "引号"]),
    ("syntax-key-twice", edit('area = "fire"', 'area = "fire"\narea = "food"'), ["写了两次"]),
    ("newer-format", edit("format = 1", "format = 2"), ["第2版格式", "升级"]),
    ("missing-top-field", edit('title = "测试模板"\n', ""), ["缺少“名称”（title）"]),
    ("missing-item-field", edit('rule = "《指南》"\n', ""),
     [f"第1个检查项“fire.a”（第{ITEM_LINES[0]}行）", "缺少“依据”（rule）"]),
    ("blank-text", edit('text = "留样"', 'text = "  "'), ["第2个检查项“food.b”", "“检查内容”（text）是空的"]),
    ("unknown-area", edit('area = "food"', 'area = "kitchen"'), ["所属区域“kitchen”没有定义", "fire、food"]),
    ("duplicate-item-code", edit('code = "food.b"', 'code = "fire.a"'),
     ["检查项编号“fire.a”重复", f"第1个检查项“fire.a”（第{ITEM_LINES[0]}行）",
      f"第2个检查项“fire.a”（第{ITEM_LINES[1]}行）"]),
    ("duplicate-area-code", edit('code = "food"', 'code = "fire"'),
     ["检查区域编号“fire”重复", f"第{AREA_LINES[0]}行", f"第{AREA_LINES[1]}行"]),
    ("unknown-severity", edit('severity = "major"', 'severity = "serious"'),
     ["严重程度“serious”不认识", "critical（严重）", "minor（一般）"]),
    ("unknown-kind", edit('"semiannual_inspection"', '"monthly"'),
     ["检查类型“monthly”不认识", "quarterly_spot_check（季度抽查）"]),
    ("no-kinds", edit('["semiannual_inspection"]', "[]"), ["至少一种检查类型"]),
    ("veto-not-mandatory", edit("veto = true", "veto = true\nmandatory = false"),
     ["第2个检查项“food.b”", "一票否决项必须是必答项"]),
    ("points-on-some", edit('severity = "major"', 'severity = "major"\npoints = 5'),
     ["要么每个检查项都填，要么都不填", "第1个检查项“fire.a”", "第2个检查项“food.b”"]),
    ("points-bool", edit('severity = "major"', 'severity = "major"\npoints = true'), ["“分值”（points）应为整数"]),
    ("days-missing-severity", edit("minor = 20\n", ""), ["缺少“一般”（minor）问题的整改期限"]),
    ("days-zero", edit("major = 10", "major = 0"), ["“较重”（major）", "不小于1的整数"]),
    ("days-unknown-severity", edit("minor = 20", "minor = 20\nsevere = 3"), ["严重程度“severe”不认识"]),
    ("days-table-missing", edit("[rectification_working_days]\ncritical = 5\nmajor = 10\nminor = 20\n", ""),
     ["缺少整改期限表"]),
    ("no-items", BASE.split("[[items]]")[0], ["没有任何检查项"]),
    ("no-areas", BASE.split("[[areas]]")[0] + "[[items]]" + BASE.split("[[items]]", 1)[1], ["没有任何检查区域"]),
    ("unused-area", edit("[[items]]", '[[areas]]\ncode = "care"\ntitle = "保育"\n\n[[items]]'),
     ["第3个检查区域“care”", "没有任何检查项"]),
    ("typo-field", edit('severity = "major"', 'severty = "major"'), ["未知字段“severty”", "是不是“severity”"]),
    ("date-as-string", edit("effective_from = 2026-01-01", 'effective_from = "2026-01-01"'),
     ["“生效日期”（effective_from）", "不带引号"]),
    ("bad-code", edit('code = "fire.a"', 'code = "Fire A"'), ["“Fire A”写法不对"]),
    ("bad-version", edit('version = "1"', 'version = "第一版"'), ["版本号", "写法不对"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "fragments"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_bad_template_file_is_refused_with_a_message_that_says_where(text: str, fragments: list[str]) -> None:
    with pytest.raises(TemplateFormatError) as caught:
        parse_template(text, source_name="bad.toml")
    assert isinstance(caught.value, TuoyuError)  # the CLI and GUI show it as a user error
    assert "检查表模板“bad.toml”" in caught.value.message
    for fragment in fragments:
        assert fragment in caught.value.message


def test_every_mistake_in_a_file_is_listed_at_once() -> None:
    text = edit('severity = "major"', 'severity = "serious"').replace('area = "food"', 'area = "kitchen"')
    with pytest.raises(TemplateFormatError) as caught:
        parse_template(text)
    assert len(caught.value.problems) == 2
    assert "有2处错误" in caught.value.message


def test_a_byte_order_mark_from_notepad_is_accepted() -> None:
    assert parse_template("\ufeff" + BASE) == parse_template(BASE)


def test_an_invalid_template_is_not_exported() -> None:
    template = parse_template(BASE)
    bad = replace(template, items=(replace(template.items[1], mandatory=False), template.items[0]))
    with pytest.raises(TemplateFormatError, match="无法导出.*一票否决项必须是必答项"):
        dump_template(bad)


# --------------------------------------------------------------------------- property

CODE = st.from_regex(r"[a-z0-9]{1,6}([._-][a-z0-9]{1,4}){0,2}", fullmatch=True)
# Any text at all, so that quotes, backslashes, newlines and control characters must be escaped.
TEXT = st.text(min_size=1, max_size=20).filter(str.strip)


@st.composite
def templates(draw: st.DrawFn) -> ChecklistTemplate:
    area_codes = draw(st.lists(CODE, min_size=1, max_size=4, unique=True))
    count = draw(st.integers(len(area_codes), len(area_codes) + 5))
    item_codes = draw(st.lists(CODE, min_size=count, max_size=count, unique=True))
    scored = draw(st.booleans())
    items = []
    for n, code in enumerate(item_codes):
        veto = draw(st.booleans())
        items.append(
            ChecklistItem(
                code=code,
                # The first items cover every area, since an area without items is refused.
                area=area_codes[n] if n < len(area_codes) else draw(st.sampled_from(area_codes)),
                text=draw(TEXT),
                rule=draw(TEXT),
                severity=draw(st.sampled_from(ItemSeverity)),
                veto=veto,
                mandatory=True if veto else draw(st.booleans()),
                points=draw(st.integers(1, 1000)) if scored else None,
            )
        )
    return ChecklistTemplate(
        code=draw(CODE),
        version=draw(st.from_regex(r"[0-9A-Za-z]{1,6}([._-][0-9A-Za-z]{1,3}){0,2}", fullmatch=True)),
        title=draw(TEXT),
        kinds=tuple(draw(st.lists(st.sampled_from(InspectionKind), min_size=1, unique=True))),
        effective_from=draw(st.dates(min_value=date(1900, 1, 1))),
        areas=tuple(ChecklistArea(code, draw(TEXT)) for code in area_codes),
        items=tuple(items),
        rectification_working_days={severity: draw(st.integers(1, 365)) for severity in ItemSeverity},
        source=draw(st.one_of(st.just(""), TEXT)),
    )


@settings(max_examples=200)
@given(templates())
def test_any_valid_template_round_trips_exactly(template: ChecklistTemplate) -> None:
    text = dump_template(template)
    assert parse_template(text) == template
    assert dump_template(parse_template(text)) == text
    assert template_fingerprint(text) == template_fingerprint(template)
