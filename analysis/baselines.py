"""Baselines the engine is compared with in `jianfu eval` (DESIGN §9): simple, well-known
matching rules, each giving a score per pair and a fixed decision threshold.

- exact: `normalize_text(a) == normalize_text(b)` (our own normalisation, nothing else).
- fingerprint: OpenRefine's "fingerprint" keying adapted to Chinese — on the raw text made
  simplified (NFKC + traditional → simplified), lowercase, punctuation / symbols / whitespace
  become separators, jieba tokens (`analysis.tokens.tokenize`), unique, sorted, joined; same
  key → match. It deliberately does not use `normalize_text`, so it is an independent baseline.
- ngram_fingerprint: OpenRefine's "ngram-fingerprint" with n = 2 — simplified text, lowercase,
  punctuation / symbols / whitespace removed, character 2-grams, unique, sorted, joined; same
  key → match. A text shorter than two characters is its own key.
- rapidfuzz_ratio: `rapidfuzz.fuzz.ratio` on the `normalize_text` outputs, divided by 100,
  ≥ RATIO_THRESHOLD.

Keyed baselines score 1.0 (same key) or 0.0; an empty key never matches (a text with nothing
left after cleaning says nothing about which indicator it is).

>>> fingerprint_key("落实 安全生产责任制。") == fingerprint_key("安全生产责任制，落实")
True
>>> ngram_fingerprint_key("A-b ab")
'ab ba'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from .chinese import simplified
from .normalize import normalize_text
from .tokens import tokenize

# A conventional cut-off for a single edit-similarity rule (as in OpenRefine-style clustering
# and most dedup tutorials); fixed in advance, not fitted. The best-F1 threshold on the file
# under evaluation is reported beside it for information.
RATIO_THRESHOLD = 0.8
KEY_THRESHOLD = 1.0  # keyed baselines: a match is an identical key
NGRAM = 2


def _is_separator(char: str) -> bool:
    """Punctuation (P*), symbols (S*), separators (Z*) and control characters (C*)."""
    return unicodedata.category(char)[0] in "PSZC"


def _clean(text: str, replacement: str) -> str:
    text = simplified(str(text)).lower()
    return "".join(replacement if _is_separator(c) else c for c in text)


@lru_cache(maxsize=200_000)
def fingerprint_key(text: str) -> str:
    """OpenRefine fingerprint keying with jieba tokens (see the module docstring)."""
    tokens = {t.strip() for t in tokenize(_clean(text, " ")) if t.strip()}
    return " ".join(sorted(tokens))


@lru_cache(maxsize=200_000)
def ngram_fingerprint_key(text: str, n: int = NGRAM) -> str:
    """OpenRefine ngram-fingerprint keying on characters (see the module docstring)."""
    cleaned = _clean(text, "")
    if len(cleaned) < n:
        return cleaned
    grams = {cleaned[k : k + n] for k in range(len(cleaned) - n + 1)}
    return " ".join(sorted(grams))


def _keyed(key: Callable[[str], str], text_a: Sequence[str], text_b: Sequence[str]) -> np.ndarray:
    same = [
        bool(ka) and ka == kb for ka, kb in zip(map(key, text_a), map(key, text_b), strict=True)
    ]
    return np.asarray(same, dtype=np.float64)


def exact_scores(text_a: Sequence[str], text_b: Sequence[str]) -> np.ndarray:
    return _keyed(normalize_text, text_a, text_b)


def fingerprint_scores(text_a: Sequence[str], text_b: Sequence[str]) -> np.ndarray:
    return _keyed(fingerprint_key, text_a, text_b)


def ngram_fingerprint_scores(text_a: Sequence[str], text_b: Sequence[str]) -> np.ndarray:
    return _keyed(ngram_fingerprint_key, text_a, text_b)


def ratio_scores(text_a: Sequence[str], text_b: Sequence[str]) -> np.ndarray:
    """RapidFuzz ratio (normalised Indel similarity) of the normalised texts, in [0, 1]."""
    pairs = zip(text_a, text_b, strict=True)
    return np.asarray(
        [fuzz.ratio(normalize_text(str(a)), normalize_text(str(b))) / 100 for a, b in pairs],
        dtype=np.float64,
    )


@dataclass(frozen=True)
class Baseline:
    name: str  # key in the JSON report
    label: str  # shown to the user
    scores: Callable[[Sequence[str], Sequence[str]], np.ndarray]
    threshold: float  # match when score ≥ threshold


BASELINES: tuple[Baseline, ...] = (
    Baseline("exact", "规范化后完全相同", exact_scores, KEY_THRESHOLD),
    Baseline("fingerprint", "指纹键（fingerprint）", fingerprint_scores, KEY_THRESHOLD),
    Baseline("ngram_fingerprint", "二元字指纹键（ngram）", ngram_fingerprint_scores, KEY_THRESHOLD),
    Baseline(
        "rapidfuzz_ratio", f"RapidFuzz 相似度≥{RATIO_THRESHOLD:.2f}", ratio_scores, RATIO_THRESHOLD
    ),
)
