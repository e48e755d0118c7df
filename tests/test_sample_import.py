"""End to end: the bundled sample county into a real DuckDB file, checked against its gold rows."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import ImportOptions, Store, build_sample_workspace, import_paths

from conftest import ROOT, snapshot

SAMPLE = ROOT / "data" / "sample"
GOLD = SAMPLE / "gold"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "workspace.duckdb"
    steps = []
    build_sample_workspace(path, lambda name, n, total: steps.append((name, n, total)))
    return path, steps


@pytest.fixture(scope="module")
def imported(workspace):
    with Store.open(workspace[0], read_only=True) as store:
        return store.query_df(
            "SELECT b.file_name AS file, b.sheet, b.file_format, i.source_row AS row, i.name, "
            "i.assessor, i.target, i.score, i.score_text FROM indicators i "
            "JOIN import_batches b USING (batch_id)"
        )


def test_progress_is_reported_for_every_file(workspace):
    _, steps = workspace
    files = [p for p in (SAMPLE / "catalogues").iterdir() if p.suffix in {".xlsx", ".xls", ".csv"}]
    assert [n for _, n, _ in steps] == list(range(1, len(files) + 1))  # roster + catalogues
    assert steps[0][0] == "units.csv"


def test_every_gold_row_is_imported_at_its_coordinates_and_nothing_else(imported):
    gold = pd.read_csv(GOLD / "rows.csv", keep_default_na=False)
    got = imported.assign(
        sheet=imported["sheet"].where(~imported["file_format"].isin(["csv", "html"]), "")
    )
    merged = gold.merge(got, on=["file", "sheet", "row"], how="outer", indicator=True)
    assert merged["_merge"].value_counts().to_dict() == {
        "both": len(gold),
        "left_only": 0,
        "right_only": 0,
    }
    assert (merged["name_x"].str.strip() == merged["name_y"]).all()
    assert 3000 <= len(gold) <= 8000


def test_every_indicator_has_an_assessor_and_a_target(imported):
    assert imported["assessor"].notna().all()
    assert imported["target"].notna().all()
    assert imported["assessor"].nunique() >= 20


def test_scores_are_read_for_scored_rows(imported):
    numeric = imported["score_text"].fillna("").str.fullmatch(r"\d+(\.\d+)?分?")
    assert (imported.loc[numeric, "score"] > 0).all()
    assert numeric.mean() > 0.8


def test_units_get_categories_close_to_the_gold(workspace):
    gold = pd.read_csv(GOLD / "units.csv", keep_default_na=False)
    with Store.open(workspace[0], read_only=True) as store:
        units = store.query_df("SELECT unit_name, category, entrusted_to FROM units")
    merged = gold.merge(units, on="unit_name", how="left", suffixes=("_gold", ""))
    assert len(merged) == len(gold) == len(units)
    agreement = (merged["category_gold"] == merged["category"]).mean()
    assert agreement >= 0.9, merged[merged["category_gold"] != merged["category"]]
    entrusted = merged[merged["entrusted_to_gold"] != ""]
    assert (entrusted["entrusted_to"] == entrusted["entrusted_to_gold"]).all()


def test_importing_the_sample_again_changes_nothing(workspace, tmp_path):
    import shutil

    copy = tmp_path / "again.duckdb"
    shutil.copy(workspace[0], copy)
    with Store.open(copy) as store:
        before = snapshot(store)
        done, rejected = import_paths(
            store,
            [SAMPLE / "units.csv", SAMPLE / "catalogues"],
            ImportOptions(uploaded_by="示例数据"),
        )
        assert rejected == []
        assert {r.status for r in done} == {"unchanged"}
        assert snapshot(store) == before
