"""Smaller line departments' catalogues, the 督查室's routine checks and town task breakdowns."""

from __future__ import annotations

from analysis.synth.build import SheetSpec
from analysis.synth.catalogues import TOWNS_LABEL, FileSpec, lay
from analysis.synth.catalogues_lines import DEPTS, _depts, _t, _towns
from analysis.synth.county import COUNTY, YEAR, units_of

BREAKDOWN = lay(
    "seq:序号 target:考核对象 name:指标名称 goal:目标任务 score:分值 crit:计分办法",
    total=False,
)
LAYOUTS = {
    "plain": lay("seq:序号 l1:考核项目 name:考核内容 score:分值 crit:评分标准"),
    "ranked": lay("seq:序号 l1:考核类别 name:考核事项 score:赋分 crit:计分方法 method:考核方式"),
    "numbered": lay(
        "seq:序号 name:工作任务 score:分值 crit:考核细则 note:备注",
        l1_mode="section_merged",
        leaf_num="(1)",
    ),
    "party": lay(
        "seq:序号 l1:考核内容 name:考核要点 score:分值 crit:评分细则 method:考核方法",
        l1_num="",
        leaf_num="1.",
        subtotal=True,
    ),
    "checks": lay(
        "seq:序号 l1:督查类别 name:督查事项 score:分值 crit:评分标准 method:督查方式",
        l1_mode="repeat",
        l1_num="",
    ),
}
# owner | file name ({Y} = year) | layout | title (after 各镇（街道）)
SMALL_LINES = """
人社|县人社局-{Y}年各镇就业和社会保障工作考核.xlsx|plain|就业和社会保障工作考核细则
住建|县住建局_{Y}年各镇城乡建设和房屋安全工作考核.xlsx|ranked|城乡建设工作考核细则
文旅|县文化广电旅游局-{Y}年度各镇文化旅游工作考核.xlsx|numbered|文化旅游工作考核细则
统计|县统计局{Y}年度各镇统计工作考核细则.xlsx|plain|统计工作考核细则
水利|县水利局-{Y}年各镇水利工作考核.xlsx|ranked|水利工作考核细则
林业|县林业局_{Y}年度各镇林长制工作考核.xlsx|numbered|林长制工作考核细则
医保|县医保局{Y}年各镇医疗保障工作考核.xlsx|plain|医疗保障工作考核细则
退役|县退役军人事务局-{Y}年各镇退役军人工作考核.xlsx|plain|退役军人工作考核
"""
# owner | file name | what is broken down | level-2 headings | required tag
BREAKDOWNS = """
应急|县应急管理局-{Y}年各镇安全生产控制指标分解.xlsx|安全生产控制指标|责任落实,重点领域|statistics_method
农业|农业农村局_{Y}年各镇粮食和重要农产品生产目标任务分解.xlsx|粮食和重要农产品生产|粮食安全,农业生产|outcome
自然|自然资源局-{Y}年度各镇耕地保护和国土绿化目标责任分解.xlsx|耕地保护和国土绿化|自然资源保护|outcome
生态|县生态环境局-{Y}年各镇环境质量改善目标分解.xlsx|环境质量改善|大气和水污染防治|statistics_method
卫健|卫健委-{Y}年各镇基本公共卫生服务主要指标分解.xlsx|基本公共卫生服务主要指标|卫生健康,公共卫生|statistics_method
"""


def _table(text: str) -> list[list[str]]:
    return [line.replace("{Y}", str(YEAR)).split("|") for line in text.strip().splitlines()]


def breakdown(owner: str, what: str, level2s: tuple[str, ...], tag: str) -> SheetSpec:
    """A per-town target breakdown sheet (任务分解): every town gets the same indicators."""
    return SheetSpec(
        "任务分解",
        owner=owner,
        codes="T",
        target="",
        layout=BREAKDOWN,
        title=f"{COUNTY}{YEAR}年各镇（街道）{what}目标任务分解表",
        units=units_of("T"),
        level2s=level2s,
        require_tags=(tag,),
        goals=True,
        canonical=1,
        synonym=0,
    )


def small_lines() -> list[FileSpec]:
    """人社, 住建, 文旅, 统计, 水利, 林业, 医保, 退役军人, 机关工委, 网信办."""
    files = [
        FileSpec(name, "xlsx", [_towns(owner, LAYOUTS[layout], what)])
        for owner, name, layout, what in _table(SMALL_LINES)
    ]
    party = _depts("工委", LAYOUTS["party"], "机关党建工作考核细则", sheet="县直单位", dups=0.03)
    files.append(FileSpec(f"县直机关工委-{YEAR}年度机关党建工作考核细则.xlsx", "xlsx", [party]))
    what = "网络安全和网络意识形态工作考核"
    net = [
        _towns("网信", LAYOUTS["plain"], what, sheet="各镇"),
        _depts("网信", LAYOUTS["plain"], what),
    ]
    files.append(FileSpec(f"县委网信办_{YEAR}年度网络安全和舆情工作考核.xlsx", "xlsx", net))
    return files


def routine_checks() -> list[FileSpec]:
    """县委督查室's routine checks: a reworded subset of the annual content (日常督查 → convert)."""
    common = dict(
        owner="组织",
        assessor="县委办公室",
        layout=LAYOUTS["checks"],
        share=0.4,
        convert=True,
        canonical=0.1,
        synonym=0.6,
    )
    towns = SheetSpec(
        TOWNS_LABEL,
        codes="T",
        target="各镇",
        title=_t("各镇（街道）重点工作日常督查评分表"),
        **common,
    )
    depts = SheetSpec(
        "县直部门",
        codes=DEPTS,
        target="县直部门",
        title=_t("县直部门重点工作日常督查评分表"),
        **common,
    )
    name = f"县委督查室-{YEAR}年度重点工作日常督查考核（各镇、县直部门）.xlsx"
    return [FileSpec(name, "xlsx", [towns, depts])]


def breakdowns() -> list[FileSpec]:
    """Per-town target breakdowns issued by 应急, 农业农村, 自然资源, 生态环境 and 卫健."""
    return [
        FileSpec(name, "xlsx", [breakdown(owner, what, tuple(level2s.split(",")), tag)])
        for owner, name, what, level2s, tag in _table(BREAKDOWNS)
    ]
