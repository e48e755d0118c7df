"""data/sample/README.md, written from the specs so that it always matches the files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from analysis.synth.county import CATEGORY_BY_CODE, COUNTY, roster

FORMATS = {
    "xlsx": "xlsx",
    "xls": "BIFF8 .xls (xlwt)",
    "html": "HTML table saved as .xls",
    "csv-gbk": "CSV, GBK",
    "csv-bom": "CSV, UTF-8 with BOM",
}
ROLE_WORDS = {"assessor": "per-row assessor column", "target": "per-row target column"}


def layout_features(spec) -> list[str]:
    """Plain-English list of the layout features a file exercises."""
    out = [FORMATS[spec.fmt]]
    sheets = spec.sheets
    lay = sheets[0].layout
    out += [f"{len(sheets)} catalogue sheets"] if len(sheets) > 1 else []
    out += [f"non-catalogue sheet {name}" for name in spec.extra_sheets]
    out += ["title row"] if sheets[0].title else ["no title: header on row 1"]
    out += ["subtitle row"] if sheets[0].subtitle else []
    out += ["two-row header (" + "/".join(g[0] for g in lay.groups) + ")"] if lay.groups else []
    modes = {
        "merge": "level-1 merged vertically",
        "repeat": "level-1 repeated on every row",
        "first": "level-1 on first row only",
        "section": "section rows (one cell)",
        "section_merged": "section rows merged across",
    }
    if sheets[0].units and "l1" in lay.cols:
        out.append(f"{lay.headers['l1']} column merged vertically (target per row)")
    elif "l1" in lay.cols or "section" in lay.l1_mode:
        out.append(modes[lay.l1_mode])
    out += ["level-2 merged vertically"] if "l2" in lay.cols and lay.l2_mode == "merge" else []
    out += ["小计 rows"] if lay.subtotal else []
    out += ["合计 row"] if lay.total else []
    out += ["blank rows"] if lay.blank_between else []
    out += ["notes after table"] if lay.notes else []
    out += [f"numbering {lay.leaf_num}"] if lay.leaf_num else []
    out += [f"scores as {_score_style(sheets)}"]
    out += [ROLE_WORDS[r] for r in ("assessor", "target") if r in lay.cols]
    out += ["traditional characters (whole file)"] if spec.traditional else []
    out += ["some rows in traditional characters"] if any(0 < s.trad < 1 for s in sheets) else []
    out += ["千分制 (1000 points)"] if any(s.total >= 1000 for s in sheets) else []
    out += ["special/quarterly/routine (convert_annual)"] if any(s.convert for s in sheets) else []
    return [f for f in out if f]


def _score_style(sheets) -> str:
    lay = sheets[0].layout
    if lay.score_unit == "%":
        return "weights 5%"
    text = "numbers" if lay.score_unit == "" else "“5分”"
    text += ", 扣分项/倒扣 labels" if lay.ded_label else ""
    text += ", ranges “2-4分”" if lay.ranges else ""
    return text


def _county_section() -> list[str]:
    units = roster()
    counts = Counter(u.category for u in units)
    towns = "、".join(u.name for u in units if u.code == "T")
    cats = "; ".join(f"{CATEGORY_BY_CODE[c]} {counts[CATEGORY_BY_CODE[c]]}" for c in "TPMLESXH")
    return [
        f"## The county: {COUNTY} (fictional)",
        "",
        f"{len(units)} units ({cats}). Towns and zones: {towns}.",
        "Schools are entrusted to 教育局党委 and hospitals to 卫健委党委 (gold/units.csv).",
        "",
    ]


def _files_section(files, placed) -> list[str]:
    rows = Counter(p.file for p in placed)
    lines = ["## Catalogue files (`catalogues/`)", "", "| file | rows | layout |", "|---|---|---|"]
    for spec in files:
        lines.append(f"| {spec.name} | {rows[spec.name]} | {'; '.join(layout_features(spec))} |")
    return [*lines, "", f"Total: {len(placed)} indicator rows in {len(files)} files.", ""]


def _gold_section(placed, pairs) -> list[str]:
    concepts = Counter(p.row.concept.cid for p in placed)
    assessors: dict[str, set[str]] = {}
    for p in placed:
        assessors.setdefault(p.row.concept.cid, set()).add(p.row.assessor)
    multi = sum(1 for s in assessors.values() if len(s) >= 2)
    positives = sum(1 for p in pairs if p[2] == 1)
    return [
        "## Gold labels (`gold/`)",
        "",
        f"- {len(concepts)} concepts; {multi} are assessed by two or more assessors (多头考核).",
        f"- pairs.csv: {positives} positive and {len(pairs) - positives} hard-negative pairs.",
        "",
    ]


def write_readme(out: Path, files, placed, pairs) -> None:
    """Write README.md: readme_text.HEADER and FOOTER around the generated sections."""
    from analysis.synth.readme_text import FOOTER, HEADER

    lines = [
        HEADER,
        *_county_section(),
        *_files_section(files, placed),
        *_gold_section(placed, pairs),
        FOOTER,
    ]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")
