"""Readability figures with textstat, strictly offline.

textstat 0.7.13 looks English words up in the CMU pronouncing dictionary and, the first time,
has nltk *download* it. The service never touches the network, so we point textstat's
dictionary lookup at nothing: syllables then come from pyphen's hyphenation patterns, which
ship inside the pyphen wheel. (Loading the full CMU dictionary would also cost ~60 MB per
worker for a figure we only report.)

textstat imports nltk at module level only for that lookup; importing nltk costs ~110 MB
and ~1.7 s per worker (it pulls in scipy and scikit-learn when installed). Since the lookup
is replaced, textstat is imported with a stand-in for nltk, which is then taken out of
sys.modules again so anything else that wants the real nltk still gets it.
"""

from __future__ import annotations

import sys
import types
from functools import lru_cache

MAX_CHARS = 20000  # readability of the first ~3,000 words is the article's readability


class _NltkStandIn(types.ModuleType):
    def __getattr__(self, name):
        raise RuntimeError("heuristics.readability never uses nltk (textstat's CMU lookup is off)")


@lru_cache(maxsize=1)
def _textstat():
    stand_in = None
    if "nltk" not in sys.modules:
        stand_in = sys.modules["nltk"] = _NltkStandIn("nltk")
    try:
        import textstat
        from textstat.backend.counts import _count_syllables
    finally:
        if stand_in is not None and sys.modules.get("nltk") is stand_in:
            del sys.modules["nltk"]

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
