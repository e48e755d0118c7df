"""Evaluation metrics: pair classification (precision, recall, F1, false-positive rate, the
best-F1 threshold) and clustering against gold clusters (pairwise and B-cubed).

Conventions: a ratio whose denominator is zero is 0 (e.g. precision with no predicted
positives), so every figure is a number and reports stay comparable.

>>> m = confusion([1, 1, 0, 0], [True, False, True, False], 0.5)
>>> (m.precision, m.recall, m.f1, m.fpr)
(0.5, 0.5, 0.5, 0.5)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


def safe_ratio(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return safe_ratio(2 * precision * recall, precision + recall)


@dataclass(frozen=True)
class PairMetrics:
    """Confusion counts of one method at one threshold, with the derived rates."""

    tp: int
    fp: int
    fn: int
    tn: int
    threshold: float

    @property
    def precision(self) -> float:
        return safe_ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return safe_ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def fpr(self) -> float:
        """False positives over all label-0 pairs (the hard negatives of a pair file)."""
        return safe_ratio(self.fp, self.fp + self.tn)


def confusion(labels: Sequence[int], predicted: Sequence[bool], threshold: float) -> PairMetrics:
    """Counts of predictions against labels (1 = same indicator)."""
    y = np.asarray(labels, dtype=bool)
    p = np.asarray(predicted, dtype=bool)
    return PairMetrics(
        tp=int((y & p).sum()),
        fp=int((~y & p).sum()),
        fn=int((y & ~p).sum()),
        tn=int((~y & ~p).sum()),
        threshold=float(threshold),
    )


@dataclass(frozen=True)
class _Cuts:
    """Every cut `score ≥ t` at the distinct score values, highest first: its F1 and false
    positives, and where it ends in the scores sorted high to low."""

    scores: np.ndarray  # sorted, highest first
    last: np.ndarray  # per cut, the position of its lowest score
    f1: np.ndarray
    fp: np.ndarray
    negatives: int


def _cuts(labels: Sequence[int], scores: Sequence[float]) -> _Cuts:
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    tp, fp = np.cumsum(y), np.cumsum(1 - y)
    last = np.flatnonzero(np.append(s[1:] != s[:-1], True))  # end of each run of equal scores
    positives = int(y.sum())
    denominators = tp[last] + fp[last] + positives
    f1 = np.divide(2.0 * tp[last], denominators, out=np.zeros(len(last)), where=denominators > 0)
    return _Cuts(s, last, f1, fp[last], len(y) - positives)


def best_f1_within_fpr(labels: Sequence[int], scores: Sequence[float], fpr: float) -> float:
    """The best F1 over every cut `score ≥ t` whose false-positive rate is at most `fpr`: a
    baseline held to another method's false-positive budget (0.0 if no cut keeps to it)."""
    if len(scores) == 0:
        return 0.0
    cuts = _cuts(labels, scores)
    within = cuts.fp <= fpr * cuts.negatives + 1e-9
    return float(cuts.f1[within].max(initial=0.0))


def best_f1_threshold(labels: Sequence[int], scores: Sequence[float]) -> tuple[float, float]:
    """(best F1, threshold) over every cut `score ≥ t` at the distinct score values.

    The threshold returned is the midpoint between the chosen score and the next lower one, so
    it does not sit on a score and survives rounding (0/1 scores give 0.5). If predicting every
    pair wins, it is the lowest score. Ties go to the highest threshold. Information only:
    it is fitted to the file being evaluated, so it is never used to choose a threshold.
    """
    if len(scores) == 0:
        return 0.0, 0.0
    cuts = _cuts(labels, scores)
    best = int(np.argmax(cuts.f1))
    k, s = cuts.last[best], cuts.scores
    threshold = (s[k] + s[k + 1]) / 2 if k + 1 < len(s) else s[k]
    return float(cuts.f1[best]), float(threshold)


CALIBRATION_EDGES = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)


@dataclass(frozen=True)
class CalibrationBin:
    """Pairs whose probability fell in [low, high): how sure the model was, how often right."""

    low: float
    high: float
    pairs: int
    predicted: float  # mean probability
    observed: float  # share labelled 1

    def as_json(self) -> dict:
        return {"from": self.low, "to": self.high, "pairs": self.pairs,
                "predicted": round(self.predicted, 4), "observed": round(self.observed, 4)}  # fmt: skip


def calibration_bins(
    labels: Sequence[int], scores: Sequence[float], edges: Sequence[float] = CALIBRATION_EDGES
) -> list[CalibrationBin]:
    """Reliability table: a calibrated model's mean probability in each bin matches the share of
    its pairs labelled 1. Empty bins are left out; 1.0 falls in the last bin."""
    y = np.asarray(labels, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    which = np.clip(np.searchsorted(edges, s, side="right") - 1, 0, len(edges) - 2)
    bins = []
    for k in range(len(edges) - 1):
        inside = which == k
        if inside.any():
            bins.append(CalibrationBin(float(edges[k]), float(edges[k + 1]), int(inside.sum()),
                                       float(s[inside].mean()), float(y[inside].mean())))  # fmt: skip
    return bins


def brier_score(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Mean squared gap between probability and label (0 is perfect; always 0.5 scores 0.25)."""
    y = np.asarray(labels, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    return float(np.mean((s - y) ** 2)) if len(y) else 0.0


@dataclass(frozen=True)
class ClusterScores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


def _codes(predicted: Sequence, gold: Sequence) -> pd.DataFrame:
    """One row per item: integer codes of its predicted cluster (p) and gold cluster (g)."""
    if len(predicted) != len(gold):
        raise ValueError("predicted and gold labels differ in length")
    return pd.DataFrame(
        {
            "p": pd.factorize(np.asarray(predicted, dtype=object))[0],
            "g": pd.factorize(np.asarray(gold, dtype=object))[0],
        }
    )


def _pairs(sizes: np.ndarray) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def pairwise_cluster_scores(predicted: Sequence, gold: Sequence) -> ClusterScores:
    """Over all item pairs: a pair is predicted positive when both items share a predicted
    cluster, and truly positive when they share a gold cluster. Repeated texts are separate items."""
    codes = _codes(predicted, gold)
    cells = codes.groupby(["p", "g"]).size().to_numpy()
    own = codes.groupby("p").size().to_numpy()
    truth = codes.groupby("g").size().to_numpy()
    common = _pairs(cells)
    return ClusterScores(safe_ratio(common, _pairs(own)), safe_ratio(common, _pairs(truth)))


def bcubed_scores(predicted: Sequence, gold: Sequence) -> ClusterScores:
    """B-cubed (Bagga & Baldwin 1998): per item, |own ∩ gold| / |own| and |own ∩ gold| / |gold|,
    averaged over items. Repeated texts are separate items."""
    codes = _codes(predicted, gold)
    if codes.empty:
        return ClusterScores(0.0, 0.0)
    cell = codes.groupby(["p", "g"])["p"].transform("size").to_numpy(dtype=np.float64)
    own = codes.groupby("p")["p"].transform("size").to_numpy(dtype=np.float64)
    truth = codes.groupby("g")["g"].transform("size").to_numpy(dtype=np.float64)
    return ClusterScores(float((cell / own).mean()), float((cell / truth).mean()))
