"""Features of candidate pairs, computed in bulk (RapidFuzz `cpdist`, sparse row products).

Every feature is symmetric and in [0, 1]; conflict features flag false friends (…率 vs …数,
门诊 vs 住院, different numbers). The names below are the model's inputs, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
import pandas as pd
import scipy.sparse as sp
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import HashingVectorizer

from .conflicts import conflict_frame, text_traits
from .thesaurus import meaning_keys
from .tokens import tokenize_many

FEATURES = (
    "ratio", "partial", "token_set", "token_sort", "char_dice", "token_jaccard",
    "token_weight", "unshared_weight", "unshared_min", "synonym_coverage", "synonym_weight",
    "rare_shared", "containment", "length_ratio", "exact", "metric_pair",
    "metric_unshared", "contrast_conflict", "qualifier_one_side", "measure_conflict",
    "measure_one_side", "number_conflict", "negation_mismatch", "criteria_similarity",
)  # fmt: skip
# Shown beside a pair to explain it, not fed to the model: labelled pair files carry no
# headings, and a "missing" flag would only teach the model which file a pair came from.
CONTEXT = ("criteria_missing", "same_level1", "level1_missing")
# Criteria similarity where one side has none: the middle of the scale, neither for nor against.
CRITERIA_NEUTRAL = 0.5
CHUNK = 500_000


def _rowwise_dot(
    left: sp.csr_matrix, right: sp.csr_matrix, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    out = np.empty(len(a), dtype=np.float64)
    for start in range(0, len(a), CHUNK):
        stop = start + CHUNK
        out[start:stop] = np.asarray(
            left[a[start:stop]].multiply(right[b[start:stop]]).sum(axis=1)
        ).ravel()
    return out


def _char_dice(texts: list[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    hashed = HashingVectorizer(
        analyzer="char", ngram_range=(1, 2), alternate_sign=False, norm=None, binary=True
    ).transform(texts)
    sizes = np.asarray(hashed.sum(axis=1)).ravel()
    shared = _rowwise_dot(hashed, hashed, a, b)
    return 2 * shared / np.maximum(sizes[a] + sizes[b], 1)


def _token_matrix(tokens: list, idf: dict[str, float], default: float):
    """Binary and IDF-weighted text × token matrices (each token counted once per text)."""
    lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    rows = np.repeat(np.arange(len(tokens)), lengths)
    codes, vocabulary = pd.factorize(pd.Series(list(chain.from_iterable(tokens)), dtype=object))
    shape = (len(tokens), max(len(vocabulary), 1))
    binary = sp.csr_matrix((np.ones(len(rows)), (rows, codes)), shape=shape)
    binary.data[:] = 1.0  # duplicates within a text were summed
    weights = np.array([idf.get(word, default) for word in vocabulary], dtype=np.float64)
    weighted = binary @ sp.diags(weights) if len(vocabulary) else binary.copy()
    return binary, sp.csr_matrix(weighted)


def _token_features(tokens, a, b, idf, default) -> dict[str, np.ndarray]:
    binary, weighted = _token_matrix(tokens, idf, default)
    count = np.asarray(binary.sum(axis=1)).ravel()
    mass = np.asarray(weighted.sum(axis=1)).ravel()
    shared_count = _rowwise_dot(binary, binary, a, b)
    shared_mass = _rowwise_dot(weighted, binary, a, b)
    union = np.maximum(count[a] + count[b] - shared_count, 1)
    left = np.clip((mass[a] - shared_mass) / np.maximum(mass[a], 1e-9), 0, 1)
    right = np.clip((mass[b] - shared_mass) / np.maximum(mass[b], 1e-9), 0, 1)
    rarest = weighted.multiply(1.0 / max(default, 1e-9)).tocsr()
    rare = np.empty(len(a))
    for start in range(0, len(a), CHUNK):
        stop = start + CHUNK
        both = rarest[a[start:stop]].multiply(binary[b[start:stop]])
        rare[start:stop] = both.max(axis=1).toarray().ravel()
    return {
        "rare_shared": rare,
        "token_jaccard": shared_count / union,
        "token_weight": 2 * shared_mass / np.maximum(mass[a] + mass[b], 1e-9),
        # one side's own content (a qualifier added) vs both sides' (an object swapped)
        "unshared_weight": np.maximum(left, right),
        "unshared_min": np.minimum(left, right),
    }


def _synonym_features(tokens, a, b, idf, default) -> dict[str, np.ndarray]:
    """Overlap of tokens widened by their 词林 synonym groups (推进 meets 推动)."""
    keys = [[k for t in words for k in meaning_keys(t)] for words in tokens]
    weights = {t: idf.get(t, default) for words in tokens for t in words}
    for words in tokens:
        for t in words:
            for k in meaning_keys(t):
                weights[k] = max(weights.get(k, 0.0), weights[t])
    binary, weighted = _token_matrix(keys, weights, default)
    count = np.asarray(binary.sum(axis=1)).ravel()
    mass = np.asarray(weighted.sum(axis=1)).ravel()
    shared_count = _rowwise_dot(binary, binary, a, b)
    shared_mass = _rowwise_dot(weighted, binary, a, b)
    return {
        "synonym_coverage": shared_count / np.maximum(count[a] + count[b] - shared_count, 1),
        "synonym_weight": 2 * shared_mass / np.maximum(mass[a] + mass[b], 1e-9),
    }


def _fuzz(left: list[str], right: list[str], scorer, processor=None) -> np.ndarray:
    return process.cpdist(left, right, scorer=scorer, processor=processor, workers=-1) / 100.0


def pair_features(
    texts: Sequence[str],
    a: np.ndarray,
    b: np.ndarray,
    idf: dict[str, float],
    default_idf: float,
    criteria: Sequence[str] | None = None,
    level1: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Features of pairs (a[k], b[k]) of normalised `texts` (positions); criteria and level-1
    headings are optional and normalised too ('' when unknown)."""
    texts = list(texts)
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    left, right = [texts[i] for i in a], [texts[j] for j in b]
    tokens = tokenize_many(texts)
    spaced = [" ".join(t) for t in tokens]
    s_left, s_right = [spaced[i] for i in a], [spaced[j] for j in b]
    out = pd.DataFrame(
        {
            "ratio": _fuzz(left, right, fuzz.ratio),
            "partial": _fuzz(left, right, fuzz.partial_ratio),
            "token_set": _fuzz(s_left, s_right, fuzz.token_set_ratio),
            "token_sort": _fuzz(s_left, s_right, fuzz.token_sort_ratio),
            "char_dice": _char_dice(texts, a, b),
        }
    )
    for name, values in _token_features(tokens, a, b, idf, default_idf).items():
        out[name] = values
    for name, values in _synonym_features(tokens, a, b, idf, default_idf).items():
        out[name] = values
    lengths = np.array([len(t) for t in texts])
    out["containment"] = [float(x in y or y in x) for x, y in zip(left, right, strict=True)]
    out["length_ratio"] = np.minimum(lengths[a], lengths[b]) / np.maximum(
        np.maximum(lengths[a], lengths[b]), 1
    )
    out["exact"] = (np.asarray(left, dtype=object) == np.asarray(right, dtype=object)).astype(float)
    out = out.join(conflict_frame(text_traits(texts), a, b))
    out["metric_unshared"] = out["metric_pair"] * out["unshared_weight"]
    out = out.join(_context_frame(criteria, level1, a, b))
    # float sums can land a hair outside [0, 1]; the scale is part of the features' contract
    return out[[*FEATURES, *CONTEXT]].astype("float64").clip(0.0, 1.0)


def _context_frame(criteria, level1, a, b) -> pd.DataFrame:
    frame = pd.DataFrame(index=range(len(a)))
    if criteria is None:
        frame["criteria_similarity"], frame["criteria_missing"] = CRITERIA_NEUTRAL, 1.0
    else:
        crit = list(criteria)
        ca, cb = [crit[i] for i in a], [crit[j] for j in b]
        missing = np.array([not x or not y for x, y in zip(ca, cb, strict=True)], dtype=float)
        similarity = _fuzz(ca, cb, fuzz.token_set_ratio)
        frame["criteria_similarity"] = np.where(missing == 1, CRITERIA_NEUTRAL, similarity)
        frame["criteria_missing"] = missing
    if level1 is None:
        frame["same_level1"], frame["level1_missing"] = 0.0, 1.0
    else:
        heads = np.asarray(list(level1), dtype=object)
        missing = (heads[a] == "") | (heads[b] == "")
        frame["same_level1"] = ((heads[a] == heads[b]) & ~missing).astype(float)
        frame["level1_missing"] = missing.astype(float)
    return frame
