"""Build a workspace database from a folder of catalogues, e.g. the bundled sample county.

The database is built in a temporary file and moved into place only when complete, so an
interrupted first start never leaves a half-built workspace behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .errors import JianfuError
from .imported import ImportOptions
from .ingest import import_paths, spreadsheet_files
from .pipeline import analyse
from .settings import sample_dir
from .store import Store
from .summary import WorkspaceSummary, workspace_summary

ROSTER_NAMES = ("units.csv", "单位名录.xlsx", "单位名录.csv")
SAMPLE_UPLOADER = "示例数据"


def _ordered(folder: Path) -> list[Path]:
    """The unit roster first, so that named targets find their confirmed categories."""
    files = spreadsheet_files([folder])
    rosters = [p for p in files if p.name in ROSTER_NAMES and p.parent == folder]
    return rosters + [p for p in files if p not in rosters and "gold" not in p.parts]


def build_workspace(
    target: Path,
    folder: Path,
    progress: Callable[[str, int, int], None] | None = None,
    analysed: bool = False,
) -> WorkspaceSummary:
    """Import every spreadsheet under `folder` into a new database at `target` (and, with
    `analysed`, run the analysis too) — the file appears only when all of it is done."""
    if not folder.is_dir():
        raise JianfuError(f"找不到数据目录：{folder}")
    files = _ordered(folder)
    if not files:
        raise JianfuError(f"目录 {folder} 中没有可导入的表格文件")
    temporary = target.with_name(target.name + ".building")
    for leftover in (temporary, Path(str(temporary) + ".wal")):
        leftover.unlink(missing_ok=True)
    options = ImportOptions(uploaded_by=SAMPLE_UPLOADER)

    def step(path: Path, number: int, total: int) -> None:
        if progress:
            progress(path.name, number, total)

    with Store.open(temporary) as store:
        _, rejected = import_paths(store, files, options, step)
        if rejected:
            raise JianfuError("示例数据导入失败：\n" + "\n".join(e.user_message for e in rejected))
        if analysed:
            analyse(store, progress=progress)
        store.execute("CHECKPOINT")
        summary = workspace_summary(store)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temporary, target)
    return summary


def build_sample_workspace(
    target: Path,
    progress: Callable[[str, int, int], None] | None = None,
    analysed: bool = False,
) -> WorkspaceSummary:
    return build_workspace(target, sample_dir(), progress, analysed)
