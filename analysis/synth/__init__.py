"""Synthetic indicator catalogues: the bundled sample county and a scaled benchmark corpus.

`python -m analysis.synth.sample --out data/sample` regenerates the sample county;
`synthetic_indicators(n_rows)` builds a large corpus in memory for benchmarks.
Self-contained: imports nothing else from `analysis`. Names load lazily so that running
`python -m analysis.synth.sample` does not import the module twice.
"""

from __future__ import annotations

__all__ = ["SEED", "generate", "synthetic_indicators"]


def __getattr__(name: str):
    if name in ("SEED", "generate"):
        from analysis.synth import sample

        return getattr(sample, name)
    if name == "synthetic_indicators":
        from analysis.synth.scaled import synthetic_indicators

        return synthetic_indicators
    raise AttributeError(name)
