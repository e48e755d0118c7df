"""Key construction projects (重点项目) assigned to towns and economic departments.

Each project is its own indicator in the 重点项目办's table, with a 责任单位 column naming the
unit that is assessed on it (责任单位 is ambiguous in real catalogues: here it is the assessee).
"""

from __future__ import annotations

from analysis.synth.build import SheetSpec
from analysis.synth.catalogues import FileSpec, lay
from analysis.synth.concepts import Concept
from analysis.synth.county import COUNTY, YEAR, Unit, roster

INDUSTRIES = (
    "茶叶精深加工",
    "农产品冷链物流",
    "竹木制品",
    "新型建材",
    "分布式光伏发电",
    "中药材种植加工",
    "文旅康养",
    "电子元器件",
    "生猪标准化养殖",
    "圩镇污水管网",
    "圩镇提质改造",
    "农贸市场改造",
    "乡村振兴示范片",
    "高标准农田提升",
    "油茶低产林改造",
    "山塘水库除险加固",
    "农村供水保障",
)
KINDS = ("产业园项目", "基地建设项目", "工程", "提升项目", "综合开发项目")
DEPT_PROJECTS = {
    "县发展和改革局": ("县城物流园区", "城乡一体化供水", "青禾大道延伸", "县域充电基础设施"),
    "县工业和信息化局": ("工业园区标准厂房", "园区智能制造示范", "工业园区污水处理厂", "5G基站"),
    "县交通运输局": ("县乡公路改造", "农村公路安全生命防护", "城乡客运综合站", "旅游公路"),
    "县水利局": ("禾江防洪堤", "灌区续建配套与节水改造", "中小河流治理", "县城第二水源"),
    "县住房和城乡建设局": (
        "禾江片区棚户区改造",
        "城区雨污分流改造",
        "保障性租赁住房",
        "城北片区城市更新",
    ),
}
PROJECT_UNITS = ("T", "E")


def _town_projects(town: Unit, index: int) -> list[str]:
    short = town.name.removesuffix("管理委员会")
    names = []
    for k in range(5):
        industry = INDUSTRIES[(index * 5 + k * 3) % len(INDUSTRIES)]
        names.append(f"{short}{industry}{KINDS[(index + k) % len(KINDS)]}")
    return names


def project_concepts() -> list[Concept]:
    """One concept per project (P…), bound to the unit that answers for it."""
    concepts = []
    towns = [u for u in roster() if u.code == "T"]
    assigned = [(t, _town_projects(t, i)) for i, t in enumerate(towns)]
    by_name = {u.name: u for u in roster()}
    assigned += [(by_name[n], [f"{p}项目" for p in ps]) for n, ps in DEPT_PROJECTS.items()]
    for unit, names in assigned:
        for name in names:
            cid = f"P{len(concepts) + 1:04d}"
            forms = [name]
            concepts.append(
                Concept(
                    cid,
                    "重点项目",
                    "",
                    forms,
                    name,
                    4,
                    "完",
                    ["outcome"],
                    ["项目"],
                    unit.code,
                    unit=unit.name,
                )
            )
    return concepts


def project_file() -> FileSpec:
    """The 重点项目办 table: one row per project, 责任单位 and 年度计划 columns."""
    layout = lay(
        "seq:序号 name:项目名称 target:责任单位 goal:年度目标任务 score:分值 crit:考核办法 "
        "method:考核方式",
        total=False,
        notes=("注：项目进度以县重点项目办季度调度数据为准，年底按年度目标任务完成情况计分。",),
    )
    units = [u for u in roster() if u.code in PROJECT_UNITS]
    sheet = SheetSpec(
        "重点项目",
        owner="项目",
        codes=PROJECT_UNITS,
        target="",
        layout=layout,
        title=f"{COUNTY}{YEAR}年度重点项目建设考核任务表",
        units=units,
        goals=True,
        total=20,
        canonical=1,
        synonym=0,
        assessor="县发展和改革局",
    )
    return FileSpec(
        f"县发改局（重点项目办）_{YEAR}年度重点项目建设考核任务表.xlsx", "xlsx", [sheet]
    )
