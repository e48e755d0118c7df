"""考核减负 analyser — public API. App, notebooks and the command line use only these names."""

from .categories import resolve_target, suggest_category
from .errors import ImportRejected, JianfuError, Problem, WorkspaceError
from .imported import FileImport, ImportOptions
from .ingest import import_file, import_paths
from .parse import parse_file
from .scores import ScoreReading, parse_score
from .settings import default_db_path, sample_dir
from .store import Store
from .summary import WorkspaceSummary, workspace_summary
from .workspace import build_sample_workspace, build_workspace

__all__ = [
    "FileImport",
    "ImportOptions",
    "ImportRejected",
    "JianfuError",
    "Problem",
    "ScoreReading",
    "Store",
    "WorkspaceError",
    "WorkspaceSummary",
    "build_sample_workspace",
    "build_workspace",
    "default_db_path",
    "import_file",
    "import_paths",
    "parse_file",
    "parse_score",
    "resolve_target",
    "sample_dir",
    "suggest_category",
    "workspace_summary",
]
