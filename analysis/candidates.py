"""Candidate pairs without comparing all pairs: character n-gram TF-IDF with sparse top-k
cosine, plus exact blocking on normalised text and content-key blocking; in catalogues large
enough that the n-gram index must drop common n-grams, also top-k in word-pair space
(word_pairs.py). Pairs are positional, left < right.

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
from sparse_dot_topn import sp_matmul_topn

from .ngrams import tfidf_matrix
from .settings import CANDIDATES, PACKAGE_DATA, CandidateSettings
from .tokens import tokenize_many
from .word_pairs import word_pair_matrix


@dataclass
class CandidateIndex:
    """The character n-gram space of a set of texts (rows L2-normalised)."""

    matrix: sp.csr_matrix


def char_ngram_index(
    texts: Sequence[str], settings: CandidateSettings = CANDIDATES
) -> CandidateIndex:
    max_df = min(_common_df(len(texts), settings), settings.common_max)
    sizes = range(settings.ngram_range[0], settings.ngram_range[1] + 1)
    return CandidateIndex(tfidf_matrix([t or " " for t in texts], sizes, max_df))


def _common_df(n: int, settings: CandidateSettings) -> int:
    """Document frequency above which an n-gram is too common to search on (before the cap)."""
    return max(int(settings.common_share * n), settings.common_min)


def _topk_pairs(
    matrix: sp.csr_matrix,
    k: int,
    floor: float,
    settings: CandidateSettings,
    tail_floor: float = 1.0,
    tail_k: int = 0,
) -> pd.DataFrame:
    """Each row's k nearest rows above the floor, and its tail_k best down to tail_floor, in
    chunks to bound memory."""
    transposed = matrix.T.tocsr()
    parts = []
    for start in range(0, matrix.shape[0], settings.chunk_rows):
        block = matrix[start : start + settings.chunk_rows]
        product = sp_matmul_topn(
            block,
            transposed,
            top_n=k + 1,
            threshold=min(floor, tail_floor) if tail_k else floor,
            sort=tail_k > 0,
            n_threads=settings.threads,
        ).tocsr()
        rows = np.repeat(np.arange(product.shape[0]), np.diff(product.indptr))
        keep = _above_floor_or_best(product, rows, start, floor, tail_k)
        parts.append(
            pd.DataFrame(
                {"i": rows[keep] + start, "j": product.indices[keep], "cosine": product.data[keep]}
            )
        )
    pairs = (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["i", "j", "cosine"])
    )
    pairs = pairs[pairs["i"] != pairs["j"]]
    left = np.minimum(pairs["i"], pairs["j"])
    right = np.maximum(pairs["i"], pairs["j"])
    return pd.DataFrame({"i": left, "j": right, "cosine": pairs["cosine"]})


def _above_floor_or_best(
    product: sp.csr_matrix, rows: np.ndarray, start: int, floor: float, tail_k: int
) -> np.ndarray:
    """Entries at or above the floor, and each row's best tail_k others below it. Rows come
    sorted best first, so a rank is a position in its row (rank 0 is the row's own text)."""
    rank = np.arange(product.nnz) - product.indptr[rows]
    other = product.indices != rows + start
    return other & ((product.data >= floor) | ((rank <= tail_k) & (tail_k > 0)))


def _exact_pairs(
    normalized: Sequence[str], copies: _Copies, settings: CandidateSettings
) -> pd.DataFrame:
    """Pairs with identical normalised text in one block: every pair in groups up to
    exact_group_max members, consecutive members (chained) in larger ones. Clustering counts an
    unscored pair as unrelated, so a chain alone let average linkage split one indicator that
    twenty towns carry into two clusters whenever their scoring rules fell into two kinds."""
    codes = np.where([not t for t in normalized], -1, copies.distinct)
    left, right = group_pairs(codes, settings.exact_group_max)
    return pd.DataFrame({"i": left, "j": right, "cosine": 1.0})


def _stopword_lists() -> dict:
    return json.loads((PACKAGE_DATA / "synonyms.json").read_text(encoding="utf-8"))["key_stopwords"]


@cache
def _key_stopwords() -> frozenset[str]:
    stop = _stopword_lists()
    return frozenset([*stop["words"], *stop["programme_words"]])


@cache
def programme_words() -> dict[str, str]:
    """Names of a programme (河长制, 林长制) and the characters of what each looks after
    (河湖水). In its catalogues the name is the list's, not the task's, so a text's other
    content words come first; a text with no other content word (贯彻落实林长制) is about the
    programme itself, and then it is its content."""
    return dict(sorted(_stopword_lists()["programme_words"].items()))


@cache
def generic_words() -> frozenset[str]:
    """Words that say how or how much, not what: actions, measures, fillers, function words.
    Task words (宣传, 培训, 考核 …) are not among them: they name the work being assessed; nor
    are programmes' names (`programme_words`), which pair features weigh pair by pair."""
    raw = json.loads((PACKAGE_DATA / "synonyms.json").read_text(encoding="utf-8"))
    stop = raw["key_stopwords"]
    words = {*stop["words"], *stop["function_words"], *raw["fillers"]}
    return frozenset(words - set(stop["task_words"]))


def group_pairs(codes: np.ndarray, largest: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions sharing a code (-1 = none): every pair in groups up to `largest` members,
    consecutive members in larger groups (chained, so that size stays linear)."""
    present = np.flatnonzero(codes >= 0)
    order = present[np.argsort(codes[present], kind="stable")]
    ordered = codes[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(order) else order
    sizes = np.diff(np.r_[starts, len(order)])
    lefts, rights = [], []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= largest)]).tolist():
        members = order[starts[sizes == size][:, None] + np.arange(size)]
        a, b = np.triu_indices(size, 1)
        lefts.append(members[:, a].ravel())
        rights.append(members[:, b].ravel())
    big = np.repeat(sizes > largest, sizes) if len(order) else np.zeros(0, dtype=bool)
    chain_next = big[:-1] & big[1:] & (ordered[1:] == ordered[:-1])
    lefts.append(order[:-1][chain_next])
    rights.append(order[1:][chain_next])
    return np.concatenate(lefts), np.concatenate(rights)


def _key_codes(tokens: Sequence[Sequence[str]], block: np.ndarray) -> np.ndarray:
    """A code per text for (block, content key), -1 for an empty key. The content key is the
    set of a text's content words (not key stopwords, longer than one character): rewordings
    that only change actions, measures or generic qualifiers share it. Worked out on word ids,
    not joined strings."""
    lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    words, vocabulary = pd.factorize(pd.Series([w for t in tokens for w in t], dtype=object))
    stop, programme = _key_stopwords(), programme_words()
    content = np.array([w not in stop and len(w) > 1 for w in vocabulary], dtype=bool)
    rows = np.repeat(np.arange(len(tokens)), lengths)
    kept = content[words] if len(words) else np.zeros(0, dtype=bool)
    named = (
        np.array([w in programme for w in vocabulary], dtype=bool)[words] if len(words) else kept
    )
    has_content = np.bincount(rows[kept], minlength=len(tokens)) > 0
    kept = kept | (named & ~has_content[rows])  # 贯彻落实林长制: the programme is its content
    matrix = sp.csr_matrix(
        (np.ones(int(kept.sum()), dtype=np.int8), (rows[kept], words[kept])),
        shape=(len(tokens), max(len(vocabulary), 1)),
    )
    matrix.sum_duplicates()  # each row: its distinct content word ids, sorted
    ids = matrix.indices.astype(np.int64)
    keys = [ids[s:e].tobytes() for s, e in zip(matrix.indptr[:-1], matrix.indptr[1:], strict=True)]
    key_codes = pd.factorize(pd.Series(keys, dtype=object))[0]
    block_codes = pd.factorize(pd.Series(block, dtype=object).astype(str))[0]
    codes = pd.factorize(block_codes.astype(np.int64) * (key_codes.max(initial=0) + 1) + key_codes)[
        0
    ]
    codes[np.diff(matrix.indptr) == 0] = -1
    return codes


def _key_pairs(
    normalized: Sequence[str],
    tokens: Sequence[Sequence[str]],
    block: np.ndarray,
    settings: CandidateSettings,
) -> pd.DataFrame:
    """Pairs that share a content key (and differ in text: identical texts are exact pairs)."""
    left, right = group_pairs(_key_codes(tokens, block), settings.key_group_max)
    texts = np.asarray(normalized, dtype=object)
    differ = texts[left] != texts[right]
    return pd.DataFrame({"i": left[differ], "j": right[differ]})


def candidate_pairs(
    normalized: Sequence[str],
    block: Sequence[str] | None = None,
    settings: CandidateSettings = CANDIDATES,
    variants: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Columns i < j (positions), cosine (n-gram space; NaN when not searched there),
    generator (GENERATORS); one row per pair. `variants` (e.g. the normalised criteria)
    tells copies of one text apart.

    The searches run over the distinct texts of each block and their pairs are then given to
    every copy: an indicator in twenty towns' lists would otherwise fill its own k nearest
    neighbours with its copies, and its rewordings would never be found."""
    labels = np.asarray(block if block is not None else [""] * len(normalized), dtype=object)
    copies = _Copies.of(normalized, labels, variants)
    texts = [normalized[p] for p in copies.first]
    distinct_labels = labels[copies.first]
    index = char_ngram_index(texts, settings)
    tokens = tokenize_many(texts)
    words = None
    if _common_df(len(texts), settings) > settings.common_max:  # the cap prunes families
        words = word_pair_matrix(tokens, settings.pair_common_max)
    found = []
    for value in pd.unique(distinct_labels):
        members = np.flatnonzero(distinct_labels == value)
        if len(members) < 2:
            continue
        local = _topk_pairs(
            index.matrix[members], settings.k, settings.floor, settings,
            settings.tail_floor, settings.tail_k,
        )  # fmt: skip
        local["i"], local["j"] = members[local["i"]], members[local["j"]]
        found.append(local.assign(generator="ngram"))
        if words is not None:
            local = _topk_pairs(words[members], settings.pair_k, settings.floor, settings)
            local["i"], local["j"] = members[local["i"]], members[local["j"]]
            found.append(local.assign(generator="words", cosine=np.nan))
    keyed = _key_pairs(texts, tokens, distinct_labels, settings)
    found.append(keyed.assign(generator="key", cosine=np.nan))
    pairs = [copies.expand(part, settings.copies_pair_max) for part in found]
    pairs.append(_exact_pairs(normalized, copies, settings).assign(generator="exact"))
    pairs.append(_variant_pairs(normalized, copies, settings).assign(generator="exact"))
    return _one_row_per_pair(pairs, len(normalized))


def _variant_pairs(
    normalized: Sequence[str], copies: _Copies, settings: CandidateSettings
) -> pd.DataFrame:
    """In a text whose copies are too many for every pair (exact pairs then chain them),
    every pair of its variants: one copy per kind of criteria, so that clustering sees how
    each kind relates to every other."""
    codes = np.full(len(normalized), -1, dtype=np.int64)
    big = np.flatnonzero(copies.variants.size > 1)
    big = big[copies.positions.size[big] > settings.exact_group_max]
    for group in big.tolist():  # few: a text carried by more units than exact_group_max
        start = copies.variants.start[group]
        codes[copies.variants.order[start : start + copies.variants.size[group]]] = group
    codes[[not t for t in normalized]] = -1
    left, right = group_pairs(codes, settings.exact_group_max)
    return pd.DataFrame({"i": left, "j": right, "cosine": 1.0})


@dataclass(frozen=True)
class _Members:
    """Members of numbered groups: group g's are `order[start[g] : start[g] + size[g]]`."""

    order: np.ndarray
    start: np.ndarray
    size: np.ndarray

    @classmethod
    def of(cls, codes: np.ndarray, members: np.ndarray, groups: int) -> _Members:
        order = members[np.argsort(codes, kind="stable")]
        size = np.bincount(codes, minlength=groups)
        return cls(order, np.cumsum(size) - size, size)


def _combinations(u: np.ndarray, v: np.ndarray, left: _Members, right: _Members):
    """Every member of left group u[k] with every member of right group v[k], for all k:
    (k per combination, left member, right member)."""
    su, sv = left.size[u], right.size[v]
    count = su * sv
    pair = np.repeat(np.arange(len(u)), count)
    step = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    width = sv[pair]
    i = left.order[left.start[u[pair]] + step // width]
    j = right.order[right.start[v[pair]] + step % width]
    return pair, i, j


@dataclass(frozen=True)
class _Copies:
    """Positions grouped by distinct (block, text), and those by copy key (criteria): a
    distinct text's `positions`, and its `variants` (first position of each key). `distinct`
    is each position's distinct text, `first` each distinct text's first position."""

    distinct: np.ndarray
    first: np.ndarray
    positions: _Members
    variants: _Members

    @classmethod
    def of(cls, normalized: Sequence[str], labels: np.ndarray, keys: Sequence | None) -> _Copies:
        frame = pd.DataFrame({"block": labels, "text": list(normalized)})
        frame["key"] = list(keys) if keys is not None else ""
        distinct = frame.groupby(["block", "text"], sort=False, dropna=False).ngroup().to_numpy()
        variant = frame.groupby(["block", "text", "key"], sort=False, dropna=False).ngroup()
        count = int(distinct.max(initial=-1)) + 1
        positions = _Members.of(distinct, np.arange(len(frame)), count)
        _, firsts = np.unique(variant.to_numpy(), return_index=True)
        variants = _Members.of(distinct[firsts], firsts, count)
        return cls(distinct, positions.order[positions.start], positions, variants)

    def expand(self, pairs: pd.DataFrame, largest: int) -> pd.DataFrame:
        """Pairs of distinct texts (i, j) as pairs of their positions: every copy of one with
        every copy of the other when that makes at most `largest` pairs, else every variant
        of one with every variant of the other (copies of one variant score alike, and
        clustering takes them as one)."""
        u, v = pairs["i"].to_numpy(np.int64), pairs["j"].to_numpy(np.int64)
        full = self.positions.size[u] * self.positions.size[v] <= largest
        every, i_every, j_every = _combinations(u[full], v[full], self.positions, self.positions)
        kinds, i_kinds, j_kinds = _combinations(u[~full], v[~full], self.variants, self.variants)
        rows = np.r_[np.flatnonzero(full)[every], np.flatnonzero(~full)[kinds]]
        i, j = np.r_[i_every, i_kinds], np.r_[j_every, j_kinds]
        expanded = pd.DataFrame({"i": np.minimum(i, j), "j": np.maximum(i, j)})
        for column in pairs.columns.drop(["i", "j"]):
            expanded[column] = pairs[column].to_numpy()[rows]
        return expanded


GENERATORS = ("exact", "ngram", "key", "words")  # preference order when several find the same pair


def _one_row_per_pair(parts: list[pd.DataFrame], n: int) -> pd.DataFrame:
    i = np.concatenate([p["i"].to_numpy(dtype=np.int64) for p in parts])
    j = np.concatenate([p["j"].to_numpy(dtype=np.int64) for p in parts])
    cosine = np.concatenate([p["cosine"].to_numpy(dtype=np.float32) for p in parts])
    rank = np.concatenate([np.full(len(p), GENERATORS.index(p["generator"].iloc[0]), np.int8)
                           for p in parts if len(p)] or [np.zeros(0, np.int8)])  # fmt: skip
    i, j = np.minimum(i, j), np.maximum(i, j)
    key = i * max(n, 1) + j
    order = np.lexsort((rank, key))
    first = order[np.r_[True, key[order][1:] != key[order][:-1]]] if len(order) else order
    return pd.DataFrame(
        {
            "i": i[first],
            "j": j[first],
            "cosine": cosine[first],
            "generator": pd.Categorical.from_codes(rank[first], GENERATORS),
        }
    )
