"""Shared Chinese text helpers: width folding and traditional → simplified (OpenCC).

>>> simplified("統戰部 鄉鎮（街道）")
'统战部 乡镇（街道）'
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

import opencc


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=200_000)
def simplified(text: str) -> str:
    """NFKC (full-width → half-width) and traditional → simplified characters."""
    return _t2s().convert(unicodedata.normalize("NFKC", text))
