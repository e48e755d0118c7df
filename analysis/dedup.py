"""Near-duplicate detection on texts in memory: normalise → candidates → score → cluster.

The workspace stages (stages.py) run the same steps over DuckDB tables; evaluation and the
benchmark call this directly.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .candidates import candidate_pairs
from .cluster import cluster_pairs, copy_keys
from .model import PairModel, default_model
from .normalize import normalize_criteria, normalize_many
from .similarity import prepare_positions, score_positions
from .tokens import tokenize_many


@dataclass
class DedupResult:
    normalized: list[str]
    pairs: pd.DataFrame  # i < j, cosine, generator, features…, probability
    labels: np.ndarray  # cluster label per text (smallest member position)
    threshold: float
    seconds: dict[str, float] = field(default_factory=dict)


def dedup_texts(
    texts: Sequence[str],
    criteria: Sequence[str] | None = None,
    block: Sequence[str] | None = None,
    threshold: float | None = None,
    model: PairModel | None = None,
) -> DedupResult:
    """Cluster `texts` (one per indicator); `block` keeps pairs inside groups (e.g. category)."""
    model = model or default_model()
    threshold = model.threshold if threshold is None else threshold
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    normalized = normalize_many([str(t) for t in texts])
    norm_criteria = [normalize_criteria(str(c)) for c in criteria] if criteria else None
    # candidates and scoring both need the tokens: cut each text once, before they run side by
    # side (jieba holds the GIL, so two threads cutting the same texts only wait on each other)
    tokenize_many(normalized)
    seconds["normalize"] = time.perf_counter() - start
    start = time.perf_counter()
    # the per-text half of scoring (tokens, bags, traits) needs no pairs: a second core does
    # it while the candidates are found; its time shows in the candidates stage
    with ThreadPoolExecutor(max_workers=1) as pool:
        preparing = pool.submit(prepare_positions, normalized, norm_criteria, None, model)
        pairs = candidate_pairs(normalized, block, variants=norm_criteria)
        seconds["candidates"] = time.perf_counter() - start
        start = time.perf_counter()
        prepared = preparing.result()
    i, j = pairs["i"].to_numpy(), pairs["j"].to_numpy()
    scored = score_positions(normalized, i, j, norm_criteria, None, model, prepared)
    # the few pair columns go in front of the features, not the features beside the pairs:
    # setting a column copies it, and the features are most of the memory (1.4 GB at 1M rows)
    for position, column in enumerate(pairs.columns):
        scored.insert(position, column, pairs[column].to_numpy())
    pairs = scored
    del scored
    seconds["score"] = time.perf_counter() - start
    start = time.perf_counter()
    copies = copy_keys(normalized, norm_criteria, block)
    labels = cluster_pairs(
        len(normalized), i, j, pairs["probability"].to_numpy(), threshold, copies
    )
    seconds["cluster"] = time.perf_counter() - start
    return DedupResult(normalized, pairs, labels, threshold, seconds)
