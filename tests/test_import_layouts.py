"""Each fixture file is one real-world layout; the whole imported table is compared."""

from __future__ import annotations

import math

import pytest

from analysis import ImportOptions, import_file
from analysis.summary import indicator_source

from conftest import FIXTURES

COLUMNS = "i.source_row, i.level1, i.level2, i.name, i.score, i.score_text, i.score_kind, i.assessor, i.target"


def imported(store, name, options=None):
    result = import_file(store, FIXTURES / name, options)
    rows = store.rows(
        f"SELECT {COLUMNS} FROM indicators i JOIN import_batches b USING (batch_id) "
        "WHERE b.file_name = ? ORDER BY b.sheet, i.seq",
        [name],
    )
    clean = [tuple(None if isinstance(v, float) and math.isnan(v) else v for v in r) for r in rows]
    return result, clean


def test_title_row_two_row_header_merged_levels_subtotals_and_notes(store):
    result, rows = imported(store, "县应急管理局-各镇安全生产考核细则.xlsx")
    assert rows == [
        (
            4,
            "安全生产（30分）",
            None,
            "安全生产责任制落实情况",
            10.0,
            "10分",
            "fixed",
            "县应急管理局",
            "各镇",
        ),
        (
            5,
            "安全生产（30分）",
            None,
            "隐患排查整治",
            10.0,
            "１０",
            "fixed",
            "县应急管理局",
            "各镇",
        ),
        (
            6,
            "安全生产（30分）",
            None,
            "生产安全事故控制",
            None,
            "一票否决",
            "veto",
            "县应急管理局",
            "各镇",
        ),
        (8, "应急管理（10分）", None, "应急预案修订", 5.0, "5", "fixed", "县应急管理局", "各镇"),
        (
            9,
            "应急管理（10分）",
            None,
            "应急演练开展情况",
            10.0,
            "5-10分",
            "range",
            "县应急管理局",
            "各镇",
        ),
    ]
    sheet = result.sheets[0]
    assert sheet.title == "青禾县2024年度各镇（街道）安全生产工作考核细则"
    assert sheet.skipped == {"subtotal": 2, "blank": 1, "note": 1}
    assert sheet.column_map == {
        "A": "seq",
        "B": "level1",
        "C": "name",
        "D": "score",
        "E": "criteria",
    }


def test_section_rows_give_level_headings(store):
    _, rows = imported(store, "组织部_2024年度党委部门综合考核指标.xlsx")
    assert [(r[0], r[1], r[2], r[3], r[4], r[6]) for r in rows] == [
        (
            4,
            "一、党的建设（30分）",
            "（一）基层组织建设",
            "１．党支部标准化规范化建设",
            10.0,
            "fixed",
        ),
        (5, "一、党的建设（30分）", "（一）基层组织建设", "2.发展党员质量", 5.0, "fixed"),
        (
            7,
            "一、党的建设（30分）",
            "（二）党风廉政建设",
            "落实全面从严治党主体责任",
            15.0,
            "fixed",
        ),
        (9, "二、重点工作（70分）", None, "重点工作任务完成情况", 60.0, "fixed"),
        (10, "二、重点工作（70分）", None, "学习强国积分排名", 2.0, "bonus"),
    ]
    assert {r[7] for r in rows} == {"县委组织部"}
    assert {r[8] for r in rows} == {"党委部门"}


def test_two_catalogue_sheets_skip_instructions_and_hidden_sheets(store):
    result, rows = imported(store, "县信访局考核指标.xlsx")
    assert [(s.sheet, s.rows, s.target) for s in result.sheets] == [
        ("各镇", 2, "各镇"),
        ("县直部门", 2, "县直部门"),
    ]
    assert any("隐藏工作表" in w for w in result.warnings)
    assert any("填表说明" in w and "不是指标表" in w for w in result.warnings)
    assert sorted(r[3] for r in rows) == sorted(
        ["信访事项及时受理率", "县直部门信访积案化解", "信访事项及时受理率", "各镇信访积案化解"]
    )
    assert (
        store.scalar(
            "SELECT count(DISTINCT target_category) FROM indicators WHERE assessor = '县信访局'"
        )
        == 2
    )


def test_per_row_assessor_and_named_target_units(store):
    _, rows = imported(store, "年度专项考核汇总.xlsx")
    assert [(r[1], r[3], r[6], r[7], r[8]) for r in rows] == [
        ("生态环保", "大气污染防治", "deduction", "县生态环境局", "城关镇、河口镇"),
        ("生态环保", "河湖长制落实", "fixed", "县水利局", "城关镇"),
        ("教育", "义务教育巩固率", "fixed", "县教育局", "县第一中学"),
    ]
    units = dict(store.rows("SELECT unit_name, category FROM units ORDER BY unit_name"))
    assert units == {"城关镇": "各镇", "河口镇": "各镇", "县第一中学": "学校"}


def test_legacy_binary_xls_with_merged_level(store):
    _, rows = imported(store, "县农业农村局-各乡镇考核.xls")
    assert rows == [
        (
            2,
            "乡村振兴",
            None,
            "高标准农田建设任务完成率",
            8.0,
            "8",
            "fixed",
            "县农业农村局",
            "各镇",
        ),
        (3, "乡村振兴", None, "农村人居环境整治", 6.5, "6.5", "fixed", "县农业农村局", "各镇"),
    ]


def test_html_saved_as_xls_with_rowspan(store):
    result, rows = imported(store, "县宣传部-各镇意识形态考核.xls")
    assert result.file_format == "html"
    assert rows == [
        (3, "意识形态", None, "落实意识形态工作责任制", 6.0, "6", "fixed", "县宣传部", "各镇"),
        (4, "意识形态", None, "网络舆情处置", 4.0, "4分", "fixed", "县宣传部", "各镇"),
    ]


@pytest.mark.parametrize(
    "name", ["县自然资源局-各镇考核（GBK）.csv", "县自然资源局-各镇考核（BOM）.csv"]
)
def test_csv_in_gbk_and_utf8_bom(store, name):
    _, rows = imported(store, name)
    assert [(r[0], r[3], r[4], r[7], r[8]) for r in rows] == [
        (2, "森林覆盖率", 5.0, "县林业和草原局", "各镇"),
        (3, "森林面积增长率", 5.0, "县林业和草原局", "各镇"),
        (4, "建立信访工作台账", 1.0, "县信访局", "各镇"),
    ]


def test_caller_overrides_assessor_target_and_columns(store):
    options = ImportOptions(assessor="县委宣传部", target="县直部门", column_map={"分值": "ignore"})
    _, rows = imported(store, "县宣传部-各镇意识形态考核.xls", options)
    assert [(r[3], r[4], r[6], r[7], r[8]) for r in rows] == [
        ("落实意识形态工作责任制", None, "none", "县委宣传部", "县直部门"),
        ("网络舆情处置", None, "none", "县委宣传部", "县直部门"),
    ]


def test_roster_sets_unit_categories(store):
    result = import_file(store, FIXTURES / "单位名录.xlsx")
    assert [(s.kind, s.rows) for s in result.sheets] == [("roster", 5)]
    units = store.rows(
        "SELECT unit_name, category, entrusted_to, supervisor FROM units ORDER BY unit_name"
    )
    assert units == [
        ("县人民医院", "医院", "卫健委党委", "县卫生健康委员会"),
        ("县委宣传部", "党委部门", None, None),
        ("县第一中学", "学校", "教育局党委", "县教育局"),
        ("城关镇", "各镇", None, None),
        ("河口镇", "各镇", None, None),
    ]


def test_source_row_is_kept_as_written(store):
    import_file(store, FIXTURES / "县宣传部-各镇意识形态考核.xls")
    import_file(store, FIXTURES / "年度专项考核汇总.xlsx")
    first = store.scalar("SELECT indicator_id FROM indicators WHERE name = '网络舆情处置'")
    assert indicator_source(store, first) == {
        "一级指标": "意识形态",
        "指标名称": "网络舆情处置",
        "分值": "4分",
        "评分标准": "处置不力扣2分",
    }
    second = store.scalar("SELECT indicator_id FROM indicators WHERE name = '大气污染防治'")
    assert indicator_source(store, second) == {
        "考核项目": "大气污染防治",
        "分值": "扣分项",
        "牵头单位": "县生态环境局",
        "考核对象": "城关镇、河口镇",
    }
