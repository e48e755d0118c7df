"""Features of candidate pairs, computed in bulk (RapidFuzz `cpdist`, sparse row products).

Every feature is symmetric and in [0, 1]; conflict features flag false friends (…率 vs …数,
门诊 vs 住院, different numbers). The names below are the model's inputs, in order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
import scipy.sparse as sp
from rapidfuzz import fuzz, process

from .candidates import generic_words, programme_words
from .conflicts import Traits, conflict_frame, text_traits
from .ngrams import hashed_binary
from .tokens import tokenize_many

FEATURES = (
    "ratio", "partial", "token_sort", "char_dice", "token_jaccard", "token_weight",
    "unshared_weight", "unshared_min", "rare_shared", "containment", "length_ratio", "exact",
    "metric_pair",
    "metric_unshared", "contrast_conflict", "qualifier_one_side", "measure_conflict",
    "measure_one_side", "number_conflict", "negation_mismatch", "criteria_similarity",
    "growth_one_side", "flow_one_side", "content_unmatched_max", "content_unmatched_min",
    "content_min",
)  # fmt: skip
# What each feature says, for people reading an explanation (`jianfu eval --errors`).
FEATURE_LABELS = {
    "ratio": "字符编辑相似度", "partial": "短者在长者中的最佳对齐", "token_sort": "词序无关相似度",
    "char_dice": "字与二字组重合", "token_jaccard": "共有词占比", "token_weight": "共有词权重",
    "unshared_weight": "一方独有词权重（较大者）", "unshared_min": "双方独有词权重（较小者）",
    "rare_shared": "共有最罕见词", "containment": "一方完整包含另一方", "length_ratio": "长度比",
    "exact": "规范化后完全相同", "metric_pair": "双方都是计量指标",
    "metric_unshared": "计量指标有独有词", "contrast_conflict": "对象相反（农村/城镇等）",
    "qualifier_one_side": "仅一方有限定语", "measure_conflict": "计量口径不同（率/数/额）",
    "measure_one_side": "仅一方有计量口径", "number_conflict": "数字不同",
    "negation_mismatch": "否定不一致", "criteria_similarity": "考核标准相似度",
    "growth_one_side": "仅一方是增长", "flow_one_side": "仅一方是新增量",
    "content_unmatched_max": "实词未对上（较多一方）", "content_unmatched_min": "实词未对上（较少一方）",
    "content_min": "较笼统一方的具体程度",
}  # fmt: skip
# Shown beside a pair to explain it, not fed to the model: labelled pair files carry no
# headings, and a "missing" flag would only teach the model which file a pair came from.
CONTEXT = ("criteria_missing", "same_level1", "level1_missing")
# Criteria similarity where one side has none: the middle of the scale, neither for nor against.
CRITERIA_NEUTRAL = 0.5
# Features that depend on the two texts alone (not on criteria or headings).
TEXT_FEATURES = tuple(f for f in FEATURES if f != "criteria_similarity")
CHUNK = 250_000
CONTENT_SCALE = 12  # content characters beyond which a name counts as fully specific


@dataclass(frozen=True)
class Bag:
    """A text × item matrix (binary and weighted) with per-text counts and weight sums."""

    binary: sp.csr_matrix
    weighted: sp.csr_matrix
    count: np.ndarray
    mass: np.ndarray

    @classmethod
    def of(cls, items: list, weights: dict[str, float], default: float) -> Bag:
        binary, vocabulary = _binary_matrix(items)
        return cls.weigh(binary, vocabulary, weights, default)

    @classmethod
    def weigh(cls, binary: sp.csr_matrix, vocabulary, weights: dict, default: float) -> Bag:
        values = np.array([weights.get(word, default) for word in vocabulary], dtype=np.float64)
        weighted = sp.csr_matrix(binary @ sp.diags(values) if len(vocabulary) else binary.copy())
        count = np.asarray(binary.sum(axis=1)).ravel()
        return cls(binary, weighted, count, np.asarray(weighted.sum(axis=1)).ravel())


@dataclass(frozen=True)
class PreparedTexts:
    """Everything about each text that pairs compare, computed once for all pairs. A
    catalogue repeats its indicators across units, so what depends on the text alone is
    kept once per distinct text (`same_text` maps a position to it); criteria and headings
    stay per position."""

    texts: list[str]  # the distinct texts
    # the texts and their sorted, spaced jieba tokens (token_sort_ratio's first step) with
    # every character recoded by frequency (see _recoder)
    coded: list[str]
    sorted_spaced: list[str]
    chars: Bag  # character 1–2-grams (hashed)
    content: Bag  # characters of the content words (generic words left out)
    content_unnamed: Bag  # the same without programmes' names (河长制)
    programmes: np.ndarray  # which programmes each text names, as bits
    scopes: np.ndarray  # which programmes' concerns (河湖水) the rest of each text speaks of
    tokens: Bag
    rare_scale: float  # token IDF × this = IDF relative to the rarest possible
    lengths: np.ndarray
    traits: Traits
    criteria: list[str] | None
    level1: np.ndarray | None
    same_text: np.ndarray  # one id per distinct text: equal ids, equal text features


def prepare_texts(texts, idf, default, criteria=None, level1=None) -> PreparedTexts:
    texts = list(texts)
    if criteria is not None:
        criteria = [_beyond_name(t, c) for t, c in zip(texts, criteria, strict=True)]
    same_text, distinct = pd.factorize(np.asarray(texts, dtype=object))
    texts = distinct.tolist()
    tokens = tokenize_many(texts)
    chars = _char_bag(texts, (1, 2))
    binary, vocabulary = _binary_matrix(tokens)
    token_bag = Bag.weigh(binary, vocabulary, idf, default)
    recode = _recoder(texts)
    content, content_unnamed, programmes = _content_bags(binary, vocabulary)
    return PreparedTexts(
        texts=texts,
        coded=[t.translate(recode) for t in texts],
        sorted_spaced=[" ".join(sorted(t)).translate(recode) for t in tokens],
        chars=chars,
        content=content,
        content_unnamed=content_unnamed,
        programmes=programmes,
        scopes=_scopes(texts) if programmes.any() else np.zeros(len(texts), dtype=np.int64),
        tokens=token_bag,
        rare_scale=1.0 / max(default, 1e-9),
        lengths=np.array([len(t) for t in texts]),
        traits=text_traits(texts),
        criteria=list(criteria) if criteria is not None else None,
        level1=np.asarray(list(level1), dtype=object) if level1 is not None else None,
        same_text=same_text,
    )


def _recoder(texts: list[str]) -> dict[int, int]:
    """Every character of the texts (and the space) renumbered 1, 2, … by frequency.

    RapidFuzz compares characters below 256 through a plain table and looks the others up in a
    hash map; Chinese text is all "others". A one-to-one renumbering leaves every score as it
    was (they only ask whether characters are equal) and puts the commonest 255 characters in
    the table: partial_ratio over 544,000 pairs 2.75 → 1.86 s, identical values."""
    counts = Counter(chain.from_iterable(texts))
    counts[" "] += 0  # the separator of sorted_spaced
    return {ord(c): k + 1 for k, (c, _) in enumerate(counts.most_common())}


def _beyond_name(text: str, criteria: str) -> str:
    """Criteria that only restate the name (森林覆盖率 for 森林覆盖率, once its target is gone)
    say nothing more about it: as good as none."""
    return "" if criteria and criteria in text else criteria


def _char_bag(texts: list[str], sizes: tuple[int, ...]) -> Bag:
    hashed = hashed_binary(texts, sizes)  # HashingVectorizer(analyzer="char"), entry for entry
    ones = np.ones(hashed.shape[0])
    return Bag(hashed, hashed, np.asarray(hashed.sum(axis=1)).ravel(), ones)


def _content_bags(tokens: sp.csr_matrix, vocabulary) -> tuple[Bag, Bag, np.ndarray]:
    """The characters of each text's content words (generic words left out), with and without
    the programmes' names, and which programmes each text names (bits): text × token times
    token × character, worked out once per distinct token."""
    generic, programme = generic_words(), list(programme_words())
    words = [[] if w in generic else list(w) for w in vocabulary]
    words += [[]] * (tokens.shape[1] - len(words))  # no vocabulary: one empty column
    spelled, _ = _binary_matrix(words)
    bits = np.array([1 << programme.index(w) if w in programme else 0 for w in vocabulary] +
                    [0] * (len(words) - len(vocabulary)), dtype=np.int64)  # fmt: skip
    unnamed = sp.diags((bits == 0).astype(np.float64))
    named = sp.csr_matrix(tokens.multiply(bits[None, :]))
    named.eliminate_zeros()
    programmes = np.zeros(tokens.shape[0], dtype=np.int64)
    filled = np.diff(named.indptr) > 0
    if filled.any():
        values = named.data.astype(np.int64)
        programmes[filled] = np.bitwise_or.reduceat(values, named.indptr[:-1][filled])
    return _spelled_bag(tokens @ spelled), _spelled_bag(tokens @ unnamed @ spelled), programmes


def _scopes(texts: list[str]) -> np.ndarray:
    """Bits of the programmes whose concerns a text speaks of outside their names: 河道保护
    speaks of 河长制's rivers; 信访 of none."""
    programmes = programme_words()
    rest = pd.Series(texts, dtype=object).str.replace("|".join(programmes), "", regex=True)
    scopes = np.zeros(len(texts), dtype=np.int64)
    for bit, concerns in enumerate(programmes.values()):
        scopes |= rest.str.contains(f"[{re.escape(concerns)}]", regex=True).to_numpy() << bit
    return scopes


def _spelled_bag(product) -> Bag:
    binary = sp.csr_matrix(product)
    binary.eliminate_zeros()
    binary.data[:] = 1.0
    ones = np.ones(binary.shape[0])
    return Bag(binary, binary, np.asarray(binary.sum(axis=1)).ravel(), ones)


def _binary_matrix(items: list) -> tuple[sp.csr_matrix, pd.Index]:
    """Text × item matrix, 1 where the text has the item (each counted once), and the items."""
    lengths = np.fromiter((len(t) for t in items), dtype=np.int64, count=len(items))
    rows = np.repeat(np.arange(len(items)), lengths)
    codes, vocabulary = pd.factorize(pd.Series(list(chain.from_iterable(items)), dtype=object))
    shape = (len(items), max(len(vocabulary), 1))
    binary = sp.csr_matrix((np.ones(len(rows)), (rows, codes)), shape=shape)
    binary.data[:] = 1.0  # duplicates within a text were summed
    return binary, vocabulary


def _shared(bag: Bag, a: np.ndarray, b: np.ndarray):
    """Items both texts have, as one sparse row per pair holding the left text's weights.
    Weights are positive (IDF ≥ 1), so the stored entries are exactly the shared items."""
    common = bag.weighted[a].multiply(bag.binary[b]).tocsr()
    return np.diff(common.indptr), np.asarray(common.sum(axis=1)).ravel(), common


def _row_max(matrix: sp.csr_matrix) -> np.ndarray:
    out = np.zeros(matrix.shape[0])
    filled = np.diff(matrix.indptr) > 0
    if filled.any():
        out[filled] = np.maximum.reduceat(matrix.data, matrix.indptr[:-1][filled])
    return out


def _bag_features(prep: PreparedTexts, a: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    chars_shared, _, _ = _shared(prep.chars, a, b)
    tok = prep.tokens
    shared_count, shared_mass, shared_tokens = _shared(tok, a, b)
    left = np.clip((tok.mass[a] - shared_mass) / np.maximum(tok.mass[a], 1e-9), 0, 1)
    right = np.clip((tok.mass[b] - shared_mass) / np.maximum(tok.mass[b], 1e-9), 0, 1)
    # rarest shared token: scaling after the maximum is exact (rounding is monotonic)
    rare = _row_max(shared_tokens) * prep.rare_scale
    # content characters one side has and the other lacks: an object swapped (both sides) or
    # a qualifier added (one side); abbreviations (统战 / 统一战线) leave the short side at 0
    content = prep.content.count
    lost_a, lost_b = _content_lost(prep, a, b)
    return {
        "char_dice": 2 * chars_shared / np.maximum(prep.chars.count[a] + prep.chars.count[b], 1),
        "rare_shared": rare,
        "token_jaccard": shared_count / np.maximum(tok.count[a] + tok.count[b] - shared_count, 1),
        "token_weight": 2 * shared_mass / np.maximum(tok.mass[a] + tok.mass[b], 1e-9),
        # one side's own content (a qualifier added) vs both sides' (an object swapped)
        "unshared_weight": np.maximum(left, right),
        "unshared_min": np.minimum(left, right),
        "content_unmatched_max": np.where(
            content[a] * content[b] > 0, np.maximum(lost_a, lost_b), 0
        ),
        "content_unmatched_min": np.where(
            content[a] * content[b] > 0, np.minimum(lost_a, lost_b), 0
        ),
        # how specific the vaguer name is: 党建工作 says little (its criteria decide), while
        # 城镇生活污水治理 names its work whatever the criteria say
        "content_min": np.minimum(np.minimum(content[a], content[b]), CONTENT_SCALE)
        / CONTENT_SCALE,
    }


def _lost(bag: Bag, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The share of each side's content characters the other side lacks."""
    shared, _, _ = _shared(bag, a, b)
    return 1 - shared / np.maximum(bag.count[a], 1), 1 - shared / np.maximum(bag.count[b], 1)


def _content_lost(prep: PreparedTexts, a: np.ndarray, b: np.ndarray):
    """Content lost on each side, where a programme's name (河长制) does not count when it
    says nothing about the task: the other text is about that programme too — names it, speaks
    of its concerns (河道保护管理的宣传 / 河长制工作宣传) or has nothing the first lacks
    (强化宣传教育). It counts when it is all a text says (贯彻落实林长制) or when the other
    text is about other work (河长制经验被推广 / 信访工作经验被推广)."""
    lost_a, lost_b = _lost(prep.content, a, b)
    left, right = prep.programmes[a], prep.programmes[b]
    named = np.flatnonzero((left | right) > 0)
    if len(named):
        a, b, left, right = a[named], b[named], left[named], right[named]
        core_a, core_b = _lost(prep.content_unnamed, a, b)
        said = (prep.content_unnamed.count[a] > 0) & (prep.content_unnamed.count[b] > 0)
        scope_a, scope_b = prep.scopes[a], prep.scopes[b]
        a_within = (core_a == 0) | ((right & ~left & ~scope_a) == 0)
        b_within = (core_b == 0) | ((left & ~right & ~scope_b) == 0)
        unsaid = said & a_within & b_within
        lost_a[named[unsaid]] = core_a[unsaid]
        lost_b[named[unsaid]] = core_b[unsaid]
    return lost_a, lost_b


def _fuzz(left: list[str], right: list[str], scorer, processor=None, workers=-1) -> np.ndarray:
    return process.cpdist(left, right, scorer=scorer, processor=processor, workers=workers) / 100.0


def pair_features(
    texts: Sequence[str],
    a: np.ndarray,
    b: np.ndarray,
    idf: dict[str, float],
    default_idf: float,
    criteria: Sequence[str] | None = None,
    level1: Sequence[str] | None = None,
    prepared: PreparedTexts | None = None,
) -> pd.DataFrame:
    """Features of pairs (a[k], b[k]) of normalised `texts` (positions); criteria and level-1
    headings are optional and normalised too ('' when unknown). Pairs go in chunks, so memory
    stays bounded; features are float32. `prepared` is prepare_texts of the same arguments,
    when the caller has it already."""
    prep = (
        prepared
        if prepared is not None
        else prepare_texts(texts, idf, default_idf, criteria, level1)
    )
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    columns = [*FEATURES, *CONTEXT]
    # column-major: the frame wraps it, and each feature is then one contiguous column
    values = np.empty((len(a), len(columns)), dtype=np.float32, order="F")
    # catalogues repeat indicators across units: each distinct pair of texts is computed once
    first, which = _distinct_pairs(prep.same_text, a, b)
    text_positions = [columns.index(name) for name in TEXT_FEATURES]
    # all pairs distinct (the usual case): straight into `values`, no second table of them
    repeated = len(first) < len(a)
    distinct = np.empty((len(first), len(TEXT_FEATURES)), dtype=np.float32) if repeated else None
    for start in range(0, len(first), CHUNK):
        chunk = first[start : start + CHUNK]
        block = _pair_block(prep, prep.same_text[a[chunk]], prep.same_text[b[chunk]])
        if repeated:
            distinct[start : start + len(chunk)] = block
        else:
            values[start : start + len(chunk), text_positions] = block
    if repeated:
        for start in range(0, len(a), CHUNK):  # a chunk at a time: distinct[which] is a copy
            values[start : start + CHUNK, text_positions] = distinct[which[start : start + CHUNK]]
        del distinct
    context = _context_frame(prep.criteria, prep.level1, a, b)
    for name in context.columns:
        values[:, columns.index(name)] = np.clip(context[name].to_numpy(), 0.0, 1.0)
    return pd.DataFrame(values, columns=columns, copy=False)  # pandas ≥ 3 copies by default


def _distinct_pairs(same_text: np.ndarray, a: np.ndarray, b: np.ndarray):
    """Positions of the first pair of each distinct pair of texts, and per pair which of those
    it repeats. Either order counts as the same pair: every feature is symmetric (checked
    bit for bit on 680,000 pairs), so (b, a) takes the values computed for (a, b)."""
    left, right = same_text[a].astype(np.int64), same_text[b].astype(np.int64)
    key = np.minimum(left, right) * (int(same_text.max(initial=0)) + 1) + np.maximum(left, right)
    which = pd.factorize(key)[0]  # ids in order of first appearance
    seen = np.maximum.accumulate(which) if len(which) else which
    first = np.flatnonzero(np.r_[True, which[1:] > seen[:-1]]) if len(which) else which
    return first, which


def _pair_block(prep: PreparedTexts, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Features of pairs (a, b: distinct-text ids) that depend on the two texts alone
    (TEXT_FEATURES, float32 columns in that order): pair_features computes them once per
    distinct pair of texts."""
    coded = np.asarray(prep.coded, dtype=object)
    left, right = coded[a].tolist(), coded[b].tolist()
    # partial_ratio costs as much as everything else here together, and RapidFuzz releases
    # the GIL: one core aligns while the other computes the rest
    with ThreadPoolExecutor(max_workers=1) as pool:
        partial = pool.submit(_fuzz, left, right, fuzz.partial_ratio, None, 1)
        columns = _without_partial(prep, a, b, left, right)
        columns["partial"] = partial.result()
    # a perfect partial alignment is exactly the shorter text inside the longer one
    columns["containment"] = columns["partial"] >= 1.0
    out = np.empty((len(a), len(TEXT_FEATURES)), dtype=np.float32)
    for k, name in enumerate(TEXT_FEATURES):
        # float sums can land a hair outside [0, 1]; the scale is part of the features' contract
        out[:, k] = np.clip(np.asarray(columns[name], dtype=np.float64), 0.0, 1.0)
    return out


def _without_partial(
    prep: PreparedTexts, a: np.ndarray, b: np.ndarray, left: list[str], right: list[str]
) -> dict[str, np.ndarray]:
    texts, ordered = (np.asarray(x, dtype=object) for x in (prep.coded, prep.sorted_spaced))
    out = {
        "ratio": _fuzz(left, right, fuzz.ratio),
        # token_sort_ratio sorts each side's tokens, per pair: sorted once per text instead
        "token_sort": _fuzz(ordered[a].tolist(), ordered[b].tolist(), fuzz.ratio),
        **_bag_features(prep, a, b),
    }
    lengths = prep.lengths
    longer = np.maximum(np.maximum(lengths[a], lengths[b]), 1)
    out["length_ratio"] = np.minimum(lengths[a], lengths[b]) / longer
    out["exact"] = texts[a] == texts[b]
    conflicts = conflict_frame(prep.traits, a, b)
    out.update({name: conflicts[name].to_numpy() for name in conflicts.columns})
    out["metric_unshared"] = out["metric_pair"] * out["unshared_weight"]
    return out


def _context_frame(criteria, level1, a, b) -> pd.DataFrame:
    frame = pd.DataFrame(index=range(len(a)))
    if criteria is None:
        frame["criteria_similarity"], frame["criteria_missing"] = CRITERIA_NEUTRAL, 1.0
    else:
        crit = np.asarray(list(criteria), dtype=object)
        empty = np.array([not c for c in crit], dtype=bool)
        missing = empty[a] | empty[b]
        similarity = np.full(len(a), CRITERIA_NEUTRAL)
        # criteria repeat a few boilerplate rules: score each distinct pair of them once
        known = np.flatnonzero(~missing)
        first, which = _distinct_pairs(pd.factorize(crit)[0] + 1, a[known], b[known])
        chosen = known[first]
        scored = _fuzz(crit[a[chosen]].tolist(), crit[b[chosen]].tolist(), fuzz.token_set_ratio)
        similarity[known] = scored[which]
        frame["criteria_similarity"] = similarity
        frame["criteria_missing"] = missing.astype(float)
    if level1 is None:
        frame["same_level1"], frame["level1_missing"] = 0.0, 1.0
    else:
        heads = np.asarray(list(level1), dtype=object)
        missing = (heads[a] == "") | (heads[b] == "")
        frame["same_level1"] = ((heads[a] == heads[b]) & ~missing).astype(float)
        frame["level1_missing"] = missing.astype(float)
    return frame
