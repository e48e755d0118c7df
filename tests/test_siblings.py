"""Sibling negatives: different rows of one real catalogue, or of one sample-county sheet,
generated as training pairs."""

from __future__ import annotations

import pandas as pd

from analysis.fitting import read_pairs
from analysis.line_out import SOURCE_LINES
from analysis.normalize import normalize_text
from analysis.synth import sample_siblings
from analysis.synth.siblings import OUT, REAL, sibling_pairs

from conftest import ROOT

SAMPLE_OUT = sample_siblings.OUT


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


def test_cross_source_pairs_are_rows_of_two_lists_and_agree_with_every_other_label():
    """The hand-labelled cross-source pairs quote their catalogue rows exactly, pair two lists of
    one line of work, repeat no labelled pair, and no other labelled file says otherwise about
    the same two texts."""
    path = ROOT / "data" / "labelled" / "real_cross_source_pairs.csv"
    cross = read_pairs(path)
    catalogue = pd.read_csv(REAL / "catalogues.csv", dtype=str, keep_default_na=False)
    rows = catalogue.set_index("row_id")
    assert len(cross) > 500 and 30 < cross["label"].sum() < len(cross) / 2
    for pair in cross.itertuples():
        a, b = rows.loc[pair.row_id_a], rows.loc[pair.row_id_b]
        assert (pair.text_a, pair.text_b) == (a["indicator"], b["indicator"])
        assert (pair.criteria_a, pair.criteria_b) == (a["criteria"], b["criteria"])
        assert a["source_id"] != b["source_id"]
        assert SOURCE_LINES[a["source_id"]] == SOURCE_LINES[b["source_id"]]
        assert pair.sources == f"{a['source_id']}-{b['source_id']}"
    labelled = pd.read_csv(REAL / "pairs_labelled.csv", dtype=str, keep_default_na=False)
    done = {frozenset(p) for p in zip(labelled["row_id_a"], labelled["row_id_b"], strict=True)}
    ids = [frozenset(p) for p in zip(cross["row_id_a"], cross["row_id_b"], strict=True)]
    assert len(set(ids)) == len(ids) and not set(ids) & done
    said = {}
    for other in sorted((ROOT / "data" / "labelled").glob("*.csv")):
        frame = read_pairs(other)
        for a, b, label in zip(frame["text_a"], frame["text_b"], frame["label"], strict=True):
            said.setdefault(frozenset((normalize_text(a), normalize_text(b))), set()).add(label)
    conflicting = [k for k in _text_pairs(cross) if len(said[k]) > 1]
    assert not conflicting


def test_committed_sample_siblings_are_what_the_generator_writes(tmp_path):
    committed = pd.read_csv(SAMPLE_OUT, dtype=str, keep_default_na=False)
    generated = sample_siblings.build(out=tmp_path / "siblings.csv")
    assert generated.astype(str).equals(committed)


def test_sample_siblings_are_two_concepts_of_one_sheet_and_contradict_no_label():
    siblings = read_pairs(SAMPLE_OUT)
    rows = pd.read_csv(sample_siblings.GOLD_ROWS, dtype=str, keep_default_na=False)
    assert len(siblings) > 3000 and (siblings["label"] == 0).all()
    concepts = rows.groupby(["name", rows["file"] + "｜" + rows["sheet"]])["concept_id"].agg(set)
    frame = pd.read_csv(SAMPLE_OUT, dtype=str, keep_default_na=False)
    # both rows of the sheet (a KeyError otherwise), of two concepts
    for a, b, sheet in zip(frame["text_a"], frame["text_b"], frame["source_id"], strict=True):
        assert not concepts[(a, sheet)] & concepts[(b, sheet)]
    pairs = _text_pairs(siblings)
    assert len(pairs) == len(siblings)
    gold = ROOT / "data" / "sample" / "gold" / "pairs.csv"
    others = [*sorted((ROOT / "data" / "labelled").glob("*.csv")), gold]
    for other in others:
        if other != SAMPLE_OUT:
            frame = read_pairs(other)
            assert not pairs & _text_pairs(frame[frame["label"] == 1]), other.name
