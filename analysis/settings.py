"""Named settings: limits, paths and defaults. No bare numbers elsewhere."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DATA = Path(__file__).parent / "data"
WORKSPACE_ENV = "JIANFU_DB"
SAMPLE_ENV = "JIANFU_SAMPLE_DIR"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORKSPACE = Path("data") / "workspace.duckdb"


def default_db_path() -> Path:
    """The workspace file shared by the app and the command line (`$JIANFU_DB` overrides)."""
    return Path(os.environ.get(WORKSPACE_ENV, str(DEFAULT_WORKSPACE)))


def sample_dir() -> Path:
    """The bundled sample county (data/sample in the repository; `$JIANFU_SAMPLE_DIR` overrides)."""
    return Path(os.environ.get(SAMPLE_ENV, str(PROJECT_ROOT / "data" / "sample")))


@dataclass(frozen=True)
class ImportLimits:
    """Guards against oversized or malicious uploads (checked before parsing)."""

    max_file_bytes: int = 512 * 1024 * 1024
    max_sheets: int = 64
    max_rows_per_sheet: int = 2_000_000
    max_columns: int = 200
    max_unzipped_bytes: int = 4 * 1024 * 1024 * 1024
    max_zip_ratio: float = 250.0
    max_cell_chars: int = 32_767  # Excel's own cell limit
    max_problems: int = 50


@dataclass(frozen=True)
class LayoutSettings:
    """How far the importer looks for a header and how it recognises non-indicator rows."""

    header_scan_rows: int = 40
    min_header_fields: int = 2
    max_header_chars: int = 16
    max_name_chars: int = 500
    max_score: float = 1000.0


IMPORT_LIMITS = ImportLimits()
LAYOUT = LayoutSettings()


@dataclass(frozen=True)
class CandidateSettings:
    """Sparse top-k search in character n-gram space (DESIGN §4 step 2)."""

    ngram_range: tuple[int, int] = (2, 3)  # unigrams make the sparse product near-dense at 1M rows
    # neighbours per distinct text (copies of a text no longer take each other's places): 6
    # scores 547,000 pairs at 100k rows with 0.981 synthetic pair recall, 8 scores 697,000
    # with 0.989; the labelled files' recall is the same for 6, 7 and 8
    k: int = 6
    floor: float = 0.3
    # below the floor, a row still keeps its few best neighbours above tail_floor: rewordings
    # (强化宣传教育 / 深化河长制培训、宣传和教育) share few n-grams, and a row with no close
    # neighbour costs only tail_k pairs (on the real development pairs: 31 → 35 of 42 found)
    tail_floor: float = 0.1
    tail_k: int = 3
    # n-grams in more documents than this share (but at least common_min documents) are
    # dropped: they match everything, cost most of the sparse product and rank nothing
    common_share: float = 0.01
    common_min: int = 200
    common_max: int = 3000  # at 1M rows 1 % is 10,000 documents: too dense to search
    # content-key groups up to this size get all their pairs scored; larger ones are chained
    key_group_max: int = 30
    # groups of identical normalised text up to this size get all their pairs scored (the same
    # indicator in every town's list); larger ones are chained
    exact_group_max: int = 60
    # a pair of distinct texts found by a search becomes every pair of their copies up to
    # this many (two indicators each in sixty towns' lists), else one pair per copy
    copies_pair_max: int = 3600
    # word-pair top-k, searched only once common_share of the catalogue exceeds common_max
    # (about 300,000 rows): the cap then prunes the words that tell family members apart
    pair_k: int = 5
    pair_common_max: int = 1000
    chunk_rows: int = 20_000
    threads: int = 2


CANDIDATES = CandidateSettings()
