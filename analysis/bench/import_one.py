"""Child process of the import benchmark: import one file into a new database, print figures."""

from __future__ import annotations

import sys
from pathlib import Path

from ..ingest import import_file
from ..store import Store
from .measure import emit, peak_rss_mb, timed


def main(path: str, db: str) -> None:
    Path(db).unlink(missing_ok=True)
    with Store.open(db) as store:
        result, seconds = timed(lambda: import_file(store, Path(path)))
    emit({"rows": result.rows, "seconds": seconds, "peak_rss_mb": peak_rss_mb()})


if __name__ == "__main__":
    main(*sys.argv[1:3])
