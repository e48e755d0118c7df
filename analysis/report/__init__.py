"""Reduction reports: an xlsx workbook, a docx 通报 and a PDF with the before/after chart.

>>> write_report(store, "xlsx", Path("减负报告.xlsx"))  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..errors import JianfuError
from ..store import Store
from .content import ReportContent, assemble

FORMATS = ("xlsx", "docx", "pdf")


def _writer(fmt: str) -> Callable[[ReportContent, Path], None]:
    # Imported on demand: each format pulls in its own heavy library.
    if fmt == "xlsx":
        from .xlsx import write_xlsx

        return write_xlsx
    if fmt == "docx":
        from .docx import write_docx

        return write_docx
    if fmt == "pdf":
        from .pdf import write_pdf

        return write_pdf
    raise JianfuError(f"报告格式应为 {'、'.join(FORMATS)} 之一，而不是“{fmt}”")


def write_report(store: Store, fmt: str, out: Path, *, today: date | None = None) -> Path:
    """Write the report; a reader of `out` never sees a half-written file."""
    writer = _writer(fmt.lower())
    content = assemble(store, today)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Beside the target (so os.replace is atomic), created by the writer itself (so it gets the
    # usual permissions, unlike mkstemp's 0600), keeping the suffix the writers expect.
    temporary = out.with_name(f".{out.stem}.{os.getpid()}.tmp{out.suffix}")
    try:
        writer(content, temporary)
        os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return out


def default_report_name(fmt: str, today: date | None = None) -> str:
    return f"减负报告_{(today or date.today()).isoformat()}.{fmt.lower()}"


def report_command(db: Path, fmt: str, out: Path | None) -> Path:
    """`jianfu report`: open the workspace read-only and write one report."""
    _writer(fmt.lower())  # a wrong format fails before the workspace is opened
    target = out if out is not None else Path.cwd() / default_report_name(fmt)
    with Store.open(db, read_only=True) as store:
        return write_report(store, fmt, target)


__all__ = ["FORMATS", "ReportContent", "default_report_name", "report_command", "write_report"]
