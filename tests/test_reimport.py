"""Re-importing: the same file is a no-op, a changed file replaces its batches, ids stay stable."""

from __future__ import annotations

import shutil

import openpyxl

from analysis import import_file, import_paths

from conftest import FIXTURES, snapshot

NAME = "县应急管理局-各镇安全生产考核细则.xlsx"


def ids_by_name(store):
    return dict(store.rows("SELECT name, indicator_id FROM indicators ORDER BY name"))


def test_same_file_again_changes_nothing(store):
    first = import_file(store, FIXTURES / NAME)
    before = snapshot(store)
    again = import_file(store, FIXTURES / NAME)
    assert (first.status, again.status) == ("imported", "unchanged")
    assert snapshot(store) == before


def test_changed_file_replaces_its_batch_and_keeps_ids(store, fixture_copy):
    path = fixture_copy(NAME)
    import_file(store, path)
    ids = ids_by_name(store)
    book = openpyxl.load_workbook(path)
    sheet = book["考核细则"]
    sheet["D4"] = "12分"
    sheet["C9"] = "应急演练组织情况"
    book.save(path)
    result = import_file(store, path)
    assert result.status == "replaced"
    assert store.scalar("SELECT count(*) FROM import_batches") == 1
    after = ids_by_name(store)
    assert len(after) == 5
    unchanged = set(ids) - {"应急演练开展情况"}
    assert {n: after[n] for n in unchanged} == {n: ids[n] for n in unchanged}
    assert "应急演练开展情况" not in after and after["应急演练组织情况"] not in ids.values()
    assert (
        store.scalar("SELECT score FROM indicators WHERE name = '安全生产责任制落实情况'") == 12.0
    )


def test_removed_sheet_disappears_with_the_new_version(store, fixture_copy):
    path = fixture_copy("县信访局考核指标.xlsx")
    import_file(store, path)
    assert store.scalar("SELECT count(*) FROM import_batches") == 2
    book = openpyxl.load_workbook(path)
    del book["县直部门"]
    book.save(path)
    import_file(store, path)
    assert store.rows("SELECT sheet FROM import_batches") == [("各镇",)]
    assert store.scalar("SELECT count(*) FROM indicators") == 2


def test_identical_content_under_another_name_is_skipped(store, tmp_path):
    import_file(store, FIXTURES / NAME)
    before = snapshot(store)
    twin = tmp_path / "副本.xlsx"
    shutil.copy(FIXTURES / NAME, twin)
    result = import_file(store, twin)
    assert result.status == "unchanged"
    assert result.warnings == [f"《副本.xlsx》与已导入的《{NAME}》内容相同，已跳过"]
    assert snapshot(store) == before


def test_ids_do_not_depend_on_the_database_or_the_order_of_imports(store, tmp_path):
    from analysis import Store

    import_file(store, FIXTURES / NAME)
    import_file(store, FIXTURES / "县信访局考核指标.xlsx")
    with Store.open(tmp_path / "other.duckdb") as other:
        import_file(other, FIXTURES / "县信访局考核指标.xlsx")
        import_file(other, FIXTURES / NAME)
        query = "SELECT indicator_id, name, source_row FROM indicators ORDER BY indicator_id"
        assert other.rows(query) == store.rows(query)
    assert store.scalar("SELECT count(DISTINCT indicator_id) = count(*) FROM indicators")


def test_directory_import_walks_and_keeps_going_past_bad_files(store, tmp_path):
    folder = tmp_path / "上报"
    (folder / "乡镇").mkdir(parents=True)
    shutil.copy(FIXTURES / NAME, folder / "乡镇" / NAME)
    shutil.copy(FIXTURES / "corrupt.xlsx", folder / "corrupt.xlsx")
    shutil.copy(FIXTURES / "县农业农村局-各乡镇考核.xls", folder / "农业.xls")
    (folder / "~$lock.xlsx").write_bytes(b"owner file")
    (folder / "readme.md").write_text("not a spreadsheet", encoding="utf-8")
    seen = []
    done, rejected = import_paths(
        store, [folder], progress=lambda p, n, t: seen.append((p.name, n, t))
    )
    assert sorted(r.file for r in done) == sorted([NAME, "农业.xls"])
    assert [e.problems[0].file for e in rejected] == ["corrupt.xlsx"]
    assert [t for _, _, t in seen] == [3, 3, 3]
    assert store.scalar("SELECT count(*) FROM indicators") == 7
