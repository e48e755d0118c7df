"""Word tokens of normalised indicator text: jieba's dictionary and algorithm (jieba-rs through
`rjieba`, about twenty times faster than pure-Python jieba) with our domain dictionary.

>>> tokenize("落实安全生产责任制")
['落实', '安全生产', '责任制']
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

import rjieba

from .settings import PACKAGE_DATA

DOMAIN_DICTIONARY = PACKAGE_DATA / "jieba_domain.txt"
CACHE_MAX = 500_000  # cut texts kept: the oldest half goes when a call would pass it
_lock = threading.Lock()
_segmenter: rjieba.Jieba | None = None
_cuts: dict[str, tuple[str, ...]] = {}


def _jieba() -> rjieba.Jieba:
    global _segmenter
    if _segmenter is not None:  # loaded: no lock to take once per text
        return _segmenter
    with _lock:
        if _segmenter is None:
            segmenter = rjieba.Jieba()
            for line in DOMAIN_DICTIONARY.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    word, frequency, tag = line.split()
                    segmenter.add_word(word, int(frequency), tag)
            _segmenter = segmenter
    return _segmenter


def _words(tokens: Sequence[str]) -> tuple[str, ...]:
    return tuple(t for t in tokens if t.strip())


# jieba cuts each run of Chinese characters, letters and digits on its own, and a line break
# always ends one: texts joined by line breaks cut as they would one by one, in one call
# instead of one per text (a third less time on 100,000 names). A text with white space of its
# own is cut alone, so that the breaks in the joined cut are exactly the joins.
_JOIN = "\n"
_SPACE = re.compile(r"\s")
JOIN_TEXTS = 10_000  # texts per joined cut: no single huge string and token list


def _cut_jointly(texts: list[str]) -> list[tuple[str, ...]]:
    cut: list[tuple[str, ...]] = []
    for start in range(0, len(texts), JOIN_TEXTS):
        current: list[str] = []
        for token in _jieba().cut(_JOIN.join(texts[start : start + JOIN_TEXTS]), True):
            if token == _JOIN:  # no other token is blank: these texts have no white space
                cut.append(tuple(current))
                current = []
            else:
                current.append(token)
        cut.append(tuple(current))
    return cut


def tokenize(text: str) -> list[str]:
    return list(tokenize_many([text])[0])


def tokenize_many(texts: Sequence[str]) -> list[tuple[str, ...]]:
    """Tokens for each text, cutting each distinct text once and keeping the cuts for the next
    call (candidates, features and the model cut the same texts)."""
    cuts = {text: _cuts.get(text) for text in dict.fromkeys(texts)}
    missing = [text for text, cut in cuts.items() if cut is None]
    if missing:
        joinable = [t for t in missing if not _SPACE.search(t)]
        found = dict(zip(joinable, _cut_jointly(joinable), strict=True)) if joinable else {}
        for text in missing:
            if text not in found:
                found[text] = _words(_jieba().cut(text, True))
        cuts.update(found)
        with _lock:
            if len(_cuts) + len(found) > CACHE_MAX:
                for old in list(_cuts)[: len(_cuts) // 2 + 1]:
                    del _cuts[old]
            _cuts.update(found)
    return [cuts[text] for text in texts]


def tagged(text: str) -> list[tuple[str, str]]:
    """Words of `text` with their part-of-speech tags (jieba's: ns place name, nr person
    name, n noun, v verb …), cut with the domain dictionary."""
    return [(word, tag) for word, tag in _jieba().tag(text) if word.strip()]


def known_word(word: str) -> bool:
    """Whether jieba's dictionary (with the domain words) has `word`."""
    return _jieba().has_word(word)
