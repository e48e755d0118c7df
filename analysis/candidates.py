"""Candidate pairs without comparing all pairs: character n-gram TF-IDF with sparse top-k
cosine, plus exact blocking on normalised text. Pairs are positional, left < right.

Blocking (the `block` labels, e.g. unit category) keeps pairs inside one catalogue group.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sparse_dot_topn import sp_matmul_topn

from .settings import CANDIDATES, PACKAGE_DATA, CandidateSettings
from .tokens import tokenize_many


@dataclass
class CandidateIndex:
    """The fitted character n-gram space of a set of texts (rows L2-normalised)."""

    matrix: sp.csr_matrix
    vectorizer: TfidfVectorizer


def char_ngram_index(
    texts: Sequence[str], settings: CandidateSettings = CANDIDATES
) -> CandidateIndex:
    vectorizer = TfidfVectorizer(
        analyzer="char",
        ngram_range=settings.ngram_range,
        sublinear_tf=True,
        dtype=np.float32,
        max_df=max(int(settings.common_share * len(texts)), settings.common_min),
    )
    matrix = vectorizer.fit_transform([t or " " for t in texts]).tocsr()
    return CandidateIndex(matrix, vectorizer)


def _topk_pairs(matrix: sp.csr_matrix, settings: CandidateSettings) -> pd.DataFrame:
    """Each row's k nearest rows above the floor, in chunks to bound memory."""
    transposed = matrix.T.tocsr()
    parts = []
    for start in range(0, matrix.shape[0], settings.chunk_rows):
        block = matrix[start : start + settings.chunk_rows]
        product = sp_matmul_topn(
            block,
            transposed,
            top_n=settings.k + 1,
            threshold=settings.floor,
            n_threads=settings.threads,
        ).tocoo()
        parts.append(
            pd.DataFrame({"i": product.row + start, "j": product.col, "cosine": product.data})
        )
    pairs = (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["i", "j", "cosine"])
    )
    pairs = pairs[pairs["i"] != pairs["j"]]
    left = np.minimum(pairs["i"], pairs["j"])
    right = np.maximum(pairs["i"], pairs["j"])
    return pd.DataFrame({"i": left, "j": right, "cosine": pairs["cosine"]})


def _exact_pairs(normalized: Sequence[str], block: np.ndarray) -> pd.DataFrame:
    """All pairs with identical normalised text, chained (a-b, b-c) to stay linear in size."""
    frame = pd.DataFrame({"text": normalized, "block": block, "i": np.arange(len(normalized))})
    frame = frame[frame["text"] != ""].sort_values(["block", "text", "i"], kind="stable")
    same = (frame["text"].to_numpy()[1:] == frame["text"].to_numpy()[:-1]) & (
        frame["block"].to_numpy()[1:] == frame["block"].to_numpy()[:-1]
    )
    rows = frame["i"].to_numpy()
    return pd.DataFrame({"i": rows[:-1][same], "j": rows[1:][same], "cosine": 1.0})


@cache
def _key_stopwords() -> frozenset[str]:
    raw = json.loads((PACKAGE_DATA / "synonyms.json").read_text(encoding="utf-8"))
    return frozenset(raw["key_stopwords"]["words"])


def content_key(tokens: Sequence[str]) -> str:
    """The content words of a text, sorted: rewordings that only change actions, measures or
    generic qualifiers share it (a fingerprint key on content tokens)."""
    stop = _key_stopwords()
    kept = sorted({t for t in tokens if t not in stop and len(t) > 1})
    return "|".join(kept)


def _key_pairs(
    normalized: Sequence[str], block: np.ndarray, settings: CandidateSettings
) -> pd.DataFrame:
    """All pairs inside small content-key groups (large groups are chained, to stay linear)."""
    keys = np.array([content_key(t) for t in tokenize_many(list(normalized))], dtype=object)
    frame = pd.DataFrame({"key": keys, "block": block, "i": np.arange(len(keys))})
    frame = frame[(frame["key"] != "") & (frame["key"] != pd.Series(normalized, dtype=object))]
    sizes = frame.groupby(["block", "key"])["i"].transform("size")
    small = frame[(sizes > 1) & (sizes <= settings.key_group_max)]
    pairs = small.merge(small, on=["block", "key"], suffixes=("", "_r"))
    pairs = pairs[pairs["i"] < pairs["i_r"]]
    large = frame[sizes > settings.key_group_max]
    chained = _exact_pairs(list(large["key"]), large["block"].to_numpy())
    chained["i"], chained["j"] = (
        large["i"].to_numpy()[chained["i"]],
        large["i"].to_numpy()[chained["j"]],
    )
    return pd.concat(
        [pd.DataFrame({"i": pairs["i"], "j": pairs["i_r"]}), chained[["i", "j"]]], ignore_index=True
    )


def candidate_pairs(
    normalized: Sequence[str],
    block: Sequence[str] | None = None,
    settings: CandidateSettings = CANDIDATES,
    index: CandidateIndex | None = None,
) -> pd.DataFrame:
    """Columns i < j (positions), cosine, generator ('ngram' or 'exact'); one row per pair."""
    labels = np.asarray(block if block is not None else [""] * len(normalized), dtype=object)
    index = index or char_ngram_index(normalized, settings)
    pairs = []
    for value in pd.unique(labels):
        members = np.flatnonzero(labels == value)
        if len(members) < 2:
            continue
        local = _topk_pairs(index.matrix[members], settings)
        local["i"], local["j"] = members[local["i"]], members[local["j"]]
        pairs.append(local.assign(generator="ngram"))
    pairs.append(_exact_pairs(normalized, labels).assign(generator="exact"))
    pairs.append(_key_pairs(normalized, labels, settings).assign(generator="key", cosine=np.nan))
    merged = pd.concat(pairs, ignore_index=True)
    merged["i"], merged["j"] = merged[["i", "j"]].min(axis=1), merged[["i", "j"]].max(axis=1)
    # one row per pair, preferring exact, then the n-gram search, then the content key
    merged["_rank"] = merged["generator"].map({"exact": 0, "ngram": 1, "key": 2})
    merged = merged.sort_values(["i", "j", "_rank"], kind="stable").drop(columns="_rank")
    merged = merged.drop_duplicates(["i", "j"], keep="first").reset_index(drop=True)
    return merged.astype({"i": "int64", "j": "int64", "cosine": "float32"})
