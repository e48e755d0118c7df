"""The stages over a real DuckDB workspace: tables, invariants, determinism, CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from analysis import Store, build_sample_workspace, import_file
from analysis.applies import indicator_categories
from analysis.pipeline import analyse

from conftest import FIXTURES

TABLES = ("indicator_text", "candidate_pairs", "pair_scores", "clusters", "category_links")


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    path = tmp_path_factory.mktemp("analysed") / "workspace.duckdb"
    build_sample_workspace(path)
    with Store.open(path) as store:
        run = analyse(store)
    return path, run


def dump(path):
    with Store.open(path, read_only=True) as store:
        return {t: store.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}


def test_every_indicator_has_one_cluster_per_category(analysed):
    path, run = analysed
    with Store.open(path, read_only=True) as store:
        expected = indicator_categories(store)
        clusters = store.query_df("SELECT category, indicator_id, cluster_id FROM clusters")
        members = store.query_df(
            "SELECT DISTINCT category, cluster_id FROM clusters WHERE indicator_id = cluster_id"
        )
    assert len(clusters) == len(expected) == run.indicators + (len(expected) - run.indicators)
    got = clusters.sort_values(["indicator_id", "category"])[["indicator_id", "category"]]
    assert got.reset_index(drop=True).equals(expected[["indicator_id", "category"]])
    # every cluster id is one of its own members, the representative
    assert set(
        map(tuple, clusters[["category", "cluster_id"]].drop_duplicates().to_numpy())
    ) == set(map(tuple, members.to_numpy()))


def test_candidate_pairs_are_ordered_and_scored(analysed):
    path, run = analysed
    with Store.open(path, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM candidate_pairs WHERE id_l >= id_r") == 0
        unscored = store.scalar(
            "SELECT count(*) FROM candidate_pairs c ANTI JOIN pair_scores s USING (id_l, id_r)"
        )
        assert unscored == 0
        assert store.scalar(
            "SELECT min(probability) >= 0 AND max(probability) <= 1 FROM pair_scores"
        )
    assert run.scored_pairs > 1000 and run.clusters > 100


def test_sample_clusters_agree_with_the_gold_concepts(analysed):
    import itertools

    import pandas as pd

    from conftest import ROOT

    path, _ = analysed
    gold = pd.read_csv(ROOT / "data/sample/gold/rows.csv", keep_default_na=False)
    with Store.open(path, read_only=True) as store:
        rows = store.query_df(
            "SELECT b.file_name AS file, b.sheet, i.source_row AS row, c.category, c.cluster_id "
            "FROM clusters c JOIN indicators i USING (indicator_id) JOIN import_batches b USING (batch_id)"
        )
    merged = rows.merge(
        gold[["file", "sheet", "row", "concept_id"]].drop_duplicates(["file", "sheet", "row"]),
        on=["file", "sheet", "row"],
    )
    ours, theirs = set(), set()
    for _, group in merged.groupby("category"):
        for key, target in (("cluster_id", ours), ("concept_id", theirs)):
            for _, members in group.groupby(key):
                target.update(
                    (members.index[a], members.index[b])
                    for a, b in itertools.combinations(range(len(members)), 2)
                )
    precision = len(ours & theirs) / len(ours)
    recall = len(ours & theirs) / len(theirs)
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)  # measured 0.985, 0.924


def test_cross_category_topics_link_the_same_concept_across_categories(analysed):
    import pandas as pd

    from analysis.cross_category import cross_category

    from conftest import ROOT

    path, _ = analysed
    gold = pd.read_csv(ROOT / "data/sample/gold/rows.csv", keep_default_na=False)
    gold = gold[["file", "sheet", "row", "concept_id"]].drop_duplicates(["file", "sheet", "row"])
    with Store.open(path, read_only=True) as store:
        links = store.query_df(
            "SELECT l.category, l.cluster_id, l.topic_id, b.file_name AS file, b.sheet, "
            "i.source_row AS row "
            "FROM category_links l JOIN indicators i ON i.indicator_id = l.cluster_id "
            "JOIN import_batches b USING (batch_id)"
        )
        clusters = store.scalar("SELECT count(DISTINCT (category, cluster_id)) FROM clusters")
        topics = cross_category(store)
    # every cluster of every category has exactly one topic
    assert len(links) == clusters == len(links.drop_duplicates(["category", "cluster_id"]))
    assert (topics["categories"] >= 2).all() and len(topics) > 50
    widest = topics.iloc[0]
    assert widest["categories"] >= 6 and "各镇" in widest["category_list"]
    # representatives joined into one topic across categories are mostly one gold concept
    linked = links.merge(gold, on=["file", "sheet", "row"])
    linked = linked[linked.groupby("topic_id")["category"].transform("nunique") > 1]
    purity = linked.groupby("topic_id")["concept_id"].agg(
        lambda c: c.value_counts().iloc[0] / len(c)
    )
    assert purity.mean() >= 0.9, purity.mean()


def test_rerun_gives_identical_tables(analysed, tmp_path):
    path, _ = analysed
    copy = tmp_path / "again.duckdb"
    shutil.copy(path, copy)
    with Store.open(copy) as store:
        analyse(store)
    assert dump(copy) == dump(path)


def test_analyse_command_with_progress_and_json(tmp_path):
    db = tmp_path / "w.duckdb"
    with Store.open(db) as store:
        import_file(store, FIXTURES / "县应急管理局-各镇安全生产考核细则.xlsx")
        import_file(store, FIXTURES / "县信访局考核指标.xlsx")
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "analyse", "--db", str(db), "--json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["indicators"] == 9
    assert set(report["seconds"]) == {
        "normalize",
        "candidates",
        "score",
        "cluster",
        "cross_category",
        "recommend",
    }
    # one recommendation per (category, indicator): 7 for 各镇, 2 县直部门 rows × 5 categories
    assert sum(report["recommendations"].values()) == 17
    # 信访事项及时受理率 appears in both the 各镇 and the 县直部门 sheet of the same assessor,
    # but they apply to different categories, so nothing merges across them
    with Store.open(db, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM clusters WHERE cluster_size > 1") == 0


def test_analyse_on_an_empty_workspace_explains(tmp_path):
    db = tmp_path / "empty.duckdb"
    Store.open(db).close()
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "analyse", "--db", str(db)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1 and "还没有指标" in done.stderr
