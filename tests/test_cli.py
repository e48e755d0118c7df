"""The command line as a user runs it: real processes, a real DuckDB file, exit codes, JSON."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from conftest import FIXTURES

NAME = "县应急管理局-各镇安全生产考核细则.xlsx"


def jianfu(*args, cwd=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def test_console_script_is_installed():
    assert shutil.which("jianfu"), "pip install -e . must provide the jianfu command"
    done = subprocess.run(["jianfu", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "import" in done.stdout


def test_import_then_info_json(tmp_path):
    db = tmp_path / "w.duckdb"
    done = jianfu(
        "import", FIXTURES / NAME, FIXTURES / "县信访局考核指标.xlsx", "--db", db, "--json"
    )
    assert done.returncode == 0, done.stderr
    report = last_json(done.stdout)
    assert report["imported_rows"] == 9 and report["rejected"] == []
    info = jianfu("info", "--db", db, "--json")
    assert info.returncode == 0, info.stderr
    payload = last_json(info.stdout)
    assert (payload["indicators"], payload["batches"], payload["units"]) == (9, 3, 0)
    assert all(isinstance(payload[k], int) for k in ("indicators", "batches", "units"))
    categories = {row["单位类别"]: row["指标数"] for row in payload["by_category"]}
    assert categories == {"各镇": 7, "县直部门（5类通用）": 2}


def test_default_database_is_the_workspace_file(tmp_path):
    done = jianfu("import", FIXTURES / NAME, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "workspace.duckdb").exists()
    env_db = tmp_path / "elsewhere.duckdb"
    assert (
        jianfu("import", FIXTURES / NAME, cwd=tmp_path, env={"JIANFU_DB": str(env_db)}).returncode
        == 0
    )
    assert env_db.exists()


def test_bad_file_gives_chinese_message_and_nonzero_exit_without_traceback(tmp_path):
    db = tmp_path / "w.duckdb"
    jianfu("import", FIXTURES / NAME, "--db", db)
    done = jianfu("import", FIXTURES / "县民政局-各镇民政工作考核.xlsx", "--db", db, "--json")
    assert done.returncode == 1
    assert "第3行“C”列：分值“待定”无法识别" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    report = last_json(done.stdout)
    assert report["indicators"] == 5 and len(report["rejected"]) == 1


def test_missing_file_and_bad_options_are_explained(tmp_path):
    done = jianfu("import", tmp_path / "没有这个文件.xlsx", "--db", tmp_path / "w.duckdb")
    assert done.returncode == 1 and "找不到文件或目录" in done.stderr
    done = jianfu("import", FIXTURES / NAME, "--map", "分值", "--db", tmp_path / "w.duckdb")
    assert done.returncode == 1 and "--map 参数“分值”无效" in done.stderr
    done = jianfu("info", "--db", tmp_path / "none.duckdb")
    assert done.returncode == 1 and "不存在" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_mistyped_option_or_value_is_a_usage_error_not_an_internal_one(tmp_path):
    for args in (("fit", "--no-such-option"), ("analyse", "--threshold", "高")):
        done = (
            jianfu(*args, "--db", tmp_path / "w.duckdb") if args[0] == "analyse" else jianfu(*args)
        )
        assert done.returncode == 2, done.stderr
        assert "Usage:" in done.stderr and "内部错误" not in done.stderr, done.stderr


def test_map_option_overrides_a_column(tmp_path):
    db = tmp_path / "w.duckdb"
    done = jianfu(
        "import", FIXTURES / NAME, "--db", db, "--map", "评分标准=ignore", "--assessor", "县应急局"
    )
    assert done.returncode == 0, done.stderr
    from analysis import Store

    with Store.open(db, read_only=True) as store:
        assert store.rows("SELECT DISTINCT assessor, criteria FROM indicators") == [
            ("县应急局", None)
        ]


def test_locked_workspace_is_reported_in_chinese(tmp_path):
    from analysis import Store

    db = tmp_path / "w.duckdb"
    jianfu("import", FIXTURES / NAME, "--db", db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        done = jianfu("info", "--db", db)
        assert done.returncode == 1 and "占用" in done.stderr
        assert "Traceback" not in done.stderr
    finally:
        holder.kill()
        holder.wait()
    with Store.open(db, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM indicators") == 5
