"""Property tests for score parsing and header mapping (hypothesis)."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from analysis import parse_score
from analysis.headers import find_header, match_header
from analysis.settings import PACKAGE_DATA

SYNONYMS = json.loads((PACKAGE_DATA / "headers.json").read_text(encoding="utf-8"))["fields"]
PAIRS = [(field, s) for field, syns in SYNONYMS.items() for s in syns]
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

points = st.decimals(min_value=0, max_value=999, places=1, allow_nan=False)


@given(points, st.sampled_from(["", "分", " 分", "分 "]), st.booleans())
def test_plain_points_read_back(value, unit, full_width):
    text = f"{value}{unit}"
    if full_width:
        text = text.translate(FULL_WIDTH)
    reading = parse_score(text)
    assert reading is not None and reading.kind in {"fixed", "none"}
    assert reading.value == (float(value) if reading.kind == "fixed" else None)


@given(points, points)
def test_ranges_give_their_maximum(low, high):
    reading = parse_score(f"{low}-{high}分")
    assert reading is not None and reading.kind == "range"
    assert reading.value == max(float(low), float(high))


@given(st.text(max_size=40))
def test_any_text_is_read_or_refused_without_crashing(text):
    reading = parse_score(text)
    if reading is not None:
        assert reading.value is None or reading.value >= 0
        assert reading.kind in {
            "none",
            "fixed",
            "range",
            "percent",
            "bonus",
            "deduction",
            "veto",
            "rule",
        }


@given(
    st.sampled_from(["每发现1次扣{n}分", "发现一处问题扣{n}分，扣完为止", "未按时报送扣{n}分"]),
    points,
)
def test_deduction_rules_have_no_fixed_points(template, n):
    reading = parse_score(template.format(n=n))
    assert reading is not None and reading.kind == "deduction" and reading.value is None


@given(st.sampled_from(PAIRS), st.sampled_from(["", " ", "\n", "　"]), st.booleans())
def test_every_synonym_maps_to_its_field_in_any_width_and_spacing(pair, space, wide):
    field, synonym = pair
    text = space.join(synonym) if space else synonym
    if wide:
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    assert match_header(text) == field
    assert match_header(unicodedata.normalize("NFKC", text)) == field


@given(
    st.tuples(*(st.sampled_from(SYNONYMS[f]) for f in ("name", "score", "criteria"))),
    st.randoms(use_true_random=False),
)
def test_header_is_found_below_title_rows_whatever_the_column_order(headers, rnd):
    headers = list(headers)
    rnd.shuffle(headers)
    rows = [["青禾县2024年度考核细则", "", ""], ["", "", ""], headers, ["党建", "5", "完成得满分"]]
    header = find_header(rows, [])
    assert header is not None and header.last_row == 2
    assert sorted(header.fields.values()) == ["criteria", "name", "score"]
