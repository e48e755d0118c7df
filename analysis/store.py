"""The only owner of the DuckDB connection: every SQL statement runs through here.

Values are always bound parameters; identifiers come from constants in this package.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from .errors import WorkspaceError
from .schema import SCHEMA_VERSION, TABLES, VIEWS

MEMORY = ":memory:"
# Positional (?) or named ($name) bound values.
Params = Sequence[Any] | Mapping[str, Any] | None


class CsvUnreadable(Exception):
    """DuckDB's fast CSV reader gave up; the caller falls back to Python's csv module."""


def read_csv_table(path: Path, delimiter: str) -> pa.Table:
    """All cells of a UTF-8 CSV as text columns, short rows padded, in file order."""
    scratch = duckdb.connect()
    try:
        scratch.execute("SET enable_progress_bar = false")
        return scratch.sql(
            "SELECT trim(COLUMNS(*)) FROM read_csv($path, header = false, all_varchar = true, "
            "null_padding = true, delim = $delim, quote = '\"', escape = '\"', "
            "sample_size = -1)",
            params={"path": str(path), "delim": delimiter},
        ).to_arrow_table()
    except duckdb.Error as exc:
        raise CsvUnreadable(str(exc)) from exc
    finally:
        scratch.close()


class Store:
    """A workspace database. One per process; writes are serialised by a lock.

    >>> store = Store.open(MEMORY)
    >>> store.scalar("SELECT count(*) FROM indicators")
    0
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> None:
        self._con = con
        self.path = path
        self.read_only = read_only
        self._write_lock = threading.RLock()

    @classmethod
    def open(cls, path: str | Path = MEMORY, *, read_only: bool = False) -> Store:
        target = str(path)
        if target != MEMORY:
            file = Path(target)
            if read_only and not file.exists():
                raise WorkspaceError(f"工作库文件不存在：{file}")
            file.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(target, read_only=read_only)
        except duckdb.IOException as exc:
            raise WorkspaceError(
                f"无法打开工作库 {target}：文件可能正被另一个程序（如已启动的网页端）占用，"
                f"请关闭后重试，或使用 --read-only 只读打开。（{exc}）"
            ) from exc
        con.execute("SET enable_progress_bar = false")
        store = cls(con, target, read_only)
        if not read_only:
            store.ensure_schema()
        return store

    def ensure_schema(self) -> None:
        with self.transaction():
            for ddl in (*TABLES.values(), *VIEWS.values()):
                self._con.execute(ddl)
            self._con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one reader thread (e.g. one Streamlit session)."""
        return self._con.cursor()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Everything inside commits together or not at all."""
        with self._write_lock:
            self._con.execute("BEGIN TRANSACTION")
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")

    def execute(self, sql: str, params: Params = None) -> None:
        with self._write_lock:
            self._con.execute(sql, params or [])

    def query_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def rows(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def scalar(self, sql: str, params: Params = None) -> Any:
        found = self.rows(sql, params)
        return found[0][0] if found else None
