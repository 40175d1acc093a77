"""Word lists that make the demo read like a real Zhangye register: names, addresses, phones."""

from __future__ import annotations

import random

from desktop.domain.enums import Sex, SponsorType, StaffRole

SURNAMES = (
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "赵",
    "黄",
    "周",
    "吴",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "高",
    "林",
    "罗",
    "郑",
    "梁",
    "谢",
    "宋",
    "唐",
    "许",
    "韩",
    "冯",
    "邓",
    "曹",
    "彭",
    "曾",
    "田",
    "董",
    "袁",
    "潘",
    "蒋",
    "蔡",
    "余",
    "杜",
    "叶",
    "程",
    "魏",
    "苏",
    "吕",
    "丁",
    "任",
    "沈",
    "姚",
    "卢",
    "姜",
    "崔",
    "钟",
    "谭",
    "陆",
    "汪",
    "范",
    "金",
    "石",
    "廖",
    "贾",
    "安",
    "祁",
    "鲁",
)
FEMALE_GIVEN = (
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "艳",
    "娟",
    "霞",
    "秀英",
    "玲",
    "燕",
    "婷",
    "雪",
    "慧",
    "晶",
    "倩",
    "琳",
    "欣怡",
    "雅琴",
    "春梅",
    "海燕",
    "晓红",
    "丹",
    "蕾",
    "佳",
    "梦瑶",
    "思彤",
    "玉兰",
    "桂芳",
    "文静",
    "亚楠",
    "蓉",
    "颖",
    "璐",
    "瑾",
    "昕",
)
MALE_GIVEN = (
    "伟",
    "强",
    "磊",
    "军",
    "勇",
    "杰",
    "涛",
    "斌",
    "超",
    "明",
    "刚",
    "平",
    "辉",
    "鹏",
    "华",
    "飞",
    "建国",
    "志强",
    "海军",
    "永刚",
    "晓东",
    "文博",
    "浩然",
    "宇航",
    "子轩",
)

BRANDS = (
    "阳光宝贝",
    "小太阳",
    "童之梦",
    "启明星",
    "金色童年",
    "彩虹树",
    "七色花",
    "小橡树",
    "蒲公英",
    "快乐宝贝",
    "爱贝",
    "乐育",
    "童心",
    "小天使",
    "睿宝",
    "萌芽",
    "禾苗",
    "向日葵",
    "星星河",
    "丹霞",
    "湿地宝贝",
    "祁连",
    "甘泉",
    "小海豚",
    "贝乐",
    "暖阳",
    "童乐汇",
    "木棉",
    "小博士",
    "亲亲宝贝",
)
SOCIAL_SUFFIXES = ("托育中心", "托育园", "托育服务中心", "婴幼儿照护中心", "早教托育中心", "托育有限公司")
KINDERGARTENS = (
    "第一幼儿园",
    "第二幼儿园",
    "第三幼儿园",
    "实验幼儿园",
    "中心幼儿园",
    "机关幼儿园",
    "育才幼儿园",
    "红星幼儿园",
    "新星幼儿园",
    "博雅幼儿园",
)
EMPLOYERS = (
    "人民医院",
    "供电公司",
    "农商银行",
    "工业园区管委会",
    "电厂",
    "铁路站段",
    "市场监督管理局",
    "烟草公司",
    "移动公司",
    "中学",
)
PUBLIC_INSTITUTIONS = ("机关事务服务中心", "教育局", "卫生健康局", "人民检察院", "税务局", "融媒体中心")
COMMUNITIES = ("东方", "西关", "南关", "北环", "滨河", "丽景", "欣和", "润泉", "金安", "华庭", "玉水", "振兴")
CHAIN_BRANDS = ("贝乐托育", "爱儿托育", "金宝贝", "美吉姆托育")
ROADS = (
    "县府街",
    "青年东街",
    "南环路",
    "北环路",
    "河西路",
    "民主西街",
    "长沙门路",
    "滨河路",
    "育才路",
    "甘泉路",
    "玉水苑路",
    "西大街",
    "东大街",
    "人民路",
    "文化路",
    "建设路",
    "新华路",
    "解放路",
)
CLOSURE_REASONS = (
    "生源不足，举办者申请停办",
    "租赁到期未续租",
    "消防条件不达标，整改无望，主动关闭",
    "举办者变更经营方向",
)
SUSPENSION_REASONS = ("场所装修改造", "消防整改期间暂停收托", "负责人变更，暂停运营待重新备案", "疫情防控临时停托")
EDUCATION_LEVELS = ("中专", "高中", "大专", "大专", "本科", "本科", "硕士")
QUALIFICATIONS = {
    StaffRole.PRINCIPAL: ("保育师（高级）", "幼儿园园长任职资格", "育婴员（高级）"),
    StaffRole.CARER: ("保育师", "育婴员", "保育师（中级）", "育婴员（中级）", "幼儿园教师资格证"),
    StaffRole.HEALTH_STAFF: ("护士执业证书", "医师执业证书", "托幼机构保健人员培训合格证"),
    StaffRole.COOK: ("中式烹调师", "食品安全管理员"),
    StaffRole.SECURITY: ("保安员证",),
    StaffRole.OTHER: ("无",),
}


def county_short_name(county_name: str) -> str:
    """ "肃南裕固族自治县" -> "肃南县"; "甘州区" stays."""
    if county_name.endswith("自治县"):
        return county_name[:2] + "县"
    return county_name


def person_name(rng: random.Random, sex: Sex | None = None) -> str:
    if sex is None:
        sex = Sex.FEMALE if rng.random() < 0.6 else Sex.MALE
    given = FEMALE_GIVEN if sex is Sex.FEMALE else MALE_GIVEN
    return rng.choice(SURNAMES) + rng.choice(given)


def institution_name(
    rng: random.Random, sponsor: SponsorType, county_name: str, township_name: str, serial: int
) -> str:
    county = county_short_name(county_name)
    brand = rng.choice(BRANDS)
    # Larger demos reuse brands: the township keeps names apart the way real registers do.
    place = township_name if serial > len(BRANDS) else ""
    if sponsor is SponsorType.SOCIAL:
        prefix = "张掖市" if rng.random() < 0.25 else county
        return f"{prefix}{place}{brand}{rng.choice(SOCIAL_SUFFIXES)}"
    if sponsor is SponsorType.KINDERGARTEN_CLASS:
        return f"{county}{township_name}{rng.choice(KINDERGARTENS)}托班"
    if sponsor is SponsorType.COMMUNITY_EMBEDDED:
        return f"{county}{township_name}{rng.choice(COMMUNITIES)}社区嵌入式托育点"
    if sponsor is SponsorType.PUBLIC:
        return f"{county}{township_name}公办托育中心" if rng.random() < 0.6 else f"张掖市{county}托育综合服务中心"
    if sponsor is SponsorType.EMPLOYER_CLASS:
        return f"{county}{rng.choice(EMPLOYERS)}职工托育室"
    if sponsor is SponsorType.PUBLIC_INSTITUTION_CLASS:
        return f"{county}{rng.choice(PUBLIC_INSTITUTIONS)}托班"
    if sponsor is SponsorType.MEDICAL:
        return f"{county}妇幼保健院{place}托育部"
    return f"{county}{township_name}{person_name(rng, Sex.FEMALE)}家庭托育点"


def address(rng: random.Random, county_name: str, township_name: str) -> str:
    return f"甘肃省张掖市{county_name}{township_name}{rng.choice(ROADS)}{rng.randint(1, 399)}号"


def medical_partner(rng: random.Random, county_name: str) -> str:
    return rng.choice(
        (
            f"{county_name}妇幼保健院",
            f"{county_name}人民医院",
            f"{county_name}中医医院",
            "张掖市妇幼保健院",
            "张掖市人民医院",
        )
    )


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"


def phone(rng: random.Random) -> str:
    """Zhangye landlines use area code 0936; many institutions give a mobile instead."""
    return f"0936-{rng.randint(5000000, 8999999)}" if rng.random() < 0.4 else mobile(rng)
