"""Evaluation harness behind `reliability eval`: dataset readers and metrics.

Each evaluation module (clickbait, claims, promotions, pages, articles) exposes
`run(data_dir: pathlib.Path, echo=print) -> dict`, prints a human-readable report through
`echo` as it goes (progress on long jobs), and returns the figures as a JSON-able dict.
Datasets are read by path from ../shared/data (never copied into the repo). clickbait, claims,
promotions and articles also take `extra` and `held_out`: more hand-labelled files in their dev sets' formats
(`extra_kind` says which; `labelled_sets` walks them).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

EVALUATIONS = ("clickbait", "claims", "promotions", "pages", "articles")
# the column that tells an extra file's format, first match wins: whole articles (body), news-pairs
# (headline), sentences (sentence) or promotion snippets (text)
EXTRA_FORMATS = {"body": "articles", "headline": "clickbait", "sentence": "claims", "text": "promotions"}


class LabelledSetError(ValueError):
    """A labelled file that cannot be read as its kind of set: names the file, the row and what is
    wrong (the CLI shows it as an error, not a traceback)."""


def extra_kind(path: Path) -> str | None:
    """The evaluation an extra labelled CSV belongs to, by its header; None if unknown."""
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh), [])
    if "label" not in header:
        return None
    return next((name for column, name in EXTRA_FORMATS.items() if column in header), None)


def labelled_sets(extra=(), held_out=()):
    """(result key, path, heading, show_errors) for each --extra (dev) and --held-out set: a
    held-out set reports figures only, never its misclassified rows."""
    for path in extra:
        yield f"extra:{Path(path).name}", Path(path), "extra set", True
    for path in held_out:
        yield f"held_out:{Path(path).name}", Path(path), "held out: figures only", False


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
