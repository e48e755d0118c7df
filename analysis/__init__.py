"""考核减负 analyser — public API. App, notebooks and the command line use only these names."""

from .categories import resolve_target, suggest_category
from .cross_category import cross_category
from .decisions import Decision, decision_log, outcomes, record_decision
from .errors import ImportRejected, JianfuError, Problem, WorkspaceError
from .flags import catalogue_flags, unit_assessor_flags
from .imported import FileImport, ImportOptions
from .ingest import import_file, import_paths
from .parse import parse_file
from .pipeline import AnalysisRun, analyse, require_analysis
from .reduction import (
    by_assessor,
    by_category,
    by_unit,
    multi_assessor_matrix,
    pooled,
    reduction_json,
    shared_topics,
)
from .report import write_report
from .scores import ScoreReading, parse_score
from .settings import default_db_path, sample_dir
from .store import Store
from .summary import WorkspaceSummary, workspace_summary
from .units import set_unit_category
from .workspace import build_sample_workspace, build_workspace

__all__ = [
    "AnalysisRun",
    "Decision",
    "FileImport",
    "ImportOptions",
    "ImportRejected",
    "JianfuError",
    "Problem",
    "ScoreReading",
    "Store",
    "WorkspaceError",
    "WorkspaceSummary",
    "analyse",
    "build_sample_workspace",
    "build_workspace",
    "by_assessor",
    "by_category",
    "by_unit",
    "catalogue_flags",
    "cross_category",
    "decision_log",
    "default_db_path",
    "import_file",
    "import_paths",
    "multi_assessor_matrix",
    "outcomes",
    "parse_file",
    "parse_score",
    "pooled",
    "record_decision",
    "reduction_json",
    "require_analysis",
    "resolve_target",
    "sample_dir",
    "set_unit_category",
    "shared_topics",
    "suggest_category",
    "unit_assessor_flags",
    "workspace_summary",
    "write_report",
]
