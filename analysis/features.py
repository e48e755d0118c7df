"""Features of candidate pairs, computed in bulk (RapidFuzz `cpdist`, sparse row products).

Every feature is symmetric and in [0, 1]; conflict features flag false friends (…率 vs …数,
门诊 vs 住院, different numbers). The names below are the model's inputs, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
import scipy.sparse as sp
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import HashingVectorizer

from .candidates import generic_words
from .conflicts import Traits, conflict_frame, text_traits
from .thesaurus import meaning_keys
from .tokens import tokenize_many

FEATURES = (
    "ratio", "partial", "token_set", "token_sort", "char_dice", "token_jaccard",
    "token_weight", "unshared_weight", "unshared_min", "synonym_coverage", "synonym_weight",
    "rare_shared", "containment", "length_ratio", "exact", "metric_pair",
    "metric_unshared", "contrast_conflict", "qualifier_one_side", "measure_conflict",
    "measure_one_side", "number_conflict", "negation_mismatch", "criteria_similarity",
    "growth_one_side", "flow_one_side", "content_unmatched_max", "content_unmatched_min",
)  # fmt: skip
# Shown beside a pair to explain it, not fed to the model: labelled pair files carry no
# headings, and a "missing" flag would only teach the model which file a pair came from.
CONTEXT = ("criteria_missing", "same_level1", "level1_missing")
# Criteria similarity where one side has none: the middle of the scale, neither for nor against.
CRITERIA_NEUTRAL = 0.5
CHUNK = 250_000


@dataclass(frozen=True)
class Bag:
    """A text × item matrix (binary and weighted) with per-text counts and weight sums."""

    binary: sp.csr_matrix
    weighted: sp.csr_matrix
    count: np.ndarray
    mass: np.ndarray

    @classmethod
    def of(cls, items: list, weights: dict[str, float], default: float) -> Bag:
        binary, weighted = _token_matrix(items, weights, default)
        count = np.asarray(binary.sum(axis=1)).ravel()
        return cls(binary, weighted, count, np.asarray(weighted.sum(axis=1)).ravel())


@dataclass(frozen=True)
class PreparedTexts:
    """Everything about each text that pairs compare, computed once for all pairs."""

    texts: list[str]
    spaced: list[str]  # jieba tokens joined by spaces
    chars: Bag  # character 1–2-grams (hashed)
    content: Bag  # characters of the content words (generic words left out)
    tokens: Bag
    meanings: Bag  # tokens widened by their 词林 synonym groups
    rare: sp.csr_matrix  # token IDF relative to the rarest possible
    lengths: np.ndarray
    traits: Traits
    criteria: list[str] | None
    level1: np.ndarray | None


def prepare_texts(texts, idf, default, criteria=None, level1=None) -> PreparedTexts:
    texts = list(texts)
    tokens = tokenize_many(texts)
    chars = _char_bag(texts, (1, 2))
    generic = generic_words()
    content = _char_bag(["".join(w for w in words if w not in generic) for words in tokens], (1, 1))
    token_bag = Bag.of(tokens, idf, default)
    keys = [[k for t in words for k in meaning_keys(t)] for words in tokens]
    key_weights = {t: idf.get(t, default) for words in tokens for t in words}
    for words in tokens:
        for t in words:
            for k in meaning_keys(t):
                key_weights[k] = max(key_weights.get(k, 0.0), key_weights[t])
    return PreparedTexts(
        texts=texts,
        spaced=[" ".join(t) for t in tokens],
        chars=chars,
        content=content,
        tokens=token_bag,
        meanings=Bag.of(keys, key_weights, default),
        rare=token_bag.weighted.multiply(1.0 / max(default, 1e-9)).tocsr(),
        lengths=np.array([len(t) for t in texts]),
        traits=text_traits(texts),
        criteria=list(criteria) if criteria is not None else None,
        level1=np.asarray(list(level1), dtype=object) if level1 is not None else None,
    )


def _char_bag(texts: list[str], ngrams: tuple[int, int]) -> Bag:
    hashed = HashingVectorizer(
        analyzer="char",
        ngram_range=ngrams,
        alternate_sign=False,
        norm=None,
        binary=True,
        dtype=np.float32,
    ).transform(texts)
    ones = np.ones(hashed.shape[0])
    return Bag(hashed, hashed, np.asarray(hashed.sum(axis=1)).ravel(), ones)


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


def _shared(bag: Bag, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    count = np.asarray(bag.binary[a].multiply(bag.binary[b]).sum(axis=1)).ravel()
    mass = np.asarray(bag.weighted[a].multiply(bag.binary[b]).sum(axis=1)).ravel()
    return count, mass


def _bag_features(prep: PreparedTexts, a: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    chars_shared, _ = _shared(prep.chars, a, b)
    tok, syn = prep.tokens, prep.meanings
    shared_count, shared_mass = _shared(tok, a, b)
    syn_count, syn_mass = _shared(syn, a, b)
    left = np.clip((tok.mass[a] - shared_mass) / np.maximum(tok.mass[a], 1e-9), 0, 1)
    right = np.clip((tok.mass[b] - shared_mass) / np.maximum(tok.mass[b], 1e-9), 0, 1)
    rare = prep.rare[a].multiply(tok.binary[b]).max(axis=1).toarray().ravel()
    # content characters one side has and the other lacks: an object swapped (both sides) or
    # a qualifier added (one side); abbreviations (统战 / 统一战线) leave the short side at 0
    content_shared, _ = _shared(prep.content, a, b)
    content = prep.content.count
    lost_a = 1 - content_shared / np.maximum(content[a], 1)
    lost_b = 1 - content_shared / np.maximum(content[b], 1)
    return {
        "char_dice": 2 * chars_shared / np.maximum(prep.chars.count[a] + prep.chars.count[b], 1),
        "rare_shared": rare,
        "token_jaccard": shared_count / np.maximum(tok.count[a] + tok.count[b] - shared_count, 1),
        "token_weight": 2 * shared_mass / np.maximum(tok.mass[a] + tok.mass[b], 1e-9),
        # one side's own content (a qualifier added) vs both sides' (an object swapped)
        "unshared_weight": np.maximum(left, right),
        "unshared_min": np.minimum(left, right),
        # overlap widened by 词林 synonym groups (推进 meets 推动)
        "synonym_coverage": syn_count / np.maximum(syn.count[a] + syn.count[b] - syn_count, 1),
        "synonym_weight": 2 * syn_mass / np.maximum(syn.mass[a] + syn.mass[b], 1e-9),
        "content_unmatched_max": np.where(
            content[a] * content[b] > 0, np.maximum(lost_a, lost_b), 0
        ),
        "content_unmatched_min": np.where(
            content[a] * content[b] > 0, np.minimum(lost_a, lost_b), 0
        ),
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
    headings are optional and normalised too ('' when unknown). Pairs go in chunks, so memory
    stays bounded; features are float32."""
    prep = prepare_texts(texts, idf, default_idf, criteria, level1)
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    columns = [*FEATURES, *CONTEXT]
    values = np.empty((len(a), len(columns)), dtype=np.float32)  # filled chunk by chunk
    for start in range(0, len(a), CHUNK):
        stop = start + CHUNK
        values[start:stop] = _pair_block(prep, a[start:stop], b[start:stop]).to_numpy()
    return pd.DataFrame(values, columns=columns)


def _pair_block(prep: PreparedTexts, a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    left, right = [prep.texts[i] for i in a], [prep.texts[j] for j in b]
    s_left, s_right = [prep.spaced[i] for i in a], [prep.spaced[j] for j in b]
    out = pd.DataFrame(
        {
            "ratio": _fuzz(left, right, fuzz.ratio),
            "partial": _fuzz(left, right, fuzz.partial_ratio),
            "token_set": _fuzz(s_left, s_right, fuzz.token_set_ratio),
            "token_sort": _fuzz(s_left, s_right, fuzz.token_sort_ratio),
            **_bag_features(prep, a, b),
        }
    )
    lengths = prep.lengths
    out["containment"] = [float(x in y or y in x) for x, y in zip(left, right, strict=True)]
    longer = np.maximum(np.maximum(lengths[a], lengths[b]), 1)
    out["length_ratio"] = np.minimum(lengths[a], lengths[b]) / longer
    out["exact"] = (np.asarray(left, dtype=object) == np.asarray(right, dtype=object)).astype(float)
    out = out.join(conflict_frame(prep.traits, a, b))
    out["metric_unshared"] = out["metric_pair"] * out["unshared_weight"]
    out = out.join(_context_frame(prep.criteria, prep.level1, a, b))
    # float sums can land a hair outside [0, 1]; the scale is part of the features' contract
    return out[[*FEATURES, *CONTEXT]].clip(0.0, 1.0).astype(np.float32)


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
