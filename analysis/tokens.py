"""Word tokens of normalised indicator text: jieba with a domain dictionary, loaded once.

>>> tokenize("落实安全生产责任制")
['落实', '安全生产责任制']
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import lru_cache

import jieba

from .settings import PACKAGE_DATA

DOMAIN_DICTIONARY = PACKAGE_DATA / "jieba_domain.txt"
_lock = threading.Lock()
_ready = False


def _tokenizer() -> jieba.Tokenizer:
    global _ready
    with _lock:
        if not _ready:
            jieba.setLogLevel(logging.WARNING)
            jieba.load_userdict(str(DOMAIN_DICTIONARY))
            _ready = True
    return jieba.dt


@lru_cache(maxsize=500_000)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(t for t in _tokenizer().lcut(text) if t.strip())


def tokenize(text: str) -> list[str]:
    return list(_cut(text))


def tokenize_many(texts: Sequence[str]) -> list[tuple[str, ...]]:
    """Tokens for each text, cutting each distinct text once."""
    return [_cut(t) for t in texts]
