"""Sibling negatives: different rows of one real catalogue, generated as training pairs."""

from __future__ import annotations

import pandas as pd

from analysis.fitting import read_pairs
from analysis.normalize import normalize_text
from analysis.synth.siblings import OUT, REAL, sibling_pairs

from conftest import ROOT


def _text_pairs(frame: pd.DataFrame) -> set[frozenset[str]]:
    return {
        frozenset((normalize_text(a), normalize_text(b)))
        for a, b in zip(frame["text_a"], frame["text_b"], strict=True)
    }


def test_committed_siblings_are_what_the_generator_writes():
    catalogue = pd.read_csv(REAL / "catalogues.csv", dtype=str, keep_default_na=False)
    labelled = pd.read_csv(REAL / "pairs_labelled.csv", dtype=str, keep_default_na=False)
    generated = sibling_pairs(catalogue, labelled)
    committed = pd.read_csv(OUT, dtype=str, keep_default_na=False)
    assert generated.astype(str).equals(committed)


def test_siblings_are_negatives_of_one_catalogue_and_never_a_labelled_pair():
    siblings = read_pairs(OUT)
    catalogue = pd.read_csv(REAL / "catalogues.csv", dtype=str, keep_default_na=False)
    assert len(siblings) > 300 and (siblings["label"] == 0).all()
    sources = catalogue.groupby("indicator")["source_id"].agg(set)
    rows = zip(siblings["text_a"], siblings["text_b"], siblings["source_id"], strict=True)
    for a, b, source in rows:
        assert normalize_text(a) != normalize_text(b)
        assert source in sources[a] and source in sources[b]  # both rows of one catalogue
    pairs = _text_pairs(siblings)
    assert len(pairs) == len(siblings)  # each pair of texts once
    real = read_pairs(ROOT / "data" / "labelled" / "real_pairs_dev.csv")
    assert not pairs & _text_pairs(real)
