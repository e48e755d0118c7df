"""The synthetic sample county (analysis.synth): determinism, layouts, gold labels, scale."""

from __future__ import annotations

import csv
import filecmp
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from analysis.synth import generate, synthetic_indicators
from analysis.synth.gold import FALSE_FRIENDS

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "data" / "sample"
CATEGORIES = {
    "各镇",
    "党委部门",
    "群团部门",
    "执法监督部门",
    "综合经济部门",
    "社会事务部门",
    "学校",
    "医院",
}
TAGS = {
    "trace",
    "app_usage",
    "low_weight",
    "convert_annual",
    "off_duty",
    "outcome",
    "deduction_only",
    "bonus",
    "veto",
    "statistics_method",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample_a")
    generate(out)
    return out


@pytest.fixture(scope="module")
def rows(sample) -> pd.DataFrame:
    return pd.read_csv(sample / "gold" / "rows.csv", dtype=str, keep_default_na=False)


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_generation_is_byte_identical(sample, tmp_path):
    generate(tmp_path)
    assert _files(sample) == _files(tmp_path)
    different = [str(f) for f in _files(sample) if not filecmp.cmp(sample / f, tmp_path / f, False)]
    assert different == []


def _content(path: Path) -> object:
    """Bytes, except spreadsheets: their cell values (robust to the writer library's version)."""
    raw = path.read_bytes()
    if path.suffix in (".xlsx", ".xls") and not raw.startswith(b"<html"):
        book = CalamineWorkbook.from_path(str(path))
        return {n: book.get_sheet_by_name(n).to_python() for n in book.sheet_names}
    return raw


def test_committed_sample_is_up_to_date(sample):
    assert _files(COMMITTED) == _files(sample)
    stale = [str(f) for f in _files(sample) if _content(sample / f) != _content(COMMITTED / f)]
    assert stale == [], "run: python -m analysis.synth.sample --out data/sample"


def test_row_counts(rows):
    assert 3000 <= len(rows) <= 8000
    per_file = rows.groupby("file").size()
    assert len(per_file) >= 20
    annual = rows[rows.file.str.startswith("组织部_") & rows.file.str.contains("综合考核")]
    assert annual.groupby(["file", "sheet"]).size().between(60, 250).all()
    assert set(rows.target) >= {"各镇", "党委部门", "执法监督部门", "学校", "医院", "县直部门"}


def test_every_format_present(sample):
    folder = sample / "catalogues"
    names = [p.name for p in folder.iterdir()]
    xls = [folder / n for n in names if n.endswith(".xls")]
    magic = {p.read_bytes()[:4] for p in xls}
    assert b"\xd0\xcf\x11\xe0" in magic
    assert sum(p.read_bytes()[:4] == b"\xd0\xcf\x11\xe0" for p in xls) == 1
    htmls = [p for p in xls if p.read_bytes().startswith(b"<html")]
    assert len(htmls) == 1 and b"rowspan=" in htmls[0].read_bytes()
    assert b'xmlns:x="urn:schemas-microsoft-com:office:excel"' in htmls[0].read_bytes()
    csvs = [folder / n for n in names if n.endswith(".csv") and n != "导入清单.csv"]
    gbk = [p for p in csvs if not p.read_bytes().startswith(b"\xef\xbb\xbf")]
    bom = [p for p in csvs if p.read_bytes().startswith(b"\xef\xbb\xbf")]
    assert len(gbk) == 1 and len(bom) == 1
    raw = gbk[0].read_bytes()
    raw.decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    bom[0].read_bytes().decode("utf-8-sig")


def test_xlsx_layouts(sample):
    folder = sample / "catalogues"
    town = openpyxl.load_workbook(folder / "组织部_2024年度各镇（街道）综合考核指标.xlsx")
    ws = town.worksheets[0]
    merges = [str(r) for r in ws.merged_cells.ranges]
    assert "A1:H1" in merges  # title merged across
    assert "B3:C3" in merges  # two-row header: 考核指标 over 一级指标/二级指标
    assert any(
        r.min_col == r.max_col == 2 and r.max_row > r.min_row + 3 for r in ws.merged_cells.ranges
    )
    values = [row for row in ws.iter_rows(values_only=True)]
    assert any(row[3] == "小计" for row in values)
    total = next(row for row in values if row[1] == "合计")
    assert total[4] == 1000  # 千分制
    assert any(str(row[0]).startswith("注：") for row in values)
    two = openpyxl.load_workbook(
        folder / "考核办-2024年度县直部门综合考核指标（执法监督、综合经济）.xlsx"
    )
    assert two.sheetnames == ["执法监督部门", "综合经济部门", "填表说明"]
    trad = CalamineWorkbook.from_path(str(folder / "統戰部2024年度統一戰線工作考核細則.xlsx"))
    assert "考覈" in str(trad.get_sheet_by_index(0).to_python()[1]) or "序號" in str(
        trad.get_sheet_by_index(0).to_python()[1]
    )


class _Table(HTMLParser):
    """Rows of <td> texts (merged cells appear once, in their first row)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _read_rows(path: Path) -> dict[str, list[list[str]]]:
    """Sheet name ("" for CSV/HTML) → rows of cell texts, row i at index i - 1."""
    raw = path.read_bytes()
    if path.suffix == ".csv":
        text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("gbk")
        lines = text.split("\r\n")
        return {"": [next(csv.reader([line])) if line else [] for line in lines]}
    if raw.startswith(b"<html"):
        parser = _Table()
        parser.feed(raw.decode("utf-8"))
        return {"": parser.rows}
    book = CalamineWorkbook.from_path(str(path))
    return {
        name: [
            [str(v) for v in r]
            for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ]
        for name in book.sheet_names
    }


def test_gold_rows_point_to_cells(sample, rows):
    checked = defaultdict(int)
    for file, group in rows.groupby("file"):
        sheets = _read_rows(sample / "catalogues" / file)
        for rec in group.itertuples():
            cells = sheets[rec.sheet][int(rec.row) - 1]
            assert rec.name in cells, (file, rec.sheet, rec.row, rec.name)
            assert rec.criteria in cells or "\n" in rec.criteria
            checked[Path(file).suffix] += 1
    assert set(checked) == {".xlsx", ".xls", ".csv"}
    assert sum(checked.values()) == len(rows)


def test_gold_values(rows, sample):
    assert set(rows.tags.str.split("|").explode()) - {""} <= TAGS
    for tag in TAGS:
        assert (rows.tags.str.contains(tag)).any(), tag
    assert rows.score_text.str.contains("一票否决").any()
    assert rows.score_text.str.startswith("最高加").any()
    assert rows.score_text.isin(["扣分项", "倒扣", "扣分制"]).any()
    assert rows.score_text.str.endswith("%").any()
    assert rows.score_text.str.fullmatch(r"\d+(?:\.\d)?-\d+(?:\.\d)?分").any()
    units = pd.read_csv(sample / "gold" / "units.csv", dtype=str, keep_default_na=False)
    assert set(units.category) == CATEGORIES
    entrusted = dict(zip(units.unit_name, units.entrusted_to, strict=True))
    assert {entrusted[u] for u in units.unit_name[units.category == "学校"]} == {"教育局党委"}
    assert {entrusted[u] for u in units.unit_name[units.category == "医院"]} == {"卫健委党委"}
    unit_targets = set(rows.target) - CATEGORIES - {"县直部门"}
    assert unit_targets and unit_targets <= set(units.unit_name)
    roster = pd.read_csv(sample / "units.csv", encoding="utf-8-sig")
    assert list(roster.columns) == ["单位名称", "单位性质", "主管部门"]


def test_multi_assessor_concepts(rows):
    assessors = rows.groupby("concept_id").assessor.nunique()
    assert (assessors >= 2).sum() >= 150
    per_file = rows.groupby("concept_id").file.nunique()
    assert (per_file >= 3).sum() >= 50
    # reworded: concepts shared across assessors are not all written the same way
    names = rows.groupby("concept_id").name.nunique()
    assert (names[assessors >= 2] >= 2).mean() > 0.8


def test_pairs_and_clusters(sample):
    pairs = pd.read_csv(sample / "gold" / "pairs.csv", dtype=str, keep_default_na=False)
    clusters = pd.read_csv(sample / "gold" / "clusters.csv", dtype=str)
    assert list(pairs.columns) == ["text_a", "text_b", "label", "criteria_a", "criteria_b"]
    assert clusters.text.is_unique
    cluster_of = dict(zip(clusters.text, clusters.gold_cluster, strict=True))
    positives, negatives = pairs[pairs.label == "1"], pairs[pairs.label == "0"]
    assert 300 <= len(positives) <= 1500 and len(negatives) >= len(positives)
    assert (positives.text_a != positives.text_b).all()
    same = [cluster_of[a] == cluster_of[b] for a, b in zip(pairs.text_a, pairs.text_b, strict=True)]
    assert same == [label == "1" for label in pairs.label]
    # every curated false friend (…率 vs …数 vs 增长率, 农村 vs 城镇, 初中 vs 小学 …) is a negative
    concept_of_form = {}
    for cid, texts in clusters.groupby("gold_cluster").text:
        concept_of_form.update(dict.fromkeys(texts, cid))
    negative_clusters = {
        frozenset((cluster_of[a], cluster_of[b]))
        for a, b in zip(negatives.text_a, negatives.text_b, strict=True)
    }
    curated = [
        frozenset((concept_of_form[a], concept_of_form[b]))
        for a, b in FALSE_FRIENDS
        if a in concept_of_form and b in concept_of_form
    ]
    assert len(curated) >= 15 and all(pair in negative_clusters for pair in curated)
    # hard negatives look alike: most share at least half their characters
    overlap = [
        len(set(a) & set(b)) / min(len(set(a)), len(set(b)))
        for a, b in zip(negatives.text_a, negatives.text_b, strict=True)
    ]
    assert sum(o >= 0.5 for o in overlap) / len(overlap) > 0.8


def test_scaled_corpus():
    df = synthetic_indicators(10_000, seed=7)
    assert list(df.columns) == [
        "indicator_id",
        "name",
        "criteria",
        "level1",
        "score",
        "assessor",
        "target",
        "concept_id",
    ]
    assert len(df) == 10_000 and df.indicator_id.is_unique
    dup_share = 1 - df.concept_id.nunique() / len(df)
    assert 0.29 <= dup_share <= 0.31
    assert df.name.nunique() > 9000 and (df.name.str.len() > 4).all()
    assert df.equals(synthetic_indicators(10_000, seed=7))
    assert not df.name.equals(synthetic_indicators(10_000, seed=8).name)
    rewording = df[df.concept_id.duplicated(keep=False)].groupby("concept_id").name.nunique()
    assert (rewording >= 2).mean() > 0.9
