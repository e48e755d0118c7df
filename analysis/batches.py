"""Write one parsed file into the workspace in a single transaction (see ingest.py)."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from .assessors import canonical_names
from .errors import JianfuError
from .imported import FileImport, ImportOptions, SheetImport
from .layout import extra_columns
from .parse import batch_id_for, column_map_json
from .store import Store
from .units import UnitRecord, register_units, units_named_in

STAGING = "staging_indicators"
STAGING_COLUMNS = (
    "seq", "number", "source_row", "level1", "level2", "name", "criteria", "requirement", "score_value",
    "score_text", "score_kind", "period", "method", "assessor", "target", "target_category",
    "co_units", "note",
)  # fmt: skip

# Ids hash what identifies an indicator to a person (who, whom, headings, name, which repeat),
# not its row, so that decisions survive edits elsewhere in the file.
INSERT_INDICATORS_SQL = """
WITH keyed AS (
    SELECT seq, md5(concat_ws(chr(31), $source_key, $sheet, assessor, target, level1, level2,
                              name)) AS base
    FROM staging_indicators
), numbered AS (
    -- the window sees two narrow columns only; carrying whole rows through it costs seconds
    SELECT seq, base, row_number() OVER (PARTITION BY base ORDER BY seq) AS occurrence
    FROM keyed
)
INSERT INTO indicators
SELECT
    'I' || substr(CASE WHEN n.occurrence = 1 THEN n.base
                       ELSE md5(n.base || CAST(n.occurrence AS VARCHAR)) END, 1, 16),
    $batch_id, s.source_row, s.seq, nullif(s.number, ''),
    nullif(s.level1, ''), nullif(s.level2, ''), s.name, nullif(s.criteria, ''),
    nullif(s.requirement, ''), s.score_value, nullif(s.score_text, ''), s.score_kind,
    nullif(s.period, ''), nullif(s.method, ''), nullif(s.assessor, ''), nullif(s.target, ''),
    s.target_category, nullif(s.co_units, ''), nullif(s.note, ''), {extra}
FROM staging_indicators s JOIN numbered n USING (seq)
"""

INSERT_BATCH_SQL = (
    "INSERT INTO import_batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _uploader(options: ImportOptions) -> str:
    if options.uploaded_by:
        return options.uploaded_by
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _insert_catalogue(
    con: duckdb.DuckDBPyConnection, key: str, sheet: SheetImport, bid: str
) -> None:
    frame = sheet.frame
    extra = extra_columns(frame)
    staging = pa.Table.from_pandas(
        frame[[c for c in STAGING_COLUMNS if c != "seq"] + extra].assign(
            seq=range(1, len(frame) + 1), target_category=frame["target_category"].astype("string")
        ),
        preserve_index=False,
    )
    # extra_<n> are names layout.py gave the sheet's columns, never text from the file.
    cells = f"list_value({', '.join('s.' + c for c in extra)})" if extra else "NULL"
    con.register(STAGING, staging)
    try:
        con.execute(
            INSERT_INDICATORS_SQL.format(extra=cells),
            {"source_key": key, "sheet": sheet.sheet, "batch_id": bid},
        )
    finally:
        con.unregister(STAGING)


def _use_roster_names(con: duckdb.DuckDBPyConnection, sheet: SheetImport) -> None:
    """Write assessors under their roster names (县人社局 → 县人力资源和社会保障局)."""
    roster = [name for (name,) in con.execute("SELECT unit_name FROM units ORDER BY 1").fetchall()]
    names = [n for n in sheet.frame["assessor"].unique() if n]
    mapping = canonical_names(names, roster) if roster else {}
    if mapping:
        sheet.frame["assessor"] = sheet.frame["assessor"].replace(mapping)
        sheet.assessor = mapping.get(sheet.assessor or "", sheet.assessor)


def _named_units(sheet: SheetImport) -> list[UnitRecord]:
    targets = sheet.frame.loc[sheet.frame["target_category"].isna(), "target"].unique()
    names = {name for target in targets if target for name in units_named_in(target)}
    return [UnitRecord(name) for name in sorted(names)]


def _roster_units(sheet: SheetImport) -> list[UnitRecord]:
    return [
        UnitRecord(r.unit_name, r.unit_kind, r.supervisor, r.category)
        for r in sheet.frame.itertuples(index=False)
    ]


def _check_unique_ids(con: duckdb.DuckDBPyConnection) -> None:
    clash = con.execute(
        "SELECT indicator_id FROM indicators GROUP BY indicator_id HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    if clash:
        raise JianfuError(f"指标编号冲突（{clash[0]}），导入已撤销，请反馈给维护人员")


def write_file(
    store: Store, path: Path, sha256: str, result: FileImport, options: ImportOptions
) -> FileImport:
    """Replace this file's batches, or do nothing when the same content is already in."""
    key = options.source_key or path.name
    with store.transaction() as con:
        existing = con.execute(
            "SELECT batch_id, sha256 FROM import_batches WHERE source_key = ? ORDER BY batch_id",
            [key],
        ).fetchall()
        if existing and all(sha == sha256 for _, sha in existing):
            result.status = "unchanged"
            return result
        twin = con.execute(
            "SELECT min(source_key) FROM import_batches WHERE sha256 = ? AND source_key <> ?",
            [sha256, key],
        ).fetchone()
        if twin and twin[0]:
            result.status = "unchanged"
            result.warnings = [f"《{path.name}》与已导入的《{twin[0]}》内容相同，已跳过"]
            return result
        old = [batch for batch, _ in existing]
        con.execute("DELETE FROM indicators WHERE list_contains(?, batch_id)", [old])
        con.execute("DELETE FROM import_batches WHERE list_contains(?, batch_id)", [old])
        _write_sheets(con, key, path, sha256, result, options)
        _check_unique_ids(con)
        result.status = "replaced" if existing else "imported"
    return result


def _write_sheets(
    con: duckdb.DuckDBPyConnection, key: str, path: Path, sha256: str,
    result: FileImport, options: ImportOptions,
) -> None:  # fmt: skip
    uploaded_at, uploader = _now(), _uploader(options)
    for sheet in result.sheets:
        if sheet.kind != "roster":
            _use_roster_names(con, sheet)
        bid = batch_id_for(key, sheet.sheet)
        status = "roster" if sheet.kind == "roster" else "imported"
        con.execute(
            INSERT_BATCH_SQL,
            [bid, key, path.name, sheet.sheet, result.file_format, sha256, uploaded_at, uploader,
             sheet.assessor, sheet.target, sheet.target_category, sheet.title or None,
             sheet.header_row, column_map_json(sheet),
             json.dumps(sheet.header_labels, ensure_ascii=False), sheet.extra_labels,
             sheet.rows, status],
        )  # fmt: skip
        if sheet.kind == "roster":
            register_units(con, _roster_units(sheet), "roster")
        else:
            _insert_catalogue(con, key, sheet, bid)
            register_units(con, _named_units(sheet), "rule")
