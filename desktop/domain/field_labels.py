"""The Chinese name of every field a clerk sees, by table and attribute: one place for forms, history
and import reports, so a field is called the same everywhere."""

from __future__ import annotations

from desktop.domain.violation_rules import VIOLATION_FIELDS

INSTITUTION_FIELDS = {
    "name": "机构名称",
    "credit_code": "统一社会信用代码",
    "sponsor_type": "举办主体",
    "ownership": "办托体制",
    "registration_type": "登记类型",
    "service_modes": "服务形式",
    "chain_brand": "连锁品牌",
    "county_code": "所属县区",
    "township_code": "乡镇（街道）",
    "address": "地址",
    "legal_representative": "法定代表人",
    "principal_name": "负责人",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
    "slots": "托位数",
    "building_area_m2": "建筑面积（㎡）",
    "outdoor_area_m2": "户外场地面积（㎡）",
    "premises_leased": "场地为租赁",
    "lease_expires_on": "租赁到期日",
    "fee_full_day_monthly_fen": "全日托月收费（元）",
    "fee_half_day_monthly_fen": "半日托月收费（元）",
    "fee_hourly_fen": "计时托收费（元/小时）",
    "meal_fee_daily_fen": "伙食费（元/天）",
    "serves_meals": "提供膳食",
    "food_licence_number": "食品经营许可证号",
    "filing_status": "备案状态",
    "filing_number": "备案编号",
    "filed_on": "备案日期",
    "puhui": "普惠",
    "puhui_recognized_on": "普惠认定日期",
    "operating_status": "运营状态",
    "opened_on": "开办日期",
    "status_changed_on": "状态变更日期",
    "status_reason": "状态变更原因",
    "demonstration": "示范性机构",
    "demonstration_level": "示范级别",
    "demonstration_recognized_on": "示范认定日期",
    "medical_partnership": "医育结合",
    "medical_partner_name": "合作医疗卫生机构",
    "notes": "备注",
    # Written by bulk imports: the events a new record starts with (see institution_import).
    "lifecycle_events": "备案/普惠/运营记录",
    "name_initials": "名称拼音首字母",
}

CLASS_GROUP_FIELDS = {
    "name": "班级名称",
    "class_type": "班型",
    "capacity": "核定人数",
    "enrolled_count": "在托人数",
    "institution_id": "所属机构",
}

STAFF_FIELDS = {
    "name": "姓名",
    "role": "岗位",
    "id_number": "身份证号",
    "sex": "性别",
    "phone": "联系电话",
    "class_group_id": "所在班级",
    "education": "学历",
    "qualification": "资格证书",
    "employed_from": "入职日期",
    "employed_until": "离职日期",
    "health_certificate_number": "健康证编号",
    "health_certificate_expires_on": "健康证有效期至",
    "training_hours": "培训学时",
    "criminal_record_checked_on": "无犯罪记录证明日期",
    "institution_id": "所属机构",
}

EVENT_FIELDS = {
    "kind": "事项",
    "occurred_on": "日期",
    "document_number": "文书编号",
    "reason": "原因",
    "institution_id": "所属机构",
}

CHILD_FIELDS = {
    "name": "姓名",
    "id_number": "身份证号",
    "birth_date": "出生日期",
    "sex": "性别",
    "guardian_name": "监护人",
    "guardian_phone": "监护人电话",
    "enrolled_on": "入托日期",
    "left_on": "离托日期",
    "institution_id": "所属机构",
}

# The other synced tables, for the conflict screens (desktop/sync/conflicts.py).
REGION_FIELDS = {
    "code": "区划代码",
    "name": "名称",
    "level": "级别",
    "parent_code": "上级区划",
    "township_kind": "乡镇（街道）类型",
}

REGION_POPULATION_FIELDS = {
    "region_code": "行政区划",
    "year": "年份",
    "resident_population": "常住人口",
    "under3_population": "3岁以下婴幼儿数",
    "under3_estimated": "3岁以下人数为估算",
    "source": "数据来源",
}

CHECKLIST_TEMPLATE_FIELDS = {
    "code": "检查表代码",
    "template_version": "版本",
    "title": "名称",
    "effective_from": "施行日期",
    "content": "内容",
    "content_sha256": "内容校验值",
    "source": "来源",
}

RANDOM_DRAW_FIELDS = {
    "period": "抽查期次",
    "county_code": "所属县区",
    "seed": "随机种子",
    "rate": "抽查比例",
    "minimum": "最少抽查数",
    "inputs_sha256": "名录校验值",
    "inputs_json": "抽查名录",
    "result_json": "抽查结果",
    "drawn_by": "抽取人",
    "drawn_at": "抽取时间",
}

INSPECTION_FIELDS = {
    "institution_id": "被检查机构",
    "template_id": "检查表",
    "kind": "检查类型",
    "period": "期次",
    "draw_id": "双随机抽查",
    "follow_up_of": "复查的检查",
    "corrects_id": "更正的记录",
    "inspected_at": "检查时间",
    "inspectors": "检查人员",
    "representative": "机构在场人员",
    "finished": "已完成",
    "conclusion": "检查结论",
    "score": "得分",
}

INSPECTION_ANSWER_FIELDS = {
    "inspection_id": "所属检查",
    "item_code": "检查项",
    "answer": "检查结果",
    "note": "说明",
}

INSPECTION_PHOTO_FIELDS = {
    "inspection_id": "所属检查",
    "item_code": "检查项",
    "sha256": "照片校验值",
    "file_name": "文件名",
    "caption": "说明",
}

RECTIFICATION_NOTICE_FIELDS = {
    "inspection_id": "所属检查",
    "institution_id": "被检查机构",
    "county_code": "所属县区",
    "year": "年度",
    "serial": "序号",
    "document_number": "文书编号",
    "issued_on": "下达日期",
    "deadline": "整改期限",
    "deadline_estimated": "期限为估算",
    "items_json": "整改事项",
}

RECTIFICATION_CLOSURE_FIELDS = {
    "notice_id": "整改通知书",
    "follow_up_id": "复查记录",
    "closed_on": "销号日期",
}

SUBSIDY_APPLICATION_FIELDS = {
    "scheme": "补贴项目",
    "institution_id": "申请机构",
    "county_code": "所属县区",
    "period": "期间",
    "status": "状态",
    "facts_json": "申报事实",
    "policy_name": "政策名称",
    "policy_version": "政策版本",
    "policy_sha256": "政策文件校验值",
    "parameters_json": "政策参数",
    "eligible": "符合条件",
    "amount_fen": "补贴金额（元）",
    "city_share_fen": "市级承担（元）",
    "county_share_fen": "县级承担（元）",
    "reasons_json": "判定理由",
    "submitted_at": "提交时间",
    "submitted_by": "提交人",
    "first_reviewed_at": "初审时间",
    "first_reviewed_by": "初审人",
    "approved_at": "审核通过时间",
    "approved_by": "审核人",
    "paid_on": "拨付日期",
    "paid_by": "拨付经办人",
    "rejected_at": "退回时间",
    "rejected_by": "退回人",
    "rejection_reason": "退回原因",
}

ENROLLMENT_CLAIM_FIELDS = {
    "application_id": "补贴申请",
    "child_id": "幼儿",
    "county_code": "所属县区",
    "month": "月份",
    "id_number": "身份证号",
    "eligible": "符合条件",
    "amount_fen": "补贴金额（元）",
    "reasons_json": "判定理由",
    "live": "有效",
}

CONFLICT_RESOLUTION_FIELDS = {
    "entity_type": "记录类别",
    "entity_id": "记录编号",
    "candidate_hashes": "冲突版本",
    "chosen_hash": "选定版本",
    "choice": "处理方式",
    "fields_json": "逐字段选择",
    "resolved_by": "处理人",
    "resolved_at": "处理时间",
}

BY_TABLE = {
    "institutions": INSTITUTION_FIELDS,
    "class_groups": CLASS_GROUP_FIELDS,
    "staff": STAFF_FIELDS,
    "institution_events": EVENT_FIELDS,
    "children": CHILD_FIELDS,
    "regions": REGION_FIELDS,
    "region_populations": REGION_POPULATION_FIELDS,
    "checklist_templates": CHECKLIST_TEMPLATE_FIELDS,
    "random_draws": RANDOM_DRAW_FIELDS,
    "inspections": INSPECTION_FIELDS,
    "inspection_answers": INSPECTION_ANSWER_FIELDS,
    "inspection_photos": INSPECTION_PHOTO_FIELDS,
    "rectification_notices": RECTIFICATION_NOTICE_FIELDS,
    "rectification_closures": RECTIFICATION_CLOSURE_FIELDS,
    "violations": {
        **VIOLATION_FIELDS,
        "inspection_id": "所属检查",
        "institution_id": "所属机构",
        "corrects_id": "更正的记录",
    },
    "subsidy_applications": SUBSIDY_APPLICATION_FIELDS,
    "enrollment_claims": ENROLLMENT_CLAIM_FIELDS,
    "sync_conflict_resolutions": CONFLICT_RESOLUTION_FIELDS,
}

TABLE_NAMES = {
    "institutions": "机构",
    "class_groups": "班级",
    "staff": "人员",
    "institution_events": "备案/普惠/运营",
    "children": "幼儿",
}


def field_label(table: str, attribute: str) -> str:
    return BY_TABLE.get(table, {}).get(attribute, attribute)
