"""Boosted trees as plain arrays: exported once from scikit-learn's histogram gradient boosting,
then evaluated with numpy. The shipped model is a JSON file of these arrays, so scoring needs
neither a pickled estimator nor the scikit-learn version that fitted it.

>>> tree = Tree.from_json({"feature": [0, 0, 0], "threshold": [0.5, 0, 0], "left": [1, 0, 0],
...                        "right": [2, 0, 0], "leaf": [False, True, True],
...                        "value": [0.0, -1.0, 1.0]})
>>> tree.predict(np.array([[0.2], [0.9]])).tolist()
[-1.0, 1.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DIGITS = 8  # JSON rounding of leaf values: stable files, far below any decision


@dataclass(frozen=True)
class Tree:
    """Node arrays; a row goes left when its feature value is <= the node's threshold."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaf: np.ndarray
    value: np.ndarray  # leaves: the score; inner nodes: the mean score of the rows below

    @classmethod
    def from_json(cls, raw: dict) -> Tree:
        return cls(
            feature=np.asarray(raw["feature"], dtype=np.int64),
            threshold=np.asarray(raw["threshold"], dtype=np.float64),
            left=np.asarray(raw["left"], dtype=np.int64),
            right=np.asarray(raw["right"], dtype=np.int64),
            leaf=np.asarray(raw["leaf"], dtype=bool),
            value=np.asarray(raw["value"], dtype=np.float64),
        )

    def to_json(self) -> dict:
        return {
            "feature": self.feature.tolist(),
            "threshold": self.threshold.tolist(),
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "leaf": self.leaf.tolist(),
            "value": [round(float(v), DIGITS) for v in self.value],
        }

    def reindexed(self, columns: list[int]) -> Tree:
        """The same tree over a wider feature list: a split that read column k of the view it
        was fitted on now reads column columns[k]."""
        feature = np.where(self.leaf, 0, np.asarray(columns, dtype=np.int64)[self.feature])
        return Tree(feature, self.threshold, self.left, self.right, self.leaf, self.value)

    def scaled(self, factor: float) -> Tree:
        return Tree(self.feature, self.threshold, self.left, self.right, self.leaf,
                    self.value * factor)  # fmt: skip

    def _inner(self) -> list[int]:
        """Inner nodes, parents before children (children always have larger ids)."""
        return [int(k) for k in np.flatnonzero(~self.leaf)]

    def _route(self, x: np.ndarray):
        """Walk the rows of x down the tree: for each split, the rows at it and the child each
        goes to (parents come before children, so every row ends in its leaf)."""
        node = np.zeros(len(x), dtype=np.int64)
        for k in self._inner():
            here = np.flatnonzero(node == k)
            if len(here):
                left = x[here, self.feature[k]] <= self.threshold[k]
                node[here] = np.where(left, self.left[k], self.right[k])
                yield k, here, node[here]

    def nodes(self, x: np.ndarray) -> np.ndarray:
        """The leaf each row of x (rows × features) ends in."""
        node = np.zeros(len(x), dtype=np.int64)
        for _, here, child in self._route(x):
            node[here] = child
        return node

    def predict(self, x: np.ndarray, tests: dict | None = None) -> np.ndarray:
        """Scores of the rows of x; `tests` caches split tests that several trees share.
        Trees of depth 2 at most (the pair model's) take a fast path of boolean operations on
        whole columns and one lookup in a four-leaf table; deeper ones route row by row."""
        shape = self._shallow()
        if shape is None:
            return self.value[self.nodes(x)]
        tests = {} if tests is None else tests

        def test(k: int) -> np.ndarray:
            key = (int(self.feature[k]), float(self.threshold[k]))
            if key not in tests:
                tests[key] = x[:, key[0]] <= key[1]
            return tests[key]

        root, left, right, table = shape
        if root is None:
            return np.full(len(x), table[0])
        go_left = test(root)
        low = np.zeros(len(x), dtype=bool)  # second split goes right
        if left is not None:
            low |= go_left & ~test(left)
        if right is not None:
            low |= ~go_left & ~test(right)
        index = (~go_left).view(np.uint8) * np.uint8(2) + low.view(np.uint8)
        return table[index]

    def _shallow(self):
        """(root, left split, right split, leaf table [LL, LR, RL, RR]) when the tree has
        depth 2 at most, else None; a child that is a leaf fills both of its table cells."""
        if self.leaf[0]:
            return None, None, None, np.full(4, self.value[0])
        cells, splits = [], []
        for child in (int(self.left[0]), int(self.right[0])):
            if self.leaf[child]:
                cells += [self.value[child]] * 2
                splits.append(None)
            elif self.leaf[self.left[child]] and self.leaf[self.right[child]]:
                cells += [self.value[self.left[child]], self.value[self.right[child]]]
                splits.append(child)
            else:
                return None
        return 0, splits[0], splits[1], np.asarray(cells, dtype=np.float64)

    def add_contributions(self, x: np.ndarray, out: np.ndarray) -> None:
        """Add to out (rows × features) what each split on a row's path changed: the child's
        mean score minus the parent's (Saabas attribution); the root's mean goes nowhere."""
        for k, here, child in self._route(x):
            out[here, self.feature[k]] += self.value[child] - self.value[k]


def merge_alike(trees: list[Tree]) -> list[Tree]:
    """Trees that split the same way, node for node, sum into one: boosting often grows the
    same partition again, and the sum scores (and explains) exactly as the trees did."""
    merged: dict[tuple, Tree] = {}
    for tree in trees:
        key = (tree.feature.tobytes(), tree.threshold.tobytes(), tree.left.tobytes(),
               tree.right.tobytes(), tree.leaf.tobytes())  # fmt: skip
        if key in merged:
            first = merged[key]
            merged[key] = Tree(first.feature, first.threshold, first.left, first.right,
                               first.leaf, first.value + tree.value)  # fmt: skip
        else:
            merged[key] = tree
    return list(merged.values())


def export_trees(classifier) -> tuple[float, list[Tree]]:
    """Baseline score and trees of a fitted binary HistGradientBoostingClassifier."""
    baseline = float(np.ravel(classifier._baseline_prediction)[0])
    trees = [_tree(predictors[0].nodes) for predictors in classifier._predictors]
    return baseline, trees


def _tree(nodes: np.ndarray) -> Tree:
    leaf = nodes["is_leaf"].astype(bool)
    value = np.where(leaf, nodes["value"], 0.0).astype(np.float64)
    count = nodes["count"].astype(np.float64)
    left, right = nodes["left"].astype(np.int64), nodes["right"].astype(np.int64)
    for k in reversed(np.flatnonzero(~leaf)):  # children first: their means are known
        total = count[left[k]] + count[right[k]]
        value[k] = (count[left[k]] * value[left[k]] + count[right[k]] * value[right[k]]) / total
    return Tree(
        feature=np.where(leaf, 0, nodes["feature_idx"]).astype(np.int64),
        threshold=np.where(leaf, 0.0, nodes["num_threshold"]).astype(np.float64),
        left=np.where(leaf, 0, left),
        right=np.where(leaf, 0, right),
        leaf=leaf,
        value=value,
    )
