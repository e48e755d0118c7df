"""The before/after chart per unit category with the 托克托 reference, as SVG (matplotlib,
offline). Text stays text in the SVG so that the PDF renderer sets it in its own CJK font and
the words remain searchable in the PDF.
"""

from __future__ import annotations

import io

import matplotlib
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure

from ..reduction import references

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "DejaVu Sans")
BEFORE, AFTER, REFERENCE = "#9DB9D3", "#1F5F99", "#C0392B"
STYLE = {
    "font.size": 9,
    "svg.fonttype": "none",  # keep <text>: the PDF sets it in Noto Sans CJK
    "svg.hashsalt": "jianfu-report",  # stable element ids: the same data gives the same SVG
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _fonts() -> list[str]:
    # Only installed families: matplotlib warns once per glyph for every missing one.
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in installed] or ["sans-serif"]


def reference_rates() -> dict[str, float]:
    """Category → the published rate of the group it belongs to (76 % towns, 64 % organs)."""
    return {c: ref.rate for ref in references() for c in ref.categories}


def before_after_svg(categories: pd.DataFrame) -> str:
    """Counts before and after per category, and the rate against the 托克托 reference."""
    with matplotlib.rc_context({**STYLE, "font.family": _fonts()}):
        figure = Figure(figsize=(7.0, 4.8), layout="constrained")
        counts, rates = figure.subplots(2, 1)
        _counts(counts, categories)
        _rates(rates, categories)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _labels(categories: pd.DataFrame) -> list[str]:
    # Two lines keep the long town label from crowding its neighbours.
    return [str(c).replace("（", "\n（") for c in categories["label"]]


def _counts(axes, categories: pd.DataFrame) -> None:
    positions = range(len(categories))
    width = 0.38
    left = [p - width / 2 for p in positions]
    right = [p + width / 2 for p in positions]
    axes.bar_label(
        axes.bar(left, categories["before"], width, color=BEFORE, label="精减前"),
        fontsize=7,
        padding=1,
    )
    bars = axes.bar(right, categories["after"], width, color=AFTER, label="精减后")
    axes.bar_label(bars, fontsize=7, padding=1)
    refs = reference_rates()
    shown = False
    for x, row in zip(right, categories.itertuples(), strict=True):
        if row.category in refs:
            level = row.before * (1 - refs[row.category])
            axes.hlines(level, x - width / 2, x + width / 2, colors=REFERENCE, linestyles="--",
                        label=None if shown else "按托克托县精减率应保留")  # fmt: skip
            shown = True
    axes.set_xticks(list(positions), _labels(categories), fontsize=7)
    axes.set_ylabel("指标条数（条目）")
    axes.set_title("精减前后指标条数")
    axes.legend(fontsize=7, frameon=False)


def _rates(axes, categories: pd.DataFrame) -> None:
    positions = list(range(len(categories)))
    bars = axes.bar(positions, categories["rate"] * 100, 0.6, color=AFTER)
    axes.bar_label(bars, labels=[f"{r:.1%}" for r in categories["rate"]], fontsize=7, padding=1)
    for ref in references():
        spots = [p for p, c in zip(positions, categories["category"], strict=True)
                 if c in ref.categories]  # fmt: skip
        if spots:
            axes.hlines(ref.rate * 100, min(spots) - 0.4, max(spots) + 0.4, colors=REFERENCE,
                        linestyles="--")  # fmt: skip
            axes.annotate(f"托克托县 {ref.rate:.0%}", (min(spots) - 0.4, ref.rate * 100),
                          xytext=(0, 2), textcoords="offset points", fontsize=7,
                          color=REFERENCE)  # fmt: skip
    axes.set_ylim(0, 100)
    axes.set_xticks(positions, _labels(categories), fontsize=7, rotation=0)
    axes.set_ylabel("精减率（%）")
    axes.set_title("精减率与托克托县参考")
