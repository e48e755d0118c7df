"""What an import produced, before and after it is written (plain data, no behaviour)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .settings import IMPORT_LIMITS, ImportLimits


@dataclass
class ImportOptions:
    """What the caller knows better than the file (all optional)."""

    assessor: str | None = None
    target: str | None = None
    uploaded_by: str | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    source_key: str | None = None  # identity of the upload; defaults to the file name
    limits: ImportLimits = IMPORT_LIMITS


@dataclass
class SheetImport:
    sheet: str
    kind: str  # catalogue | roster
    rows: int
    assessor: str | None
    target: str | None
    target_category: str | None
    header_row: int
    column_map: dict[str, str]
    title: str
    frame: pd.DataFrame
    skipped: dict[str, int]
    extra_labels: list[str] = field(default_factory=list)  # header text of unmapped columns
    header_labels: dict[str, str] = field(default_factory=dict)  # column letter → header text


@dataclass
class FileImport:
    """What happened to one file: imported, replaced or unchanged, and any warnings."""

    file: str
    status: str
    file_format: str = ""
    sheets: list[SheetImport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.sheets if s.kind == "catalogue")
