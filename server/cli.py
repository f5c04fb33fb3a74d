"""The `reliability` console script: the analysis commands plus the service's own."""

from __future__ import annotations

from heuristics.cli import cli


def main() -> None:
    cli(prog_name="reliability")
