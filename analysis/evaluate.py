"""Evaluation (`jianfu eval`): the engine against baselines on a labelled pair file, and the
engine's clustering against gold clusters, with the targets of DESIGN §9.

Nothing here fits anything to the file under evaluation: the engine uses the shipped model and
its threshold, baselines use fixed thresholds (analysis.baselines). The best-F1 threshold per
method is reported for information only.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .baselines import BASELINES
from .candidates import candidate_pairs
from .dedup import dedup_texts
from .features import FEATURE_LABELS
from .labelled_table import SHEET_ROW
from .metrics import (
    ClusterScores,
    PairMetrics,
    bcubed_scores,
    best_f1_threshold,
    best_f1_within_fpr,
    confusion,
    pairwise_cluster_scores,
)
from .model import PairModel, default_model
from .normalize import normalize_text
from .similarity import score_text_pairs

TARGET_F1 = 0.90
TARGET_FPR = 0.10  # on the hard negatives: every label-0 pair of a pair file
TARGET_LEAD = 0.15  # F1 points over the best baseline, both at their chosen thresholds
ENGINE = "engine"
ENGINE_LABEL = "本引擎（模型概率）"
DIGITS = 4  # JSON rounding: stable output across platforms


@dataclass(frozen=True)
class MethodResult:
    name: str
    label: str
    metrics: PairMetrics
    best_f1: float
    best_threshold: float
    # a baseline's best F1 at any threshold whose false-positive rate is within the engine's:
    # the two compared at one budget, not each at its own (information only, like best_f1)
    f1_at_engine_fpr: float | None = None

    def as_json(self) -> dict[str, Any]:
        m = self.metrics
        values = {"precision": m.precision, "recall": m.recall, "f1": m.f1, "fpr": m.fpr}
        values |= {"threshold": m.threshold, "best_f1": self.best_f1}
        values["best_threshold"] = self.best_threshold
        if self.f1_at_engine_fpr is not None:
            values["f1_at_engine_fpr"] = self.f1_at_engine_fpr
        rounded: dict[str, Any] = {k: round(v, DIGITS) for k, v in values.items()}
        return rounded | {"tp": m.tp, "fp": m.fp, "fn": m.fn, "tn": m.tn}


@dataclass(frozen=True)
class Target:
    label: str
    value: float
    met: bool


@dataclass(frozen=True)
class PairError:
    """A pair the engine got wrong, with what moved its score most (logits, largest first)."""

    row: int  # as a spreadsheet shows it: the header is row 1
    text_a: str
    text_b: str
    label: int
    probability: float
    pushes: tuple[tuple[str, float], ...]
    source: str = ""  # the pair file, where mistakes of several files are listed together

    def as_json(self) -> dict[str, Any]:
        where = {"file": self.source} if self.source else {}
        return where | {
            "row": self.row, "text_a": self.text_a, "text_b": self.text_b, "label": self.label,
            "probability": round(self.probability, DIGITS),
            # a list, not an object: the largest first, which sorted JSON keys would lose
            "contributions": [
                {"feature": name, "logit": round(value, DIGITS)} for name, value in self.pushes
            ],
        }  # fmt: skip


@dataclass(frozen=True)
class PairReport:
    source: str
    engine: MethodResult
    baselines: tuple[MethodResult, ...]
    recalled: int  # label-1 pairs identical after normalisation or among the candidates
    positives: int
    negatives: int
    errors: tuple[PairError, ...] | None = None  # only when asked for (`jianfu eval --errors N`)
    expected_logit: float = 0.0  # where every explanation starts: the trees' mean score
    threshold: float = 0.5
    candidate_lost: int = 0  # label-1 pairs the engine calls one indicator, never candidates

    @property
    def pairs(self) -> int:
        return self.positives + self.negatives

    @property
    def candidate_recall(self) -> float:
        return self.recalled / self.positives if self.positives else 0.0

    def best_baseline(self) -> MethodResult:
        # first of the fixed order wins ties, so the report is deterministic
        return max(self.baselines, key=lambda b: b.metrics.f1)

    def targets(self) -> dict[str, Target]:
        e = self.engine.metrics
        lead = e.f1 - self.best_baseline().metrics.f1
        return {
            "f1": Target(f"F1 ≥ {TARGET_F1:.2f}", e.f1, e.f1 >= TARGET_F1),
            "fpr": Target(f"难负例误报率 ≤ {TARGET_FPR:.0%}", e.fpr, e.fpr <= TARGET_FPR),
            "lead": Target(f"F1 领先最佳基线 ≥ {TARGET_LEAD:.2f}", lead, lead >= TARGET_LEAD),
        }

    def as_json(self) -> dict[str, Any]:
        targets = {
            key: {"value": round(t.value, DIGITS), "met": t.met}
            for key, t in self.targets().items()
        }
        asked = self.errors is not None
        errors = {"errors": [e.as_json() for e in self.errors]} if asked else {}
        return errors | {
            "engine": self.engine.as_json(),
            "baselines": {b.name: b.as_json() for b in self.baselines},
            "pairs": self.pairs,
            "positives": self.positives,
            "negatives": self.negatives,
            "candidate_recall": round(self.candidate_recall, DIGITS),
            "candidate_lost": self.candidate_lost,
            "targets": targets,
            "file": self.source,
        }


def _method(
    name: str,
    label: str,
    labels: np.ndarray,
    scores: np.ndarray,
    threshold: float,
    budget: float | None = None,
):
    metrics = confusion(labels, scores >= threshold, threshold)
    best_f1, best_threshold = best_f1_threshold(labels, scores)
    within = None if budget is None else best_f1_within_fpr(labels, scores, budget)
    return MethodResult(name, label, metrics, best_f1, best_threshold, within)


def pair_candidates(text_a: Sequence[str], text_b: Sequence[str]) -> np.ndarray:
    """Per pair, whether the candidate stage would let it through: identical after
    normalisation, or a candidate pair when every distinct normalised text of the file is put in
    one corpus (distinct, so repeated texts do not use up each other's top-k slots)."""
    norm_a = [normalize_text(str(t)) for t in text_a]
    norm_b = [normalize_text(str(t)) for t in text_b]
    corpus = sorted(set(norm_a) | set(norm_b))
    position = {text: k for k, text in enumerate(corpus)}
    found = candidate_pairs(corpus) if len(corpus) > 1 else pd.DataFrame({"i": [], "j": []})
    linked = set(zip(found["i"].tolist(), found["j"].tolist(), strict=True))
    return np.array(
        [a == b or tuple(sorted((position[a], position[b]))) in linked
         for a, b in zip(norm_a, norm_b, strict=True)],
        dtype=bool,
    )  # fmt: skip


def wrong_pairs(
    frame: pd.DataFrame, scored: pd.DataFrame, model: PairModel, limit: int, pushes: int = 3
) -> tuple[PairError, ...]:
    """The `limit` pairs the engine is surest of and wrong about (furthest from the threshold
    on the wrong side; file order breaks ties), each with its `pushes` largest contributions."""
    labels = frame["label"].to_numpy(dtype=np.int64)
    probability = scored["probability"].to_numpy(dtype=np.float64)
    wrong = np.flatnonzero((probability >= model.threshold) != (labels == 1))
    margin = np.abs(probability[wrong] - model.threshold)
    chosen = wrong[np.lexsort((wrong, -margin))][:limit]
    contributions = model.contributions(scored.iloc[chosen]).to_numpy()
    errors = []
    for k, row in zip(chosen, contributions, strict=True):
        top = np.argsort(-np.abs(row), kind="stable")[:pushes]
        errors.append(PairError(
            _sheet_row(frame, k), str(frame["text_a"].iloc[k]), str(frame["text_b"].iloc[k]),
            int(labels[k]), float(probability[k]),
            tuple((model.features[j], float(row[j])) for j in top),
        ))  # fmt: skip
    return tuple(errors)


def _sheet_row(frame: pd.DataFrame, k: int) -> int:
    """The row as the file shows it; a frame not read from a file counts from a header row 1."""
    if SHEET_ROW in frame.columns:
        return int(frame[SHEET_ROW].iloc[k])
    return int(k) + 2


def evaluate_pairs(frame: pd.DataFrame, source: str = "", errors: int = 0) -> PairReport:
    """`frame` as read by analysis.fitting.read_pairs: text_a, text_b, label, criteria_a/b;
    with `errors`, that many of the engine's surest mistakes are kept to be shown."""
    labels = frame["label"].to_numpy(dtype=np.int64)
    text_a, text_b = frame["text_a"].tolist(), frame["text_b"].tolist()
    model = default_model()
    scored = score_text_pairs(
        text_a, text_b, frame["criteria_a"].tolist(), frame["criteria_b"].tolist(), model
    )
    probability = scored["probability"].to_numpy(dtype=np.float64)
    engine = _method(ENGINE, ENGINE_LABEL, labels, probability, model.threshold)
    budget = engine.metrics.fpr
    baselines = tuple(
        _method(b.name, b.label, labels, b.scores(text_a, text_b), b.threshold, budget)
        for b in BASELINES
    )
    through = pair_candidates(text_a, text_b)
    recalled = int((through & (labels == 1)).sum())
    # pairs the model gets right that `jianfu analyse` would never score
    lost = int((~through & (labels == 1) & (probability >= model.threshold)).sum())
    positives = int(labels.sum())
    mistakes = wrong_pairs(frame, scored, model, errors) if errors > 0 else None
    return PairReport(
        source, engine, baselines, recalled, positives, len(labels) - positives, mistakes,
        model.expected_logit(), model.threshold, lost,
    )  # fmt: skip


@dataclass(frozen=True)
class ClusterReport:
    source: str
    items: int
    gold_clusters: int
    engine_clusters: int
    threshold: float
    engine: dict[str, ClusterScores]  # "pairwise", "bcubed"
    exact: dict[str, ClusterScores]

    def as_json(self) -> dict[str, Any]:
        def scores(result: dict[str, ClusterScores]) -> dict[str, dict[str, float]]:
            return {
                kind: {k: round(v, DIGITS) for k, v in _values(s).items()}
                for kind, s in result.items()
            }

        f1 = self.engine["pairwise"].f1
        return {
            "engine": scores(self.engine) | {"threshold": self.threshold},
            "baselines": {"exact": scores(self.exact)},
            "items": self.items,
            "gold_clusters": self.gold_clusters,
            "engine_clusters": self.engine_clusters,
            "targets": {"f1": {"value": round(f1, DIGITS), "met": f1 >= TARGET_F1}},
            "file": self.source,
        }


def _values(s: ClusterScores) -> dict[str, float]:
    return {"precision": s.precision, "recall": s.recall, "f1": s.f1}


def _both(predicted: Sequence, gold: Sequence) -> dict[str, ClusterScores]:
    return {
        "pairwise": pairwise_cluster_scores(predicted, gold),
        "bcubed": bcubed_scores(predicted, gold),
    }


def evaluate_clusters(frame: pd.DataFrame, source: str = "") -> ClusterReport:
    """`frame`: text, gold_cluster; one row per item (repeated texts are separate items)."""
    gold = frame["gold_cluster"].tolist()
    result = dedup_texts(frame["text"].tolist())
    return ClusterReport(
        source=source,
        items=len(frame),
        gold_clusters=len(set(gold)),
        engine_clusters=len(set(result.labels.tolist())),
        threshold=result.threshold,
        engine=_both(result.labels, gold),
        exact=_both(result.normalized, gold),
    )


# --- Chinese text rendering -------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: str, width: int, left: bool = False) -> str:
    pad = " " * max(0, width - _width(text))
    return text + pad if left else pad + text


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    first = _cell(cells[0], widths[0], left=True)
    return "  ".join([first, *(_cell(c, w) for c, w in zip(cells[1:], widths[1:], strict=True))])


PAIR_HEADER = ("方法", "阈值", "精确率", "召回率", "F1", "误报率", "最佳F1", "最佳F1阈值")
PAIR_WIDTHS = (24, 6, 7, 7, 6, 7, 7, 10)


def _threshold(value: float) -> str:
    """0.475 as 0.475 (two decimals would print 0.47, a threshold the engine does not use),
    0.8 as 0.80."""
    text = f"{value:.3f}"
    return text[:-1] if text.endswith("0") else text


def _method_row(m: MethodResult) -> str:
    x = m.metrics
    cells = (
        m.label,
        _threshold(x.threshold),
        f"{x.precision:.3f}",
        f"{x.recall:.3f}",
        f"{x.f1:.3f}",
    )
    cells += (f"{x.fpr:.1%}", f"{m.best_f1:.3f}", f"{m.best_threshold:.3f}")
    return _row(cells, PAIR_WIDTHS)


def _target_lines(targets: dict[str, Target], formats: dict[str, str]) -> list[str]:
    lines = ["目标："]
    for key, t in targets.items():
        value = format(t.value, formats.get(key, ".3f"))
        lines.append(
            f"  {_cell(t.label, 26, left=True)}  实际 {value:>7}  {'达到' if t.met else '未达到'}"
        )
    return lines


def _all_cut(report: PairReport) -> bool:
    return any(m.best_threshold == 0 for m in (report.engine, *report.baselines))


def render_pair_report(report: PairReport) -> str:
    lines = [
        f"标注对评估：《{report.source}》共 {report.pairs} 对"
        f"（同一指标 {report.positives} 对，不同指标 {report.negatives} 对）",
        "本引擎用模型自带阈值，基线用固定阈值，均未针对本文件调整；“最佳F1阈值”仅供参考。",
        "",
        _row(PAIR_HEADER, PAIR_WIDTHS),
        _method_row(report.engine),
        *(_method_row(b) for b in report.baselines),
        "",
        f"候选召回率：同一指标的 {report.positives} 对中 {report.recalled} 对"
        f"规范化后相同或进入候选对（{report.candidate_recall:.1%}）"
        + (
            f"；未进入的对中有 {report.candidate_lost} 对本引擎判为同一指标（jianfu analyse 不会给它们打分）"
            if report.candidate_lost
            else ""
        ),
        f"最佳基线：{report.best_baseline().label}",
        f"误报率不超过本引擎（{report.engine.metrics.fpr:.1%}）时各基线的最佳 F1："
        + "，".join(f"{b.label} {b.f1_at_engine_fpr:.3f}" for b in report.baselines),
        # keyed baselines score 0/1: their best cut can be "every pair is a match"
        *(
            ["注：最佳F1阈值为 0 表示把所有对都判为同一指标时 F1 最高。"]
            if _all_cut(report)
            else []
        ),
        *_target_lines(report.targets(), {"fpr": ".1%", "lead": "+.3f"}),
        *_error_lines(report),
    ]
    return "\n".join(lines)


ERROR_TEXT = 40  # characters of each text shown; a long task description is cut


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= ERROR_TEXT else text[: ERROR_TEXT - 1] + "…"


def _error_lines(report: PairReport) -> list[str]:
    if report.errors is None:
        return []
    if not report.errors:
        return ["", "本引擎在本文件上没有判错的对。"]
    title = f"本引擎最有把握却判错的 {len(report.errors)} 对"
    return ["", *error_lines(title, report.errors, report.expected_logit, report.threshold)]


def error_lines(
    title: str, errors: Sequence[PairError], expected_logit: float, threshold: float
) -> list[str]:
    """Mistakes as text: each pair's row (and file), texts and probability, then what moved it."""
    cut = math.log(threshold / (1 - threshold))
    lines = [
        f"{title}；每对下一行是影响最大的特征及其贡献（对数几率：起点 {expected_logit:+.2f}，"
        f"加上各特征的贡献，达到 {cut:+.2f} 即判为同一指标）："
    ]
    for e in errors:
        kind = "误报" if e.label == 0 else "漏报"
        where = f"《{e.source}》" if e.source else ""
        lines.append(
            f"  {where}第{e.row}行 {kind} {e.probability:.2f}  "
            f"{_short(e.text_a)} ｜ {_short(e.text_b)}"
        )
        lines.append("      " + "；".join(
            f"{FEATURE_LABELS.get(name, name)} {value:+.2f}" for name, value in e.pushes
        ))  # fmt: skip
    return lines


CLUSTER_HEADER = ("方法", "口径", "精确率", "召回率", "F1")
CLUSTER_WIDTHS = (24, 8, 7, 7, 6)
KINDS = {"pairwise": "成对", "bcubed": "B-cubed"}


def render_cluster_report(report: ClusterReport) -> str:
    lines = [
        f"聚类评估：《{report.source}》共 {report.items} 条指标，标准答案 {report.gold_clusters} 类，"
        f"本引擎分为 {report.engine_clusters} 类（阈值 {_threshold(report.threshold)}）",
        "",
        _row(CLUSTER_HEADER, CLUSTER_WIDTHS),
    ]
    for label, result in ((ENGINE_LABEL, report.engine), (BASELINES[0].label, report.exact)):
        for kind, s in result.items():
            cells = (label, KINDS[kind], f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
            lines.append(_row(cells, CLUSTER_WIDTHS))
    f1 = report.engine["pairwise"].f1
    lines += _target_lines({"f1": Target(f"成对 F1 ≥ {TARGET_F1:.2f}", f1, f1 >= TARGET_F1)}, {})
    return "\n".join(lines)
