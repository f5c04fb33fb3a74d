"""Evaluation harness behind `reliability eval`: dataset readers and metrics.

Each evaluation module (clickbait, claims, promotions, pages, articles) exposes
`run(data_dir: pathlib.Path, echo=print) -> dict` and `DATA_FILES` (the paths it reads, relative
to the data folder: `missing_data_files` checks them before a run), prints a human-readable report
through `echo` as it goes (progress on long jobs), and returns the figures as a JSON-able dict.
Datasets are read by path from ../shared/data (never copied into the repo). clickbait, claims,
promotions and articles also take `extra` and `held_out`: more hand-labelled files in their dev sets' formats
(`extra_kind` says which; `labelled_sets` walks them).
"""

from __future__ import annotations

import csv
import importlib
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


def missing_data_files(data_dir: Path, evaluations) -> list[str]:
    """Which of the evaluations' DATA_FILES are not in `data_dir`, as written there ("x/" is a
    folder, "../x" is next to the data folder), so a wrong --data fails in one line up front."""
    missing: list[str] = []
    for name in evaluations:
        for relative in importlib.import_module(f"{__name__}.{name}").DATA_FILES:
            path = Path(os.path.normpath(Path(data_dir) / relative))  # "../x": data_dir.parent / x
            present = path.is_dir() if relative.endswith("/") else path.is_file()
            if not present and relative not in missing:
                missing.append(relative)
    return missing


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
