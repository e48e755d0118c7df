"""Shared Chinese text helpers: width folding and traditional → simplified (OpenCC).

>>> simplified("統戰部 鄉鎮（街道）")
'统战部 乡镇(街道)'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

import opencc


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=200_000)
def simplified(text: str) -> str:
    """NFKC (full-width → half-width) and traditional → simplified characters."""
    return _t2s().convert(unicodedata.normalize("NFKC", text))


def each_joined(step: Callable[[str], str], texts: Sequence[str], separator: str) -> list[str]:
    """step(text) for each text, by one call of `step` over all texts joined by `separator`.
    Only for steps under which the separator is never matched, removed or reached across; a
    text that holds the separator itself goes alone."""
    alone = [separator in t for t in texts]
    joined = step(separator.join(t for t, single in zip(texts, alone, strict=True) if not single))
    parts = iter(joined.split(separator))
    return [step(t) if single else next(parts) for t, single in zip(texts, alone, strict=True)]


# One OpenCC call over many texts joined by a line break costs a third of one call per text
# (100,000 names: 0.07 s against 0.19 s). Its phrase matching never reaches across a line break,
# so each text converts as it would alone.
_JOIN = "\n"


def simplified_many(texts: Sequence[str]) -> list[str]:
    """simplified() of each text, with one conversion call for all of them."""
    folded = [unicodedata.normalize("NFKC", t) for t in texts]
    return each_joined(_t2s().convert, folded, _JOIN)
