"""The three report formats, written from the sample county and read back as a person's tools
would read them: openpyxl, python-docx and pdftotext."""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from analysis import JianfuError, Store, build_sample_workspace, import_file
from analysis.categories import default_scheme
from analysis.decisions import Decision, record_decision
from analysis.pipeline import analyse
from analysis.reduction import by_category, pooled
from analysis.report import default_report_name, report_command, write_report

TODAY = date(2026, 11, 23)
SHEETS = [
    "摘要",
    "按类别",
    "按单位",
    "按考核单位",
    "多头考核",
    "跨类别相同指标",
    "精简后目录",
    "全部建议",
    "决定记录",
    "考核表问题",
]
HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The analysed sample county with one recorded decision, and the seconds it took."""
    path = tmp_path_factory.mktemp("sample") / "workspace.duckdb"
    build_sample_workspace(path)
    with Store.open(path) as store:
        start = time.perf_counter()
        analyse(store)
        seconds = {"analyse": time.perf_counter() - start}
        dropped = store.scalar(
            "SELECT indicator_id FROM recommendations WHERE category = '各镇' AND action = 'drop' "
            "ORDER BY indicator_id LIMIT 1"
        )
        decision = record_decision(
            store, Decision("indicator", dropped, "keep", "保留：县委要求", "测试", category="各镇")
        )
        yield store, seconds, decision


@pytest.fixture(scope="module")
def reports(sample, tmp_path_factory):
    store, seconds, _ = sample
    folder = tmp_path_factory.mktemp("reports")
    paths = {}
    for fmt in ("xlsx", "docx", "pdf"):
        start = time.perf_counter()
        paths[fmt] = write_report(store, fmt, folder / f"报告.{fmt}", today=TODAY)
        seconds[fmt] = time.perf_counter() - start
    return paths


def test_timings_on_the_sample_county(sample, reports, capsys):
    _, seconds, _ = sample
    with capsys.disabled():
        shown = "，".join(f"{k} {v:.1f} 秒" for k, v in seconds.items())
        print(f"\n示例县：{shown}；合计 {sum(seconds.values()):.1f} 秒")
    assert all(path.stat().st_size > 0 for path in reports.values())


def test_workbook_sheets_frozen_headers_and_percent_rates(reports):
    book = openpyxl.load_workbook(reports["xlsx"])
    assert book.sheetnames == SHEETS
    assert book["摘要"].freeze_panes == "A4"
    assert all(book[name].freeze_panes == "A2" for name in SHEETS[1:])
    sheet = book["按类别"]
    header = [c.value for c in sheet[1]]
    rate = header.index("精减率") + 1
    assert "%" in sheet.cell(2, rate).number_format
    assert isinstance(sheet.cell(2, rate).value, float)
    assert sheet.column_dimensions["A"].width > 10


def _records(sheet, header_row: int = 1) -> list[dict]:
    """The table whose header is at `header_row`, down to the first blank row."""
    rows = sheet.iter_rows(min_row=header_row, values_only=True)
    header = next(rows)
    records = []
    for row in rows:
        if row[0] is None:
            break
        records.append(dict(zip(header, row, strict=True)))
    return records


def test_workbook_figures_equal_by_category(sample, reports):
    store, _, _ = sample
    expected = by_category(store)
    labels = default_scheme().labels
    book = openpyxl.load_workbook(reports["xlsx"])
    for sheet, header_row in (("按类别", 1), ("摘要", 3)):
        rows = {r["单位类别"]: r for r in _records(book[sheet], header_row)}
        for category in expected.itertuples():
            row = rows[labels[category.category]]
            assert (row["精减前（条）"], row["精减后（条）"], row["精减率"]) == (
                category.before,
                category.after,
                category.rate,
            )
    values = [c for row in book["摘要"].iter_rows(values_only=True) for c in row]
    for group in pooled(expected).itertuples():
        assert {group.group, group.rate, group.reference_rate} <= set(values)
    assert any(isinstance(v, str) and v.startswith("计数口径") for v in values)


def test_slimmed_catalogue_has_the_kept_items_of_each_category(sample, reports):
    store, _, _ = sample
    table = by_category(store)
    after = dict(zip(table["category"], table["after"], strict=True))
    sheet = openpyxl.load_workbook(reports["xlsx"])["精简后目录"]
    sections, methods = {}, set()
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if isinstance(row[0], str) and "：保留" in row[0]:
            current = row[0].split("：")[0]
            sections[current] = 0
        else:
            sections[current] += 1
            methods.add(row[7])
    labels = {label: category for category, label in default_scheme().labels.items()}
    assert {labels[k]: v for k, v in sections.items()} == after
    assert "数据考核（免实地检查）" in methods


def test_every_recommendation_and_the_decision_are_listed(sample, reports):
    store, _, decision = sample
    book = openpyxl.load_workbook(reports["xlsx"])
    advice = _records(book["全部建议"])
    assert len(advice) == store.scalar("SELECT count(*) FROM recommendations")
    merged = next(r for r in advice if r["理由代码"] == "MULTI_ASSESSOR")
    assert merged["证据"].startswith("代表指标：") and "相似概率" in merged["证据"]
    assert merged["并入指标"] and merged["政策依据"]
    decided = next(r for r in advice if r["决定编号"] == decision)
    assert (decided["建议"], decided["最终处理"], decided["处理来源"]) == (
        "取消",
        "保留",
        "人工决定",
    )
    log = _records(book["决定记录"])
    assert [(r["决定编号"], r["决定"], r["理由"]) for r in log] == [
        (decision, "保留", "保留：县委要求")
    ]


def test_docx_tables_carry_the_headline_figures_and_chinese_fonts(sample, reports):
    store, _, _ = sample
    document = Document(str(reports["docx"]))
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0][:4] == ["单位类别", "精减前（条）", "精减后（条）", "精减率"]
    expected = by_category(store)
    assert len(rows) == len(expected) + 1
    for row, category in zip(rows[1:], expected.itertuples(), strict=True):
        assert row[1:4] == [str(category.before), str(category.after), f"{category.rate:.1%}"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "托克托" in text and "计数口径" in text and "委托考核" in text
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:asciiTheme")) is None
    assert round(document.sections[0].page_width.mm) == 210
    assert round(document.sections[0].page_height.mm) == 297


def test_pdf_text_has_categories_rates_and_the_reference(sample, reports):
    store, _, _ = sample
    assert shutil.which("pdftotext"), "poppler-utils is installed by scripts/install-test-deps.sh"
    text = subprocess.run(
        ["pdftotext", str(reports["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    compact = "".join(text.split())
    for row in by_category(store).itertuples():
        assert row.category in compact
        assert f"{row.rate:.1%}" in compact
    assert "托克托" in compact and "76%" in compact and "精减前后指标条数" in compact


def _hostile_catalogue(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append(["青禾县2024年度各镇综合考核"])
    sheet.append(["一级指标", "指标名称", "分值", "评分标准"])
    names = [*HOSTILE, "安全生产责任制落实情况", "信访事项及时受理率"]
    for row, name in enumerate(names, start=3):
        sheet.append(["综合", None, 10, "未落实扣5分"])
        cell = sheet.cell(row, 2)
        cell.value, cell.data_type = name, "s"  # a literal string, as a clerk might type it
    book.save(path)
    return path


def test_formula_like_text_stays_text(tmp_path):
    catalogue = _hostile_catalogue(tmp_path / "组织部_2024年度各镇综合考核指标.xlsx")
    with Store.open(tmp_path / "w.duckdb") as store:
        import_file(store, catalogue)
        analyse(store)
        out = write_report(store, "xlsx", tmp_path / "r.xlsx", today=TODAY)
    book = openpyxl.load_workbook(out)
    found = {}
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if cell.value in HOSTILE:
                    found.setdefault(cell.value, []).append(cell)
    assert sorted(found) == sorted(HOSTILE)
    assert all(c.data_type == "s" and c.quotePrefix for cells in found.values() for c in cells)


def test_report_command_defaults_and_errors(sample, tmp_path, monkeypatch):
    store, _, _ = sample
    monkeypatch.chdir(tmp_path)
    path = Path(store.path)
    with pytest.raises(JianfuError, match="报告格式"):
        report_command(path, "odt", None)
    empty = tmp_path / "empty.duckdb"
    Store.open(empty).close()
    with pytest.raises(JianfuError, match="jianfu analyse"):
        report_command(empty, "xlsx", tmp_path / "x.xlsx")
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob(".*"))
    assert default_report_name("xlsx", TODAY) == "减负报告_2026-11-23.xlsx"
    store.execute("CHECKPOINT")  # a copy: the fixture's writable connection holds the file
    shutil.copy(path, tmp_path / "copy.duckdb")
    written = report_command(tmp_path / "copy.duckdb", "docx", None)
    assert written == tmp_path / default_report_name("docx")
    assert Document(str(written)).tables


def test_failed_write_leaves_the_old_report(sample, tmp_path, monkeypatch):
    store, _, _ = sample
    target = tmp_path / "报告.xlsx"
    target.write_bytes(b"old")

    def broken(content, path):
        path.write_bytes(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setattr("analysis.report.xlsx.write_xlsx", broken)
    with pytest.raises(RuntimeError):
        write_report(store, "xlsx", target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["报告.xlsx"]


def test_same_data_same_workbook(sample, reports, tmp_path):
    store, _, _ = sample
    again = write_report(store, "xlsx", tmp_path / "again.xlsx", today=TODAY)
    assert again.read_bytes() == reports["xlsx"].read_bytes()
