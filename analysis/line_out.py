"""Validation by line of work (`jianfu fit --cv --by-line`): how the training does on the real
pairs of a line of work it has no real pairs of.

Random folds (`analysis.crossval`) keep pairs of every held-out pair's own line of work — often of
its own two lists — in training; the held-out set that measures the engine comes from other
lines. Here each line of work of the real catalogues is left out of the real pair files
(`real_*.csv`; a pair's line from its `sources` or `source_id` column, or from its text in the
real catalogues), the configuration is fitted once on the rest, and that line's real pairs are
scored, file by file and pooled. The token weights (IDF) are taken from the fitted-on texts only:
the shipped model has never seen a new line of work's words either, and weights that knew them
flattered the measure (for the model shipped until the eighteenth session the river pairs read
48 false positives of 768 instead of 67).
The team-written and generated files stay in training whole: they cover many lines of work, as
they would for a new county.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .crossval import rows_of
from .errors import JianfuError
from .evaluate import PairError, wrong_pairs
from .fitting import PairFile, fit_pair_files, labelled_features, read_pair_files
from .metrics import PairMetrics, confusion
from .settings import PROJECT_ROOT

REAL_CATALOGUES = PROJECT_ROOT / "data" / "real" / "catalogues.csv"
REAL_FILES = "real_"  # the training files of real pairs, by name
# The real catalogues' sources by line of work (data/real/sources.csv).
SOURCE_LINES = {
    "S01": "河长制", "S02": "河长制", "S35": "河长制", "S38": "河长制",
    "S03": "公立医院", "S04": "公立医院", "S18": "机构编制",
}  # fmt: skip


@dataclass(frozen=True)
class LineResult:
    line: str
    file: str
    pairs: int
    positives: int
    metrics: PairMetrics
    # the line's surest mistakes over all its files (pooled results, when asked for), and where
    # their explanations start: the trees' mean score of the model that left the line out
    errors: tuple[PairError, ...] | None = None
    expected_logit: float = 0.0

    def as_json(self) -> dict:
        m = self.metrics
        rates = {"precision": m.precision, "recall": m.recall, "f1": m.f1, "fpr": m.fpr}
        listed = {"errors": [e.as_json() for e in self.errors]} if self.errors is not None else {}
        return listed | {"line": self.line, "file": self.file, "pairs": self.pairs,
                         "positives": self.positives, "false_positives": m.fp} | {
            k: round(v, 4) for k, v in rates.items()
        }  # fmt: skip


def pair_lines(pairs: PairFile, text_lines: dict[str, set[str]]) -> np.ndarray:
    """The line of work of each pair, or "" where it cannot be told."""
    frame = pairs.frame
    if "sources" in frame:
        return np.array([SOURCE_LINES.get(str(s).split("-")[0], "") for s in frame["sources"]])
    if "source_id" in frame:
        return np.array([SOURCE_LINES.get(str(s), "") for s in frame["source_id"]])
    lines = []
    for a, b in zip(frame["text_a"], frame["text_b"], strict=True):
        found = text_lines.get(str(a).strip(), set()) | text_lines.get(str(b).strip(), set())
        lines.append(next(iter(found)) if len(found) == 1 else "")
    return np.array(lines, dtype=object)


def catalogue_text_lines(path: Path = REAL_CATALOGUES) -> dict[str, set[str]]:
    catalogue = pd.read_csv(path, dtype=str, keep_default_na=False)
    lines: dict[str, set[str]] = {}
    for text, source in zip(catalogue["indicator"], catalogue["source_id"], strict=True):
        if source in SOURCE_LINES:
            lines.setdefault(text.strip(), set()).add(SOURCE_LINES[source])
    return lines


def validate_by_line(
    training: Sequence[tuple[Path, float]], progress=None, errors: int = 0
) -> tuple[list[LineResult], list[LineResult]]:
    """Per line of work: each file's figures, and all its real pairs pooled (see module doc);
    with `errors`, the pooled result of each line lists that many of its surest mistakes."""
    files = read_pair_files(training)
    text_lines = catalogue_text_lines()
    lines = [
        pair_lines(f, text_lines)
        if f.name.startswith(REAL_FILES)
        else np.full(len(f.frame), "", dtype=object)
        for f in files
    ]
    held_out = sorted({x for found in lines for x in found if x})
    if not held_out:
        raise JianfuError(
            "按业务条线验证需要真实标注对文件（文件名以 real_ 开头，带来源列或其文本见于"
            f" {REAL_CATALOGUES.name}），所给文件中没有"
        )
    per_file, pooled = [], []
    for line in held_out:
        model = fit_pair_files([rows_of(f, lines[i] != line) for i, f in enumerate(files)])
        labels, scores, mistakes = [], [], []
        for i, item in enumerate(files):
            rows = np.flatnonzero(lines[i] == line)
            if not len(rows):
                continue
            held = item.frame.iloc[rows].reset_index(drop=True)
            y = held["label"].to_numpy()
            features = labelled_features(held, model.idf, model.default_idf)
            p = model.probabilities(features)
            if errors > 0:
                found = wrong_pairs(held, features.assign(probability=p), model, errors)
                mistakes += [replace(e, source=item.name) for e in found]
            labels.append(y)
            scores.append(p)
            metrics = confusion(y, p >= model.threshold, model.threshold)
            per_file.append(LineResult(line, item.name, len(rows), int(y.sum()), metrics))
        y, p = np.concatenate(labels), np.concatenate(scores)
        metrics = confusion(y, p >= model.threshold, model.threshold)
        surest = None
        if errors > 0:  # each file's list is already surest first; stable across files
            ranked = sorted(mistakes, key=lambda e: -abs(e.probability - model.threshold))
            surest = tuple(ranked[:errors])
        pooled.append(LineResult(line, "（合计）", len(y), int(y.sum()), metrics, surest,
                                 model.expected_logit()))  # fmt: skip
        if progress:
            progress(line)
    return per_file, pooled
