"""A second search space for candidates in large catalogues: each text as the set of pairs of
its words (TF-IDF over word pairs, rows L2-normalised).

Why: past a few hundred thousand rows the character n-gram index has to drop n-grams found in
more than `common_max` texts, and with them the place, period and measure words that tell the
members of a long family apart (全县/农村/城镇 + the same object + 完成率/增长率 …). Each family
then looks alike in n-gram space and crowds every top-k list, so a reworded twin goes missing.
A word pair such as (农村, 消防安全) is far rarer than either word, so it survives the pruning
and still says which family member a text is.

>>> m = word_pair_matrix([("农村", "消防", "完成率"), ("农村", "消防", "目标", "完成率")], 10)
>>> m.shape[0], round(float((m[0] @ m[1].T).toarray()[0, 0]), 2)
(2, 0.58)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.preprocessing import normalize


def _distinct_words(tokens: Sequence[Sequence[str]]) -> sp.csr_matrix:
    """Text × word, canonical (each row's word ids sorted and distinct)."""
    lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    rows = np.repeat(np.arange(len(tokens)), lengths)
    codes, vocabulary = pd.factorize(
        pd.Series([w for words in tokens for w in words], dtype=object)
    )
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, codes)),
        shape=(len(tokens), max(len(vocabulary), 1)),
    )
    matrix.sum_duplicates()
    return matrix


def word_pair_matrix(tokens: Sequence[Sequence[str]], max_df: int) -> sp.csr_matrix:
    """TF-IDF rows over the unordered pairs of each text's distinct words (binary tf, smooth
    idf, float32); pairs found in more than `max_df` texts are dropped as uninformative."""
    words = _distinct_words(tokens)
    n, width = words.shape
    lengths = np.diff(words.indptr)
    rows, codes = [], []
    # texts with the same number of words share one triangle of word positions
    for size in np.unique(lengths[lengths >= 2]).tolist():
        members = np.flatnonzero(lengths == size)
        ids = words.indices[words.indptr[members][:, None] + np.arange(size)].astype(np.int64)
        first, second = np.triu_indices(size, 1)
        codes.append((ids[:, first] * width + ids[:, second]).ravel())
        rows.append(np.repeat(members, len(first)))
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    found, vocabulary = pd.factorize(np.concatenate(codes) if codes else row)
    df = np.bincount(found, minlength=len(vocabulary))
    keep = df[found] <= max_df
    kept = np.flatnonzero(df <= max_df)
    column = np.full(len(vocabulary), -1, dtype=np.int64)
    column[kept] = np.arange(len(kept))
    idf = (np.log((n + 1) / (df[kept] + 1.0)) + 1.0).astype(np.float32)
    matrix = sp.csr_matrix(
        (idf[column[found[keep]]], (row[keep], column[found[keep]])),
        shape=(n, max(len(kept), 1)),
    )
    return normalize(matrix, norm="l2", copy=False)
