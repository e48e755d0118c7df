"""The Streamlit app on the bundled sample county: AppTest for the flow, a real Chromium for the page."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import (
    Store,
    build_sample_workspace,
    by_category,
    cross_category,
    pooled,
    workspace_summary,
)

from conftest import ROOT

APP = ROOT / "app.py"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def expected(tmp_path_factory):
    """The figures the page must show, computed by the library on its own copy of the sample."""
    path = tmp_path_factory.mktemp("expected") / "workspace.duckdb"
    build_sample_workspace(path, analysed=True)
    with Store.open(path, read_only=True) as store:
        summary = workspace_summary(store)
        reduction = by_category(store)
        return summary, reduction, pooled(reduction), cross_category(store)


def test_first_start_builds_the_sample_workspace_and_shows_counts(tmp_path, monkeypatch, expected):
    workspace = tmp_path / "data" / "workspace.duckdb"
    monkeypatch.setenv("JIANFU_DB", str(workspace))
    app = AppTest.from_file(str(APP), default_timeout=300)
    app.run()
    assert not app.exception, app.exception
    assert workspace.exists()
    summary, reduction, groups, cross = expected
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {
        "指标表": str(summary.batches),
        "指标数": str(summary.indicators),
        "考核单位": str(len(summary.by_assessor)),
        "被考核单位": str(summary.units),
        **{row.group: f"{row.rate:.0%}" for row in groups.itertuples()},
    }
    shown = app.dataframe[0].value
    assert shown["精减前"].tolist() == reduction["before"].tolist()
    assert shown["精减后"].tolist() == reduction["after"].tolist()
    assert app.dataframe[1].value.to_dict("records") == summary.by_category.to_dict("records")
    topics = app.dataframe[-1].value
    assert topics["指标内容"].tolist() == cross["topic"].tolist() and len(topics) > 50
    assert not list(workspace.parent.glob("*.building"))
    app.run()  # second run opens the existing workspace instead of rebuilding it
    assert not app.exception and not app.status


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served_app(tmp_path):
    port = _free_port()
    env = {**os.environ, "JIANFU_DB": str(tmp_path / "workspace.duckdb")}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://localhost:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("streamlit did not start:\n" + server.stdout.read())
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.mark.browser
def test_page_in_a_real_browser(served_app, expected, tmp_path):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Debian chromium is installed by scripts/install-test-deps.sh"
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(served_app)
        page.get_by_text("已导入的指标表").wait_for(timeout=300_000)
        summary, _, groups, _ = expected
        metric = page.locator('[data-testid="stMetric"]').filter(has_text="指标数")
        value = metric.locator('[data-testid="stMetricValue"]').inner_text()
        assert value == str(summary.indicators)
        towns = page.locator('[data-testid="stMetric"]').filter(has_text=groups["group"].iloc[0])
        rate = towns.locator('[data-testid="stMetricValue"]').inner_text()
        assert rate == f"{groups['rate'].iloc[0]:.0%}"
        assert page.get_by_text("按单位类别的精减情况").is_visible()
        page.get_by_text("同一指标用于多个单位类别").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(Path(tmp_path) / "app.png"), full_page=True)
        if os.environ.get("JIANFU_SCREENSHOT"):
            page.screenshot(path=os.environ["JIANFU_SCREENSHOT"], full_page=True)
        # the page scrolls inside Streamlit's container: the last section gets its own picture
        page.get_by_text("同一指标用于多个单位类别").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(tmp_path) / "app_cross_category.png"))
        if os.environ.get("JIANFU_SCREENSHOT"):
            cross = Path(os.environ["JIANFU_SCREENSHOT"]).with_suffix(".cross_category.png")
            page.screenshot(path=str(cross))
        browser.close()
