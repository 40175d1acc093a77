"""Names of synced tables as a person reads them, in messages and on the conflict screens."""

from __future__ import annotations

# Table names as a person reads them in a refusal.
TABLE_LABELS = {
    "regions": "行政区划",
    "region_populations": "人口数据",
    "checklist_templates": "检查表",
    "institutions": "机构档案",
    "institution_events": "机构变更记录",
    "class_groups": "班级",
    "staff": "从业人员",
    "children": "在托幼儿",
    "random_draws": "双随机抽查记录",
    "inspections": "检查记录",
    "inspection_answers": "检查项结果",
    "inspection_photos": "检查照片",
    "rectification_notices": "整改通知书",
    "rectification_closures": "整改销号",
    "violations": "违法行为处理记录",
    "subsidy_applications": "补贴申请",
    "enrollment_claims": "入托补贴明细",
    "sync_conflict_resolutions": "冲突处理记录",
    "photo_contents": "照片",
}


def label_of(table: str) -> str:
    return TABLE_LABELS.get(table, table)
