"""Is this English prose? Function-word shares and scripts, cheap and offline.

The signals' word lists are English; other languages get an `unrated` badge until they have
their own lists, and the reader is told which language we saw. The page's <html lang> is a hint,
but the text decides (many pages lie). Everything tunable is in data/language.json.
"""

from __future__ import annotations

import re
from collections import Counter

from .document import words
from .resources import load_json

_CFG = load_json("language.json")
_ENGLISH = frozenset(_CFG["english_function_words"])
_OTHERS = {code: frozenset(ws) for code, ws in _CFG["function_words"].items()}
_LETTER_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE_CHARS = 16_000
_NO_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})  # BCP 47 codes that name no language

# Unicode blocks of the scripts we tell apart (Unicode facts, not tuning). Latin includes
# Vietnamese's Latin Extended Additional; Kana is hiragana and katakana (Japanese mixes in Han).
_SCRIPT_RANGES = (
    ("Latn", 0x0041, 0x024F), ("Latn", 0x1E00, 0x1EFF), ("Grek", 0x0370, 0x03FF),
    ("Cyrl", 0x0400, 0x052F), ("Armn", 0x0530, 0x058F), ("Hebr", 0x0590, 0x05FF),
    ("Arab", 0x0600, 0x06FF), ("Arab", 0x0750, 0x077F), ("Deva", 0x0900, 0x097F),
    ("Thai", 0x0E00, 0x0E7F), ("Geor", 0x10A0, 0x10FF), ("Hang", 0x1100, 0x11FF),
    ("Kana", 0x3040, 0x30FF), ("Hani", 0x3400, 0x4DBF), ("Hani", 0x4E00, 0x9FFF),
    ("Hang", 0xAC00, 0xD7AF),
)


def english_share(text: str, sample_words: int = 2000) -> tuple[float, int]:
    """Share of the first words that are English function words, and how many words were read."""
    tokens = [w.lower() for w in words(text[: sample_words * 8])][:sample_words]
    if not tokens:
        return 0.0, 0
    return sum(1 for t in tokens if t in _ENGLISH) / len(tokens), len(tokens)


def reads_as_english_prose(text: str) -> bool:
    share, n = english_share(text)
    return n >= _CFG["min_words"] and share >= _CFG["min_share"]


def dominant_script(text: str) -> str | None:
    """ISO 15924 code of the script most letters are written in (None: no letters)."""
    counts: Counter[str] = Counter()
    for ch in text[:_SAMPLE_CHARS]:
        if ch.isalpha():
            cp = ord(ch)
            for script, low, high in _SCRIPT_RANGES:
                if low <= cp <= high:
                    counts[script] += 1
                    break
    if not counts:
        return None
    # Japanese writes much of its text in Han characters; any real share of kana makes it Japanese
    if counts["Kana"] >= 0.1 * (counts["Kana"] + counts["Hani"]) and counts["Kana"]:
        counts["Kana"] += counts.pop("Hani", 0)
    return counts.most_common(1)[0][0]


def detect_language(text: str, html_lang: str | None = None) -> str | None:
    """'en' when the text is English prose; otherwise the page's declared language when it is not
    English; otherwise what the text shows: a language (its script or function words), 'en' for
    English lists and tables (see reads_as_english_prose), "und-<script>" or "und"."""
    if reads_as_english_prose(text):
        return "en"
    declared = _declared_language(html_lang)
    if declared and declared != "en":
        return declared  # a page that declares another language is believed (it is not English prose)
    script = dominant_script(text)
    if script in _CFG["scripts"]:
        return _CFG["scripts"][script]
    tokens = [w.lower() for w in _LETTER_WORD.findall(text[:_SAMPLE_CHARS])][:2000]
    if len(tokens) < _CFG["min_words"]:
        return declared
    shares = {code: sum(1 for t in tokens if t in listed) / len(tokens)
              for code, listed in (("en", _ENGLISH), *_OTHERS.items())}
    best = max(shares, key=shares.get)
    if best != "en" and shares[best] >= _CFG["other_min_share"]:
        return best
    if script == "Latn" and shares["en"] >= _CFG["english_list_min_share"]:
        return "en"  # English words, but lists or tables rather than sentences
    return f"und-{script}" if script and script != "Latn" else "und"


def _declared_language(html_lang: str | None) -> str | None:
    """The primary code of <html lang> ("de-DE" -> "de"), or None when it names no language."""
    code = (html_lang or "").split("-")[0].strip().lower()
    if code.isalpha() and len(code) in (2, 3) and code not in _NO_LANGUAGE:
        return code
    return None


def language_name(code: str | None) -> str:
    """What the reader is shown for a detected language code."""
    if not code or code == "und":
        return "language not recognised"
    return _CFG["names"].get(code, code)
