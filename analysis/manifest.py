"""An import manifest: who assesses whom, per file, for files that do not say it themselves.

A CSV named 导入清单.csv (or manifest.csv) beside the spreadsheets, with the columns
文件名, 考核单位 and optionally 考核对象. What it names wins over guesses from the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import ImportRejected, Problem
from .headers import normalize_header
from .readers import decode_text

MANIFEST_NAMES = ("导入清单.csv", "manifest.csv")
COLUMNS = {"文件名": "file_name", "文件": "file_name", "考核单位": "assessor", "考核对象": "target"}


@dataclass(frozen=True)
class ManifestEntry:
    file_name: str
    assessor: str | None
    target: str | None


def read_manifest(folder: Path) -> list[ManifestEntry]:
    path = next((folder / n for n in MANIFEST_NAMES if (folder / n).is_file()), None)
    if path is None:
        return []
    text, _ = decode_text(path.read_bytes(), path.name)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    fields = {i: COLUMNS.get(normalize_header(h)) for i, h in enumerate(rows[0])}
    if "file_name" not in fields.values():
        raise ImportRejected(
            [
                Problem(
                    path.name, "导入清单缺少“文件名”列（应有：文件名、考核单位、考核对象）", row=1
                )
            ]
        )
    entries = []
    for row in rows[1:]:
        values = {fields[i]: v.strip() for i, v in enumerate(row) if fields.get(i) and v.strip()}
        if values.get("file_name"):
            entries.append(
                ManifestEntry(values["file_name"], values.get("assessor"), values.get("target"))
            )
    return entries
