"""The workbook: summary, tables by category / unit / assessor, 多头考核, the slimmed catalogue
ready to issue, every recommendation with its evidence, and the decision log.

Text cells are always written with write_string (never evaluated); a cell whose text starts
like a formula (=, +, -, @, tab, CR) also gets Excel's quote prefix (the apostrophe of OWASP's
advice) so that editing it later in Excel does not turn it into a formula either.
"""

from __future__ import annotations

import json
import math
import numbers
from datetime import datetime
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from .content import (
    ACTION_ZH,
    CATEGORY_COLUMNS,
    COUNTING_UNIT,
    REASON_ZH,
    SOURCE_ZH,
    TITLE,
    ReportContent,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32_767  # Excel's limit; longer text would be cut silently by Excel
WIDTH_CAP = {"text": 28, "wrap": 60}
WIDTH_SAMPLE = 2000  # rows looked at to size a column
FIELD_ZH = {"name": "指标名称", "criteria": "评分标准", "catalogue": "考核表名称"}
Columns = tuple[tuple[str, str, str], ...]  # (key, Chinese heading, kind)

FORMATS = {
    "header": {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
               "valign": "vcenter", "align": "center"},
    "title": {"bold": True, "font_size": 14},
    "section": {"bold": True, "bg_color": "#F2F2F2"},
    "text": {"valign": "top"},
    "wrap": {"valign": "top", "text_wrap": True},
    "int": {"num_format": "0", "valign": "top"},
    "pts": {"num_format": "0.##", "valign": "top"},
    "pct": {"num_format": "0.0%", "valign": "top"},
    "diff": {"num_format": "+0.0%;-0.0%;0.0%", "valign": "top"},
}  # fmt: skip
UNIT_COLUMNS: Columns = (("unit_name", "单位", "text"), ("category", "单位类别", "text"),
                         *CATEGORY_COLUMNS[1:])  # fmt: skip
ASSESSOR_COLUMNS: Columns = (("assessor", "考核单位", "text"), *CATEGORY_COLUMNS[1:])
POOLED_COLUMNS: Columns = (
    ("group", "组别", "text"), ("categories", "包含类别", "wrap"), ("before", "精减前（条）", "int"),
    ("after", "精减后（条）", "int"), ("rate", "精减率", "pct"),
    ("reference_rate", "托克托县参考", "pct"), ("difference", "与托克托县相差", "diff"),
    ("points_rate", "分值精减率", "pct"), ("reference_source", "参考来源", "wrap"),
)  # fmt: skip
SHARED_COLUMNS: Columns = (
    ("category", "单位类别", "text"), ("cluster_id", "指标组编号", "text"), ("topic", "指标内容", "wrap"),
    ("indicators", "指标数", "int"), ("assessors", "考核单位数", "int"),
    ("assessor_list", "考核单位", "wrap"),
)  # fmt: skip
CROSS_COLUMNS: Columns = (
    ("topic_id", "指标组编号", "text"), ("topic", "指标内容", "wrap"),
    ("categories", "类别数", "int"), ("category_list", "单位类别", "wrap"),
    ("indicators", "指标数", "int"), ("assessors", "考核单位数", "int"),
    ("assessor_list", "考核单位", "wrap"),
)  # fmt: skip
CATALOGUE_COLUMNS: Columns = (
    ("number", "序号", "int"), ("assessor", "考核单位", "text"), ("level1", "一级指标", "text"),
    ("level2", "二级指标", "text"), ("name", "指标名称", "wrap"), ("criteria", "评分标准", "wrap"),
    ("points", "分值", "pts"), ("method", "考核方式", "text"), ("note", "备注", "text"),
    ("indicator_id", "指标编号", "text"),
)  # fmt: skip
RECOMMENDATION_COLUMNS: Columns = (
    ("category", "单位类别", "text"), ("indicator_id", "指标编号", "text"),
    ("assessor", "考核单位", "text"), ("level1", "一级指标", "text"), ("name", "指标名称", "wrap"),
    ("score", "分值", "pts"), ("action_zh", "建议", "text"), ("reason_code", "理由代码", "text"),
    ("reason_label", "理由类别", "text"), ("reason_zh", "理由", "wrap"),
    ("evidence_text", "证据", "wrap"), ("merge_into_text", "并入指标", "wrap"),
    ("suggested_points", "建议分值", "pts"), ("basis", "政策依据", "wrap"),
    ("outcome_zh", "最终处理", "text"), ("source_zh", "处理来源", "text"),
    ("decision_id", "决定编号", "text"), ("rule_version", "规则版本", "text"),
)  # fmt: skip
FLAG_COLUMNS: Columns = (
    ("file_name", "文件", "text"), ("sheet", "工作表", "text"), ("assessor", "考核单位", "text"),
    ("target", "考核对象", "text"), ("indicators", "指标数", "int"),
    ("total_points", "总分", "pts"), ("flags", "问题", "wrap"),
)  # fmt: skip
UNIT_FLAG_COLUMNS: Columns = (
    ("unit_name", "单位", "text"), ("category", "单位类别", "text"),
    ("assessors", "考核单位数", "int"), ("assessor_list", "考核单位", "text"),
)  # fmt: skip
DECISION_COLUMNS: Columns = (
    ("decision_id", "决定编号", "text"), ("target_kind", "对象类型", "text"),
    ("target_id", "对象编号", "text"), ("category", "单位类别", "text"),
    ("action_zh", "决定", "text"), ("merge_into", "并入", "text"), ("reason", "理由", "wrap"),
    ("decided_by", "决定人", "text"), ("decided_at", "决定时间", "text"),
    ("supersedes", "撤销的决定", "text"),
)  # fmt: skip


class Book:
    """A workbook with cached formats and one safe way to write a cell."""

    def __init__(self, path: Path) -> None:
        # Belt and braces: even write() must never turn text into formulas or links.
        self.workbook = xlsxwriter.Workbook(
            str(path), {"strings_to_formulas": False, "strings_to_urls": False}
        )
        self._formats: dict[tuple[str, bool], object] = {}

    def fmt(self, kind: str, quoted: bool = False):
        key = (kind, quoted)
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format({**FORMATS[kind], "quote_prefix": quoted})
        return self._formats[key]

    def cell(self, sheet: Worksheet, row: int, col: int, value: object, kind: str = "text") -> None:
        if (
            value is None
            or value is pd.NA
            or value == ""
            or (isinstance(value, float) and math.isnan(value))
        ):
            sheet.write_blank(row, col, None, self.fmt(kind))
        elif kind in ("int", "pts", "pct", "diff") and isinstance(value, numbers.Real):
            sheet.write_number(row, col, float(value), self.fmt(kind))
        else:
            text = str(value)[:MAX_CELL_CHARS]
            base = kind if kind in ("wrap", "title", "section", "header") else "text"
            sheet.write_string(row, col, text, self.fmt(base, text.startswith(FORMULA_START)))

    def table(self, sheet: Worksheet, top: int, frame: pd.DataFrame, columns: Columns) -> int:
        """Header at row `top`, then one row per record; returns the next free row."""
        for col, (_, label, _) in enumerate(columns):
            self.cell(sheet, top, col, label, "header")
        records = frame[[key for key, _, _ in columns]].itertuples(index=False)
        for row, record in enumerate(records, start=top + 1):
            for col, ((_, _, kind), value) in enumerate(zip(columns, record, strict=True)):
                self.cell(sheet, row, col, value, kind)
        if len(frame):
            sheet.autofilter(top, 0, top + len(frame), len(columns) - 1)
        return top + len(frame) + 1

    def sheet(self, name: str, frame: pd.DataFrame, columns: Columns) -> Worksheet:
        sheet = self.workbook.add_worksheet(name)
        self.table(sheet, 0, frame, columns)
        sheet.freeze_panes(1, 0)
        size_columns(sheet, frame, columns)
        return sheet


def display_width(text: str) -> int:
    """Columns a text takes in Excel: CJK characters are about two wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def size_columns(sheet: Worksheet, frame: pd.DataFrame, columns: Columns) -> None:
    for col, (key, label, kind) in enumerate(columns):
        values = frame[key].head(WIDTH_SAMPLE).dropna().astype(str) if key in frame else []
        widest = max([display_width(label), *(display_width(v) for v in values)])
        sheet.set_column(col, col, min(max(widest + 2, 8), WIDTH_CAP.get(kind, 14)))


def write_xlsx(content: ReportContent, path: Path) -> None:
    book = Book(path)
    # A fixed creation time (the report date) keeps the file identical for identical data.
    created = datetime.combine(content.generated, datetime.min.time())
    book.workbook.set_properties({"title": TITLE, "author": "考核减负分析", "created": created})
    _summary(book, content)
    book.sheet("按类别", content.categories, CATEGORY_COLUMNS)
    book.sheet("按单位", content.units, UNIT_COLUMNS)
    book.sheet("按考核单位", content.assessors, ASSESSOR_COLUMNS)
    _multi(book, content)
    book.sheet("跨类别相同指标", content.cross, CROSS_COLUMNS)
    _catalogue(book, content)
    book.sheet("全部建议", _recommendation_rows(content.recommendations), RECOMMENDATION_COLUMNS)
    decisions = content.decisions.assign(
        action_zh=content.decisions["action"].map(lambda a: ACTION_ZH.get(a, a)),
        decided_at=content.decisions["decided_at"].astype(str).str.slice(0, 19),
    )
    book.sheet("决定记录", decisions, DECISION_COLUMNS)
    _flags(book, content)
    book.workbook.close()


def _flags(book: Book, content: ReportContent) -> None:
    sheet = book.sheet("考核表问题", content.catalogue_flags, FLAG_COLUMNS)
    top = len(content.catalogue_flags) + 2
    book.cell(sheet, top, 0, "接受考核单位过多的单位", "section")
    book.table(sheet, top + 1, content.unit_flags, UNIT_FLAG_COLUMNS)


def _summary(book: Book, content: ReportContent) -> None:
    sheet = book.workbook.add_worksheet("摘要")
    book.cell(sheet, 0, 0, f"{TITLE}（减负报告）", "title")
    book.cell(sheet, 1, 0, f"生成日期：{content.generated:%Y-%m-%d}　规则版本："
              f"{content.rule_version}　计数单位：目录条目（见下方说明）")  # fmt: skip
    row = book.table(sheet, 2, content.categories, CATEGORY_COLUMNS) + 1
    sheet.freeze_panes(3, 0)
    size_columns(sheet, content.categories, CATEGORY_COLUMNS)
    book.cell(sheet, row, 0, "合计组别与托克托县参考（按条数加总后计算）", "section")
    pooled = content.pooled
    if not pooled.empty:
        pooled = pooled.assign(difference=pooled["rate"] - pooled["reference_rate"])
        row = book.table(sheet, row + 1, pooled, POOLED_COLUMNS) + 1
    lines = [f"委托考核单位：{len(content.entrusted)} 个（另行列示，不计入精减率）",
             f"已记录人工决定：{len(content.decisions)} 条", COUNTING_UNIT]  # fmt: skip
    for offset, line in enumerate(lines[:-1]):
        book.cell(sheet, row + offset, 0, line)
    last = row + len(lines) - 1
    sheet.merge_range(last, 0, last, len(CATEGORY_COLUMNS) - 1, COUNTING_UNIT, book.fmt("wrap"))
    sheet.set_row(last, 75)  # the merged note wraps over about four lines


def _multi(book: Book, content: ReportContent) -> None:
    matrix = content.matrix
    columns: Columns = tuple((c, c, "text" if c == "考核单位" else "int") for c in matrix.columns)
    sheet = book.sheet("多头考核", matrix, columns)
    top = len(matrix) + 2
    book.cell(sheet, top, 0, "多个考核单位考核同一内容的相似指标组", "section")
    book.table(sheet, top + 1, content.shared, SHARED_COLUMNS)


def _catalogue(book: Book, content: ReportContent) -> None:
    """Per category a section row, then its kept items in catalogue order."""
    sheet = book.workbook.add_worksheet("精简后目录")
    for col, (_, label, _) in enumerate(CATALOGUE_COLUMNS):
        book.cell(sheet, 0, col, label, "header")
    sheet.freeze_panes(1, 0)
    labels = dict(zip(content.categories["category"], content.categories["label"], strict=True))
    top = 1
    for category, items in content.catalogue.groupby("category", sort=False):
        heading = f"{labels.get(category, category)}：保留 {len(items)} 条"
        sheet.merge_range(top, 0, top, len(CATALOGUE_COLUMNS) - 1, heading, book.fmt("section"))
        items = items.assign(number=range(1, len(items) + 1))
        for row, record in enumerate(items.itertuples(index=False), start=top + 1):
            for col, (key, _, kind) in enumerate(CATALOGUE_COLUMNS):
                book.cell(sheet, row, col, getattr(record, key), kind)
        top += len(items) + 1
    size_columns(sheet, content.catalogue.assign(number=0), CATALOGUE_COLUMNS)


def _recommendation_rows(frame: pd.DataFrame) -> pd.DataFrame:
    merge_into = frame["merge_into_name"].fillna("") + "（" + frame["merge_into"].fillna("") + "）"
    return frame.assign(
        action_zh=frame["action"].map(ACTION_ZH),
        reason_label=frame["reason_code"].map(REASON_ZH),
        evidence_text=frame["evidence"].map(evidence_text),
        merge_into_text=merge_into.where(frame["merge_into"].notna()),
        outcome_zh=frame["outcome"].map(ACTION_ZH),
        source_zh=frame["source"].map(SOURCE_ZH),
    )


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def _member(member: dict) -> str:
    probability = member.get("probability")
    shown = f"，相似概率{probability:.2f}" if isinstance(probability, int | float) else ""
    return f"“{member.get('name', '')}”（{member.get('assessor') or '—'}{shown}）"


def evidence_text(raw: str | None) -> str:
    """The evidence JSON as a sentence a reader can check.

    >>> evidence_text('{"matched": "台账", "field": "name"}')
    '命中“台账”（指标名称）'
    """
    evidence = json.loads(raw) if raw else {}
    parts = []
    if "matched" in evidence:
        where = FIELD_ZH.get(evidence.get("field", "name"), evidence.get("field"))
        parts.append(f"命中“{evidence['matched']}”（{where}）")
    if "catalogue" in evidence:
        parts.append(f"考核表：{evidence['catalogue']}")
    if "share" in evidence:
        parts.append(f"分值{_num(evidence.get('score'))}分，占考核表总分"
                     f"{_num(evidence.get('catalogue_points'))}分的{evidence['share']:.1%}")  # fmt: skip
    if "representative_name" in evidence:
        probability = evidence.get("probability")
        shown = f"，相似概率{probability:.2f}" if isinstance(probability, int | float) else ""
        parts.append(f"代表指标：“{evidence['representative_name']}”"
                     f"（{evidence.get('representative_assessor') or '—'}）{shown}")  # fmt: skip
    if evidence.get("members"):
        parts.append("并入：" + "；".join(_member(m) for m in evidence["members"]))
    if evidence.get("assessors"):
        parts.append("涉及考核单位：" + "、".join(evidence["assessors"]))
    if "entrusted_to" in evidence:
        parts.append(f"考核对象：{evidence.get('target') or evidence.get('category')}，"
                     f"委托{evidence['entrusted_to']}")  # fmt: skip
    return "；".join(parts)
