"""Features of candidate pairs, computed in bulk (RapidFuzz `cpdist`, sparse row products).

Every feature is symmetric and in [0, 1]; conflict features flag false friends (…率 vs …数,
门诊 vs 住院, different numbers). The names below are the model's inputs, in order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import scipy.sparse as sp
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler
from sklearn.feature_extraction.text import HashingVectorizer

from .settings import PACKAGE_DATA
from .thesaurus import meaning_keys
from .tokens import tokenize_many

FEATURES = (
    "ratio", "partial", "token_set", "token_sort", "jaro", "char_dice", "token_jaccard",
    "token_weight", "unshared_weight", "unshared_min", "synonym_coverage", "synonym_weight",
    "common_run", "rare_shared", "containment", "length_ratio", "exact", "metric_pair",
    "metric_unshared", "contrast_conflict", "qualifier_one_side", "measure_conflict",
    "measure_one_side", "number_conflict", "negation_mismatch", "criteria_similarity",
)  # fmt: skip
# Shown beside a pair to explain it, not fed to the model: labelled pair files carry no
# headings, and a "missing" flag would only teach the model which file a pair came from.
CONTEXT = ("criteria_missing", "same_level1", "level1_missing")
# Criteria similarity where one side has none: the middle of the scale, neither for nor against.
CRITERIA_NEUTRAL = 0.5
CHUNK = 500_000
COMMON_RUN_CAP = 8
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Lexicon:
    groups: tuple[tuple[str, ...], ...]
    measures: tuple[tuple[str, str], ...]  # (ending, class), longest ending first
    negations: tuple[str, ...]
    umbrellas: tuple[str, ...]


@cache
def lexicon() -> Lexicon:
    raw = json.loads((PACKAGE_DATA / "contrasts.json").read_text(encoding="utf-8"))
    groups = tuple(tuple(w for w in g if len(w) >= 2) for g in raw["groups"])
    measures = sorted(
        ((w, c) for c, words in raw["measures"].items() for w in words), key=lambda x: -len(x[0])
    )
    return Lexicon(
        tuple(g for g in groups if len(g) >= 2),
        tuple(measures),
        tuple(raw["negations"]),
        tuple(raw["umbrellas"]),
    )


@dataclass(frozen=True)
class TextTraits:
    """What a text is about beyond its characters: contrast members, measure, numbers."""

    contrasts: tuple[frozenset[str], ...]
    measure: str
    numbers: frozenset[str]
    negated: bool
    umbrella: bool


def traits(text: str, lex: Lexicon) -> TextTraits:
    contrasts = tuple(frozenset(w for w in group if w in text) for group in lex.groups)
    measure = next((c for w, c in lex.measures if text.endswith(w)), "")
    negated = text.startswith(lex.negations)
    umbrella = any(u in text for u in lex.umbrellas)
    return TextTraits(contrasts, measure, frozenset(_DIGITS.findall(text)), negated, umbrella)


CONFLICTS = (
    "contrast_conflict", "qualifier_one_side", "measure_conflict", "measure_one_side",
    "number_conflict", "negation_mismatch", "metric_pair",
)  # fmt: skip


def _conflicts(a: TextTraits, b: TextTraits) -> tuple[float, ...]:
    pairs = list(zip(a.contrasts, b.contrasts, strict=True))
    covered = a.umbrella or b.umbrella  # 城乡 on one side covers 城镇 on the other
    contrast = not covered and any(x and y and x != y for x, y in pairs)
    qualifier = not covered and any(bool(x) != bool(y) for x, y in pairs)
    measure = bool(a.measure and b.measure and a.measure != b.measure)
    one_side = bool(a.measure) != bool(b.measure)
    numbers = bool(a.numbers and b.numbers and a.numbers != b.numbers)
    metric = bool(a.measure and b.measure)
    flags = (contrast, qualifier, measure, one_side, numbers, a.negated != b.negated, metric)
    return tuple(float(f) for f in flags)


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


def _token_matrix(tokens: list[tuple[str, ...]], idf: dict[str, float], default: float):
    vocabulary: dict[str, int] = {}
    rows, cols, weights = [], [], []
    for row, words in enumerate(tokens):
        for word in set(words):
            rows.append(row)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
            weights.append(idf.get(word, default))
    shape = (len(tokens), max(len(vocabulary), 1))
    weighted = sp.csr_matrix((weights, (rows, cols)), shape=shape)
    binary = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    return binary, weighted


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
    """Share of each side's tokens that the other side has, or a 词林 synonym of."""
    keys = [[meaning_keys(t) for t in words] for words in tokens]
    pooled = [frozenset().union(*k) for k in keys]
    weights = [[idf.get(t, default) for t in words] for words in tokens]
    coverage = np.zeros(len(a))
    weighted = np.zeros(len(a))
    for n, (i, j) in enumerate(zip(a, b, strict=True)):
        hit_i = [bool(k & pooled[j]) for k in keys[i]]
        hit_j = [bool(k & pooled[i]) for k in keys[j]]
        total = len(hit_i) + len(hit_j)
        mass = sum(weights[i]) + sum(weights[j])
        coverage[n] = (sum(hit_i) + sum(hit_j)) / total if total else 0.0
        covered = sum(w for w, h in zip(weights[i], hit_i, strict=True) if h)
        covered += sum(w for w, h in zip(weights[j], hit_j, strict=True) if h)
        weighted[n] = covered / mass if mass else 0.0
    return {"synonym_coverage": coverage, "synonym_weight": weighted}


def _longest_common_run(left: list[str], right: list[str]) -> np.ndarray:
    """Longest shared run of characters, in characters (capped): a shared key phrase such as
    入河排污口 or 生活污水治理 ties reworded tasks together."""
    runs = np.zeros(len(left))
    for n, (x, y) in enumerate(zip(left, right, strict=True)):
        best = 0
        for start in range(len(x)):
            length = best + 1
            while start + length <= len(x) and x[start : start + length] in y:
                best = length
                length += 1
        runs[n] = min(best, COMMON_RUN_CAP) / COMMON_RUN_CAP
    return runs


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
            "jaro": process.cpdist(
                left, right, scorer=JaroWinkler.normalized_similarity, workers=-1
            ),
            "char_dice": _char_dice(texts, a, b),
        }
    )
    for name, values in _token_features(tokens, a, b, idf, default_idf).items():
        out[name] = values
    for name, values in _synonym_features(tokens, a, b, idf, default_idf).items():
        out[name] = values
    out["common_run"] = _longest_common_run(left, right)
    lengths = np.array([len(t) for t in texts])
    out["containment"] = [float(x in y or y in x) for x, y in zip(left, right, strict=True)]
    out["length_ratio"] = np.minimum(lengths[a], lengths[b]) / np.maximum(
        np.maximum(lengths[a], lengths[b]), 1
    )
    out["exact"] = (np.asarray(left, dtype=object) == np.asarray(right, dtype=object)).astype(float)
    out = out.join(_conflict_frame(texts, a, b))
    out["metric_unshared"] = out["metric_pair"] * out["unshared_weight"]
    out = out.join(_context_frame(criteria, level1, a, b))
    return out[[*FEATURES, *CONTEXT]].astype("float64")


def _conflict_frame(texts: list[str], a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    lex = lexicon()
    known = [traits(t, lex) for t in texts]
    plain = [
        not any(x.contrasts) and not x.measure and not x.numbers and not x.negated for x in known
    ]
    quiet = (0.0,) * len(CONFLICTS)
    rows = [
        quiet if plain[i] and plain[j] else _conflicts(known[i], known[j])
        for i, j in zip(a, b, strict=True)
    ]
    return pd.DataFrame(rows, columns=list(CONFLICTS)) if rows else pd.DataFrame(columns=CONFLICTS)


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
