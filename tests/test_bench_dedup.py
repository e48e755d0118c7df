"""The dedup benchmark (analysis.bench dedup): sane figures at a tiny size and its JSON contract.

Speed itself is measured by the benchmark, not asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from analysis.bench import dedup_one
from analysis.bench.dedup import JSON_KEYS, REPEATS, best_of, naive_seconds, repeats_for

ROOT = Path(__file__).resolve().parents[1]
STAGES = {"normalize", "candidates", "score", "cluster"}


def test_run_size_figures_are_sane():
    figures = dedup_one.run_size(2000, seed=0)
    assert figures["rows"] == 2000
    assert set(figures["stages"]) == STAGES
    assert all(seconds > 0 for seconds in figures["stages"].values())
    assert figures["seconds_total"] >= sum(figures["stages"].values()) * 0.99
    assert figures["pairs_scored"] > 0
    assert 0.0 <= figures["candidate_recall"] <= 1.0
    assert figures["gold_method"] == "exact"
    assert figures["gold_pairs"] == figures["gold_checked"] > 0
    assert figures["peak_rss_mb"] > 0
    assert figures["generate_seconds"] > 0


def test_candidate_recall_counts_candidates_and_identical_texts():
    concepts = np.array([0, 0, 1, 1, 1, 2])
    texts = ["甲", "乙", "丙", "丙", "丁", "戊"]
    # gold pairs: (0,1) (2,3) (2,4) (3,4); (2,3) identical text, (3,4) a candidate
    i, j = np.array([3, 0]), np.array([4, 5])
    figures = dedup_one.candidate_recall(concepts, texts, i, j, seed=0)
    assert figures["gold_pairs"] == 4
    assert figures["candidate_recall"] == 0.5


def test_candidate_recall_samples_large_gold_sets(monkeypatch):
    monkeypatch.setattr(dedup_one, "GOLD_EXACT_LIMIT", 10)
    monkeypatch.setattr(dedup_one, "GOLD_SAMPLE", 5000)
    concepts = np.repeat(np.arange(4), 10)  # 4 groups of 10: 180 gold pairs
    texts = [str(k) for k in range(40)]
    # every gold pair of the first two groups is a candidate: half of all gold pairs
    a, b = np.triu_indices(10, 1)
    i, j = np.concatenate([a, a + 10]), np.concatenate([b, b + 10])
    figures = dedup_one.candidate_recall(concepts, texts, i, j, seed=1)
    assert figures["gold_method"] == "sampled"
    assert figures["gold_pairs"] == 180 and figures["gold_checked"] == 5000
    assert abs(figures["candidate_recall"] - 0.5) < 0.05


def test_naive_is_measured_only_where_the_triangle_was_timed():
    naive = {"rows": 10_000, "seconds_per_cell": 2e-8, "triangle_seconds": 1.5}
    assert naive_seconds(10_000, naive) == (1.5, True)
    seconds, measured = naive_seconds(100_000, naive)
    assert not measured and abs(seconds - 2e-8 * 100_000 * 99_999 / 2) < 1e-6
    assert naive_seconds(10_000, {**naive, "triangle_seconds": None})[1] is False


def test_command_prints_json_contract():
    done = subprocess.run(
        [sys.executable, "-m", "analysis.bench", "dedup", "--rows", "2000", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]  # 1 = a target missed, still valid
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures) == {*JSON_KEYS, "seconds_each", "runs"}
    assert len(figures["runs"]) == 1
    run = figures["runs"][0]
    assert set(run) == {*JSON_KEYS, "seconds_each"}
    assert {k: v for k, v in figures.items() if k != "runs"} == run
    # best of REPEATS cold runs, like the naive block's best of its timings
    assert len(run["seconds_each"]) == REPEATS
    assert run["seconds_total"] == min(run["seconds_each"])
    assert run["rows"] == 2000
    assert set(run["stages"]) == STAGES
    assert run["pairs_scored"] > 0
    assert 0.0 <= run["candidate_recall"] <= 1.0
    assert run["naive_measured"] is False  # naive is timed in full at 10,000 rows only
    assert run["naive_seconds"] > 0 and run["speedup"] > 0


def test_best_of_keeps_the_fastest_run_every_time_and_the_largest_memory():
    runs = [
        {"seconds_total": 7.5, "peak_rss_mb": 880.0, "stages": {"score": 2.5}},
        {"seconds_total": 6.1, "peak_rss_mb": 870.0, "stages": {"score": 2.0}},
        {"seconds_total": 6.9, "peak_rss_mb": 905.0, "stages": {"score": 2.2}},
    ]
    best = best_of(runs)
    assert best["seconds_total"] == 6.1 and best["stages"] == {"score": 2.0}
    assert best["seconds_each"] == [7.5, 6.1, 6.9]
    assert best["peak_rss_mb"] == 905.0
    assert runs[1]["peak_rss_mb"] == 870.0  # the runs themselves are left as they were


def test_repeats_default_to_several_up_to_100k_and_follow_the_option():
    assert repeats_for(10_000, None) == repeats_for(100_000, None) == REPEATS
    assert repeats_for(1_000_000, None) == 1
    assert repeats_for(1_000_000, 2) == 2 and repeats_for(10_000, 1) == 1


def test_a_bad_repeat_count_is_refused_in_chinese():
    done = subprocess.run(
        [sys.executable, "-m", "analysis.bench", "dedup", "--rows", "2000", "--repeat", "0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 2
    assert "次数应为正整数：0" in done.stderr
    assert "Traceback" not in done.stderr
