"""Child process of the dedup benchmark: one catalogue size, or the naive all-pairs baseline.

    python -m analysis.bench.dedup_one size ROWS SEED    # normalise → candidates → score → cluster
    python -m analysis.bench.dedup_one naive ROWS SEED   # RapidFuzz cdist(fuzz.ratio) timing

Each runs in its own process so that the peak memory it reports is that size's own.
"""

from __future__ import annotations

import gc
import sys
import time
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from ..candidates import group_pairs
from ..dedup import dedup_texts
from ..normalize import normalize_text
from ..synth.scaled import synthetic_indicators
from .measure import emit, peak_rss_mb, timed

# Gold pairs grow quadratically with a concept's size; up to this many are enumerated exactly
# (a few int64 arrays of this length are small), beyond it a fixed-seed sample is checked.
GOLD_EXACT_LIMIT = 2_000_000
GOLD_SAMPLE = 200_000
NAIVE_BLOCK_ROWS = 1_000
NAIVE_TRIANGLE_BUDGET_S = 30.0  # time the full upper triangle only if its estimate fits
TRIANGLE_BLOCK_ROWS = 256  # small blocks keep the redundant in-block lower triangle to ~2.5 %
BLOCK_REPEATS = 3  # best of a few: the block is short enough for a stray process to skew it


def _gold_pairs(concepts: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray, int, str]:
    """Row pairs (left < right) sharing a concept: all of them, or a uniform sample.

    Returns (left, right, total gold pairs, method) with method "exact" or "sampled".
    """
    n = len(concepts)
    order = np.argsort(concepts, kind="stable")
    ordered = concepts[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if n else np.array([], int)
    sizes = np.diff(np.r_[starts, n])
    counts = sizes * (sizes - 1) // 2
    total = int(counts.sum())
    if total <= GOLD_EXACT_LIMIT:
        left, right = group_pairs(concepts, largest=n)
        method = "exact"
    else:
        # a uniform pair index picks its group in proportion to the group's pair count, then
        # two distinct members uniformly: together uniform over all gold pairs
        rng = np.random.default_rng(seed)
        picks = rng.integers(0, total, size=GOLD_SAMPLE)
        group = np.searchsorted(np.cumsum(counts), picks, side="right")
        size = sizes[group]
        a = rng.integers(0, size)
        b = rng.integers(0, size - 1)
        b = b + (b >= a)
        left, right = order[starts[group] + a], order[starts[group] + b]
        method = "sampled"
    return np.minimum(left, right), np.maximum(left, right), total, method


def candidate_recall(
    concepts: np.ndarray, normalized: list[str], i: np.ndarray, j: np.ndarray, seed: int
) -> dict[str, Any]:
    """Share of gold pairs that are candidate pairs (i < j) or have identical normalised text."""
    n = len(normalized)
    left, right, total, method = _gold_pairs(concepts, seed)
    if len(left) == 0:
        return {"candidate_recall": 1.0, "gold_pairs": 0, "gold_checked": 0, "gold_method": method}
    text_codes, _ = pd.factorize(np.asarray(normalized, dtype=object))
    # one int64 key per pair (n² < 2⁶³ for any catalogue size here) so membership is a sort
    wanted = left.astype(np.int64) * n + right
    found = np.isin(wanted, i.astype(np.int64) * n + j)
    found |= text_codes[left] == text_codes[right]
    return {
        "candidate_recall": float(found.mean()),
        "gold_pairs": total,
        "gold_checked": len(left),
        "gold_method": method,
    }


def run_size(rows: int, seed: int) -> dict[str, Any]:
    """Generate `rows` synthetic indicators (untimed), dedup them, and return the figures."""
    frame, generate_seconds = timed(lambda: synthetic_indicators(rows, seed=seed))
    names = frame["name"].tolist()
    criteria = frame["criteria"].tolist()
    concepts = pd.factorize(frame["concept_id"])[0]
    del frame
    gc.collect()
    result, total = timed(lambda: dedup_texts(names, criteria))
    peak = peak_rss_mb()
    i, j = result.pairs["i"].to_numpy(), result.pairs["j"].to_numpy()
    recall = candidate_recall(concepts, result.normalized, i, j, seed)
    return {
        "rows": rows,
        "generate_seconds": generate_seconds,
        "seconds_total": total,
        "stages": dict(result.seconds),
        "pairs_scored": len(result.pairs),
        "clusters": len(np.unique(result.labels)),
        "peak_rss_mb": peak,
        **recall,
    }


def run_naive(rows: int, seed: int, block_rows: int = NAIVE_BLOCK_ROWS) -> dict[str, Any]:
    """Time RapidFuzz cdist(fuzz.ratio, all cores) on `rows` normalised names.

    A block of the first rows against all rows gives seconds per cell; the full upper triangle
    is timed as well when that estimate says it takes under NAIVE_TRIANGLE_BUDGET_S.
    """
    frame = synthetic_indicators(rows, seed=seed)
    texts = [normalize_text(str(t)) for t in frame["name"]]
    del frame
    block = texts[: min(block_rows, rows)]
    process.cdist(block[:10], texts[:10], scorer=fuzz.ratio, workers=-1)  # warm the pool
    block_seconds = min(
        timed(lambda: process.cdist(block, texts, scorer=fuzz.ratio, workers=-1))[1]
        for _ in range(BLOCK_REPEATS)
    )
    block_cells = len(block) * rows
    per_cell = block_seconds / block_cells
    figures: dict[str, Any] = {
        "rows": rows,
        "block_rows": len(block),
        "block_cells": block_cells,
        "block_seconds": block_seconds,
        "seconds_per_cell": per_cell,
        "triangle_seconds": None,
        "triangle_cells": None,
    }
    if per_cell * rows * (rows - 1) / 2 < NAIVE_TRIANGLE_BUDGET_S:
        cells = 0
        start = time.perf_counter()
        # each block of rows against itself and every later row: the upper triangle, plus the
        # block's own small lower triangle (included in the time, it is what a naive run does)
        for first in range(0, rows, TRIANGLE_BLOCK_ROWS):
            scores = process.cdist(
                texts[first : first + TRIANGLE_BLOCK_ROWS],
                texts[first:],
                scorer=fuzz.ratio,
                workers=-1,
            )
            cells += scores.size
            del scores
        figures["triangle_seconds"] = time.perf_counter() - start
        figures["triangle_cells"] = cells
    return figures


def main(mode: str, rows: str, seed: str) -> None:
    run = {"size": run_size, "naive": run_naive}[mode]
    emit(run(int(rows), int(seed)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
