"""Import catalogue spreadsheets into the workspace: one transaction per file.

The same file again changes nothing; a changed file replaces its batches; a bad file changes
nothing and raises ImportRejected naming file, sheet, row and column of every problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from .batches import write_file
from .errors import ImportRejected
from .manifest import MANIFEST_NAMES, read_manifest
from .parse import FileImport, ImportOptions, file_sha256, parse_file, raise_if_any
from .store import Store

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv", ".tsv", ".txt", ".ods", ".htm", ".html"}


def import_file(store: Store, path: Path, options: ImportOptions | None = None) -> FileImport:
    """Parse, check, then write one file in a single transaction."""
    options = options or ImportOptions()
    result, problems = parse_file(path, options)
    raise_if_any(problems, options.limits)
    return write_file(store, path, file_sha256(path), result, options)


def spreadsheet_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and spreadsheets found under directories (sorted, hidden skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SPREADSHEET_SUFFIXES
                and p.name not in MANIFEST_NAMES
                and not any(part.startswith((".", "~$")) for part in p.relative_to(path).parts)
            )  # fmt: skip
        else:
            found.append(path)
    return found


def _per_file_options(paths: Iterable[Path], options: ImportOptions) -> dict[Path, ImportOptions]:
    """A manifest (导入清单.csv) beside the files names assessor and target per file."""
    specific: dict[Path, ImportOptions] = {}
    for folder in {p if p.is_dir() else p.parent for p in paths}:
        for entry in read_manifest(folder):
            target = folder / entry.file_name
            specific[target.resolve()] = replace(
                options,
                assessor=entry.assessor or options.assessor,
                target=entry.target or options.target,
            )
    return specific


def import_paths(
    store: Store,
    paths: Iterable[Path],
    options: ImportOptions | None = None,
    progress: Callable[[Path, int, int], None] | None = None,
) -> tuple[list[FileImport], list[ImportRejected]]:
    """Import each file on its own; a rejected file does not stop the others."""
    options = options or ImportOptions()
    paths = list(paths)
    files = spreadsheet_files(paths)
    specific = _per_file_options(paths, options)
    done, rejected = [], []
    for number, path in enumerate(files, start=1):
        if progress:
            progress(path, number, len(files))
        try:
            done.append(import_file(store, path, specific.get(path.resolve(), options)))
        except ImportRejected as error:
            rejected.append(error)
    return done, rejected
