"""Command line: `jianfu import | info | sample …` — a thin layer over the library.

Library errors are caught here and shown as their Chinese message on stderr (exit code 1);
with `--json` the last line of stdout is one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import click
import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .crossval import calibration, cross_validate
from .decisions import Decision, default_user, record_decision
from .errors import JianfuError
from .evaluate import error_lines
from .evaluate_cli import eval_clusters_command, eval_pairs_command
from .fitting import DEFAULT_TRAINING, TRANSFER, refit
from .headers import FIELDS
from .imported import ImportOptions
from .ingest import import_paths
from .line_out import validate_by_line
from .model import MODEL_FILE, THRESHOLD
from .pipeline import STAGES, require_analysis
from .pipeline import analyse as analyse_workspace
from .reduction import reduction_frame, reduction_json
from .report import report_command
from .rules_eval import evaluate_rules
from .settings import default_db_path
from .store import Store
from .summary import workspace_summary
from .units import set_unit_category
from .workspace import build_sample_workspace

PIPED_WIDTH = 160

app = typer.Typer(
    name="jianfu",
    help="考核减负：导入考核指标表、查重、给出精简建议、生成减负报告。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
# piped or logged, rich assumes 80 columns and folds every Chinese cell of a wide table
out = Console(width=None if sys.stdout.isatty() else PIPED_WIDTH)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="工作库文件（默认 $JIANFU_DB 或 data/workspace.duckdb）"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="最后一行输出一个 JSON 对象")]


def _db(path: Path | None) -> Path:
    return path or default_db_path()


def _existing_db(path: Path | None) -> Path:
    """The workspace a reading command needs; a clear message when there is none yet."""
    found = _db(path)
    if not found.exists():
        raise JianfuError(f"工作库 {found} 不存在：请先用 jianfu import 导入指标表")
    return found


def _emit_json(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")


def _parse_map(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        header, sep, field = pair.partition("=")
        if not sep or field not in (*FIELDS, "ignore"):
            raise JianfuError(
                f"--map 参数“{pair}”无效：应为 表头=字段 或 列号=字段，字段可选 {'、'.join(FIELDS)}、ignore"
            )
        mapping[header.strip()] = field
    return mapping


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@app.command("import")
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="Excel/CSV 文件或目录（目录会递归查找）")],
    db: DbOption = None,
    assessor: Annotated[str | None, typer.Option(help="考核单位（文件中没有时使用）")] = None,
    target: Annotated[str | None, typer.Option(help="考核对象：单位类别或单位名称")] = None,
    by: Annotated[str | None, typer.Option("--by", help="导入人")] = None,
    column: Annotated[
        list[str] | None, typer.Option("--map", help="表头映射，如 责任单位=assessor 或 F=criteria")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """导入考核指标表（每个文件一个事务：出错的文件不改变工作库）。"""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise JianfuError("找不到文件或目录：" + "、".join(missing))
    options = ImportOptions(assessor, target, by, _parse_map(column or []))
    with Store.open(_db(db)) as store, _progress() as bar:
        task = bar.add_task("导入", total=None)

        def step(path: Path, number: int, total: int) -> None:
            bar.update(task, total=total, completed=number - 1, description=f"导入 {path.name}")

        done, rejected = import_paths(store, paths, options, step)
        bar.update(task, completed=len(done) + len(rejected))
        summary = workspace_summary(store)
    for result in done:
        for warning in result.warnings:
            err.print(f"[yellow]提示[/]：{warning}", highlight=False)
        label = {"imported": "已导入", "replaced": "已更新", "unchanged": "无变化"}[result.status]
        err.print(f"{label}《{result.file}》：{result.rows} 条指标", highlight=False)
    for error in rejected:
        err.print(f"[red]未导入[/]：{error.user_message}", highlight=False)
    if as_json:
        _emit_json(
            {
                "files": [
                    {"file": r.file, "status": r.status, "rows": r.rows, "warnings": r.warnings}
                    for r in done
                ],
                "rejected": [
                    {"file": e.problems[0].file if e.problems else None, "message": e.user_message}
                    for e in rejected
                ],
                "imported_rows": sum(r.rows for r in done if r.status != "unchanged"),
                "indicators": summary.indicators,
                "batches": summary.batches,
                "units": summary.units,
            }
        )
    if rejected:
        raise typer.Exit(1)


def _table(title: str, frame: Any) -> Table:
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(str(column), overflow="fold")  # a long file name wraps, never cut
    for row in frame.astype(str).itertuples(index=False):
        table.add_row(*row)
    return table


@app.command()
def info(
    db: DbOption = None,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="只读打开（网页端运行时使用）")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """工作库概况：表数、指标数、单位数，按考核单位和单位类别分列。"""
    path = _existing_db(db)
    with Store.open(path, read_only=read_only) as store:
        summary = workspace_summary(store)
    if as_json:
        _emit_json(summary.as_json())
        return
    out.print(
        f"工作库 {path}：{summary.batches} 张表，{summary.indicators} 条指标，{summary.units} 个单位"
    )
    out.print(_table("按单位类别", summary.by_category))
    out.print(_table("按考核单位", summary.by_assessor))
    out.print(_table("已导入的表", summary.by_batch))


@app.command()
def sample(
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """用内置示例县（data/sample）建立工作库。"""
    path = _db(db)
    with _progress() as bar:
        task = bar.add_task("建立示例工作库", total=None)

        def step(name: str, number: int, total: int) -> None:
            bar.update(task, total=total, completed=number, description=f"导入 {name}")

        summary = build_sample_workspace(path, step)
    err.print(f"示例工作库已建立：{path}（{summary.indicators} 条指标）")
    if as_json:
        _emit_json(summary.as_json())


@app.command()
def analyse(
    db: DbOption = None,
    threshold: Annotated[
        float | None,
        typer.Option(help="合并阈值（相似概率，0–1；默认用模型自带阈值）", min=0.0, max=1.0),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """查找相似指标：规范化 → 候选对 → 相似概率 → 聚类（写入工作库）。"""
    path = _existing_db(db)
    with Store.open(path) as store, _progress() as bar:
        task = bar.add_task("分析", total=len(STAGES))

        def step(label: str, number: int, total: int) -> None:
            bar.update(task, completed=number - 1, description=label)

        run = analyse_workspace(store, threshold, step)
    err.print(
        f"分析完成：{run.indicators} 条指标，{run.scored_pairs} 对候选，"
        f"{run.clusters} 组相似指标（{run.merged_indicators} 条可并入代表指标），阈值 {run.threshold:g}",
        highlight=False,
    )
    if as_json:
        _emit_json(run.as_json())


@app.command()
def reduction(
    db: DbOption = None,
    read_only: Annotated[bool, typer.Option("--read-only", help="只读打开")] = False,
    as_json: JsonOption = False,
) -> None:
    """按单位类别输出精减前后指标数与精减率（含分值口径、合并组与托克托参照）。"""
    path = _existing_db(db)
    with Store.open(path, read_only=read_only) as store:
        require_analysis(store)
        payload = reduction_json(store)
        table = reduction_frame(payload)
    out.print(_table("按单位类别的精减情况（条目口径）", table))
    out.print(f"委托考核单位 {payload['entrusted_units']} 个，不计入精减率。")
    if as_json:
        _emit_json(payload)


@app.command()
def report(
    fmt: Annotated[str, typer.Option("--format", help="xlsx / docx / pdf")] = "xlsx",
    out: Annotated[
        Path | None, typer.Option(help="输出文件（默认：当前目录下 减负报告_日期.格式）")
    ] = None,
    db: DbOption = None,
) -> None:
    """生成减负报告：xlsx（明细与精简后目录）、docx（通报）、pdf（含图表）。"""
    written = report_command(_db(db), fmt, out)
    err.print(f"报告已生成：{written}", highlight=False)


@app.command()
def decide(
    target: Annotated[str, typer.Argument(help="指标编号（I…）或相似指标组编号（--cluster 时）")],
    action: Annotated[str, typer.Argument(help="keep / merge / drop / convert / entrust / undo")],
    reason: Annotated[str, typer.Option("--reason", help="决定理由（必填）")],
    cluster: Annotated[bool, typer.Option("--cluster", help="对整个相似指标组作决定")] = False,
    category: Annotated[
        str | None, typer.Option(help="单位类别（组决定必填；指标决定不填则适用于所有类别）")
    ] = None,
    into: Annotated[str | None, typer.Option("--into", help="合并到哪条指标（merge 时）")] = None,
    by: Annotated[str | None, typer.Option("--by", help="决定人")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """记录一条人工决定（只追加，不覆盖；撤销用 undo 并以决定编号为对象）。"""
    path = _db(db)
    with Store.open(path) as store:
        require_analysis(store)
        undo = action == "undo"
        decision = Decision(
            target_kind="cluster" if cluster else "indicator",
            target_id=target,
            action=action,
            reason=reason,
            decided_by=by or default_user(),
            category=category,
            merge_into=into,
            supersedes=target if undo else None,
        )
        decision_id = record_decision(store, decision)
    err.print(f"已记录决定 {decision_id}", highlight=False)
    if as_json:
        _emit_json({"decision_id": decision_id})


@app.command("eval")
def evaluate(
    pairs: Annotated[
        Path | None,
        typer.Option(
            "--pairs",
            help="标注对文件（CSV/TSV 或 Excel）：text_a,text_b,label[,criteria_a,criteria_b]；"
            "label 为 1/0（也认 dup/not_dup、是/否），debatable 的对跳过",
        ),
    ] = None,
    clusters: Annotated[
        Path | None, typer.Option("--clusters", help="聚类标准答案文件：text,gold_cluster")
    ] = None,
    rules: Annotated[
        bool,
        typer.Option("--rules", help="评估精简规则（对照示例县标注 data/sample/gold/rows.csv）"),
    ] = False,
    gold: Annotated[Path | None, typer.Option(help="--rules 用的标注行文件")] = None,
    errors: Annotated[
        int,
        typer.Option("--errors", help="与 --pairs 同用：列出本引擎最有把握却判错的 N 对及其原因"),
    ] = 0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """评估：查重（--pairs/--clusters，本引擎与基线并列）或精简规则（--rules）。"""
    if sum(x is not None and x is not False for x in (pairs, clusters, rules or None)) != 1:
        raise JianfuError("请给出 --pairs、--clusters 或 --rules 之一")
    if pairs is not None:
        eval_pairs_command(pairs, as_json, errors)
    elif clusters is not None:
        eval_clusters_command(clusters, as_json)
    else:
        scores = evaluate_rules(gold, db)
        table = pd.DataFrame(
            [(s.name, s.gold, s.predicted, s.hits, f"{s.precision:.2f}", f"{s.recall:.2f}")
             for s in scores],
            columns=["规则", "标注数", "建议数", "命中", "精确率", "召回率"],
        )  # fmt: skip
        out.print(_table("精简规则对照示例县标注", table))
        if as_json:
            _emit_json({s.name: _rule_json(s) for s in scores})


def _rule_json(score: Any) -> dict[str, float]:
    return {
        "gold": score.gold,
        "predicted": score.predicted,
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
    }


@app.command()
def units(
    db: DbOption = None,
    set_category: Annotated[
        tuple[str, str] | None, typer.Option("--set", help="改单位类别：--set 单位名称 类别")
    ] = None,
    entrust_to: Annotated[
        str | None, typer.Option(help="与 --set 同用：委托给哪个主管单位考核")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """被考核单位及其类别（规则建议 / 名录 / 人工确认）；--set 人工改类别。"""
    path = _db(db)
    with Store.open(path) as store:
        if set_category:
            set_unit_category(store, set_category[0], set_category[1], entrust_to)
            err.print(f"已将“{set_category[0]}”设为 {set_category[1]}", highlight=False)
        frame = store.query_df(
            "SELECT unit_name AS 单位, coalesce(category, '未识别') AS 类别, "
            "coalesce(entrusted_to, '') AS 委托考核, category_source AS 来源 FROM units ORDER BY 2, 1"
        )
    out.print(_table("被考核单位", frame))
    if as_json:
        _emit_json({"units": frame.to_dict("records")})


@app.command()
def fit(
    pairs: Annotated[
        list[Path] | None,
        typer.Option(
            "--pairs", help="标注文件（text_a,text_b,label[,criteria_a,criteria_b]），可多次给出"
        ),
    ] = None,
    weight: Annotated[
        list[float] | None, typer.Option("--weight", help="各标注文件的权重，与 --pairs 一一对应")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="模型文件（默认覆盖内置模型）")] = None,
    cv: Annotated[
        bool, typer.Option("--cv", help="只做交叉验证（5 折 × 3 个随机种子），不保存模型")
    ] = False,
    transfer: Annotated[
        list[Path] | None,
        typer.Option(
            "--transfer", help="交叉验证时只评估、不训练的标注文件（默认：跨县、机构两份）"
        ),
    ] = None,
    by_line: Annotated[
        bool,
        typer.Option(
            "--by-line",
            help="与 --cv 同用：逐条业务线留出真实标注对再拟合，看模型对没见过的条线如何",
        ),
    ] = False,
    errors: Annotated[
        int,
        typer.Option(
            "--errors", help="与 --cv --by-line 同用：每条业务线列出最有把握却判错的 N 对及其原因"
        ),
    ] = 0,
    as_json: Annotated[
        bool, typer.Option("--json", help="交叉验证结果的最后一行输出 JSON")
    ] = False,
) -> None:
    """重新拟合相似度模型（默认：真实开发集 + 团队编写的标注对 + 示例县标注对，见 data/labelled/README.md）。"""
    if pairs:
        weights = weight or [1.0] * len(pairs)
        if len(weights) != len(pairs):
            raise JianfuError("--weight 的个数应与 --pairs 相同")
        files = list(zip(pairs, weights, strict=True))
    else:
        files = list(DEFAULT_TRAINING)
    if by_line and not cv:
        raise JianfuError("--by-line 需与 --cv 同用（只做验证，不保存模型）")
    if errors and not by_line:
        raise JianfuError("--errors 需与 --cv --by-line 同用（评估文件时用 jianfu eval --errors）")
    if errors < 0:
        raise JianfuError("--errors 应为不小于 0 的整数（每条业务线列出判错最有把握的几对）")
    if by_line:
        _validate_by_line(files, as_json, errors)
        return
    if cv:
        _cross_validate(files, list(TRANSFER) if transfer is None else transfer, as_json)
        return
    model = refit(files, out or MODEL_FILE)
    trained = "，".join(f"{name} {n} 对" for name, n in model.trained_on.items())
    err.print(f"模型已保存：{out or MODEL_FILE}（{trained}）", highlight=False)


def _cross_validate(files: list[tuple[Path, float]], transfer: list[Path], as_json: bool) -> None:
    err.print(f"交叉验证：{len(files)} 个训练文件，{len(transfer)} 个只评估的文件……")
    results = cross_validate(files, transfer, progress=lambda name: err.print(f"  已完成 {name}"))
    frame = pd.DataFrame(
        {
            "文件": r.name,
            "训练": "否（只评估）" if r.transfer else "是（留出折）",
            "对数": r.pairs,
            "精确率": round(r.metrics.precision, 3),
            "召回率": round(r.metrics.recall, 3),
            "F1": round(r.metrics.f1, 3),
            "误报率": round(r.metrics.fpr, 3),
            "Brier": round(r.brier, 3),
        }
        for r in results
    )
    out.print(_table(f"交叉验证（阈值 {THRESHOLD:g}）", frame))
    bins = calibration(results)
    reliability = pd.DataFrame(
        {
            "概率区间": f"{b.low:.1f}–{b.high:.1f}",
            "对数": b.pairs,
            "平均概率": round(b.predicted, 3),
            "实际为同一指标的比例": round(b.observed, 3),
        }
        for b in bins
    )
    out.print(_table("概率校准（训练文件留出折合并；两列接近即概率可信）", reliability))
    if as_json:
        _emit_json({"files": [r.as_json() for r in results],
                    "calibration": [b.as_json() for b in bins]})  # fmt: skip


def _validate_by_line(files: list[tuple[Path, float]], as_json: bool, errors: int = 0) -> None:
    err.print("按业务条线留出验证：每条线的真实标注对不参与拟合……")
    per_file, pooled = validate_by_line(
        files, progress=lambda line: err.print(f"  已完成 {line}"), errors=errors
    )
    frame = pd.DataFrame(
        {
            "业务条线": r.line,
            "文件": r.file,
            "对数": r.pairs,
            "同一指标": r.positives,
            "误报": r.metrics.fp,
            "精确率": round(r.metrics.precision, 3),
            "召回率": round(r.metrics.recall, 3),
            "F1": round(r.metrics.f1, 3),
            "误报率": round(r.metrics.fpr, 3),
        }
        for r in [*per_file, *pooled]
    )
    out.print(_table(f"按业务条线留出（阈值 {THRESHOLD:g}）", frame))
    for r in pooled:
        if r.errors is None:
            continue
        title = f"业务条线「{r.line}」留出时最有把握却判错的 {len(r.errors)} 对"
        text = (
            "\n".join(error_lines(title, r.errors, r.expected_logit, THRESHOLD))
            if r.errors
            else f"业务条线「{r.line}」留出时没有判错的对。"
        )
        out.print(text, highlight=False, markup=False)
    if as_json:
        _emit_json({"files": [r.as_json() for r in per_file],
                    "lines": [r.as_json() for r in pooled]})  # fmt: skip


def _run(entry: Callable[[], Any]) -> None:
    try:
        entry()
    except JianfuError as error:
        err.print(f"[red]错误[/]：{error.user_message}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("已中断")
        sys.exit(130)
    except Exception as error:
        if os.environ.get("JIANFU_DEBUG"):
            raise
        err.print(
            f"[red]内部错误[/]：{type(error).__name__}: {error}。"
            "请设置环境变量 JIANFU_DEBUG=1 重试以查看详细信息，并反馈给维护人员。",
            highlight=False,
        )
        sys.exit(2)


# Newer typer runs on a click of its own (typer._click): its usage errors and aborts are not
# click's classes, and without these a mistyped option was reported as an internal error.
USAGE_ERRORS = (click.ClickException, getattr(typer, "TyperException", click.ClickException))
ABORTS = (click.exceptions.Abort, getattr(typer, "Abort", click.exceptions.Abort))


def _invoke() -> None:
    try:
        code = app(standalone_mode=False)
    except ABORTS:
        err.print("已取消")
        sys.exit(1)
    except USAGE_ERRORS as error:
        if hasattr(error, "show"):
            error.show()
        else:
            err.print(str(error), highlight=False)
        sys.exit(getattr(error, "exit_code", 2))
    sys.exit(code if isinstance(code, int) else 0)


def main() -> None:
    _run(_invoke)
