"""training/check_overlap.py: new training rows close to an evaluation row are dropped, whole pairs."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "training" / "check_overlap.py"
HEADER = ["pair_id", "headline", "label", "style"]


def write(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


@pytest.fixture()
def layout(tmp_path):
    write(tmp_path / "data" / "clickbait" / "news-pairs-dev.csv",
          [["D1", "Explosion at Louisiana chemical plant injures two workers", "0", "sober"]])
    write(tmp_path / "eval" / "clickbait-blind-9.csv",
          [["P1", "Met Office issues amber heat warning for Kent from Tuesday", "0", "sober"]])
    write(tmp_path / "train.csv", [["A1", "Lisbon bans cruise ships from the old port", "0", "sober"]])
    return tmp_path


def run(layout: Path, new: Path) -> tuple[subprocess.CompletedProcess, list[dict[str, str]]]:
    out = layout / "out.csv"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(new), "--out", str(out), "--data", str(layout / "data"),
         "--eval-dir", str(layout / "eval"), "--train", str(layout / "train.csv")],
        capture_output=True, text=True, check=False)
    rows = list(csv.DictReader(out.open(encoding="utf-8"))) if out.exists() else []
    return done, rows


def test_close_rows_drop_their_whole_pair_and_nothing_else(layout):
    new = write(layout / "new.csv", [
        ["H1", "Explosion at Texas chemical plant injures two workers", "0", "sober"],  # close to dev
        ["H1", "You won't believe what blew up in Texas", "1", "teaser"],
        ["H2", "Met Office issues amber heat warning for Essex from Tuesday", "0", "sober"],  # close to a blind set
        ["H3", "Lisbon bans cruise ships from the old port", "0", "sober"],  # repeats a training row
        ["H4", "Oslo council approves 30 km/h limit on city-centre streets", "0", "sober"],
        ["H4", "This city just slowed every driver down", "1", "forward_reference"],
    ])
    done, rows = run(layout, new)
    assert done.returncode == 0, done.stderr
    assert [r["pair_id"] for r in rows] == ["H4", "H4"]
    assert "dropped H1: ratio" in done.stdout and "dropped H2: ratio" in done.stdout
    assert "dropped H3: repeats a training row" in done.stdout
    assert "Louisiana" not in done.stdout + done.stderr, "an evaluation row is never printed"


def test_malformed_rows_stop_before_anything_is_written(layout):
    new = write(layout / "new.csv", [["H1", "A headline", "maybe", "sober"]])
    done, rows = run(layout, new)
    assert done.returncode == 2
    assert "malformed" in done.stderr
    assert rows == []
