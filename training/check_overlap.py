"""Drop new training headlines that are close to an evaluation row, before they join the training data.

    python training/check_overlap.py NEW.csv [NEW2.csv ...] --out FILTERED.csv [--data ../shared/data]

Reads new rows in the news-pairs format (`pair_id,headline,label,style`) and compares each headline
with every row of news-pairs-dev.csv and eval-data/clickbait-blind-*.csv (difflib ratio, lower-cased)
and with the existing training rows. A pair id with any row at ratio >= --threshold (0.8) is dropped
whole, so no half-pair is left behind; an exact repeat of a training row is dropped too.
It prints only the *new* rows' ids and text, never an evaluation row: the held-out sets stay unread.
"""

from __future__ import annotations

import argparse
import csv
import sys
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ["pair_id", "headline", "label", "style"]


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def close_ratio(text: str, others: list[str], threshold: float) -> float:
    """difflib ratio of text to the first of others at or above threshold, else 0 (cheap bounds first)."""
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(text)
    for other in others:
        matcher.set_seq1(other)
        if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
            ratio = matcher.ratio()
            if ratio >= threshold:
                return ratio
    return 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("new", type=Path, nargs="+")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--eval-dir", type=Path, default=ROOT / "eval-data", help="holds the clickbait-blind-*.csv sets")
    ap.add_argument("--train", type=Path, default=ROOT / "training" / "data" / "news-pairs-train.csv")
    ap.add_argument("--threshold", type=float, default=0.8)
    args = ap.parse_args(argv)

    eval_paths = [args.data / "clickbait" / "news-pairs-dev.csv", *sorted(args.eval_dir.glob("clickbait-blind-*.csv"))]
    evaluation = [r["headline"].lower() for p in eval_paths for r in read_rows(p)]
    training = {r["headline"].lower() for r in read_rows(args.train)}

    rows = [r for p in args.new for r in read_rows(p)]
    bad_rows = [r for r in rows if set(FIELDS) - set(r) or r["label"] not in {"0", "1"} or not r["headline"].strip()]
    if bad_rows:
        print(f"{len(bad_rows)} malformed rows, e.g. {bad_rows[0]}", file=sys.stderr)
        return 2
    dropped: dict[str, str] = {}
    seen: set[str] = set()
    for i, row in enumerate(rows, 1):
        text = row["headline"].lower()
        if text in training or text in seen:
            dropped.setdefault(row["pair_id"], f"repeats a training row: {row['headline']}")
        else:
            ratio = close_ratio(text, evaluation, args.threshold)
            if ratio:
                dropped.setdefault(row["pair_id"], f"ratio {ratio:.2f} to an evaluation row: {row['headline']}")
        seen.add(text)
        if i % 200 == 0:
            print(f"  {i}/{len(rows)} checked", file=sys.stderr)
    kept = [r for r in rows if r["pair_id"] not in dropped]
    with args.out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(kept)
    for pair_id, why in sorted(dropped.items()):
        print(f"dropped {pair_id}: {why}")
    print(f"{len(kept)} of {len(rows)} rows kept ({len(dropped)} pair ids dropped) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
