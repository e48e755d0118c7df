"""Clusters from scored pairs: connected components over pairs above the threshold, then
average linkage inside each component, so that A≈B and B≈C does not force A≈C.

Pure functions over positions; the workspace stage (stages.py) maps them to indicator ids.

A pair that was never scored counts as unrelated. Letting it borrow the mean score of scored
pairs of the same two texts (twenty copies of one indicator beside a reworded twin) was tried
and not kept: on the sample county recall rose 0.934 → 0.943 and precision fell 0.986 → 0.976,
because one wrong score then spreads to every copy, where average linkage outvotes it now.
Copies with the same criteria as well are another matter: every pair they are in scores the
same, so they are clustered as one position (`copies`), which no borrowing can get wrong.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.cluster.hierarchy import linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

# Beyond this size a component is kept whole: a dense distance matrix would not fit.
MAX_LINKAGE = 4000
# Small components are linked together, up to this many positions per scipy call.
BATCH_POSITIONS = 300
BETWEEN_COMPONENTS = 2.0
CLIQUE_MARGIN = 1e-6


def _components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Connected component per position, numbered 0, 1, … (scipy's labels)."""
    graph = sp.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels


def _split_batch(batch: list[np.ndarray], i, j, p, threshold: float) -> list[np.ndarray]:
    """Average-linkage groups of several components at once (positions into each component).

    One linkage over the components side by side, 2.0 apart: further than any pair inside
    one (at most 1.0), and an average of 2.0s stays exactly 2.0, so components only join above
    every cut and each keeps the groups it would get alone. Thousands of small components
    cost one scipy call per batch instead of one each (1.1 s of 100,000 rows before).
    """
    members = np.concatenate(batch)
    offsets = np.r_[0, np.cumsum([len(m) for m in batch])]
    sort = np.argsort(members, kind="stable")  # members of different components never repeat
    local_i = sort[np.searchsorted(members[sort], i)]
    local_j = sort[np.searchsorted(members[sort], j)]
    size = len(members)
    distance = np.full((size, size), BETWEEN_COMPONENTS)
    for lo, hi in itertools.pairwise(offsets):
        distance[lo:hi, lo:hi] = 1.0
    np.fill_diagonal(distance, 0.0)
    # several scores for one pair cannot happen (pairs are unique); minimum keeps it safe anyway
    np.minimum.at(distance, (local_i, local_j), 1.0 - p)
    np.minimum.at(distance, (local_j, local_i), 1.0 - p)
    tree = linkage(squareform(distance, checks=False), method="average")
    groups = _flat_clusters(tree, size, 1.0 - threshold)
    return [groups[lo:hi] for lo, hi in itertools.pairwise(offsets)]


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


def cluster_pairs(
    n: int,
    i: np.ndarray,
    j: np.ndarray,
    probability: np.ndarray,
    threshold: float,
    copies: Sequence[Hashable] | None = None,
) -> np.ndarray:
    """A cluster label per position; labels are the smallest member position (deterministic).

    `copies` (optional, one value per position) marks positions that are one indicator by
    construction: the same normalised text and criteria in one block, so every pair they
    are in scores alike. Each set of copies is clustered as one position. Otherwise a list
    that seventy county departments all carry keeps only a chain of its pairs (a complete
    set would be 2,415), and average linkage, counting the missing pairs as unrelated, cut
    it into dozens of clusters."""
    i, j, probability = np.asarray(i), np.asarray(j), np.asarray(probability, dtype=float)
    if copies is None:
        return _cluster_positions(n, i, j, probability, threshold)
    atom = pd.factorize(pd.Series(list(copies), dtype=object))[0]
    count = int(atom.max(initial=-1)) + 1
    left, right = np.minimum(atom[i], atom[j]), np.maximum(atom[i], atom[j])
    between = left != right
    # one probability per pair of atoms: all their pairs score alike (the highest, to be safe)
    best = (
        pd.Series(probability[between])
        .groupby(left[between].astype(np.int64) * count + right[between])
        .max()
    )
    keys = best.index.to_numpy(dtype=np.int64)
    atom_labels = _cluster_positions(count, keys // max(count, 1), keys % max(count, 1),
                                     best.to_numpy(), threshold)  # fmt: skip
    groups = atom_labels[atom]
    return pd.Series(np.arange(n)).groupby(groups).transform("min").to_numpy()


def copy_keys(
    texts: Sequence[str], criteria: Sequence[str] | None, block: Sequence[str] | None = None
) -> list[Hashable]:
    """`copies` for cluster_pairs: (block, text, criteria) per position; a position without
    text is a copy of nothing."""
    n = len(texts)
    blocks = block if block is not None else [""] * n
    rules = criteria if criteria is not None else [""] * n
    return [
        (b, t, c) if t else ("", "", k)
        for k, (b, t, c) in enumerate(zip(blocks, texts, rules, strict=True))
    ]


def _cluster_positions(
    n: int, i: np.ndarray, j: np.ndarray, probability: np.ndarray, threshold: float
) -> np.ndarray:
    keep = probability >= threshold
    if not keep.any():
        return np.arange(n)
    components = _components(n, i[keep], j[keep])
    # every component starts whole, labelled by its smallest position (its first occurrence)
    _, smallest, sizes = np.unique(components, return_index=True, return_counts=True)
    labels = smallest[components]
    # every scored pair inside a component, grouped once by component
    inside = np.flatnonzero(components[i] == components[j])
    edge_order = inside[np.argsort(components[i[inside]], kind="stable")]
    edge_counts = np.bincount(components[i[inside]], minlength=len(sizes))
    weakest = np.full(len(sizes), np.inf)
    np.minimum.at(weakest, components[i[inside]], probability[inside])
    # every pair scored and clearly above the threshold: average linkage keeps the component
    # whole (a margin keeps float rounding in the linkage's averages out of the question)
    certain = (edge_counts == sizes * (sizes - 1) // 2) & (weakest > threshold + CLIQUE_MARGIN)
    # pairs stay whole; beyond MAX_LINKAGE a dense distance matrix would not fit
    linked = np.flatnonzero((sizes > 2) & (sizes <= MAX_LINKAGE) & ~certain)
    order = np.argsort(components, kind="stable")
    starts, edge_starts = np.cumsum(sizes) - sizes, np.cumsum(edge_counts) - edge_counts
    batch: list[np.ndarray] = []
    batch_edges: list[np.ndarray] = []
    filled = 0
    for component in linked.tolist():
        if batch and filled + sizes[component] > BATCH_POSITIONS:
            _label_groups(labels, batch, batch_edges, i, j, probability, threshold)
            batch, batch_edges, filled = [], [], 0
        batch.append(order[starts[component] : starts[component] + sizes[component]])
        first_edge = edge_starts[component]
        batch_edges.append(edge_order[first_edge : first_edge + edge_counts[component]])
        filled += sizes[component]
    if batch:
        _label_groups(labels, batch, batch_edges, i, j, probability, threshold)
    return labels


def _label_groups(labels, batch, batch_edges, i, j, probability, threshold) -> None:
    """Each group of the batch labelled with its smallest member position."""
    edges = np.concatenate(batch_edges)
    groups = np.concatenate(_split_batch(batch, i[edges], j[edges], probability[edges], threshold))
    members = np.concatenate(batch)
    smallest = np.full(groups.max() + 1, np.iinfo(np.int64).max)
    np.minimum.at(smallest, groups, members)
    labels[members] = smallest[groups]


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
