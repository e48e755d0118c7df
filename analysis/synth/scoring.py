"""Points for the rows of one sheet, and how they are written (10分 / 10 / 20% / 最高加2分 …)."""

from __future__ import annotations

import random
from itertools import groupby

from analysis.synth.build import Row

DEDUCTION_LABELS = ("扣分项", "倒扣", "扣分制")


def counted(row: Row) -> bool:
    """Whether the row's points count towards the catalogue total."""
    return row.score is not None and not row.bonus


def _step(total: float) -> float:
    return 1.0 if total >= 1000 else 0.5


def _round(value: float, step: float) -> float:
    return max(step, round(value / step) * step)


def assign_scores(rows: list[Row], total: float, layout, rng: random.Random) -> None:
    """Give every row a score and score text; counted rows of each unit group sum to `total`."""
    if rows and rows[0].target == rows[0].level1 and len({r.level1 for r in rows}) > 1:
        for _, group in groupby(rows, key=lambda r: r.level1):
            _assign(list(group), total, layout, rng)
        return
    _assign(rows, total, layout, rng)


def _assign(rows: list[Row], total: float, layout, rng: random.Random) -> None:
    step, factor = _step(total), total / 100
    regular = []
    for row in rows:
        tags = set(row.tags)
        if "veto" in tags:
            row.score, row.score_text = None, "一票否决"
        elif "bonus" in tags:
            row.bonus, row.score = True, row.concept.score * factor
            row.score_text = f"最高加{row.score:g}分"
        elif "deduction_only" in tags and layout.ded_label:
            row.score, row.score_text = None, rng.choice(DEDUCTION_LABELS)
        else:
            regular.append(row)
    regular_ids = {id(r) for r in regular}
    fixed = sum(r.score for r in rows if counted(r) and id(r) not in regular_ids)
    weights = sum(r.concept.score for r in regular) or 1.0
    for row in regular:
        row.score = _round(row.concept.score * (total - fixed) / weights, step)
    _balance(regular, total - fixed, step)
    for row in rows:
        if counted(row):
            row.score_text = score_text(row, layout, rng)


def _balance(rows: list[Row], budget: float, step: float) -> None:
    """Move rounding leftovers step by step onto the largest items, never below one step."""
    ranked = sorted(rows, key=lambda r: -r.score)
    steps = round((budget - sum(r.score for r in rows)) / step)
    i = 0
    while steps and ranked and i < 100 * len(ranked):
        row = ranked[i % len(ranked)]
        if steps > 0:
            row.score, steps = row.score + step, steps - 1
        elif row.score - step >= step:
            row.score, steps = row.score - step, steps + 1
        i += 1


def score_text(row: Row, layout, rng: random.Random) -> str:
    """`10分`, `10`, `20%` or a range `5-10分` for ranked items."""
    value = row.score
    if layout.score_unit == "%":
        return f"{value:g}%"
    if layout.ranges and row.concept.kind == "排" and value >= 1 and rng.random() < 0.6:
        return f"{value / 2:g}-{value:g}分"
    return f"{value:g}{layout.score_unit}"
