"""Clusters from scored pairs: connected components over pairs above the threshold, then
average linkage inside each component, so that A≈B and B≈C does not force A≈C.

Pure functions over positions; the workspace stage (stages.py) maps them to indicator ids.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.cluster.hierarchy import linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

# Beyond this size a component is kept whole: a dense distance matrix would not fit.
MAX_LINKAGE = 4000
CLIQUE_MARGIN = 1e-6


def _components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    graph = sp.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels


def _split(members: np.ndarray, i: np.ndarray, j: np.ndarray, p: np.ndarray, threshold: float):
    """Average-linkage groups of one component (positions into `members`)."""
    local = np.searchsorted(members, i), np.searchsorted(members, j)
    size = len(members)
    distance = np.ones((size, size))
    np.fill_diagonal(distance, 0.0)
    # several scores for one pair cannot happen (pairs are unique); minimum keeps it safe anyway
    np.minimum.at(distance, local, 1.0 - p)
    np.minimum.at(distance, local[::-1], 1.0 - p)
    tree = linkage(squareform(distance, checks=False), method="average")
    return _flat_clusters(tree, size, 1.0 - threshold)


def _flat_clusters(tree: np.ndarray, size: int, cut: float) -> np.ndarray:
    """fcluster(tree, cut, criterion="distance") for a monotonic tree (average linkage is):
    the clusters are the top nodes among merges at or below the cut. fcluster re-validates the
    tree on every call, which cost more than the linkage itself over thousands of components."""
    parent = np.arange(2 * size - 1)
    merged = np.flatnonzero(tree[:, 2] <= cut)
    parent[tree[merged, 0].astype(np.int64)] = size + merged
    parent[tree[merged, 1].astype(np.int64)] = size + merged
    while True:  # pointer jumping: every leaf reaches its top node in log(depth) rounds
        jumped = parent[parent]
        if (jumped == parent).all():
            return parent[:size]
        parent = jumped


def _certain_clique(size: int, p: np.ndarray, threshold: float) -> bool:
    """Every pair scored and clearly above the threshold: average linkage keeps the component
    whole (a margin keeps float rounding in the linkage's averages out of the question)."""
    return len(p) == size * (size - 1) // 2 and bool((p > threshold + CLIQUE_MARGIN).all())


def cluster_pairs(
    n: int, i: np.ndarray, j: np.ndarray, probability: np.ndarray, threshold: float
) -> np.ndarray:
    """A cluster label per position; labels are the smallest member position (deterministic)."""
    i, j, probability = np.asarray(i), np.asarray(j), np.asarray(probability, dtype=float)
    keep = probability >= threshold
    labels = np.arange(n)
    if not keep.any():
        return labels
    components = _components(n, i[keep], j[keep])
    order = np.argsort(components, kind="stable")
    bounds = np.flatnonzero(np.diff(components[order])) + 1
    # every scored pair inside a component, grouped once by component (not searched per component)
    inside = components[i] == components[j]
    edge_order = np.flatnonzero(inside)[np.argsort(components[i[inside]], kind="stable")]
    edge_components = components[i[edge_order]]
    for members in np.split(order, bounds):
        if len(members) < 2:
            continue
        if len(members) == 2 or len(members) > MAX_LINKAGE:
            labels[members] = members.min()
            continue
        component = components[members[0]]
        lo, hi = np.searchsorted(edge_components, [component, component + 1])
        edges = edge_order[lo:hi]
        if _certain_clique(len(members), probability[edges], threshold):
            labels[members] = members.min()
            continue
        groups = _split(members, i[edges], j[edges], probability[edges], threshold)
        for group in np.unique(groups):
            chosen = members[groups == group]
            labels[chosen] = chosen.min()
    return labels


def cluster_summary(
    labels: np.ndarray, i: np.ndarray, j: np.ndarray, probability: np.ndarray
) -> pd.DataFrame:
    """Per position: cohesion of its cluster (mean probability over member pairs, unscored
    pairs counting 0) and whether it is the medoid (highest mean probability to the others)."""
    frame = pd.DataFrame({"position": np.arange(len(labels)), "label": labels})
    same = labels[i] == labels[j]
    pairs = pd.DataFrame({"a": i[same], "b": j[same], "p": np.asarray(probability)[same]})
    both = pd.concat(
        [pairs.rename(columns={"a": "x", "b": "y"}), pairs.rename(columns={"b": "x", "a": "y"})]
    )
    strength = both.groupby("x")["p"].sum()
    sizes = frame.groupby("label")["position"].transform("size").to_numpy()
    frame["size"] = sizes
    frame["strength"] = frame["position"].map(strength).fillna(0.0)
    totals = frame.groupby("label")["strength"].transform("sum").to_numpy()
    possible = np.maximum(sizes * (sizes - 1), 1)
    frame["cohesion"] = np.where(sizes > 1, totals / possible, 1.0)
    best = frame.sort_values(["label", "strength", "position"], ascending=[True, False, True])
    medoids = best.drop_duplicates("label")["position"]
    frame["is_medoid"] = frame["position"].isin(medoids)
    return frame
