"""Topical relatedness of each paragraph to the rest of its article, in linear time.

One pass builds the article's term counts (title counted twice); each paragraph is then
compared with the article *minus itself*: relatedness is the IDF-weighted share of the
paragraph's content terms that also occur elsewhere in the article (0 = shares nothing,
1 = every content word recurs). No all-pairs comparison, no model: a dictionary lookup per
token. The IDF table (data/promotions_idf.json) is built by training/build_promotions_idf.py.

Terms are lower-cased, possessives and plurals folded ("drones" -> "drone", "Russia's" ->
"russia"), and a small gazetteer folds demonyms and capitals onto their country
("Russian", "Moscow", "Kremlin" -> "russia") so a related "Read more" line that says
"Russian" matches an article that says "Russia".
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from .resources import load_json

_CFG = load_json("promotions_relatedness.json")
_STOP = frozenset(_CFG["stopwords"])
_FOLD = dict(_CFG["fold"])
_IDF_TABLE = load_json("promotions_idf.json")
_IDF: dict[str, float] = _IDF_TABLE["idf"]
_IDF_UNKNOWN: float = _IDF_TABLE["unknown"]


def normalise(word: str) -> str:
    """Fold a word token to its term: lower case, no possessive, crude singular, gazetteer."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("'"):
        w = w[:-1]
    folded = _FOLD.get(w)
    if folded:
        return folded
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous")):
        w = w[:-1]
    return _FOLD.get(w, w)


def terms(words: Iterable[str]) -> list[str]:
    """Content terms of a token list (stopwords, numbers and one-letter tokens dropped)."""
    out = []
    for word in words:
        if len(word) < 2 or word[0].isdigit():
            continue
        term = normalise(word)
        if term not in _STOP and len(term) > 1:
            out.append(term)
    return out


def idf(term: str) -> float:
    return _IDF.get(term, _IDF_UNKNOWN)


def relatedness(paragraph_terms: Sequence[Sequence[str]], title_terms: Sequence[str] = ()
                ) -> list[float | None]:
    """For each paragraph's terms, its relatedness (0..1) to the rest of the article.

    None where the paragraph has no content term (nothing to compare).
    """
    counts: Counter[str] = Counter()
    for ts in paragraph_terms:
        counts.update(ts)
    for t in title_terms:
        counts[t] += 2
    out: list[float | None] = []
    for ts in paragraph_terms:
        own = Counter(ts)
        if not own:
            out.append(None)
            continue
        total = shared = 0.0
        for term, n in own.items():
            weight = idf(term)
            total += weight
            if counts[term] - n > 0:
                shared += weight
        out.append(shared / total if total else None)
    return out
