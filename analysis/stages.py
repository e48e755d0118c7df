"""The near-duplicate stages over the workspace: each reads named tables and replaces one.

normalize_indicators → indicator_text · find_candidates → candidate_pairs ·
score_candidates → pair_scores · cluster_indicators → clusters.
Pairs are compared inside a unit category (what is merged for towns); an indicator written for
a group (县直部门) takes part in each member category.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from .applies import indicator_categories
from .candidates import candidate_pairs
from .cluster import cluster_pairs, cluster_summary, copy_keys
from .features import CONTEXT, FEATURES
from .model import PairModel, default_model
from .normalize import normalize_criteria, normalize_many
from .similarity import score_positions
from .store import Store
from .tokens import tokenize_many

# Each stage's table and the order it is stored in. Identifiers cannot be bound parameters,
# so the statements are built only from this table, never from anything a user typed.
STAGE_TABLES = {
    "indicator_text": "indicator_id",
    "candidate_pairs": "category, id_l, id_r",
    "pair_scores": "id_l, id_r",
    "clusters": "category, cluster_id, indicator_id",
    "recommendations": "category, indicator_id",
    "category_links": "topic_id, category, cluster_id",
}


def replace_table(store: Store, table: str, frame: pd.DataFrame) -> None:
    """Replace a stage table with `frame` in one transaction."""
    order = STAGE_TABLES[table]  # KeyError for anything that is not a stage table
    drop_sql = "DROP TABLE IF EXISTS " + table
    create_sql = "CREATE TABLE " + table + " AS SELECT * FROM stage_frame ORDER BY " + order
    staging = pa.Table.from_pandas(frame, preserve_index=False)
    with store.transaction() as con:
        con.register("stage_frame", staging)
        try:
            con.execute(drop_sql)
            con.execute(create_sql)
        finally:
            con.unregister("stage_frame")


def normalize_indicators(store: Store) -> pd.DataFrame:
    rows = store.query_df(
        "SELECT indicator_id, name, coalesce(criteria, '') AS criteria, "
        "coalesce(level1, '') AS level1 FROM indicators ORDER BY indicator_id"
    )
    text = pd.DataFrame({"indicator_id": rows["indicator_id"]})
    text["text_norm"] = normalize_many(rows["name"].tolist())
    text["criteria_norm"] = [normalize_criteria(t) for t in rows["criteria"]]
    text["level1_norm"] = normalize_many(rows["level1"].tolist())
    text["tokens"] = [list(t) for t in tokenize_many(list(text["text_norm"]))]
    replace_table(store, "indicator_text", text)
    return text


def _positions(store: Store) -> pd.DataFrame:
    """One row per (indicator, category) with its normalised texts, in a fixed order."""
    texts = store.query_df("SELECT * EXCLUDE (tokens) FROM indicator_text")
    categories = indicator_categories(store)
    positions = categories.merge(texts, on="indicator_id", how="inner")
    return positions.sort_values(["category", "indicator_id"]).reset_index(drop=True)


def find_candidates(store: Store) -> pd.DataFrame:
    positions = _positions(store)
    pairs = candidate_pairs(
        list(positions["text_norm"]),
        list(positions["category"]),
        variants=list(positions["criteria_norm"].fillna("")),
    )
    ids = positions["indicator_id"].to_numpy()
    frame = pd.DataFrame(
        {
            "category": positions["category"].to_numpy()[pairs["i"]],
            "id_l": np.minimum(ids[pairs["i"]], ids[pairs["j"]]),
            "id_r": np.maximum(ids[pairs["i"]], ids[pairs["j"]]),
            "generator": pairs["generator"],
            "cosine": pairs["cosine"].round(6),
        }
    )
    frame = frame[frame["id_l"] != frame["id_r"]].drop_duplicates(["category", "id_l", "id_r"])
    replace_table(store, "candidate_pairs", frame)
    return frame


def score_candidates(store: Store, model: PairModel | None = None) -> pd.DataFrame:
    """Score each distinct indicator pair once, whatever categories it was found in."""
    model = model or default_model()
    texts = store.query_df("SELECT * EXCLUDE (tokens) FROM indicator_text ORDER BY indicator_id")
    pairs = store.query_df("SELECT DISTINCT id_l, id_r FROM candidate_pairs ORDER BY id_l, id_r")
    where = pd.Series(np.arange(len(texts)), index=texts["indicator_id"])
    a, b = where[pairs["id_l"]].to_numpy(), where[pairs["id_r"]].to_numpy()
    scored = score_positions(
        list(texts["text_norm"]),
        a,
        b,
        list(texts["criteria_norm"]),
        list(texts["level1_norm"]),
        model,
    )
    frame = pd.concat([pairs, scored[[*FEATURES, *CONTEXT, "probability"]].round(6)], axis=1)
    frame["model_version"] = model.version
    replace_table(store, "pair_scores", frame)
    return frame


def cluster_indicators(store: Store, threshold: float | None = None) -> pd.DataFrame:
    """Clusters per category; the cluster id is its representative's indicator id."""
    threshold = default_model().threshold if threshold is None else threshold
    positions = _positions(store)[["category", "indicator_id", "text_norm", "criteria_norm"]]
    edges = store.query_df(
        "SELECT c.category, c.id_l, c.id_r, s.probability FROM candidate_pairs c "
        "JOIN pair_scores s USING (id_l, id_r) ORDER BY c.category, c.id_l, c.id_r"
    )
    parts = [
        _cluster_category(members, edges[edges["category"] == category], threshold)
        for category, members in positions.groupby("category", sort=True)
    ]
    frame = pd.concat(parts, ignore_index=True) if parts else _empty_clusters()
    frame["threshold"] = threshold
    replace_table(store, "clusters", frame)
    return frame


def _cluster_category(members: pd.DataFrame, edges: pd.DataFrame, threshold: float) -> pd.DataFrame:
    ids = members["indicator_id"].to_numpy()
    where = pd.Series(np.arange(len(ids)), index=ids)
    i, j = where[edges["id_l"]].to_numpy(), where[edges["id_r"]].to_numpy()
    p = edges["probability"].to_numpy()
    copies = copy_keys(list(members["text_norm"].fillna("")),
                       list(members["criteria_norm"].fillna("")))  # fmt: skip
    labels = cluster_pairs(len(ids), i, j, p, threshold, copies)
    summary = cluster_summary(labels, i, j, p)
    medoid = summary.loc[summary["is_medoid"]].set_index("label")["position"]
    return pd.DataFrame(
        {
            "category": members["category"].to_numpy(),
            "indicator_id": ids,
            "cluster_id": ids[medoid[labels].to_numpy()],
            "is_representative": summary["is_medoid"].to_numpy(),
            "cluster_size": summary["size"].to_numpy(),
            "cohesion": summary["cohesion"].round(6).to_numpy(),
        }
    )


def _empty_clusters() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "category": pd.Series(dtype=str),
            "indicator_id": pd.Series(dtype=str),
            "cluster_id": pd.Series(dtype=str),
            "is_representative": pd.Series(dtype=bool),
            "cluster_size": pd.Series(dtype="int64"),
            "cohesion": pd.Series(dtype=float),
        }
    )
