"""Recommendations, decisions and the reduction on a small hand-built county whose figures
are worked out by hand below."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from analysis import Store, import_file
from analysis.decisions import Decision, outcomes, record_decision
from analysis.errors import JianfuError
from analysis.pipeline import analyse
from analysis.reduction import by_category, by_unit, pooled, reduction_json

ORGANISATION = [  # 县委组织部 → 各镇, 100 points
    ("安全生产", "安全生产责任制落实情况", 20, "未落实扣5分"),
    ("安全生产", "召开安全生产会议次数", 5, "少1次扣1分"),
    ("党的建设", "党员学习强国积分排名", 5, "按排名计分"),
    ("经济发展", "招商引资到位资金", 30, "以统计部门数据为准"),
    ("社会治理", "信访事项及时受理率", 20, "低于95%不得分"),
    ("社会治理", "群众满意度", 19.5, "第三方测评"),
    ("机关建设", "机关工作人员着装规范", 0.5, "发现1人次扣0.1分"),
]
EMERGENCY = [  # 县应急管理局 → 各镇
    ("安全生产", "落实安全生产责任制", 10, "未落实扣5分"),
    ("安全生产", "隐患排查治理", 10, "每发现1处扣1分"),
]


def catalogue(path, title, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append([title])
    sheet.append(["一级指标", "指标名称", "分值", "评分标准"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def county(tmp_path):
    folder = tmp_path / "上报"
    folder.mkdir()
    files = [
        catalogue(
            folder / "组织部_2024年度各镇综合考核指标.xlsx",
            "青禾县2024年度各镇综合考核",
            ORGANISATION,
        ),
        catalogue(folder / "县应急管理局-各镇安全生产考核.xlsx", "各镇安全生产考核细则", EMERGENCY),
        catalogue(
            folder / "县市场监管局_2024年第三季度食品安全考核（各镇）.xlsx",
            "第三季度食品安全考核",
            [("食品安全", "食品安全监管", 10, "发现问题扣2分")],
        ),
        catalogue(
            folder / "县教育局-学校办学质量考核.xlsx",
            "中小学校办学质量考核",
            [("教育质量", "义务教育巩固率", 10, "低于98%不得分")],
        ),
    ]
    roster = folder / "units.csv"
    roster.write_text(
        "单位名称,单位性质\n城关镇,乡镇\n河口镇,乡镇\n县第一中学,学校\n", encoding="utf-8"
    )
    store = Store.open(tmp_path / "county.duckdb")
    import_file(store, roster)
    for path in files:
        import_file(store, path)
    analyse(store)
    yield store, folder
    store.close()


def test_reduction_by_category_matches_the_hand_count(county):
    store, _ = county
    table = by_category(store)
    # 各镇: 10 items; drop 召开会议/学习强国/着装, merge 应急's 落实安全生产责任制 into 组织部's,
    # convert the quarterly 食品安全监管; 5 remain. Points: 130 before; 20+30+20+19.5+10 after.
    assert table.to_dict("records") == [
        {"category": "各镇", "before": 10, "after": 5, "dropped": 3, "merged_away": 1,
         "converted": 1, "points_before": 130.0, "points_after": 99.5, "rate": 0.5,
         "points_rate": round(1 - 99.5 / 130, 4)},
    ]  # fmt: skip
    payload = reduction_json(store)
    assert payload["entrusted_units"] == 1
    assert payload["categories"][0]["rate"] == 0.5


def test_each_indicator_gets_one_outcome_with_reason_and_evidence(county):
    store, _ = county
    rows = store.query_df(
        "SELECT r.category, i.name, r.action, r.reason_code, r.evidence, r.merge_into "
        "FROM recommendations r JOIN indicators i USING (indicator_id) ORDER BY i.name"
    )
    assert not rows.duplicated(["category", "name"]).any()
    codes = dict(zip(rows["name"], rows["reason_code"], strict=True))
    assert codes == {
        "义务教育巩固率": "ENTRUST",
        "信访事项及时受理率": "METHOD_STATISTICS",
        "党员学习强国积分排名": "DROP_APP_USAGE",
        "召开安全生产会议次数": "DROP_TRACE",
        "安全生产责任制落实情况": "MERGE_DUPLICATE",
        "招商引资到位资金": "METHOD_STATISTICS",
        "机关工作人员着装规范": "DROP_OFF_DUTY",
        "群众满意度": "KEEP_OUTCOME",
        "落实安全生产责任制": "MULTI_ASSESSOR",
        "隐患排查治理": "KEEP_OUTCOME",
        "食品安全监管": "CONVERT_ANNUAL",
    }
    merged = rows[rows["reason_code"] == "MULTI_ASSESSOR"].iloc[0]
    evidence = json.loads(merged["evidence"])
    assert evidence["representative_name"] == "安全生产责任制落实情况"
    assert evidence["representative_assessor"] == "县委组织部"
    assert evidence["probability"] > 0.5
    assert rows["evidence"].map(json.loads).map(lambda e: isinstance(e, dict)).all()


def test_pooled_groups_sum_counts_and_carry_the_reference(county):
    store, _ = county
    groups = pooled(by_category(store))
    towns = groups[groups["group"].str.startswith("各镇")].iloc[0]
    assert (towns["before"], towns["after"], towns["reference_rate"]) == (10, 5, 0.76)


def test_units_inherit_their_category_items(county):
    store, _ = county
    units = by_unit(store).set_index("unit_name")
    assert sorted(units.index) == ["城关镇", "河口镇"]
    assert units.loc["城关镇", "before"] == 10 and units.loc["城关镇", "after"] == 5


def test_decisions_override_and_undo(county):
    store, _ = county
    ids = dict(store.rows("SELECT name, indicator_id FROM indicators"))
    first = record_decision(
        store, Decision("indicator", ids["群众满意度"], "drop", "与第三方测评重复", "张三")
    )
    assert by_category(store)["after"].tolist() == [4]
    record_decision(
        store, Decision("indicator", ids["群众满意度"], "undo", "误操作", "张三", supersedes=first)
    )
    assert by_category(store)["after"].tolist() == [5]
    # splitting the merged member back out of its cluster keeps both
    record_decision(
        store,
        Decision("indicator", ids["落实安全生产责任制"], "keep", "应急局牵头，单独保留", "李四"),
    )
    final = outcomes(store).set_index("indicator_id")
    assert final.loc[ids["落实安全生产责任制"], "source"] == "decision"
    assert by_category(store)["after"].tolist() == [6]
    assert store.scalar("SELECT count(*) FROM decisions") == 3


def test_decisions_survive_reimport_and_reanalysis(county):
    store, folder = county
    ids = dict(store.rows("SELECT name, indicator_id FROM indicators"))
    record_decision(
        store, Decision("indicator", ids["隐患排查治理"], "drop", "并入年度考核", "王五")
    )
    path = folder / "县应急管理局-各镇安全生产考核.xlsx"
    book = openpyxl.load_workbook(path)
    book.active["C4"] = 12  # 隐患排查治理 now 12 points
    book.save(path)
    assert import_file(store, path).status == "replaced"
    analyse(store)
    final = outcomes(store).set_index("indicator_id")
    assert final.loc[ids["隐患排查治理"], "action"] == "drop"
    assert final.loc[ids["隐患排查治理"], "source"] == "decision"


def test_cluster_decisions_apply_to_members(county):
    store, _ = county
    ids = dict(store.rows("SELECT name, indicator_id FROM indicators"))
    cluster = store.scalar(
        "SELECT cluster_id FROM clusters WHERE indicator_id = ?", [ids["落实安全生产责任制"]]
    )
    record_decision(
        store, Decision("cluster", cluster, "keep", "两项分别保留", "李四", category="各镇")
    )
    final = outcomes(store).set_index("indicator_id")
    assert final.loc[ids["落实安全生产责任制"], "action"] == "keep"
    assert final.loc[ids["安全生产责任制落实情况"], "action"] == "keep"


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (Decision("indicator", "I-none", "drop", "理由", "x"), "找不到指标"),
        (Decision("indicator", "I-none", "delete", "理由", "x"), "决定应为"),
        (Decision("cluster", "I-none", "keep", "理由", "x"), "找不到相似指标组"),
        (Decision("indicator", "I-none", "drop", "  ", "x"), "请说明决定的理由"),
    ],
)
def test_bad_decisions_are_refused_in_chinese(county, decision, message):
    store, _ = county
    with pytest.raises(JianfuError, match=message):
        record_decision(store, decision)
    assert store.scalar("SELECT count(*) FROM decisions") == 0


def test_rates_stay_between_zero_and_one_on_the_sample(tmp_path):
    from analysis import build_sample_workspace

    path = tmp_path / "sample.duckdb"
    build_sample_workspace(path)
    with Store.open(path) as store:
        analyse(store)
        table = by_category(store)
        counts = store.query_df("SELECT category, indicator_id FROM outcomes")
    assert ((table["rate"] >= 0) & (table["rate"] <= 1)).all()
    assert (table["after"] <= table["before"]).all()
    assert not counts.duplicated().any()
    assert isinstance(table, pd.DataFrame) and len(table) == 6


def _cli(*args):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "analysis", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_reduction_decide_and_units_commands(county, tmp_path):
    store, _ = county
    db = store.path
    ids = dict(store.rows("SELECT name, indicator_id FROM indicators"))
    store.close()
    done = _cli("reduction", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout.strip().splitlines()[-1])
    assert payload["entrusted_units"] == 1
    assert payload["categories"] == [
        {"category": "各镇", "before": 10, "after": 5, "rate": 0.5, "dropped": 3,
         "merged_away": 1, "converted": 1, "points_before": 130.0, "points_after": 99.5},
    ]  # fmt: skip
    done = _cli(
        "decide", ids["群众满意度"], "drop", "--reason", "第三方测评另行组织", "--db", db, "--json"
    )
    assert done.returncode == 0, done.stderr
    decision = json.loads(done.stdout.strip().splitlines()[-1])["decision_id"]
    assert decision == "D000001"
    after = json.loads(_cli("reduction", "--db", db, "--json").stdout.strip().splitlines()[-1])
    assert after["categories"][0]["after"] == 4
    undo = _cli("decide", decision, "undo", "--reason", "撤销", "--db", db)
    assert undo.returncode == 0, undo.stderr
    again = json.loads(_cli("reduction", "--db", db, "--json").stdout.strip().splitlines()[-1])
    assert again["categories"][0]["after"] == 5
    bad = _cli("decide", ids["群众满意度"], "remove", "--reason", "x", "--db", db)
    assert bad.returncode == 1 and "决定应为" in bad.stderr and "Traceback" not in bad.stderr
    moved = _cli("units", "--db", db, "--set", "河口镇", "党委部门", "--json")
    assert moved.returncode == 0, moved.stderr
    listed = json.loads(moved.stdout.strip().splitlines()[-1])["units"]
    assert {"单位": "河口镇", "类别": "党委部门", "委托考核": "", "来源": "user"} in listed
    wrong = _cli("units", "--db", db, "--set", "河口镇", "不存在的类别")
    assert wrong.returncode == 1 and "不在类别表中" in wrong.stderr


def test_catalogue_flags_name_fine_deductions_and_busy_units(county):
    from analysis.flags import catalogue_flags, unit_assessor_flags

    store, _ = county
    flags = catalogue_flags(store)
    assert flags[["file_name", "flags"]].to_dict("records") == [
        {"file_name": "组织部_2024年度各镇综合考核指标.xlsx", "flags": "扣分细至 0.1 分"}
    ]
    assert unit_assessor_flags(store).empty  # three assessors per town, the limit is 8
