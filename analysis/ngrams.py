"""Character n-grams of many texts at once, as integer codes: array work instead of one Python
string per n-gram (scikit-learn's char analyzer spends seconds per 100,000 texts on those).

The matrices built here equal what scikit-learn's `analyzer="char"` vectorizers build from the
same texts (same preprocessing, same n-grams, same column order or hashed columns); the
candidates and features rely on that, so their values did not change when this replaced them.

A code packs up to three code points (each + 1, 21 bits apiece) left-aligned, so codes sort
like the n-gram strings do: "ab" < "abc" < "abd" < "ac".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

BITS = 21  # a code point + 1 is below 0x110001 < 2**21
MAX_N = 3
HASH_FEATURES = 2**20  # HashingVectorizer's default width
_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's char analyzer collapses these


def _preprocess(texts: Sequence[str]) -> list[str]:
    """scikit-learn's default preprocessing for the char analyzer: lower case, runs of white
    space collapsed to one space."""
    lowered = [t.lower() for t in texts]
    if _WHITE_SPACES.search("\x00".join(lowered)) is None:
        return lowered
    return [_WHITE_SPACES.sub(" ", t) for t in lowered]


def ngram_codes(texts: Sequence[str], sizes: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(row, code) of every n-gram occurrence, n in `sizes`, in scikit-learn's order: text by
    text, and in a text all n-grams of the first size by position, then the next size."""
    texts = _preprocess(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    raw = "".join(texts).encode("utf-32-le", "surrogatepass")
    points = np.frombuffer(raw, dtype="<u4").astype(np.int64) + 1
    row = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    position = np.arange(len(points)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    per_size = [np.maximum(lengths - size + 1, 0) for size in sizes]
    row_start = np.cumsum(sum(per_size)) - sum(per_size)  # each text's first output slot
    total = int(sum(int(count.sum()) for count in per_size))
    rows, codes = np.empty(total, dtype=np.int64), np.empty(total, dtype=np.int64)
    before = np.zeros(len(texts), dtype=np.int64)  # slots taken by the smaller sizes
    for size, count in zip(sizes, per_size, strict=True):
        fits = position + size <= lengths[row]
        code = np.zeros(int(fits.sum()), dtype=np.int64)
        starts = np.flatnonzero(fits)
        for k in range(min(size, MAX_N)):
            code |= points[starts + k] << (BITS * (MAX_N - 1 - k))
        slots = row_start[row[starts]] + before[row[starts]] + position[starts]
        rows[slots], codes[slots] = row[starts], code
        before += count
    return rows, codes


def _decode(code: int) -> str:
    chars = []
    for k in range(MAX_N):
        point = (code >> (BITS * (MAX_N - 1 - k))) & ((1 << BITS) - 1)
        if point:
            chars.append(chr(point - 1))
    return "".join(chars)


def _counts(rows: np.ndarray, columns: np.ndarray, n_rows: int, width: int) -> sp.csr_matrix:
    """Occurrence counts, canonical CSR (sorted, summed duplicates), float32."""
    indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=n_rows))]
    matrix = sp.csr_matrix(
        (np.ones(len(columns), dtype=np.float32), columns, indptr), shape=(n_rows, width)
    )
    matrix.sum_duplicates()
    return matrix


def tfidf_matrix(texts: Sequence[str], sizes: Sequence[int], max_df: int) -> sp.csr_matrix:
    """TfidfVectorizer(analyzer="char", sublinear_tf=True, dtype=float32, max_df=max_df),
    entry for entry: within a row scikit-learn keeps its entries in order of the n-grams' first
    appearance in the corpus, and sparse products sum in that order, so this does too."""
    rows, codes = ngram_codes(texts, sizes)
    first, vocabulary = pd.factorize(codes)  # ids in order of first appearance
    if len(vocabulary) == 0:  # no text long enough for an n-gram: nothing to compare on
        return sp.csr_matrix((len(texts), 1), dtype=np.float32)
    matrix = _counts(rows, first, len(texts), max(len(vocabulary), 1))
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    kept = df <= max_df
    # final columns: the kept n-grams in string order (scikit-learn sorts its vocabulary)
    column = np.full(len(df), -1, dtype=np.int64)
    ordered = np.flatnonzero(kept)[np.argsort(vocabulary[kept], kind="stable")]
    column[ordered] = np.arange(len(ordered))
    entry_kept = kept[matrix.indices]
    counts = np.bincount(np.repeat(np.arange(len(texts)), np.diff(matrix.indptr))[entry_kept],
                         minlength=len(texts))  # fmt: skip
    data = matrix.data[entry_kept]
    indices = column[matrix.indices[entry_kept]].astype(matrix.indices.dtype)
    result = sp.csr_matrix(
        (data, indices, np.r_[0, np.cumsum(counts)]), shape=(len(texts), max(len(ordered), 1))
    )
    df = df[ordered].astype(np.float32) + 1
    idf = np.full_like(df, len(texts) + 1, dtype=np.float32) / df
    np.log(idf, out=idf)
    idf += 1.0
    np.log(result.data, out=result.data)
    result.data += 1.0
    result.data *= idf[result.indices]
    return normalize(result, norm="l2", copy=False)


def hashed_binary(texts: Sequence[str], sizes: Sequence[int]) -> sp.csr_matrix:
    """HashingVectorizer(analyzer="char", alternate_sign=False, norm=None, binary=True,
    dtype=float32): each distinct n-gram's murmur hash column set to 1."""
    rows, codes = ngram_codes(texts, sizes)
    found, vocabulary = pd.factorize(codes)
    hashed = np.array(
        [abs(murmurhash3_32(_decode(int(c)), seed=0)) % HASH_FEATURES for c in vocabulary],
        dtype=np.int64,
    )
    matrix = _counts(rows, hashed[found] if len(found) else found, len(texts), HASH_FEATURES)
    matrix.data[:] = 1.0
    return matrix
