"""Shared data loading and metrics for the clickbait student pipeline (training only; seeded).

The Webis-17 train split is the one training/train_clickbait.py uses for its calibration: the rows
of clickbait/webis17-train.csv shuffled with random.Random(17), the first round(0.85 n) for training,
the last 15% held out. The teacher, the distillation and the student never train on the hold-out
(it selects the student's epoch), so the shipped combination can be calibrated on it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SEED = 17
WORK = Path("/tmp/clickbait_student")  # default scratch folder for checkpoints and tables

_CURLY = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
          "\u2026": "...", "\u00a0": " "}


def clean(text: str) -> str:
    """As the Webis-17 train text: ASCII only, @mentions/#hashtags deleted, whitespace collapsed."""
    for k, v in _CURLY.items():
        text = text.replace(k, v)
    text = text.encode("ascii", "ignore").decode()
    text = re.sub(r"[@#]\w+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def add_common_args(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data",
                    help="the shared data folder (read by path, never copied)")
    ap.add_argument("--work", type=Path, default=WORK, help="scratch folder for checkpoints and tables")


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def webis_split(data: Path):
    """((texts, labels, truthMean) train, (...) hold-out): the split of train_clickbait.py."""
    rows = read(data / "clickbait" / "webis17-train.csv")
    order = list(range(len(rows)))
    random.Random(SEED).shuffle(order)
    cut = int(round(0.85 * len(order)))

    def cols(idx):
        rs = [rows[i] for i in idx]
        return ([r["text"] for r in rs], np.array([int(r["label"]) for r in rs]),
                np.array([float(r["truthMean"]) for r in rs]))

    return cols(order[:cut]), cols(order[cut:])


def chakraborty_is_test(headline: str) -> bool:
    # the data README's split rule, as heuristics/eval/clickbait.py has it: this venv need not
    # hold the analyzer's dependencies, so the package is not imported here
    return int(hashlib.sha256(headline.encode("utf-8")).hexdigest(), 16) % 5 == 0


def chakraborty_train(data: Path) -> list[str]:
    """Chakraborty 2016 headlines outside its test split (their labels are not used: the teacher scores them)."""
    return [r["headline"] for r in read(data / "clickbait" / "chakraborty2016.csv")
            if not chakraborty_is_test(r["headline"])]


def news_pairs(data: Path) -> tuple[list[str], np.ndarray]:
    rows = read(data / "clickbait" / "news-pairs-dev.csv")
    return [r["headline"] for r in rows], np.array([int(r["label"]) for r in rows])


NEWS_PAIRS = ROOT / "training" / "data" / "news-pairs-train.csv"


def news_train(path: Path = NEWS_PAIRS) -> tuple[list[str], np.ndarray]:
    """The project's own news pairs (training/data) minus the 20% of pairs train_clickbait.py
    validates on (the same rule: sorted pair ids, random.Random(SEED + 2).shuffle, first fifth)."""
    rows = read(path)
    pair_ids = sorted({r["pair_id"] for r in rows})
    random.Random(SEED + 2).shuffle(pair_ids)
    held = set(pair_ids[:len(pair_ids) // 5])
    rows = [r for r in rows if r["pair_id"] not in held]
    return [r["headline"] for r in rows], np.array([int(r["label"]) for r in rows])


def f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    return 2 * tp / max(1, 2 * tp + fp + fn)


def wordpiece():
    """heuristics/wordpiece.py, loaded by path (the training venv need not hold the analyzer's deps)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("wordpiece", ROOT / "heuristics" / "wordpiece.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_everything() -> None:
    import torch

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
