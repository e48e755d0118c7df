"""Narrow exception types; each carries a Chinese message a clerk can act on.

The UI and the command line catch `JianfuError` at the edge and show `user_message`.
"""

from __future__ import annotations

from dataclasses import dataclass


class JianfuError(Exception):
    """Base of every error the library raises on purpose."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, with its coordinates (1-based, as Excel shows them)."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = f"《{self.file}》"
        if self.sheet:
            where += f"工作表“{self.sheet}”"
        if self.row is not None:
            where += f"第{self.row}行"
        if self.column:
            where += f"“{self.column}”列"
        return f"{where}：{self.message}"


class ImportRejected(JianfuError):
    """A file could not be imported; nothing was written. Holds every problem found (capped)."""

    def __init__(self, problems: list[Problem], omitted: int = 0) -> None:
        self.problems = problems
        self.omitted = omitted
        lines = [str(p) for p in problems]
        if omitted:
            lines.append(f"……另有 {omitted} 处问题未列出")
        super().__init__("\n".join(lines))


class WorkspaceError(JianfuError):
    """The workspace database cannot be opened or is in use by another process."""
