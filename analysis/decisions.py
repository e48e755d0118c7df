"""Human decisions over recommendations: an append-only log, and the outcome they give.

A decision targets one indicator (in one category, or in all) or one cluster (in one category;
it applies to the cluster's members). Undo is a new decision that supersedes an earlier one.
The outcome of an indicator is its latest standing decision, else its recommendation.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from .errors import JianfuError
from .rules import ACTIONS
from .store import Store

TARGET_KINDS = ("indicator", "cluster")
UNDO = "undo"

# Standing decisions applied over recommendations; a cluster "merge" keeps the representative.
OUTCOMES_SQL = """
CREATE OR REPLACE VIEW outcomes AS
WITH standing AS (
    SELECT d.* FROM decisions d
    WHERE d.action <> 'undo'
      AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.action = 'undo' AND u.supersedes = d.decision_id)
), applied AS (
    SELECT r.category, r.indicator_id, s.seq, s.decision_id, s.action, s.merge_into, s.reason,
           s.decided_by, s.decided_at
    FROM recommendations r JOIN standing s
      ON s.target_kind = 'indicator' AND s.target_id = r.indicator_id
     AND (s.category IS NULL OR s.category = r.category)
    UNION ALL
    SELECT c.category, c.indicator_id, s.seq, s.decision_id,
           CASE WHEN s.action = 'merge' AND c.indicator_id = c.cluster_id THEN 'keep' ELSE s.action END,
           CASE WHEN s.action = 'merge' AND c.indicator_id <> c.cluster_id THEN c.cluster_id END,
           s.reason, s.decided_by, s.decided_at
    FROM clusters c JOIN standing s
      ON s.target_kind = 'cluster' AND s.target_id = c.cluster_id AND s.category = c.category
), latest AS (
    SELECT * FROM applied
    QUALIFY row_number() OVER (PARTITION BY category, indicator_id ORDER BY seq DESC) = 1
)
SELECT r.category, r.indicator_id,
       coalesce(l.action, r.action) AS action,
       CASE WHEN l.action IS NULL THEN r.merge_into ELSE l.merge_into END AS merge_into,
       r.action AS recommended_action, r.reason_code, r.reason_zh,
       l.decision_id, l.reason AS decision_reason, l.decided_by, l.decided_at,
       CASE WHEN l.action IS NULL THEN 'recommendation' ELSE 'decision' END AS source
FROM recommendations r LEFT JOIN latest l USING (category, indicator_id)
"""


@dataclass(frozen=True)
class Decision:
    target_kind: str
    target_id: str
    action: str
    reason: str
    decided_by: str
    category: str | None = None
    merge_into: str | None = None
    supersedes: str | None = None


def _check(store: Store, decision: Decision) -> None:
    if decision.target_kind not in TARGET_KINDS:
        raise JianfuError(f"决定对象类型应为 indicator 或 cluster，而不是“{decision.target_kind}”")
    if decision.action not in (*ACTIONS, UNDO):
        raise JianfuError(f"决定应为 {'、'.join(ACTIONS)} 或 undo，而不是“{decision.action}”")
    if not decision.reason.strip():
        raise JianfuError("请说明决定的理由")
    if decision.action == UNDO:
        if decision.target_kind != "indicator" and decision.supersedes is None:
            raise JianfuError("撤销时请给出决定编号（如 D000003）")
        if not store.scalar(
            "SELECT count(*) FROM decisions WHERE decision_id = ?", [decision.supersedes]
        ):
            raise JianfuError(f"找不到要撤销的决定：{decision.supersedes}")
        return
    table = "clusters" if decision.target_kind == "cluster" else "indicators"
    column = "cluster_id" if decision.target_kind == "cluster" else "indicator_id"
    if not store.scalar(f"SELECT count(*) FROM {table} WHERE {column} = ?", [decision.target_id]):
        raise JianfuError(
            f"找不到{'相似指标组' if table == 'clusters' else '指标'}：{decision.target_id}"
        )
    if decision.target_kind == "cluster" and not decision.category:
        raise JianfuError("对相似指标组的决定需要指明单位类别（--category）")
    if (
        decision.action == "merge"
        and decision.target_kind == "indicator"
        and not decision.merge_into
    ):
        raise JianfuError("合并决定需要指明并入哪条指标（--into）")


def record_decision(store: Store, decision: Decision) -> str:
    """Append a decision; return its id (D000001, D000002 …)."""
    _check(store, decision)
    with store.transaction() as con:
        seq = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM decisions").fetchone()[0]
        decision_id = f"D{seq:06d}"
        con.execute(
            "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [decision_id, seq, decision.target_kind, decision.target_id, decision.category,
             decision.action, decision.merge_into, decision.reason.strip(), decision.decided_by,
             datetime.now(UTC).replace(tzinfo=None), decision.supersedes],
        )  # fmt: skip
    return decision_id


def create_outcomes_view(store: Store) -> None:
    store.execute(OUTCOMES_SQL)


def outcomes(store: Store) -> pd.DataFrame:
    return store.query_df("SELECT * FROM outcomes ORDER BY category, indicator_id")


def decision_log(store: Store) -> pd.DataFrame:
    return store.query_df("SELECT * FROM decisions ORDER BY seq")


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
