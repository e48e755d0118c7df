"""Score pairs: features → calibrated probability with the shipped pair model.

>>> round(float(score_text_pairs(["森林覆盖率"], ["森林面积增长率"])["probability"][0]), 1) < 0.5
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .features import PreparedTexts, pair_features, prepare_texts
from .model import PairModel, default_model
from .normalize import normalize_criteria, normalize_text


def score_positions(
    texts: Sequence[str],
    a: np.ndarray,
    b: np.ndarray,
    criteria: Sequence[str] | None = None,
    level1: Sequence[str] | None = None,
    model: PairModel | None = None,
    prepared: PreparedTexts | None = None,
) -> pd.DataFrame:
    """Features and probability for pairs of positions into already normalised texts;
    `prepared` is prepare_positions of the same texts, when the caller has it already."""
    model = model or default_model()
    features = pair_features(texts, a, b, model.idf, model.default_idf, criteria, level1, prepared)
    probability = model.probabilities(features)
    # an empty name carries no evidence; the features of "" would read it as contained in anything
    blank = np.fromiter((not t for t in texts), dtype=bool, count=len(texts))
    probability[blank[a] | blank[b]] = 0.0
    features["probability"] = probability
    return features


def prepare_positions(
    texts: Sequence[str],
    criteria: Sequence[str] | None = None,
    level1: Sequence[str] | None = None,
    model: PairModel | None = None,
) -> PreparedTexts:
    """What score_positions computes once per text (tokens, bags, traits): independent of
    the pairs, so it can run while the candidates are found."""
    model = model or default_model()
    return prepare_texts(texts, model.idf, model.default_idf, criteria, level1)


def score_text_pairs(
    text_a: Sequence[str],
    text_b: Sequence[str],
    criteria_a: Sequence[str] | None = None,
    criteria_b: Sequence[str] | None = None,
    model: PairModel | None = None,
) -> pd.DataFrame:
    """Probability that text_a[k] and text_b[k] are the same indicator, with the features."""
    n = len(text_a)
    texts = [normalize_text(str(t)) for t in [*text_a, *text_b]]
    criteria = None
    if criteria_a is not None and criteria_b is not None:
        criteria = [normalize_criteria(str(c)) for c in [*criteria_a, *criteria_b]]
    left, right = np.arange(n), np.arange(n, 2 * n)
    return score_positions(texts, left, right, criteria, None, model)
