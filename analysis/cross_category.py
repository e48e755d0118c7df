"""The cross-category view: one indicator imposed on several unit categories.

Clusters are built inside a category (what is merged for towns). This stage links clusters of
different categories that hold the same indicator: the clusters' representatives are compared
with the same candidates and pair model, then grouped like clusters are (components, then
average linkage), so 党建 for towns and 党建 for county organs become one topic.
Writes `category_links`: one row per (category, cluster) with its topic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .candidates import candidate_pairs
from .cluster import cluster_pairs
from .errors import JianfuError
from .model import PairModel, default_model
from .normalize import strip_numbering
from .similarity import score_positions
from .stages import replace_table
from .store import Store


def link_categories(
    store: Store, threshold: float | None = None, model: PairModel | None = None
) -> pd.DataFrame:
    model = model or default_model()
    threshold = model.threshold if threshold is None else threshold
    reps = store.query_df(
        "SELECT c.category, c.cluster_id, c.cluster_size, t.text_norm, t.criteria_norm, "
        "t.level1_norm FROM clusters c JOIN indicator_text t ON t.indicator_id = c.cluster_id "
        "WHERE c.is_representative ORDER BY c.category, c.cluster_id"
    )
    n = len(reps)
    i, j, p = _scored_cross_pairs(reps, model)
    labels = cluster_pairs(n, i, j, p, threshold)
    best = np.zeros(n)
    linked = labels[i] == labels[j]
    np.maximum.at(best, i[linked], p[linked])
    np.maximum.at(best, j[linked], p[linked])
    frame = pd.DataFrame(
        {
            "category": reps["category"],
            "cluster_id": reps["cluster_id"],
            "topic_id": reps["cluster_id"].to_numpy()[labels] if n else [],
            "best_link": best.round(6),
        }
    )
    replace_table(store, "category_links", frame)
    return frame


def _scored_cross_pairs(reps: pd.DataFrame, model: PairModel):
    empty = np.zeros(0, dtype=np.int64)
    if len(reps) < 2:
        return empty, empty, np.zeros(0)
    texts = list(reps["text_norm"])
    pairs = candidate_pairs(texts)  # one block: every category against every other
    categories = reps["category"].to_numpy()
    across = categories[pairs["i"]] != categories[pairs["j"]]
    i, j = pairs["i"].to_numpy()[across], pairs["j"].to_numpy()[across]
    if not len(i):
        return empty, empty, np.zeros(0)
    scored = score_positions(
        texts, i, j, list(reps["criteria_norm"]), list(reps["level1_norm"]), model
    )
    return i, j, scored["probability"].to_numpy()


def cross_category(store: Store, minimum: int = 2) -> pd.DataFrame:
    """Topics whose indicators are imposed on `minimum` or more unit categories, widest first:
    the topic's name, the categories, how many indicators and assessors it has."""
    present = store.scalar(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'category_links' AND NOT internal"
    )
    if not present:
        raise JianfuError("工作库中还没有跨类别关联：请重新运行 jianfu analyse")
    topics = store.query_df(
        "WITH members AS (SELECT l.topic_id, c.category, c.indicator_id FROM category_links l "
        "JOIN clusters c USING (category, cluster_id)) "
        "SELECT m.topic_id, any_value(t.name) AS topic, "
        "count(DISTINCT m.category) AS categories, "
        "string_agg(DISTINCT m.category, '、' ORDER BY m.category) AS category_list, "
        "count(DISTINCT m.indicator_id) AS indicators, "
        "count(DISTINCT i.assessor) AS assessors, "
        "string_agg(DISTINCT i.assessor, '、' ORDER BY i.assessor) AS assessor_list "
        "FROM members m JOIN indicators i USING (indicator_id) "
        "JOIN indicators t ON t.indicator_id = m.topic_id "
        "GROUP BY m.topic_id HAVING count(DISTINCT m.category) >= ? "
        "ORDER BY categories DESC, indicators DESC, m.topic_id",
        [minimum],
    )
    # the name as written, without the catalogue's own numbering (①, （９）, 18.)
    topics["topic"] = [strip_numbering(name) or name for name in topics["topic"]]
    return topics
