"""Line departments' own catalogues (条线考核) and the entrusted units' catalogues."""

from __future__ import annotations

from analysis.synth import styles
from analysis.synth.build import SheetSpec
from analysis.synth.catalogues import TOWNS_LABEL, FileSpec
from analysis.synth.county import COUNTY, YEAR, units_of

DEPTS = "PMLES"


def _t(what: str) -> str:
    return f"{COUNTY}{YEAR}年度{what}"


def _towns(owner: str, layout, what: str, sheet: str = TOWNS_LABEL, **kw) -> SheetSpec:
    kw.setdefault("title", _t(f"各镇（街道）{what}"))
    return SheetSpec(
        sheet, owner=owner, codes="T", target="各镇", layout=layout, sub_levels=True, **kw
    )


def _depts(owner: str, layout, what: str, sheet: str = "县直部门", **kw) -> SheetSpec:
    kw.setdefault("title", _t(f"县直部门{what}"))
    return SheetSpec(
        sheet, owner=owner, codes=DEPTS, target="县直部门", layout=layout, sub_levels=True, **kw
    )


def safety_and_ecology() -> list[FileSpec]:
    """应急, 生态 (HTML .xls), 自然资源, 河长办."""
    what, river = "安全生产工作考核细则", "河湖长制工作考核细则"
    safety = [
        _towns("应急", styles.SAFETY, what, dups=0.03, subtitle="（基础分100分，实行扣分制）"),
        _depts("应急", styles.SAFETY_DEPTS, what, sheet="县直部门（行业监管）"),
    ]
    eco = _towns("生态", styles.ECOLOGY, "生态环境保护工作考核细则", synonym=0.4)
    land = _towns("自然", styles.LAND, "自然资源和耕地保护工作考核办法", trad=0.06)
    rivers = [
        _towns("河长", styles.RIVER, river, sheet="乡镇"),
        _depts("河长", styles.RIVER, river, sheet="县级责任单位"),
    ]
    return [
        FileSpec(f"县应急管理局-各镇安全生产考核细则（{YEAR}）.xlsx", "xlsx", safety),
        FileSpec("生态环境局各镇生态环境保护工作考核.xls", "html", [eco]),
        FileSpec(f"自然资源局各镇自然资源和耕地保护考核{YEAR}.xlsx", "xlsx", [land]),
        FileSpec(f"县河长办-{YEAR}年度河湖长制工作考核细则.xlsx", "xlsx", rivers),
    ]


def _peace_and_discipline() -> list[FileSpec]:
    peace = dict(level1s=("社会治理",), lead=True)
    what = "党风廉政建设责任制考核细则"
    return [
        FileSpec(
            f"政法委_{YEAR}年度平安建设考核（各镇、县直部门）.xlsx",
            "xlsx",
            [
                _towns("政法", styles.PEACE, "平安建设（综治工作）考核评分细则", **peace),
                _depts("政法", styles.PEACE, "平安建设考核评分细则", **peace),
            ],
        ),
        FileSpec(
            f"县纪委监委_{YEAR}党风廉政建设考核细则（全县各单位）.xlsx",
            "xlsx",
            [
                _towns("纪委", styles.DISCIPLINE, what, sheet="乡镇（街道）"),
                _depts("纪委", styles.DISCIPLINE, what, sheet="县直单位"),
            ],
        ),
    ]


def governance() -> list[FileSpec]:
    """信访 (GBK CSV), 政法委 (牵头单位 column), 纪委, 宣传部, 统战部 (traditional)."""
    petition = _towns("信访", styles.PETITION, "信访工作目标管理考核细则")
    publicity = [
        _towns("宣传", styles.PUBLICITY, "宣传思想文化工作考核细则", sheet="各镇"),
        _depts("宣传", styles.PUBLICITY, "意识形态工作责任制考核细则"),
    ]
    united = [
        _towns("统战", styles.PLAIN, "统一战线工作考核细则", sheet="鄉鎮（街道）", trad=1.0),
        _depts("统战", styles.PLAIN, "统一战线工作考核细则", sheet="縣直單位", trad=1.0),
    ]
    publicity_name = f"县委宣传部-意识形态和宣传思想文化工作考核（各镇、县直部门）{YEAR}.xlsx"
    return [
        FileSpec(f"信访局_各镇信访工作考核（{YEAR}）.csv", "csv-gbk", [petition]),
        *_peace_and_discipline(),
        FileSpec(publicity_name, "xlsx", publicity),
        FileSpec(f"統戰部{YEAR}年度統一戰線工作考核細則.xlsx", "xlsx", united, traditional=True),
    ]


def _economy() -> FileSpec:
    tasks = SheetSpec(
        "任务分解",
        owner="发改",
        codes="T",
        target="",
        layout=styles.ECON_TASKS,
        title=f"{COUNTY}{YEAR}年各镇（街道）主要经济指标考核任务分解表",
        subtitle="单位：亿元、%、个",
        units=units_of("T"),
        level2s=("主要经济指标", "项目建设", "招商引资"),
        require_tags=("outcome",),
        goals=True,
        canonical=1,
        synonym=0,
    )
    business = _towns(
        "发改",
        styles.PLAIN,
        "优化营商环境和项目服务考核细则",
        sheet="营商环境",
        level2s=("优化营商环境", "项目建设"),
    )
    name = f"县发展和改革局-{YEAR}年各镇（街道）主要经济指标考核任务分解表.xlsx"
    return FileSpec(name, "xlsx", [tasks, business])


def economy_and_livelihood() -> list[FileSpec]:
    """发改 (考核对象 column), 财政 (UTF-8 BOM CSV), 农业农村, 卫健 (权重 %), 民政, 市监."""
    finance = _towns("财政", styles.FINANCE, "财政管理工作考核细则")
    farming = _towns("农业", styles.FARMING, "乡村振兴实绩考核细则", dups=0.03)
    health = _towns("卫健", styles.HEALTH, "卫生健康工作考核细则（权重制）")
    civil = _towns("民政", styles.CIVIL, "", sheet="Sheet1", title="", trad=0.08)
    food_title = f"{COUNTY}{YEAR}年第三季度各镇（街道）食品安全工作考核评分表"
    food = _towns("市监", styles.FOOD, "", sheet="三季度", convert=True, title=food_title)
    return [
        _economy(),
        FileSpec(f"财政局-{YEAR}年度财政管理工作考核.csv", "csv-bom", [finance]),
        FileSpec(f"农业农村局 {YEAR}年度乡村振兴实绩考核细则（各镇）.xlsx", "xlsx", [farming]),
        FileSpec(f"卫健委_各镇卫生健康工作考核（{YEAR}）.xlsx", "xlsx", [health]),
        FileSpec(f"县民政局-{YEAR}年各镇民政工作目标考核.xlsx", "xlsx", [civil]),
        FileSpec(f"县市场监管局_{YEAR}年第三季度食品安全工作考核（各镇）.xlsx", "xlsx", [food]),
    ]


def special_and_entrusted() -> list[FileSpec]:
    """组织部 党建专项 (convert), 教育局 → schools, 卫健委 → hospitals."""
    special = _towns(
        "党建", styles.PARTY_SPECIAL, "党委书记抓基层党建工作专项述职评议考核细则", convert=True
    )
    schools = SheetSpec(
        "学校",
        owner="教育",
        codes="X",
        target="学校",
        layout=styles.SCHOOLS,
        title=_t("中小学校（幼儿园）办学质量考核细则"),
        dups=0.02,
    )
    hospitals = SheetSpec(
        "公立医院",
        owner="卫健",
        codes="H",
        target="医院",
        layout=styles.HOSPITALS,
        title=_t("县级公立医院绩效考核指标"),
    )
    return [
        FileSpec(f"组织部_{YEAR}年度基层党建工作专项述职评议考核（各镇）.xlsx", "xlsx", [special]),
        FileSpec(f"县教育局-{YEAR}年度中小学校（幼儿园）办学质量考核细则.xlsx", "xlsx", [schools]),
        FileSpec(f"县卫健委-公立医院年度绩效考核指标（{YEAR}）.xlsx", "xlsx", [hospitals]),
    ]
