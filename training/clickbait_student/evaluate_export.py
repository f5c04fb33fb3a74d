"""Step 4: score an exported student npz through the shipped runtime (heuristics.clickbait: pure
Python WordPiece + numpy), in the project venv (no torch): Webis hold-out MSE / F1 at 0.5, news-pairs
accuracy at 0.5, and the median time per headline. The Webis-17 test subset is not read here
(`reliability eval clickbait` reports it once the npz is shipped).

    python training/clickbait_student/evaluate_export.py heuristics/data/clickbait_student.npz
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

import common as c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("npz", type=Path)
    ap.add_argument("--data", type=Path, default=c.ROOT.parent / "shared" / "data")
    args = ap.parse_args()

    from heuristics import clickbait

    with np.load(args.npz, allow_pickle=False) as arrays:  # plain arrays only
        clickbait._STUDENT[:] = [clickbait._Student({k: arrays[k] for k in arrays.files})]
    _, (Xh, yh, mh) = c.webis_split(args.data)
    s = np.array([clickbait.student_probability(x) or 0.0 for x in Xh])
    heads, labels = c.news_pairs(args.data)
    ps = np.array([clickbait.student_probability(h) or 0.0 for h in heads])
    times = []
    for x in Xh[:1000]:
        t0 = time.perf_counter()
        clickbait.student_probability(x)
        times.append(time.perf_counter() - t0)
    print(f"{args.npz} ({args.npz.stat().st_size / 1e6:.2f} MB): Webis hold-out MSE {float(((s - mh) ** 2).mean()):.4f} "
          f"F1@.5 {c.f1(yh, (s >= .5).astype(int)):.3f}; news-pairs-dev acc@.5 {float(((ps >= .5) == labels).mean()):.3f}; "
          f"median {np.median(times) * 1e3:.3f} ms per headline")


if __name__ == "__main__":
    main()
