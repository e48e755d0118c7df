"""The pair model: logistic regression over pair features, giving a calibrated probability
that two indicators are the same. Its coefficients explain each match.

The fitted model ships as a small JSON file (data/pair_model.json); `jianfu fit` refits it from
labelled pair files (`text_a, text_b, label[, criteria_a, criteria_b]`).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from .features import FEATURES
from .settings import PACKAGE_DATA
from .tokens import tokenize_many

MODEL_FILE = PACKAGE_DATA / "pair_model.json"
MODEL_VERSION = 2  # 2: growth/flow markers and content-character features
REGULARISATION = 0.3  # strong: features overlap, and a few hundred pairs must not set extremes
SEED = 0
LOGIT_CHUNK = 500_000


@dataclass(frozen=True)
class PairModel:
    version: int
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    idf: dict[str, float]
    default_idf: float
    trained_on: dict[str, int]

    def logits(self, features: pd.DataFrame) -> np.ndarray:
        """In chunks: a float64 copy of every feature of ten million pairs would not fit."""
        mean, scale, coef = (np.asarray(x) for x in (self.mean, self.scale, self.coef))
        columns = list(self.features)
        out = np.empty(len(features), dtype=np.float64)
        for start in range(0, len(features), LOGIT_CHUNK):
            block = features.iloc[start : start + LOGIT_CHUNK][columns].to_numpy(np.float64)
            out[start : start + len(block)] = ((block - mean) / scale) @ coef + self.intercept
        return out

    def probabilities(self, features: pd.DataFrame) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(features)))

    def contributions(self, features: pd.DataFrame) -> pd.DataFrame:
        """Each feature's share of the logit, per pair: how the model explains a match."""
        values = features[list(self.features)].to_numpy(dtype=np.float64)
        scaled = (values - np.asarray(self.mean)) / np.asarray(self.scale)
        return pd.DataFrame(scaled * np.asarray(self.coef), columns=list(self.features))

    def save(self, path: Path = MODEL_FILE) -> None:
        payload = asdict(self)
        payload["idf"] = dict(sorted(self.idf.items()))
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def load_model(path: Path = MODEL_FILE) -> PairModel:
    raw = json.loads(path.read_text(encoding="utf-8"))
    for key in ("features", "mean", "scale", "coef"):
        raw[key] = tuple(raw[key])
    return PairModel(**raw)


@cache
def default_model() -> PairModel:
    return load_model()


def token_idf(texts: Iterable[str]) -> tuple[dict[str, float], float]:
    """Smoothed inverse document frequency of jieba tokens over a reference corpus."""
    documents = [set(t) for t in tokenize_many(list(dict.fromkeys(texts)))]
    counts = Counter(word for doc in documents for word in doc)
    total = len(documents)
    idf = {w: round(math.log((1 + total) / (1 + c)) + 1, 4) for w, c in counts.items()}
    return idf, round(math.log(1 + total) + 1, 4)


def fit_model(
    features: pd.DataFrame,
    labels: Sequence[int],
    weights: Sequence[float],
    idf: dict[str, float],
    default_idf: float,
    trained_on: dict[str, int],
    threshold: float = 0.5,
) -> PairModel:
    values = features[list(FEATURES)].to_numpy(dtype=np.float64)
    scaler = StandardScaler().fit(values)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    regression = LogisticRegression(C=REGULARISATION, max_iter=2000, random_state=SEED)
    regression.fit(
        (values - scaler.mean_) / scale, np.asarray(labels), sample_weight=np.asarray(weights)
    )
    return PairModel(
        version=MODEL_VERSION,
        features=FEATURES,
        mean=tuple(round(float(x), 6) for x in scaler.mean_),
        scale=tuple(round(float(x), 6) for x in scale),
        coef=tuple(round(float(x), 6) for x in regression.coef_[0]),
        intercept=round(float(regression.intercept_[0]), 6),
        threshold=threshold,
        idf=idf,
        default_idf=default_idf,
        trained_on=trained_on,
    )
