"""Recommend keep / merge / drop / convert / entrust for every indicator in every category it
applies to, each with a reason code, a Chinese explanation and its evidence (DESIGN §5).

Reads indicators, indicator_text, clusters, pair_scores; replaces `recommendations`.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .applies import indicator_categories
from .categories import default_scheme
from .decisions import create_outcomes_view
from .rules import RuleBook, default_rules, first_match
from .stages import replace_table
from .store import Store

SCORED_KINDS = ("fixed", "range", "percent")

INPUT_SQL = """
SELECT i.indicator_id, i.name, coalesce(i.criteria, '') AS criteria, i.score, i.score_kind,
       coalesce(i.assessor, '') AS assessor, coalesce(i.target, '') AS target, i.batch_id,
       t.text_norm, b.file_name || ' ' || b.sheet || ' ' || coalesce(b.title, '') AS catalogue,
       sum(CASE WHEN i.score_kind IN ('fixed', 'range', 'percent') THEN i.score END)
           OVER (PARTITION BY i.batch_id, i.target) AS catalogue_points  -- one unit's own list
FROM indicators i JOIN indicator_text t USING (indicator_id) JOIN import_batches b USING (batch_id)
"""


@dataclass(frozen=True)
class Advice:
    action: str
    code: str
    reason: str
    evidence: dict[str, object]
    merge_into: str | None = None
    points: float | None = None


def _number(value: object) -> float | None:
    return (
        None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
    )


def _pattern_advice(row: dict, rules: RuleBook) -> Advice | None:
    """Drops and conversions that an indicator earns on its own words."""
    return _words_advice(row["text_norm"], row["name"], row["criteria"], row["catalogue"], rules)


@lru_cache(maxsize=200_000)
def _words_advice(
    text_norm: str, name: str, criteria: str, catalogue: str, rules: RuleBook
) -> Advice | None:
    row = {"text_norm": text_norm, "name": name, "criteria": criteria, "catalogue": catalogue}
    for code in ("DROP_APP_USAGE", "DROP_TRACE", "DROP_OFF_DUTY", "CONVERT_ANNUAL"):
        rule = rules[code]
        found = first_match(rule.patterns, row["text_norm"]) or first_match(
            rule.patterns, row["name"]
        )
        where = "name"
        if not found and rule.criteria_patterns:
            found, where = first_match(rule.criteria_patterns, row["criteria"]), "criteria"
        if not found and rule.catalogue_patterns:
            found, where = first_match(rule.catalogue_patterns, row["catalogue"]), "catalogue"
        if found:
            evidence = {"matched": found, "field": where, "name": row["name"]}
            if where == "catalogue":
                evidence["catalogue"] = row["catalogue"].strip()
            return Advice(rule.action, code, rule.explain(match=found), evidence)
    return None


def _low_weight(row: dict, rules: RuleBook) -> Advice | None:
    rule = rules["DROP_LOW_WEIGHT"]
    score, total = _number(row["score"]), _number(row["catalogue_points"])
    if score is None or not total or row["score_kind"] not in SCORED_KINDS:
        return None
    if row["score_kind"] in rules.exempt_kinds or first_match(rules.exempt_patterns, row["name"]):
        return None
    share = score / total
    if share >= rule.extra["max_share"]:
        return None
    evidence = {"score": score, "catalogue_points": total, "share": round(share, 4)}
    reason = rule.explain(score=f"{score:g}", total=f"{total:g}", share=f"{share:.1%}")
    return Advice(rule.action, rule.code, reason, evidence)


def _keep_advice(row: dict, rules: RuleBook) -> Advice:
    rule = rules["METHOD_STATISTICS"]
    found = first_match(rule.patterns, row["text_norm"]) or first_match(
        rule.criteria_patterns, row["criteria"]
    )
    if found:
        return Advice("keep", rule.code, rule.explain(match=found), {"matched": found})
    keep = rules["KEEP_OUTCOME"]
    return Advice("keep", keep.code, keep.explain(), {})


def _load(store: Store) -> pd.DataFrame:
    rows = store.query_df(INPUT_SQL)
    categories = indicator_categories(store)
    clusters = store.query_df(
        "SELECT category, indicator_id, cluster_id, cluster_size FROM clusters"
    )
    frame = categories.merge(rows, on="indicator_id").merge(
        clusters, on=["category", "indicator_id"], how="left"
    )
    frame["cluster_id"] = frame["cluster_id"].fillna(frame["indicator_id"])
    return frame.sort_values(["category", "indicator_id"]).reset_index(drop=True)


def recommend(store: Store, rules: RuleBook | None = None) -> pd.DataFrame:
    """One recommendation per (category, indicator)."""
    rules = rules or default_rules()
    frame = _load(store)
    entrusted = default_scheme().entrusted
    advice: dict[int, Advice] = {}
    records = dict(zip(frame.index, frame.to_dict("records"), strict=True))  # iterrows is slow
    for idx, row in records.items():
        if row["category"] in entrusted:
            rule = rules["ENTRUST"]
            evidence = {"category": row["category"], "entrusted_to": entrusted[row["category"]],
                        "target": row["target"]}  # fmt: skip
            advice[idx] = Advice("entrust", rule.code, rule.explain(**evidence), evidence)
        elif found := _pattern_advice(row, rules):
            advice[idx] = found
    scores = _pair_probabilities(store)
    clusters: dict[tuple[str, str], list[int]] = {}
    for idx, row in records.items():
        if idx not in advice:
            clusters.setdefault((row["category"], row["cluster_id"]), []).append(idx)
    for members in clusters.values():
        if len(members) > 1:
            advice.update(_merge_advice([(i, records[i]) for i in members], scores, rules))
    for idx, row in records.items():
        if idx not in advice:
            advice[idx] = _low_weight(row, rules) or _keep_advice(row, rules)
    return _table(frame, advice, rules)


def _pair_probabilities(store: Store) -> dict[tuple[str, str], float]:
    pairs = store.rows("SELECT id_l, id_r, probability FROM pair_scores")
    return {(a, b): p for a, b, p in pairs}


def _representative(members: list[tuple[int, dict]]) -> tuple[int, dict]:
    """Highest points, most complete criteria, the assessor with most members, smallest id."""
    lead = Counter(row["assessor"] for _, row in members)

    def rank(member: tuple[int, dict]) -> tuple:
        row = member[1]
        points = _number(row["score"])
        return (-(points if points is not None else -1.0), -len(row["criteria"]),
                -lead[row["assessor"]], row["indicator_id"])  # fmt: skip

    return min(members, key=rank)


def _merge_advice(members: list[tuple[int, dict]], scores, rules: RuleBook) -> dict[int, Advice]:
    rep_idx, rep = _representative(members)
    rep_id = rep["indicator_id"]
    assessors = sorted({row["assessor"] for _, row in members} - {""})
    points = max((p for _, r in members if (p := _number(r["score"])) is not None), default=None)

    def probability(row: dict) -> float | None:
        return scores.get(tuple(sorted((row["indicator_id"], rep_id))))

    listing = [
        {"indicator_id": r["indicator_id"], "name": r["name"], "assessor": r["assessor"],
         "probability": probability(r)}
        for i, r in members if i != rep_idx
    ]  # fmt: skip
    shown = "—" if points is None else f"{points:g}"
    keep_reason = (
        rules["MERGE_DUPLICATE"]
        .extra["representative_zh"]
        .format(members=len(listing), points=shown)
    )
    evidence = {"members": listing, "assessors": assessors}
    out = {rep_idx: Advice("keep", "MERGE_DUPLICATE", keep_reason, evidence, None, points)}
    for idx, row in members:
        if idx != rep_idx:
            out[idx] = _merged(row, rep, probability(row), assessors, rules)
    return out


def _merged(row: dict, rep: dict, probability, assessors: list[str], rules: RuleBook) -> Advice:
    evidence = {"representative": rep["indicator_id"], "representative_name": rep["name"],
                "representative_assessor": rep["assessor"], "probability": probability,
                "assessors": assessors}  # fmt: skip
    if len(assessors) > 1 and row["assessor"] != rep["assessor"]:
        rule = rules["MULTI_ASSESSOR"]
        reason = rule.explain(representative_assessor=rep["assessor"] or "其他单位",
                              representative=rep["name"], assessors=len(assessors))  # fmt: skip
    else:
        rule = rules["MERGE_DUPLICATE"]
        shown = "—" if probability is None else f"{probability:.2f}"
        reason = rule.explain(representative=rep["name"], probability=shown)
    return Advice("merge", rule.code, reason, evidence, rep["indicator_id"])


def _table(frame: pd.DataFrame, advice: dict[int, Advice], rules: RuleBook) -> pd.DataFrame:
    ordered = [advice[i] for i in frame.index]
    return pd.DataFrame(
        {
            "category": frame["category"],
            "indicator_id": frame["indicator_id"],
            "action": [a.action for a in ordered],
            "reason_code": [a.code for a in ordered],
            "reason_zh": [a.reason for a in ordered],
            "evidence": [
                json.dumps(a.evidence, ensure_ascii=False, sort_keys=True) for a in ordered
            ],
            "merge_into": [a.merge_into for a in ordered],
            "suggested_points": [a.points for a in ordered],
            "basis": [rules[a.code].basis for a in ordered],
            "rule_version": rules.version,
        }
    )


def recommend_indicators(store: Store) -> pd.DataFrame:
    """The stage: replace `recommendations`."""
    table = recommend(store)
    replace_table(store, "recommendations", table)
    create_outcomes_view(store)  # bound to the new table
    return table
