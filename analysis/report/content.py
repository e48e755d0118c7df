"""The report's content, assembled once from the workspace and rendered by every format.

Counts follow analysis.reduction: one catalogue item per (category, batch, headings, name), the
item taking its best member's outcome, so every table here adds up to `by_category`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pandas as pd

from .. import reduction
from ..categories import default_scheme
from ..cross_category import cross_category
from ..decisions import decision_log, outcomes
from ..flags import catalogue_flags, unit_assessor_flags
from ..pipeline import require_analysis
from ..rules import default_rules
from ..store import Store

ACTION_ZH = {"keep": "保留", "merge": "整合归并", "drop": "取消", "convert": "调整转化",
             "entrust": "委托考核", "undo": "撤销"}  # fmt: skip
REASON_ZH = {
    "MERGE_DUPLICATE": "相互涵盖、重复率高", "MULTI_ASSESSOR": "多头考核、重复考核",
    "DROP_TRACE": "留痕类（会议、文件、台账）", "DROP_APP_USAGE": "政务应用程序使用情况",
    "DROP_OFF_DUTY": "与单位职责无关", "DROP_LOW_WEIGHT": "重要性、代表性不强（分值占比低）",
    "CONVERT_ANNUAL": "纳入年度综合考核", "ENTRUST": "委托主管部门考核",
    "METHOD_STATISTICS": "改为数据考核", "KEEP_OUTCOME": "实绩指标",
}  # fmt: skip
SOURCE_ZH = {"recommendation": "系统建议", "decision": "人工决定"}
STATISTICS_METHOD = "数据考核（免实地检查）"
COUNTING_UNIT = (
    "计数口径：按“目录条目”计数——某一考核单位的一张考核表中的一条末级计分指标，在一个单位类别中"
    "计为一条；同一指标按镇分解为多行仍计一条。精减前＝适用于该类别的条目；精减后＝处理结果为保留的"
    "条目（整合归并的一组只计代表指标一条）；取消、被整合归并、调整转化的条目不再单列。"
    "委托考核单位（学校、医院等）另行列示，不计入精减率；合计组别按条数加总后计算，不对精减率求平均。"
)


@dataclass(frozen=True)
class ReportContent:
    generated: date
    rule_version: str
    categories: pd.DataFrame  # by_category with a display label
    pooled: pd.DataFrame  # groups beside the 托克托 reference
    units: pd.DataFrame
    assessors: pd.DataFrame
    matrix: pd.DataFrame
    shared: pd.DataFrame
    cross: pd.DataFrame  # topics imposed on several unit categories
    entrusted: pd.DataFrame
    items: pd.DataFrame  # one row per (category, item): status, reason, source columns
    catalogue: pd.DataFrame  # the kept items, ready to issue
    recommendations: pd.DataFrame
    decisions: pd.DataFrame
    catalogue_flags: pd.DataFrame  # catalogues with 千分制, fine deductions, too many items
    unit_flags: pd.DataFrame  # units assessed by too many assessors


def assemble(store: Store, today: date | None = None) -> ReportContent:
    require_analysis(store)
    scheme = default_scheme()
    categories = reduction.by_category(store)
    categories.insert(1, "label", categories["category"].map(lambda c: scheme.labels.get(c, c)))
    items = item_table(store)
    return ReportContent(
        generated=today or date.today(),
        rule_version="、".join(
            v for (v,) in store.rows("SELECT DISTINCT rule_version FROM recommendations ORDER BY 1")
        ),
        categories=categories,
        pooled=reduction.pooled(categories),
        units=reduction.by_unit(store).sort_values(["category", "unit_name"], key=_category_key),
        assessors=reduction.by_assessor(store),
        matrix=_ordered_matrix(reduction.multi_assessor_matrix(store)),
        shared=reduction.shared_topics(store),
        cross=cross_category(store),
        entrusted=reduction.entrusted_units(store),
        items=items,
        catalogue=_catalogue(items[~items["category"].isin(scheme.entrusted)]),
        recommendations=_recommendations(store),
        decisions=decision_log(store),
        catalogue_flags=catalogue_flags(store),
        unit_flags=unit_assessor_flags(store),
    )


def _category_key(column: pd.Series) -> pd.Series:
    """Sort key: categories in the scheme's order, others after them by name."""
    if column.name != "category":
        return column
    order = {c: f"{n:03d}" for n, c in enumerate(default_scheme().categories)}
    return column.map(lambda c: order.get(c, f"999{c}"))


def _ordered_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    columns = [c for c in matrix.columns if c != "合计"]
    columns = sorted(columns, key=lambda c: _category_key(pd.Series([c], name="category"))[0])
    frame = matrix[[*columns, "合计"]].reset_index()
    frame = frame.sort_values(["合计", "assessor"], ascending=[False, True])
    return frame.rename(columns={"assessor": "考核单位"}).reset_index(drop=True)


def item_table(store: Store) -> pd.DataFrame:
    """One row per catalogue item: its best member (the one whose outcome the item takes)."""
    rows = store.query_df(reduction.ITEMS_SQL)
    rank = {status: n for n, status in enumerate(reduction.STATUS_ORDER)}
    rows["_rank"] = rows["action"].map(rank)
    best = (
        rows.sort_values(["category", "item_id", "_rank", "indicator_id"])
        .drop_duplicates(["category", "item_id"])
        .drop(columns=["_rank", "name", "assessor", "score", "batch_id", "reason_code"])
    )
    detail = store.query_df(
        "SELECT r.category, r.indicator_id, r.reason_code, r.reason_zh, r.evidence, "
        "r.suggested_points, i.batch_id, i.seq, i.level1, i.level2, i.name, i.criteria, "
        "i.score, i.score_text, i.assessor FROM recommendations r "
        "JOIN indicators i USING (indicator_id)"
    )
    items = best.merge(detail, on=["category", "indicator_id"], how="left")
    items = items.rename(columns={"action": "status"})
    order = ["category", "assessor", "batch_id", "seq", "indicator_id"]
    return items.sort_values(order, key=_category_key, na_position="last").reset_index(drop=True)


def _catalogue(items: pd.DataFrame) -> pd.DataFrame:
    kept = items[items["status"] == "keep"].copy()
    kept["points"] = kept["suggested_points"].where(kept["suggested_points"].notna(), kept["score"])
    kept["method"] = kept["reason_code"].map({"METHOD_STATISTICS": STATISTICS_METHOD}).fillna("")
    kept["note"] = [_catalogue_note(r) for r in kept.itertuples()]
    return kept.reset_index(drop=True)


def _catalogue_note(row) -> str:
    if row.reason_code == "MERGE_DUPLICATE":
        members = json.loads(row.evidence or "{}").get("members", [])
        note = f"整合归并{len(members)}条相似指标"
        return note + ("，分值取组内最高" if pd.notna(row.suggested_points) else "")
    return "按人工决定保留" if row.source == "decision" else ""


def _recommendations(store: Store) -> pd.DataFrame:
    frame = store.query_df(
        "SELECT r.category, r.indicator_id, i.assessor, i.level1, i.name, i.score, r.action, "
        "r.reason_code, r.reason_zh, r.evidence, r.merge_into, m.name AS merge_into_name, "
        "r.suggested_points, r.basis, r.rule_version, i.batch_id, i.seq "
        "FROM recommendations r JOIN indicators i USING (indicator_id) "
        "LEFT JOIN indicators m ON m.indicator_id = r.merge_into"
    )
    final = outcomes(store)[["category", "indicator_id", "action", "source", "decision_id"]]
    frame = frame.merge(
        final.rename(columns={"action": "outcome"}), on=["category", "indicator_id"]
    )
    order = ["category", "assessor", "batch_id", "seq", "indicator_id"]
    return frame.sort_values(order, key=_category_key, na_position="last").reset_index(drop=True)


# The narrative shared by the docx and the PDF: a list of blocks each renderer lays out.
@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    kinds: tuple[str, ...]  # one of CELL_FORMATS per column
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Chart:
    """Where the PDF places its before/after chart (the docx has none)."""


Block = Heading | Paragraph | Table | Chart
TITLE = "考核指标精简情况通报"
NUMERALS = "一二三四五六七八九十"
CELL_FORMATS = {
    "text": str, "int": lambda v: f"{int(v)}", "pts": lambda v: f"{float(v):g}",
    "pct": lambda v: f"{float(v):.1%}", "ref": lambda v: f"{float(v):.0%}",  # 托克托: whole %
    "pp": lambda v: f"{float(v) * 100:+.1f}",  # difference in percentage points
}  # fmt: skip
CATEGORY_COLUMNS = (
    ("label", "单位类别", "text"), ("before", "精减前（条）", "int"), ("after", "精减后（条）", "int"),
    ("rate", "精减率", "pct"), ("dropped", "取消", "int"), ("merged_away", "整合归并", "int"),
    ("converted", "调整转化", "int"), ("points_before", "精减前分值", "pts"),
    ("points_after", "精减后分值", "pts"), ("points_rate", "分值精减率", "pct"),
)  # fmt: skip
POOLED_COLUMNS = (
    ("group", "组别", "text"), ("before", "精减前（条）", "int"), ("after", "精减后（条）", "int"),
    ("rate", "精减率", "pct"), ("reference_rate", "托克托县", "ref"),
    ("difference", "相差（百分点）", "pp"),
)  # fmt: skip


def format_cell(value: object, kind: str) -> str:
    return "—" if value is None or pd.isna(value) else CELL_FORMATS[kind](value)


def frame_table(frame: pd.DataFrame, columns: tuple[tuple[str, str, str], ...]) -> Table:
    keys, labels, kinds = zip(*columns, strict=True)
    rows = tuple(tuple(r) for r in frame[list(keys)].itertuples(index=False))
    return Table(tuple(labels), tuple(kinds), rows)


def narrative(content: ReportContent) -> list[Block]:
    """The 通报: headline rates, the reference, what changed and why, entrusted units, notes."""
    sections = [_overview(content), _reference(content), _reductions(content),
                _methods(content), _entrusted(content), _multi(content), _flags(content),
                _notes(content)]  # fmt: skip
    blocks: list[Block] = []
    for number, section in zip(NUMERALS, (s for s in sections if s), strict=False):
        title, *rest = section
        blocks += [Heading(f"{number}、{title}"), *rest]
    return blocks


def _label(category: str) -> str:
    return default_scheme().labels.get(category, category)


def _overview(content: ReportContent) -> list:
    table = content.categories
    total = table[["before", "after", "dropped", "merged_away", "converted"]].sum()
    rate = 1 - total["after"] / total["before"] if total["before"] else 0.0
    text = (
        f"本次对 {content.items['assessor'].nunique()} 个考核单位报送的考核指标进行梳理。"
        f"{len(table)} 类考核对象合计精减前 {total['before']} 条、精减后 {total['after']} 条，"
        f"精减 {total['before'] - total['after']} 条，精减率 {rate:.1%}；其中取消 "
        f"{total['dropped']} 条、整合归并 {total['merged_away']} 条、调整转化 {total['converted']} 条。"
        "各类别情况如下（精减率旁列出精减前后条数）："
    )
    return ["总体情况", Paragraph(text), frame_table(table, CATEGORY_COLUMNS), Chart()]


def _reference(content: ReportContent) -> list:
    groups = content.pooled
    if groups.empty:
        return []
    groups = groups.assign(difference=groups["rate"] - groups["reference_rate"])
    members = "；".join(f"{r.group}包括{r.categories}" for r in groups.itertuples()
                        if "、" in r.categories)  # fmt: skip
    text = f"按托克托县的口径合计，合计组别按条数加总后计算，不对精减率求平均。{members}。"
    sources = "；".join(groups["reference_source"])
    return ["与托克托县做法对照", Paragraph(text), frame_table(groups, POOLED_COLUMNS),
            Paragraph(f"参考来源：{sources}。")]  # fmt: skip


def _examples(items: pd.DataFrame, limit: int = 2) -> str:
    picked = items.drop_duplicates("assessor").head(limit)
    return "；".join(
        f"“{r.name}”（{r.assessor}，{_label(r.category)}）：{r.reason_zh}"
        for r in picked.itertuples()
    )


def _counted(content: ReportContent) -> pd.DataFrame:
    return content.items[~content.items["category"].isin(default_scheme().entrusted)]


def _reductions(content: ReportContent) -> list:
    """Per action, its items counted by reason with a couple of examples each."""
    items = _counted(content)
    blocks: list = ["精减情况"]
    for number, action in zip("一二三", ("drop", "merge", "convert"), strict=True):
        chosen = items[items["status"] == action]
        blocks.append(Heading(f"（{number}）{ACTION_ZH[action]} {len(chosen)} 条", level=2))
        for code, group in chosen.groupby("reason_code", sort=True):
            reason = REASON_ZH.get(code, code)
            blocks.append(Paragraph(f"{reason} {len(group)} 条。例如：{_examples(group)}。"))
    return blocks


def _methods(content: ReportContent) -> list:
    kept = content.catalogue[content.catalogue["method"] == STATISTICS_METHOD]
    counts = kept.groupby("category", sort=False).size().reset_index(name="n")
    counts["category"] = counts["category"].map(_label)
    text = (f"保留的指标中有 {len(kept)} 条可由来源可靠、口径规范的统计或监测数据直接计分，建议改为"
            "数据考核、免于实地检查。考核方式调整不改变条数，不计入精减率。")  # fmt: skip
    columns = (("category", "单位类别", "text"), ("n", "改为数据考核（条）", "int"))
    table = frame_table(counts, columns)
    examples = Paragraph(f"例如：{_examples(kept, 3)}。") if len(kept) else Paragraph("")
    return ["考核方式调整", Paragraph(text), table, examples]


def _entrusted(content: ReportContent) -> list:
    units = content.entrusted
    entrusted = content.items[content.items["category"].isin(default_scheme().entrusted)]
    text = (f"{len(units)} 个单位由其主管部门党委（党组）委托考核，不纳入县级考核，另行列示、不计入"
            f"精减率；原适用于这些单位的考核条目共 {len(entrusted)} 条。")  # fmt: skip
    columns = (("unit_name", "单位", "text"), ("category", "类别", "text"),
               ("entrusted_to", "委托考核单位", "text"))  # fmt: skip
    return ["委托考核", Paragraph(text), frame_table(units, columns)]


def _multi(content: ReportContent, limit: int = 10) -> list:
    shared = content.shared.assign(category=content.shared["category"].map(_label))
    text = (f"同一内容由两个及以上考核单位考核（多头考核）的共 {len(shared)} 组，均建议整合归并、"
            f"由一个单位牵头考核。考核单位最多的 {min(limit, len(shared))} 组如下：")  # fmt: skip
    columns = (("category", "单位类别", "text"), ("topic", "指标内容", "text"),
               ("assessors", "考核单位数", "int"), ("assessor_list", "考核单位", "text"))  # fmt: skip
    return ["多头考核", Paragraph(text), frame_table(shared.head(limit), columns)]


def _flags(content: ReportContent) -> list:
    catalogues, units = content.catalogue_flags, content.unit_flags
    if catalogues.empty and units.empty:
        return []
    text = (f"{catalogues[['file_name', 'sheet']].drop_duplicates().shape[0]} 张考核表存在千分制、"
            f"扣分过细或指标过多的问题（按考核对象计 {len(catalogues)} 处）；"
            f"{len(units)} 个单位接受考核的单位数超过设定上限"
            f"（{default_rules().flags['too_many_assessors']:g} 个，可在规则文件中调整）。")  # fmt: skip
    columns = (("unit_name", "单位", "text"), ("assessors", "考核单位数", "int"))
    return ["考核表层面问题", Paragraph(text), frame_table(units.head(10), columns)]


def _notes(content: ReportContent) -> list:
    decided = int((content.items["source"] == "decision").sum())
    text = (f"建议依据的规则版本：{content.rule_version}；已记录人工决定 {len(content.decisions)} 条，"
            f"涉及 {decided} 个条目，决定优先于系统建议。本通报由系统根据分析建议和已记录的决定生成，"
            "最终结果以县委组织部审定为准。")  # fmt: skip
    return ["说明", Paragraph(COUNTING_UNIT), Paragraph(text)]
