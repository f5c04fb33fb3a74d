"""Evaluation harness behind `reliability eval`: dataset readers and metrics.

Each evaluation module (clickbait, claims, promotions, pages) exposes
`run(data_dir: pathlib.Path, echo=print) -> dict`, prints a human-readable report through
`echo` as it goes (progress on long jobs), and returns the figures as a JSON-able dict.
Datasets are read by path from ../shared/data (never copied into the repo).
"""

from __future__ import annotations

import os
from pathlib import Path

EVALUATIONS = ("clickbait", "claims", "promotions", "pages")


def default_data_dir() -> Path:
    """$RELIABILITY_DATA, else ../shared/data relative to the working directory or the repo."""
    env = os.environ.get("RELIABILITY_DATA")
    if env:
        return Path(env)
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        candidate = base.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return Path("../shared/data")
