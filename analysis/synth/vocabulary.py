"""Shared wording: synonyms, criteria templates, numbering styles and header names.

Criteria templates take `{o}` (the indicator's object phrase) and number slots `{a}` (whole
points), `{b}` (fractional points), `{p}` (a percentage) and `{k}` (a count).
"""

from __future__ import annotations

# Rewordings applied to one occurrence of an indicator (first match only). Each pair keeps the
# meaning: these are the synonyms a normaliser is expected to unify (domain.md §4).
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("贯彻落实", "落实"),
    ("落实", "贯彻落实"),
    ("组织开展", "开展"),
    ("开展", "组织开展"),
    ("推进", "推动"),
    ("推动", "推进"),
    ("加强", "强化"),
    ("强化", "加强"),
    ("建立健全", "健全"),
    ("建立", "建立健全"),
    ("完善", "健全完善"),
    ("提升", "提高"),
    ("提高", "提升"),
    ("整治", "治理"),
    ("情况", "工作情况"),
)

# Criteria templates per kind (the kind letter is written in the topic tables).
CRITERIA: dict[str, tuple[str, ...]] = {
    "完": (
        "完成年度目标任务得满分，未完成的按完成比例得分。",
        "全面完成{o}年度任务的得满分，未完成不得分。",
        "完成得满分，完成率每低1个百分点扣{b}分，扣完为止。",
        "对照年初下达任务，按时保质完成的得满分；滞后的视情扣分。",
    ),
    "扣": (
        "每发现1次{o}方面问题扣{b}分，扣完为止。",
        "被上级通报批评的每次扣{a}分，日常督查发现问题每处扣{b}分，扣完为止。",
        "实行扣分制，发生问题每起扣{a}分，未按期整改的加倍扣分。",
        "不设基础分，发现问题每次倒扣{b}分。",
    ),
    "排": (
        "按全县排名计分，第1名得满分，依次递减{b}分。",
        "排名前三位的得满分，其余按名次依次递减{b}分。",
        "根据全县综合排名，分档计分：前5名得满分，6-10名得80%，其余得60%。",
    ),
    "报": (
        "按时报送{o}相关材料得满分，未按时报送扣{a}分，未报送不得分。",
        "资料齐全、台账规范得满分，缺1项扣{b}分。",
        "未按时报送信息或总结的扣{a}分；报送内容不实的扣{a}分。",
        "查阅会议记录、文件和台账资料，每缺1项扣{b}分，扣完为止。",
    ),
    "率": (
        "{o}达到{p}%以上得满分，每低1个百分点扣{b}分，扣完为止。",
        "以统计部门数据为准，达到目标值得满分，低于目标值按比例得分。",
        "{o}不低于{p}%的得满分；低于{p}%的不得分。",
    ),
    "否": (
        "发生较大及以上事故或造成恶劣影响的，实行一票否决。",
        "出现重大{o}问题被上级严肃问责的，年度考核实行一票否决。",
    ),
    "加": (
        "工作经验被省级推广的加{a}分，市级推广的加{b}分，最高加{a}分。",
        "获得国家级表彰的加{a}分、省级加{b}分，同一事项按最高级别计，最高加{a}分。",
        "在全市考核中排名前三位的加{b}分，最高加{a}分。",
    ),
    "评": (
        "根据第三方测评结果，按得分率折算计分。",
        "采取问卷调查和电话回访，按满意率折算得分。",
        "由考核组综合评价，分好、较好、一般三档计分。",
    ),
    "查": (
        "实地查看、查阅资料，工作开展扎实有效得满分，发现问题每项扣{b}分。",
        "随机抽查{k}个点位，发现1处不符合要求扣{b}分。",
        "年底集中检查，对照工作要求逐项评分。",
    ),
    "数": (
        "完成{k}项（次）得满分，每少1项（次）扣{b}分。",
        "全年不少于{k}次，每少1次扣{b}分，扣完为止。",
    ),
    "应": (
        "按平台后台数据计分，{o}达到要求得满分，每低1个百分点扣{b}分。",
        "根据平台月度通报排名计分，排名前5名得满分，每下降1名扣{b}分。",
        "按平台后台统计数据计分，未达到要求的不得分。",
    ),
}

DEFAULT_KIND_BY_TAG = (
    ("veto", "否"),
    ("bonus", "加"),
    ("deduction_only", "扣"),
    ("app_usage", "应"),
    ("trace", "报"),
    ("outcome", "完"),
)

# Tag codes used in the topic tables → tag names written to gold/rows.csv.
TAG_CODES = {
    "tr": "trace",
    "app": "app_usage",
    "lw": "low_weight",
    "cv": "convert_annual",
    "off": "off_duty",
    "out": "outcome",
    "ded": "deduction_only",
    "bon": "bonus",
    "veto": "veto",
    "st": "statistics_method",
}

CN_NUMS = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
FULLWIDTH_DIGITS = str.maketrans("0123456789.()", "０１２３４５６７８９．（）")


def cn_number(n: int) -> str:
    """Chinese numeral for 1..99: `cn_number(12) == "十二"`."""
    if n <= 10:
        return CN_NUMS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUMS[tens - 1]
    return head + "十" + (CN_NUMS[ones - 1] if ones else "")


def leaf_number(style: str, index: int, l1: int = 1, l2: int = 1) -> str:
    """Leaf prefix for a numbering style: `leaf_number("(1)", 3) == "(3)"`."""
    if style == "1.":
        return f"{index}."
    if style == "1、":
        return f"{index}、"
    if style == "(1)":
        return f"({index})"
    if style == "（1）":
        return f"（{index}）"
    if style == "①":
        return CIRCLED[(index - 1) % len(CIRCLED)]
    if style == "1.1.1":
        return f"{l1}.{l2}.{index} "
    if style == "1.1":
        return f"{l1}.{index} "
    if style == "１．":
        return f"{index}.".translate(FULLWIDTH_DIGITS)
    if style == "（１）":
        return f"({index})".translate(FULLWIDTH_DIGITS)
    return ""


def l1_number(style: str, index: int) -> str:
    """Level-1 prefix: "一、" (Chinese) or "1." (digits) or nothing."""
    if style == "一、":
        return f"{cn_number(index)}、"
    if style == "1.":
        return f"{index}."
    return ""


def l2_number(style: str, index: int, l1: int = 1) -> str:
    """Level-2 prefix: "（一）" or "1.1" or nothing."""
    if style == "（一）":
        return f"（{cn_number(index)}）"
    if style == "1.1":
        return f"{l1}.{index} "
    return ""


NOTES_POOL = (
    "注：1. 本细则所列分值为基础分，加分项另行计算，最高不超过{bonus}分。",
    "2. 扣分项扣完该项分值为止，一票否决事项不计入总分。",
    "3. 考核数据以{county}统计局、各牵头单位年底提供的数据为准。",
    "说明：各单位于次年1月10日前将自评报告及佐证材料报送县考核办。",
    "备注：本细则由{assessor}负责解释。",
)
