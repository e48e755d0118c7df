"""Conflict features that separate false friends (DESIGN §4 step 3), computed in bulk.

Each text is read once into small integer traits (which contrast-group members it uses, what
it measures, which numbers it names); pairs then compare traits with array operations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from .settings import PACKAGE_DATA
from .tokens import known_word, tagged, tokenize_many

CONFLICTS = (
    "contrast_conflict", "qualifier_one_side", "measure_conflict", "measure_one_side",
    "number_conflict", "negation_mismatch", "metric_pair", "growth_one_side", "flow_one_side",
)  # fmt: skip
CHUNK = 500_000
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _alternation(words: Sequence[str], suffix: str = "") -> re.Pattern[str]:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return re.compile("(?:" + "|".join(map(re.escape, ordered)) + ")" + suffix)


@dataclass(frozen=True)
class Lexicon:
    member_group: dict[str, tuple[int, int]]  # word → (group index, bit)
    groups: int
    members: re.Pattern[str]
    measure_class: dict[str, int]  # ending → class id (1…)
    measures: re.Pattern[str]
    negations: tuple[str, ...]
    umbrellas: re.Pattern[str]
    one_side: dict[str, re.Pattern[str]]  # marker kind → its words
    exceptions: re.Pattern[str]  # phrases that contain a marker without meaning it (零增长)
    trend: re.Pattern[str]  # a wanted direction at the end (同比下降): the measure precedes it
    places: Places


@dataclass(frozen=True)
class Places:
    """How a named place below the county starts a text (contrasts.json 'places')."""

    kinds: frozenset[str]
    kind_endings: tuple[str, ...]
    name_tags: frozenset[str]
    descriptors: frozenset[str]
    not_names: frozenset[str]
    _names: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def is_kind(self, word: str) -> bool:
        return word in self.kinds or word.endswith(self.kind_endings)

    def is_name(self, word: str) -> bool:
        """A proper name by its dictionary tag, or a word jieba's dictionary does not know
        (禾源); asked once per word."""
        known = self._names.get(word)
        if known is None:
            known = self._names[word] = _is_name(self, word)
        return known

    def is_place(self, word: str) -> bool:
        """One word that is a whole place (城关镇, 柳溪镇): a name of two or more characters
        and a kind."""
        return len(word) >= 3 and self.is_name(word) and _named_kind(self, word)

    def leading(self, tokens: Sequence[str]) -> str:
        """The place a text (its words) starts with: 东溪街道, 青禾开发区 (descriptors left
        out), or ""."""
        if tokens and self.is_place(tokens[0]):
            return tokens[0]
        names: list[str] = []
        described = False
        for word in tokens[:5]:
            if self.is_kind(word) and names:
                name = "".join(names)
                return name + word if 2 <= len(name) <= 6 else ""
            if word in self.descriptors and names:
                described = True
            elif not described and len(names) < 2 and self.is_name(word):
                names.append(word)
            else:
                return ""
        return ""


def _is_name(places: Places, word: str) -> bool:
    if word in places.not_names:
        return False
    if not known_word(word):
        return True
    tags = tagged(word)
    return len(tags) == 1 and tags[0][1] in places.name_tags


def _named_kind(places: Places, word: str) -> bool:
    """`word` ends with a kind of place after at least two characters of name."""
    return any(
        word.endswith(kind) and len(word) - len(kind) >= 2
        for kind in (*places.kind_endings, *places.kinds)
    )


@cache
def lexicon() -> Lexicon:
    raw = json.loads((PACKAGE_DATA / "contrasts.json").read_text(encoding="utf-8"))
    groups = [[w for w in g if len(w) >= 2] for g in raw["groups"]]
    groups = [g for g in groups if len(g) >= 2]
    member_group = {w: (n, 1 << k) for n, g in enumerate(groups) for k, w in enumerate(g)}
    classes = {c: n + 1 for n, c in enumerate(raw["measures"])}
    measure_class = {w: classes[c] for c, words in raw["measures"].items() for w in words}
    return Lexicon(
        member_group=member_group,
        groups=len(groups),
        members=_alternation(list(member_group)),
        measure_class=measure_class,
        measures=_alternation(list(measure_class), "$"),
        negations=tuple(raw["negations"]),
        umbrellas=_alternation(raw["umbrellas"]),
        one_side={kind: _alternation(words) for kind, words in raw["one_side"].items()},
        exceptions=_alternation(raw["one_side_exceptions"]),
        trend=re.compile(
            _alternation(raw["trends"]["leads"], "*").pattern
            + _alternation(raw["trends"]["verbs"], "$").pattern
        ),
        places=Places(
            kinds=frozenset(raw["places"]["kinds"]),
            kind_endings=tuple(raw["places"]["kind_endings"]),
            name_tags=frozenset(raw["places"]["name_tags"]),
            descriptors=frozenset(raw["places"]["descriptors"]),
            not_names=frozenset(raw["places"]["not_names"]),
        ),
    )


@dataclass(frozen=True)
class Traits:
    masks: np.ndarray  # texts × groups: bit mask of the group's members a text uses
    measure: np.ndarray  # measure class of the text's ending, 0 = none
    numbers: np.ndarray  # id of the set of numbers in the text, 0 = none
    negated: np.ndarray
    umbrella: np.ndarray  # 城乡 and the like cover a whole contrast group
    growth: np.ndarray  # measures a change (增长, 增速 …)
    flow: np.ndarray  # counts this year's additions (新增, 新引进 …)
    place: np.ndarray  # id of the named place the text starts with, 0 = none


def text_traits(texts: Sequence[str]) -> Traits:
    lex = lexicon()
    n = len(texts)
    # filled from plain lists in one go: a numpy element write per word costs more than the match
    rows, groups, bits = [], [], []
    measure, numbers = [0] * n, [0] * n
    number_ids: dict[frozenset[str], int] = {}
    for row, text in enumerate(texts):
        for word in lex.members.findall(text):
            group, bit = lex.member_group[word]
            rows.append(row)
            groups.append(group)
            bits.append(bit)
        ending = lex.measures.search(text) or lex.measures.search(lex.trend.sub("", text))
        if ending:
            measure[row] = lex.measure_class[ending.group(0)]
        found = _DIGITS.findall(text)
        if found:
            numbers[row] = number_ids.setdefault(frozenset(found), len(number_ids) + 1)
    masks = np.zeros((n, max(lex.groups, 1)), dtype=np.int64)
    np.bitwise_or.at(masks, (np.array(rows, dtype=np.int64), np.array(groups, dtype=np.int64)),
                     np.array(bits, dtype=np.int64))  # fmt: skip
    measure = np.array(measure, dtype=np.int16)
    numbers = np.array(numbers, dtype=np.int64)
    negated = np.array([t.startswith(lex.negations) for t in texts], dtype=bool)
    umbrella = np.array([bool(lex.umbrellas.search(t)) for t in texts], dtype=bool)
    plain = [lex.exceptions.sub("", t) for t in texts]
    growth, flow = (
        np.array([bool(lex.one_side[kind].search(t)) for t in plain], dtype=bool)
        for kind in ("growth", "flow")
    )
    return Traits(masks, measure, numbers, negated, umbrella, growth, flow, _places(texts))


# the last character of every kind of place: a text without one near its start names none
_PLACE_HINT = re.compile("[道镇乡村区]")
_PLACE_HEAD = 16


def _places(texts: Sequence[str]) -> np.ndarray:
    """Each text's leading place as an id (0 = none)."""
    hinted = [k for k, t in enumerate(texts) if _PLACE_HINT.search(t, 0, _PLACE_HEAD)]
    places = lexicon().places
    words = tokenize_many([texts[k] for k in hinted])
    found = {k: place for k, w in zip(hinted, words, strict=True) if (place := places.leading(w))}
    ids: dict[str, int] = {}
    place = np.zeros(len(texts), dtype=np.int64)
    for k, name in found.items():
        place[k] = ids.setdefault(name, len(ids) + 1)
    return place


def conflict_frame(traits: Traits, a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    parts = [_chunk(traits, a[s : s + CHUNK], b[s : s + CHUNK]) for s in range(0, len(a), CHUNK)]
    if not parts:
        return pd.DataFrame(columns=list(CONFLICTS), dtype=float)
    return pd.concat(parts, ignore_index=True)


def _chunk(t: Traits, a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    left, right = t.masks[a], t.masks[b]
    covered = t.umbrella[a] | t.umbrella[b]  # 城乡 on one side covers 城镇 on the other
    both = (left > 0) & (right > 0)
    measure_a, measure_b = t.measure[a], t.measure[b]
    numbers_a, numbers_b = t.numbers[a], t.numbers[b]
    flags = {
        # two named places (each town's own project) differ as two group members do
        "contrast_conflict": (~covered & (both & (left != right)).any(axis=1))
        | ((t.place[a] > 0) & (t.place[b] > 0) & (t.place[a] != t.place[b])),
        "qualifier_one_side": ~covered & ((left > 0) != (right > 0)).any(axis=1),
        "measure_conflict": (measure_a > 0) & (measure_b > 0) & (measure_a != measure_b),
        "measure_one_side": (measure_a > 0) != (measure_b > 0),
        "number_conflict": (numbers_a > 0) & (numbers_b > 0) & (numbers_a != numbers_b),
        "negation_mismatch": t.negated[a] != t.negated[b],
        "metric_pair": (measure_a > 0) & (measure_b > 0),
        "growth_one_side": t.growth[a] != t.growth[b],
        "flow_one_side": t.flow[a] != t.flow[b],
    }
    return pd.DataFrame({k: v.astype(np.float64) for k, v in flags.items()})
