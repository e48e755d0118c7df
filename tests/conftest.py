"""Shared fixtures: an in-memory workspace, the tiny spreadsheet fixtures, table snapshots."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import Store

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
TABLES = ("import_batches", "indicators", "units")


@pytest.fixture
def store():
    with Store.open() as memory:
        yield memory


@pytest.fixture
def fixture_copy(tmp_path):
    """Copy a fixture into tmp_path so a test may change it."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copy(FIXTURES / name, target)
        return target

    return copy


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order, to compare a database before and after."""
    return {
        table: sorted(map(tuple, store.rows(f"SELECT * FROM {table}")), key=repr)
        for table in TABLES
    }
