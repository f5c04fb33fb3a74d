"""Is this text English? A function-word share, cheap and offline.

The signals' word lists are English; other languages get an `unrated` badge until they have
their own lists. The page's <html lang> is a hint, but the text decides (many pages lie).
"""

from __future__ import annotations

from .document import words
from .resources import load_json

_CFG = load_json("language.json")
_FUNCTION_WORDS = frozenset(_CFG["english_function_words"])


def english_share(text: str, sample_words: int = 2000) -> tuple[float, int]:
    tokens = [w.lower() for w in words(text[: sample_words * 8])][:sample_words]
    if not tokens:
        return 0.0, 0
    return sum(1 for t in tokens if t in _FUNCTION_WORDS) / len(tokens), len(tokens)


def detect_language(text: str, html_lang: str | None = None) -> str | None:
    """'en' when the text reads as English; the page's declared language (or None) otherwise."""
    share, n = english_share(text)
    if n >= _CFG["min_words"] and share >= _CFG["min_share"]:
        return "en"
    declared = (html_lang or "").split("-")[0].lower() or None
    if n < _CFG["min_words"]:
        return declared
    return declared if declared and declared != "en" else "und"
