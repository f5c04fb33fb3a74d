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
from functools import lru_cache
from typing import Iterable, Sequence

from .resources import load_json

_CFG = load_json("promotions_relatedness.json")
_STOP = frozenset(_CFG["stopwords"])
_FOLD = dict(_CFG["fold"])
_FOLD_UPPER = dict(_CFG["fold_upper"])


@lru_cache(maxsize=1 << 16)
def normalise(word: str) -> str:
    """Fold a word token to its term: lower case, no possessive, crude singular, gazetteer."""
    if word in _FOLD_UPPER:
        return _FOLD_UPPER[word]
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


@lru_cache(maxsize=1)
def _idf_table() -> tuple[dict[str, float], float]:
    table = load_json("promotions_idf.json")
    return table["idf"], table["unknown"]


def idf(term: str) -> float:
    table, unknown = _idf_table()
    return table.get(term, unknown)


def relatedness(paragraph_terms: Sequence[Sequence[str]], title_terms: Sequence[str] = (),
                full_at: int = 2, key_share: float = 0.3, key_weight: float = 0.8,
                key_min_count: int = 3, key_ref_terms: int = 8) -> list[float | None]:
    """For each paragraph's terms, its relatedness (0..1) to the rest of the article.

    Two views, the larger wins:
    - coverage: the IDF-weighted share of the paragraph's terms found in the rest of the
      article, a term counting in proportion to its occurrences there, fully from `full_at`
      (one chance occurrence in a long page is weak evidence);
    - key term: whether the paragraph names one of the article's own key terms (by count x
      IDF in the rest of the article, relative to the article's top term; full at `key_share`
      of it, and only from `key_min_count` occurrences), times `key_weight`, and scaled down
      for paragraphs of more than `key_ref_terms` distinct terms (one key word in a long
      paragraph is likelier to be chance). A related headline ("Read more: Finland and Sweden hold
      NATO exercise") is mostly new words but names the story's key terms.
    None where the paragraph has no content term (nothing to compare).
    """
    table, unknown = _idf_table()
    counts: Counter[str] = Counter()
    for ts in paragraph_terms:
        counts.update(ts)
    for t in title_terms:
        counts[t] += 2
    top = max((c * table.get(t, unknown) for t, c in counts.items()), default=0.0)
    key_full = max(1e-9, top * key_share)
    out: list[float | None] = []
    for ts in paragraph_terms:
        own = Counter(ts)
        if not own:
            out.append(None)
            continue
        total = shared = key = 0.0
        for term, n in own.items():
            weight = table.get(term, unknown)
            total += weight
            rest = counts[term] - n
            if rest > 0:
                shared += weight * min(1.0, rest / full_at)
                if rest >= key_min_count:
                    key = max(key, min(1.0, rest * weight / key_full))
        key *= min(1.0, key_ref_terms / len(own))
        out.append(max(shared / total, key_weight * key) if total else None)
    return out
