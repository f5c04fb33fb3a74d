"""The pure core: HTML (or title + text) in, an explained Report out. Never raises.

extract -> Document -> each signal -> badge. Anything the analyzer cannot judge (no article,
too short, not English, junk) comes back as an `unrated` report that says why.
"""

from __future__ import annotations

import logging
from typing import Callable

from .badge import compute_badge, unrated
from .claims import claims_signal
from .clickbait import clickbait_signal
from .document import Document
from .duplication import duplication_signal
from .extract import ExtractionError, extract_document
from .language import detect_language, language_name, reads_as_english_prose
from .promotions import promotions_signal
from .readability import readability
from .report import Report, Signal
from .resources import load_json

ANALYZER_VERSION = "0.6.4"

log = logging.getLogger(__name__)

# name -> function(Document) -> Signal; adding a signal is one line here and one weight in
# data/badge.json.
SIGNALS: dict[str, Callable[[Document], Signal]] = {
    "clickbait": clickbait_signal,
    "unattributed_claims": claims_signal,
    "promotions": promotions_signal,
    "duplication": duplication_signal,
}


def analyze_html(html: str | bytes, url: str | None = None) -> Report:
    """Analyse a web page. Never raises: pages that are not articles get an `unrated` report."""
    try:
        doc = extract_document(html, url=url)
    except ExtractionError as exc:
        return _unrated_report(str(exc), Document(url=url))
    except Exception as exc:  # noqa: BLE001 - junk input must never crash a caller
        log.warning("extraction failed unexpectedly: %s", exc.__class__.__name__)
        return _unrated_report("the page could not be read as an article", Document(url=url))
    return analyze_document(doc)


def analyze_text(title: str, text: str, url: str | None = None) -> Report:
    """Analyse a headline and plain-text body (one paragraph per line)."""
    doc = Document.from_text(title or "", text or "", url=url)
    doc.language = detect_language(doc.text)
    return analyze_document(doc)


def analyze_document(doc: Document) -> Report:
    cfg = load_json("badge.json")
    foreign = doc.language not in cfg["languages"]
    # a language we know is not ours is the reason, however few "words" it has: Japanese and
    # Korean are not written in space-separated words ("15 words" read as too little text)
    known = doc.language not in (None, "und")
    if doc.word_count < cfg["min_words"] and not (foreign and known):
        return _unrated_report(
            f"too little article text to judge ({doc.word_count} words; at least "
            f"{cfg['min_words']} needed)", doc)
    if foreign:
        return _unrated_report(
            f"not rated: the article is not in English (detected: {language_name(doc.language)})",
            doc)
    if not reads_as_english_prose(doc.text):
        return _unrated_report(
            "not rated: the page is mostly lists, tables or figures, not running text to judge", doc)
    try:
        signals = {name: fn(doc) for name, fn in SIGNALS.items()}
    except Exception as exc:  # noqa: BLE001 - a signal bug must not take the service down
        log.exception("a signal failed")
        return _unrated_report(f"analysis failed ({exc.__class__.__name__})", doc)
    return Report(badge=compute_badge(signals), signals=signals, article=_article(doc),
                  analyzer_version=ANALYZER_VERSION)


def _article(doc: Document, with_readability: bool = True) -> dict:
    return {
        "title": doc.title,
        "url": doc.url,
        "site": doc.site or doc.host,
        "author": doc.author,
        "date": doc.date,
        "language": doc.language,
        "word_count": doc.word_count,
        "paragraph_count": len(doc.body),
        "reading_minutes": round(doc.word_count / 230, 1),
        "readability": readability(doc.text) if with_readability and doc.language == "en" else None,
    }


def _unrated_report(reason: str, doc: Document) -> Report:
    return Report(badge=unrated(reason), signals={}, article=_article(doc, with_readability=False),
                  analyzer_version=ANALYZER_VERSION)
