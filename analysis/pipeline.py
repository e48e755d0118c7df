"""The only module that knows the order of the stages (DESIGN §2)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .cross_category import link_categories
from .errors import JianfuError
from .recommend import recommend_indicators
from .stages import cluster_indicators, find_candidates, normalize_indicators, score_candidates
from .store import Store

STAGES = (
    ("normalize", "规范化指标文本", normalize_indicators),
    ("candidates", "查找候选相似对", find_candidates),
    ("score", "计算相似概率", score_candidates),
    ("cluster", "聚类相似指标", None),  # needs the threshold
    ("cross_category", "跨类别关联相同指标", None),
    ("recommend", "生成精简建议", recommend_indicators),
)


@dataclass
class AnalysisRun:
    indicators: int
    candidate_pairs: int
    scored_pairs: int
    clusters: int
    recommendations: dict[str, int]
    merged_indicators: int
    threshold: float
    seconds: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {**self.__dict__, "seconds": {k: round(v, 3) for k, v in self.seconds.items()}}


def analyse(
    store: Store,
    threshold: float | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> AnalysisRun:
    """Run normalise → candidates → score → cluster over the workspace."""
    count = int(store.scalar("SELECT count(*) FROM indicators"))
    if count == 0:
        raise JianfuError("工作库中还没有指标：请先用 jianfu import 导入指标表")
    seconds: dict[str, float] = {}
    for step, (name, label, stage) in enumerate(STAGES, start=1):
        if progress:
            progress(label, step, len(STAGES))
        start = time.perf_counter()
        if name == "cluster":
            cluster_indicators(store, threshold)
        elif name == "cross_category":
            link_categories(store, threshold)
        else:
            stage(store)
        seconds[name] = time.perf_counter() - start
    return _summary(store, count, seconds)


def _summary(store: Store, count: int, seconds: dict[str, float]) -> AnalysisRun:
    row = store.rows(
        "SELECT (SELECT count(*) FROM candidate_pairs), (SELECT count(*) FROM pair_scores), "
        "(SELECT count(DISTINCT (category, cluster_id)) FROM clusters WHERE cluster_size > 1), "
        "(SELECT count(*) FROM clusters WHERE cluster_size > 1 AND NOT is_representative), "
        "(SELECT max(threshold) FROM clusters)"
    )[0]
    actions = dict(store.rows("SELECT action, count(*) FROM recommendations GROUP BY 1 ORDER BY 1"))
    return AnalysisRun(
        indicators=count,
        candidate_pairs=int(row[0]),
        scored_pairs=int(row[1]),
        clusters=int(row[2]),
        recommendations={k: int(v) for k, v in actions.items()},
        merged_indicators=int(row[3]),
        threshold=float(row[4]),
        seconds=seconds,
    )


def require_analysis(store: Store) -> None:
    """Reports and decisions need a finished analysis; say what to run when there is none."""
    present = store.scalar(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = 'outcomes' AND NOT internal"
    )
    if not present:
        raise JianfuError("工作库尚未分析：请先运行 jianfu analyse")
