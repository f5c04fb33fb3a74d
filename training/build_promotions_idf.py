"""Build heuristics/data/promotions_idf.json: inverse document frequencies for relatedness.

Corpus: the headlines/posts of ../shared/data/clickbait/chakraborty2016.csv (MIT; rows in its
test split are skipped) and webis17-train.csv: ~45k short English news and lifestyle texts,
each one document. Terms are made exactly as at run time (heuristics.relatedness.terms).
Kept: terms in >= MIN_DF documents; idf = ln((N + 1) / (df + 1)) + 1, rounded to 2 decimals;
unknown terms get the idf of a term seen once (rare words are the most topical).

    python training/build_promotions_idf.py [DATA_DIR]
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import sys
from collections import Counter
from pathlib import Path

from heuristics.document import words
from heuristics.eval import default_data_dir
from heuristics.relatedness import terms

MIN_DF = 3
OUT = Path(__file__).resolve().parents[1] / "heuristics" / "data" / "promotions_idf.json"


def texts(data_dir: Path):
    with open(data_dir / "clickbait" / "chakraborty2016.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            headline = row["headline"]
            if int(hashlib.sha256(headline.encode("utf-8")).hexdigest(), 16) % 5 == 0:
                continue  # test split: never used
            yield headline
    with open(data_dir / "clickbait" / "webis17-train.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            yield row["text"]


def main() -> None:
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else default_data_dir()
    df: Counter[str] = Counter()
    n = 0
    for text in texts(data_dir):
        n += 1
        df.update(set(terms(words(text))))
    idf = {t: round(math.log((n + 1) / (c + 1)) + 1, 2)
           for t, c in sorted(df.items()) if c >= MIN_DF}
    table = {
        "_doc": ("IDF of content terms for heuristics/relatedness.py, built by "
                 "training/build_promotions_idf.py from %d short texts (Chakraborty 2016 "
                 "headlines outside its test split + Webis-Clickbait-17 train posts); terms with "
                 "df >= %d; idf = ln((N+1)/(df+1)) + 1; 'unknown' is used for unseen terms."
                 % (n, MIN_DF)),
        "documents": n,
        "unknown": round(math.log((n + 1) / 2) + 1, 2),
        "idf": idf,
    }
    OUT.write_text(json.dumps(table, separators=(",", ":"), ensure_ascii=False) + "\n",
                   encoding="utf-8")
    print(f"{len(idf)} terms from {n} documents -> {OUT}")


if __name__ == "__main__":
    main()
