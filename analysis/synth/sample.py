"""Generate the bundled sample county: `python -m analysis.synth.sample --out data/sample`.

Everything is derived from SEED; running twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from analysis.synth import (
    catalogues,
    catalogues_lines,
    catalogues_more,
    topics_dept,
    topics_economy,
    topics_entrusted,
    topics_extra,
    topics_lines,
    topics_more,
    topics_party,
    topics_safety,
    topics_society,
)
from analysis.synth.build import build_rows
from analysis.synth.catalogues import FileSpec
from analysis.synth.concepts import Concept, parse_blocks
from analysis.synth.county import roster
from analysis.synth.gold import Placed, all_pairs, cluster_rows
from analysis.synth.grid import Grid, build_grid
from analysis.synth.layouts import write_csv, write_html, write_xls, write_xlsx
from analysis.synth.projects import project_concepts, project_file
from analysis.synth.readme import write_readme
from analysis.synth.scoring import assign_scores
from analysis.synth.wording import traditional

SEED = 20240101
TOPICS = (
    topics_party,
    topics_economy,
    topics_safety,
    topics_society,
    topics_dept,
    topics_lines,
    topics_more,
    topics_extra,
    topics_entrusted,
)


def all_concepts() -> list[Concept]:
    """Topic concepts (C…), each department's own 职能目标 tasks (F…) and key projects (P…).

    A task written `任务=概念措辞` measures the same work as the topic concept worded that way
    (the department's own target and the towns' indicator), so it keeps that concept's id.
    """
    concepts = parse_blocks([b for module in TOPICS for b in module.BLOCKS])
    by_form = {f: c for c in concepts for f in c.forms}
    tasks = []
    for unit in (u for u in roster() if u.tasks):
        for task in unit.tasks:
            text, _, alias = task.partition("=")
            same = by_form[alias] if alias else by_form.get(text)
            cid = same.cid if same else f"F{len(tasks) + 1:04d}"
            tags = list(same.tags) if same else (["outcome"] if text.endswith("率") else [])
            tasks.append(
                Concept(
                    cid,
                    "职能目标",
                    "",
                    [text],
                    text,
                    10,
                    "完",
                    tags,
                    ["职能"],
                    unit.code,
                    unit=unit.name,
                )
            )
    return concepts + tasks + project_concepts()


def all_files() -> list[FileSpec]:
    """Every catalogue file of the sample county, in a fixed order."""
    lines = catalogues_lines
    return (
        catalogues.annual_files()
        + lines.safety_and_ecology()
        + lines.governance()
        + lines.economy_and_livelihood()
        + lines.special_and_entrusted()
        + catalogues_more.small_lines()
        + catalogues_more.routine_checks()
        + catalogues_more.breakdowns()
        + [project_file()]
    )


def _traditional_grid(grid: Grid, name_col: int, crit_col: int | None) -> None:
    for row in grid.cells:
        for c, value in enumerate(row):
            if isinstance(value, str):
                row[c] = traditional(value)
    for r, ind in grid.indicators.items():
        ind.name = grid.cells[r][name_col]
        if crit_col is not None:
            ind.criteria = grid.cells[r][crit_col]


def build_file(spec: FileSpec, concepts: list[Concept], seed: int) -> list[tuple[str, Grid]]:
    """Grids of one file's catalogue sheets."""
    out = []
    for sheet in spec.sheets:
        rng = random.Random(f"{seed}:{spec.name}:{sheet.sheet}")
        rows = build_rows(concepts, sheet, rng)
        assign_scores(rows, sheet.total, sheet.layout, rng)
        grid = build_grid(rows, sheet.layout, sheet.title, sheet.subtitle, sheet.total)
        if spec.traditional:
            cols = sheet.layout.cols
            crit = cols.index("crit") if "crit" in cols else None
            _traditional_grid(grid, cols.index("name"), crit)
        out.append((sheet.sheet, grid))
    return out


def write_file(spec: FileSpec, grids: list[tuple[str, Grid]], folder: Path) -> None:
    """Write one file in its format."""
    path = folder / spec.name
    roles = [s.layout.cols for s in spec.sheets]
    sheets = [(name, grid, r) for (name, grid), r in zip(grids, roles, strict=True)]
    if spec.fmt == "xlsx":
        write_xlsx(path, sheets, spec.extra_sheets)
    elif spec.fmt == "xls":
        write_xls(path, sheets)
    elif spec.fmt == "html":
        write_html(path, grids[0][0], grids[0][1])
    else:
        write_csv(path, grids[0][1], "gbk" if spec.fmt == "csv-gbk" else "utf-8-sig")


def _write_table(path: Path, header: list[str], rows, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


# The clerk's import list (导入清单.csv) for the file that names no assessor anywhere, as an
# organisation department records who sent what when collecting catalogues.
MANIFEST = [("群团部门综合考核指标2024.xls", "县委组织部", "群团部门")]


def write_manifest(folder: Path) -> None:
    _write_table(folder / "导入清单.csv", ["文件名", "考核单位", "考核对象"], MANIFEST, "utf-8-sig")


def write_units(out: Path) -> None:
    """units.csv (roster, no category) and gold/units.csv (category, entrusted_to)."""
    units = roster()
    _write_table(
        out / "units.csv",
        ["单位名称", "单位性质", "主管部门"],
        [(u.name, u.nature, u.supervisor) for u in units],
        encoding="utf-8-sig",
    )
    _write_table(
        out / "gold" / "units.csv",
        ["unit_name", "category", "entrusted_to"],
        [(u.name, u.category, u.entrusted_to) for u in units],
    )


def generate(out: Path, seed: int = SEED) -> list[Placed]:
    """Write every file, the rosters and the gold labels under `out`; return the placed rows."""
    folder = out / "catalogues"
    folder.mkdir(parents=True, exist_ok=True)
    concepts = all_concepts()
    placed: list[Placed] = []
    files = all_files()
    for spec in files:
        grids = build_file(spec, concepts, seed)
        write_file(spec, grids, folder)
        no_sheets = spec.fmt in ("csv-gbk", "csv-bom", "html")
        for name, grid in grids:
            for r, row in sorted(grid.indicators.items()):
                placed.append(Placed(spec.name, "" if no_sheets else name, r + 1, row))
    write_units(out)
    write_manifest(folder)
    records = [p.record() for p in placed]
    _write_table(out / "gold" / "rows.csv", list(records[0]), [list(r.values()) for r in records])
    pairs = all_pairs(placed, random.Random(f"{seed}:pairs"))
    _write_table(
        out / "gold" / "pairs.csv", ["text_a", "text_b", "label", "criteria_a", "criteria_b"], pairs
    )
    _write_table(out / "gold" / "clusters.csv", ["text", "gold_cluster"], cluster_rows(placed))
    write_readme(out, files, placed, pairs)
    return placed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="生成示例县（青禾县）考核指标目录与标注")
    parser.add_argument("--out", type=Path, default=Path("data/sample"))
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    placed = generate(args.out, args.seed)
    print(f"{len(placed)} indicator rows written under {args.out}")


if __name__ == "__main__":
    main()
