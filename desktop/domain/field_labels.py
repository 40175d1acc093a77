"""The Chinese name of every field a clerk sees, by table and attribute: one place for forms, history
and import reports, so a field is called the same everywhere."""

from __future__ import annotations

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

BY_TABLE = {
    "institutions": INSTITUTION_FIELDS,
    "class_groups": CLASS_GROUP_FIELDS,
    "staff": STAFF_FIELDS,
    "institution_events": EVENT_FIELDS,
    "children": CHILD_FIELDS,
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
