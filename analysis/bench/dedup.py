"""Dedup benchmark: normalise → candidates → score → cluster on seeded synthetic catalogues.

    python -m analysis.bench dedup [--rows 10000,100000,1000000] [--json] [--seed N]

Each size runs in its own process (generation untimed, then the four stages), so its peak
memory is its own. Naive all-pairs RapidFuzz (cdist with fuzz.ratio, all cores) is measured in
the same run at 10,000 rows and extrapolated by the number of pairs to the larger sizes.

Both sides are timed the same way: the naive block is the best of BLOCK_REPEATS timings, and
each size up to REPEAT_ROWS_MAX rows is the best of REPEATS runs, each in a fresh process (cold
caches), since one run on two shared cores swings by ±10 % (`--repeat N` sets the count for
every size). Every run's time is kept (`seconds_each`); peak memory is the largest of them.
"""

from __future__ import annotations

import argparse
from typing import Any

from .measure import emit, run_child

DEFAULT_ROWS = (10_000, 100_000, 1_000_000)
NAIVE_ROWS = 10_000
TIME_TARGETS_S = {10_000: 5.0, 100_000: 20.0, 1_000_000: 600.0}  # end to end, from the issue
MEMORY_LIMITS_MB = {100_000: 2048, 1_000_000: 8192}
SPEEDUP_TARGETS = {100_000: 10.0}
REPEATS = 3  # as many as the naive block's timings (dedup_one.BLOCK_REPEATS)
REPEAT_ROWS_MAX = 100_000  # beyond, one run takes minutes and varies less
RECALL_TARGET = 0.95
STAGE_LABELS = {"normalize": "归一化", "candidates": "候选", "score": "打分", "cluster": "聚类"}
JSON_KEYS = (
    "rows",
    "seconds_total",
    "stages",
    "pairs_scored",
    "candidate_recall",
    "peak_rss_mb",
    "naive_seconds",
    "naive_measured",
    "speedup",
)


def _rows(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"行数应为逗号分隔的整数：{text}") from error
    if not sizes or min(sizes) < 2:
        raise argparse.ArgumentTypeError(f"每个规模至少 2 行：{text}")
    return sizes


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"次数应为正整数：{text}") from error
    if value < 1:
        raise argparse.ArgumentTypeError(f"次数应为正整数：{text}")
    return value


def naive_seconds(rows: int, naive: dict[str, Any]) -> tuple[float, bool]:
    """All-pairs seconds at `rows`: measured if the full triangle was timed there, else scaled."""
    if rows == naive["rows"] and naive["triangle_seconds"] is not None:
        return naive["triangle_seconds"], True
    return naive["seconds_per_cell"] * rows * (rows - 1) / 2, False


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("  达标" if ok else "  未达标")


def _checks(run: dict[str, Any]) -> dict[str, bool | None]:
    rows = run["rows"]
    time_limit = TIME_TARGETS_S.get(rows)
    memory_limit = MEMORY_LIMITS_MB.get(rows)
    speedup_target = SPEEDUP_TARGETS.get(rows)
    return {
        "time": None if time_limit is None else run["seconds_total"] <= time_limit,
        "memory": None if memory_limit is None else run["peak_rss_mb"] <= memory_limit,
        "recall": run["candidate_recall"] >= RECALL_TARGET,
        "speedup": None if speedup_target is None else run["speedup"] >= speedup_target,
    }


def _print_naive(naive: dict[str, Any]) -> None:
    print(
        f"朴素全配对 RapidFuzz process.cdist(fuzz.ratio, workers=-1)，{naive['rows']:,} 行："
        f"前 {naive['block_rows']:,} 行 × {naive['rows']:,} 行 = {naive['block_cells']:,} 格 "
        f"{naive['block_seconds']:.3f} s（{naive['seconds_per_cell'] * 1e9:.1f} ns/格）",
        flush=True,
    )
    if naive["triangle_seconds"] is not None:
        print(
            f"  完整上三角实测 {naive['triangle_seconds']:.2f} s"
            f"（{naive['triangle_cells']:,} 格，含分块内少量下三角）；更大规模按格数外推",
            flush=True,
        )
    else:
        print("  完整上三角预计超过 30 s，未实测；各规模按格数外推", flush=True)


def _limit(value: float | None, unit: str, sign: str = "≤") -> str:
    return "无目标" if value is None else f"目标 {sign} {value:g}{unit}"


def _print_run(run: dict[str, Any], child: dict[str, Any], seed: int) -> None:
    rows, checks = run["rows"], _checks(run)
    stages = " · ".join(
        f"{STAGE_LABELS.get(name, name)} {seconds:.2f} s" for name, seconds in run["stages"].items()
    )
    gold = (
        f"全部 {child['gold_pairs']:,} 对，按概念分组枚举"
        if child["gold_method"] == "exact"
        else f"{child['gold_pairs']:,} 对中固定种子 {seed} 抽样 {child['gold_checked']:,} 对"
    )
    naive_how = "实测" if run["naive_measured"] else f"按 {NAIVE_ROWS:,} 行每格耗时外推"
    print(f"{rows:>9,} 行  生成合成数据 {child['generate_seconds']:.2f} s（不计入）", flush=True)
    print(f"  {stages}")
    each = run["seconds_each"]
    runs = (
        f"，{len(each)} 次中最快：{' / '.join(f'{s:.2f}' for s in each)} s" if len(each) > 1 else ""
    )
    print(
        f"  端到端 {run['seconds_total']:.2f} s（{_limit(TIME_TARGETS_S.get(rows), ' s')}{runs}）"
        f"{_verdict(checks['time'])}"
    )
    print(
        f"  打分对数 {run['pairs_scored']:,}（{run['pairs_scored'] / rows:.1f} 对/行），"
        f"聚类 {child['clusters']:,} 个"
    )
    print(
        f"  峰值内存 {run['peak_rss_mb']:,.0f} MB（{_limit(MEMORY_LIMITS_MB.get(rows), ' MB')}，含生成）"
        f"{_verdict(checks['memory'])}"
    )
    print(
        f"  候选召回 {run['candidate_recall']:.4f}（目标 ≥ {RECALL_TARGET}；金标对{gold}）"
        f"{_verdict(checks['recall'])}"
    )
    print(
        f"  朴素全配对 {run['naive_seconds']:,.1f} s（{naive_how}），加速比 {run['speedup']:,.1f}×"
        f"（{_limit(SPEEDUP_TARGETS.get(rows), '×', '≥')}）{_verdict(checks['speedup'])}",
        flush=True,
    )


def repeats_for(rows: int, repeat: int | None) -> int:
    if repeat is not None:
        return repeat
    return REPEATS if rows <= REPEAT_ROWS_MAX else 1


def best_of(children: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run's figures, with every run's time and the largest peak memory."""
    best = dict(min(children, key=lambda child: child["seconds_total"]))
    best["seconds_each"] = [child["seconds_total"] for child in children]
    best["peak_rss_mb"] = max(child["peak_rss_mb"] for child in children)
    return best


def _figures(child: dict[str, Any], naive: dict[str, Any]) -> dict[str, Any]:
    naive_s, measured = naive_seconds(child["rows"], naive)
    run = {
        "rows": child["rows"],
        "seconds_total": round(child["seconds_total"], 3),
        "stages": {name: round(seconds, 3) for name, seconds in child["stages"].items()},
        "pairs_scored": child["pairs_scored"],
        "candidate_recall": round(child["candidate_recall"], 4),
        "peak_rss_mb": round(child["peak_rss_mb"], 1),
        "naive_seconds": round(naive_s, 3),
        "naive_measured": measured,
        "speedup": round(naive_s / child["seconds_total"], 4),
    }
    assert tuple(run) == JSON_KEYS
    run["seconds_each"] = [round(seconds, 3) for seconds in child.get("seconds_each", [])]
    return run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.bench dedup")
    parser.add_argument(
        "--rows",
        type=_rows,
        default=list(DEFAULT_ROWS),
        help="逗号分隔的规模，默认 10000,100000,1000000",
    )
    parser.add_argument("--json", action="store_true", help="最后一行输出 JSON")
    parser.add_argument("--seed", type=int, default=0, help="合成数据的随机种子")
    parser.add_argument(
        "--repeat",
        type=_positive,
        default=None,
        help=f"每个规模运行几次取最快（默认 ≤{REPEAT_ROWS_MAX:,} 行 {REPEATS} 次，更大 1 次）",
    )
    args = parser.parse_args(argv)
    say = not args.json
    if say:
        print(f"查重基准：合成指标库（种子 {args.seed}），归一化 → 候选 → 打分 → 聚类", flush=True)
    naive = run_child("analysis.bench.dedup_one", "naive", str(NAIVE_ROWS), str(args.seed))
    if say:
        _print_naive(naive)
    runs, passed = [], True
    for rows in args.rows:
        repeats = repeats_for(rows, args.repeat)
        if say:
            print(f"运行 {rows:,} 行（{repeats} 次，各在新进程中，取最快）……", flush=True)
        children = [
            run_child("analysis.bench.dedup_one", "size", str(rows), str(args.seed))
            for _ in range(repeats)
        ]
        child = best_of(children)
        run = _figures(child, naive)
        runs.append(run)
        passed &= all(ok is not False for ok in _checks(run).values())
        if say:
            _print_run(run, child, args.seed)
    if args.json:
        largest = max(runs, key=lambda run: run["rows"])
        emit({**largest, "runs": runs})
    elif len(runs) > 1:
        print("\n规模        端到端 s   峰值 MB   召回     打分对数    朴素 s      加速比")
        for run in runs:
            print(
                f"{run['rows']:>9,}  {run['seconds_total']:>9.2f}  {run['peak_rss_mb']:>8,.0f}  "
                f"{run['candidate_recall']:.4f}  {run['pairs_scored']:>11,}  "
                f"{run['naive_seconds']:>10,.1f}{'' if run['naive_measured'] else '*'}  "
                f"{run['speedup']:>8,.1f}×"
            )
        print("* 外推值")
    return 0 if passed else 1
