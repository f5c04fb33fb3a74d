"""Readability figures with textstat, strictly offline.

textstat 0.7.13 looks English words up in the CMU pronouncing dictionary and, the first time,
has nltk *download* it. The service never touches the network, so we point textstat's
dictionary lookup at nothing: syllables then come from pyphen's hyphenation patterns, which
ship inside the pyphen wheel. (Loading the full CMU dictionary would also cost ~60 MB per
worker for a figure we only report.)
"""

from __future__ import annotations

from functools import lru_cache

MAX_CHARS = 20000  # readability of the first ~3,000 words is the article's readability


@lru_cache(maxsize=1)
def _textstat():
    import textstat
    from textstat.backend.counts import _count_syllables

    def no_dictionary(lang: str):  # textstat falls back to pyphen when this is None
        return None

    _count_syllables.get_cmudict = no_dictionary
    textstat.set_lang("en_US")
    return textstat


def readability(text: str) -> dict[str, float | None]:
    """Flesch reading ease and Flesch-Kincaid grade of English text (None when too short)."""
    text = (text or "")[:MAX_CHARS]
    if len(text.split()) < 20:
        return {"flesch_reading_ease": None, "flesch_kincaid_grade": None}
    ts = _textstat()
    return {
        "flesch_reading_ease": round(float(ts.flesch_reading_ease(text)), 1),
        "flesch_kincaid_grade": round(float(ts.flesch_kincaid_grade(text)), 1),
    }
