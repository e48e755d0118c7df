"""`python -m analysis.bench NAME [options]` — run one benchmark and print its figures."""

from __future__ import annotations

import sys

from . import dedup, importing

BENCHMARKS = {"import": importing.main, "dedup": dedup.main}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in BENCHMARKS:
        print(
            f"用法：python -m analysis.bench {{{'|'.join(BENCHMARKS)}}} [--help]", file=sys.stderr
        )
        return 2
    return BENCHMARKS[argv[0]](argv[1:])


sys.exit(main(sys.argv[1:]))
