"""The sample county's catalogue files: who assesses whom, file names, titles and layouts."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.synth.build import SheetSpec
from analysis.synth.county import COUNTY, YEAR, roster
from analysis.synth.grid import Layout

TOWNS_LABEL = "各镇（街道）"
NOTES = (
    "注：1. 加分项目另行计算，单项最高加分以各项标注为准。",
    "2. 扣分项扣完该项分值为止；一票否决事项不计入总分。",
    "3. 考核数据以县统计局和各牵头单位年底提供的数据为准。",
)
GUIDE = (
    "填表说明",
    "一、本表分执法监督部门、综合经济部门两个工作表，请按本单位所属类别填报。",
    "二、“标准分”为该项满分，“考核细则”为扣分依据，请勿修改表格结构。",
    "三、各单位于2025年1月10日前将自评得分及佐证材料报县考核办。",
    "四、联系人：县考核办 张同志，电话：0000-1234567（示例）。",
)


@dataclass
class FileSpec:
    """One file: its name, format and catalogue sheets (plus non-catalogue sheets)."""

    name: str
    fmt: str
    sheets: list[SheetSpec]
    extra_sheets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    traditional: bool = False


def lay(spec: str, **kw) -> Layout:
    """`lay("seq:序号 name:指标名称")` → Layout with those column roles and headers."""
    pairs = [p.split(":") for p in spec.split()]
    return Layout(cols=tuple(r for r, _ in pairs), headers=dict(pairs), **kw)


def _title(what: str) -> str:
    return f"{COUNTY}{YEAR}年度{what}"


def _dept_units():
    return [u for u in roster() if u.code in "PMLES"]


TOWN_ANNUAL = lay(
    "seq:序号 l1:一级指标 l2:二级指标 name:考核内容 score:分值 crit:评分标准 method:考核方式 note:备注",
    groups=(("考核指标", "l1", "l2"),),
    l1_points=True,
    subtotal=True,
    notes=NOTES,
    score_unit="",
)
PARTY_ANNUAL = lay(
    "seq:序号 name:考核事项 score:分值 crit:评分细则 note:备注",
    l1_mode="section_merged",
    l1_points=True,
    leaf_num="1.",
    blank_between=True,
    ranges=True,
)
DEPT_ANNUAL = lay(
    "seq:序号 l1:考核类别 l2:考核项目 name:考核内容 score:标准分 crit:考核细则 method:数据来源",
    l1_mode="first",
    l2_mode="first",
    l2_num="（一）",
    leaf_num="(1)",
)
MASS_ANNUAL = lay(
    "seq:序号 l1:一级指标 name:指标名称 score:分值 crit:评分标准", leaf_num="1、", subtotal=True
)
SOCIAL_ANNUAL = lay(
    "l2:二级指标 name:三级指标 score:权重分 crit:计分方法 method:考核方式",
    l1_mode="section",
    l1_num="1.",
    l2_num="1.1",
    leaf_num="1.1.1",
    ranges=True,
    notes=("说明：各项指标得分之和为部门年度综合考核得分。",),
)
DUTIES = lay(
    "seq:序号 l1:被考核单位 name:职能目标 score:分值 crit:评分标准",
    l1_num="",
    total=False,
    notes=("备注：职能目标由各部门申报、县考核办审定，分值计入年度综合考核“职能工作”部分。",),
)


def annual(sheet: str, codes: str, layout: Layout, title: str, **kw) -> SheetSpec:
    """A sheet of the 组织部 annual assessment; department categories get 75 % of the pool."""
    kw.setdefault("share", 1.0 if codes == "T" else 0.75)
    kw.setdefault("target", sheet)
    return SheetSpec(
        sheet,
        owner="组织",
        codes=codes,
        layout=layout,
        title=_title(title),
        canonical=0.7,
        dups=0.04,
        **kw,
    )


def _single(name: str, fmt: str, sheet: SheetSpec) -> FileSpec:
    return FileSpec(name, fmt, [sheet])


def _towns_annual() -> FileSpec:
    sheet = annual(
        TOWNS_LABEL,
        "T",
        TOWN_ANNUAL,
        "各镇（街道）高质量发展综合考核指标（千分制）",
        target="各镇",
        total=1000,
        multiline=True,
        subtitle="适用范围：各镇、街道，青禾经济开发区管委会、禾山旅游度假区管委会",
    )
    return _single(f"组织部_{YEAR}年度各镇（街道）综合考核指标.xlsx", "xlsx", sheet)


def _two_categories_annual() -> FileSpec:
    sheets = [
        annual(name, code, DEPT_ANNUAL, f"{name}综合考核指标")
        for name, code in (("执法监督部门", "L"), ("综合经济部门", "E"))
    ]
    name = f"考核办-{YEAR}年度县直部门综合考核指标（执法监督、综合经济）.xlsx"
    return FileSpec(name, "xlsx", sheets, extra_sheets={"填表说明": GUIDE})


def _social_annual() -> FileSpec:
    sheet = annual(
        "社会事务部门",
        "S",
        SOCIAL_ANNUAL,
        "社会事务部门综合考核实施细则",
        subtitle="中共青禾县委考核工作领导小组办公室　2024年3月印发",
    )
    return _single(f"组织部_{YEAR}年度社会事务部门综合考核指标.xlsx", "xlsx", sheet)


def _duties() -> FileSpec:
    sheet = SheetSpec(
        "职能目标",
        owner="职能",
        codes="PMLES",
        target="",
        layout=DUTIES,
        total=30,
        title=_title("县直部门职能目标考核表"),
        units=_dept_units(),
        canonical=1,
        synonym=0,
    )
    return _single(f"县委考核办_{YEAR}年度县直部门职能目标考核表.xlsx", "xlsx", sheet)


def annual_files() -> list[FileSpec]:
    """The 组织部 (考核办) annual comprehensive assessment, one catalogue per category."""
    party = annual("党委部门", "P", PARTY_ANNUAL, "党委部门综合考核指标")
    mass = annual("群团部门", "M", MASS_ANNUAL, "群团部门综合考核指标")
    return [
        _towns_annual(),
        _single(f"组织部_{YEAR}年度党委部门综合考核指标.xlsx", "xlsx", party),
        _two_categories_annual(),
        _single(f"群团部门综合考核指标{YEAR}.xls", "xls", mass),
        _social_annual(),
        _duties(),
    ]
