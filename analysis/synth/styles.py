"""Layouts (column roles, headers, habits) of the line departments' catalogue files."""

from __future__ import annotations

from analysis.synth.catalogues import NOTES, lay

SAFETY = lay("seq:序号 l1:考核项目 name:考核内容 score:分值 crit:扣分标准")
SAFETY_DEPTS = lay("seq:序号 l1:考核项目 name:考核内容 score:分值 crit:评分标准", ded_label=True)
ECOLOGY = lay(
    "seq:序号 l1:考核项目 name:考核内容 base:基础分 bonus:加分 crit:评分标准",
    groups=(("分值", "base", "bonus"),),
)
LAND = lay(
    "seq:序号 l1:考核项目 name:考核指标 base:基础分 bonus:加分 crit:评分办法",
    groups=(("分值", "base", "bonus"),),
    notes=NOTES[:2],
)
RIVER = lay("seq:序号 l1:考核项目 name:考核内容 score:各项分值 crit:评分标准 note:说明")
PETITION = lay(
    "seq:序号 name:考核内容 score:分值 crit:评分标准 assessor:考核单位", l1_mode="section"
)
PEACE = lay(
    "seq:序号 l1:考核项目 name:考核指标 score:分值 crit:评分标准 assessor:牵头单位 note:备注"
)
DISCIPLINE = lay(
    "seq:序号 name:考核内容 score:分值 crit:评分标准", l1_mode="section_merged", leaf_num="（１）"
)
PUBLICITY = lay(
    "l1:考核项目 name:考核内容 score:分值 crit:评分标准", l1_mode="repeat", l1_num="", leaf_num="①"
)
PLAIN = lay("seq:序号 l1:考核项目 name:考核内容 score:分值 crit:评分标准")
ECON_TASKS = lay(
    "seq:序号 target:考核对象 name:考核指标 goal:目标值 score:分值 crit:计分方法 method:数据来源",
    total=False,
)
FINANCE = lay(
    "seq:序号 l1:考核项目 name:考核内容 score:分值 crit:评分标准 note:备注", l1_mode="first"
)
FARMING = lay(
    "l1:一级指标 name:二级指标 score:权重 crit:评分细则 method:数据来源",
    l1_num="1.",
    leaf_num="1.1",
    score_unit="",
)
HEALTH = lay(
    "seq:序号 l1:考核项目 name:考核指标 score:权重 method:考核方法 crit:评分标准", score_unit="%"
)
CIVIL = lay(
    "seq:序号 name:考核内容 score:分值 crit:评分标准 note:备注",
    l1_mode="section",
    blank_between=True,
)
FOOD = lay(
    "seq:序号 name:考核内容 score:分值 crit:评分标准 method:考核方式 note:得分",
    l1_mode="section_merged",
)
PARTY_SPECIAL = lay("l1:考核内容 name:考核要点 score:分值 crit:评分标准", l1_num="", leaf_num="1.")
SCHOOLS = lay(
    "seq:序号 l1:一级指标 l2:二级指标 name:考核要点 score:分值 crit:评分细则",
    subtotal=True,
    notes=NOTES[1:],
)
HOSPITALS = lay(
    "seq:序号 l1:一级指标 l2:二级指标 name:三级指标 score:分值 crit:指标导向及评分 method:数据来源",
    l2_mode="repeat",
)
