"""`python -m analysis …` is the same as the `jianfu` command."""

from .cli import main

main()
