"""The library imports with its core dependencies only, and never imports the UI."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from conftest import ROOT

BLOCKED = ("streamlit", "pytest", "hypothesis", "playwright", "xlwt", "_pytest")

PROBE = f"""
import importlib, pkgutil, sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {BLOCKED!r}:
            raise ImportError('blocked for this test: ' + name)
        return None

sys.meta_path.insert(0, Block())
import analysis
for module in pkgutil.walk_packages(analysis.__path__, 'analysis.'):
    if module.name.endswith('__main__'):
        continue
    importlib.import_module(module.name)
print('ok', len(analysis.__all__))
"""


def test_library_imports_without_ui_or_test_packages():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")


def test_core_dependencies_have_lower_bounds():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
        assert ">=" in requirement, f"{requirement} needs a lower bound"
    names = {r.split(">=")[0] for r in project["dependencies"]}
    assert {"pandas", "duckdb", "scikit-learn", "rapidfuzz", "streamlit"} <= names


def test_every_docstring_example_in_the_library_holds():
    """A docstring example is documentation a reader trusts: each one is run."""
    import doctest
    import importlib
    import pkgutil

    import analysis

    tried, failed = 0, []
    for module in pkgutil.walk_packages(analysis.__path__, "analysis."):
        if module.name.endswith("__main__"):
            continue
        result = doctest.testmod(importlib.import_module(module.name), report=False)
        tried += result.attempted
        if result.failed:
            failed.append(module.name)
    assert not failed
    assert tried >= 20  # the examples exist (26 when this was written)
