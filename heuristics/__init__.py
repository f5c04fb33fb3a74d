"""Reliability heuristics: HTML (or title + text) in, an explained report out.

Pure Python, no Flask, no network. The public interface:

    analyze_html(html, url=None) -> Report
    analyze_text(title, text, url=None) -> Report
    score_headline(headline) -> Signal
    classify_claim(sentence, context=None) -> "attributed" | "vague" | "unattributed" | "not_claim"
    Report.to_dict() -> the JSON documented in docs/report-schema.md
"""

from .analyze import ANALYZER_VERSION, SIGNALS, analyze_document, analyze_html, analyze_text
from .claims import classify_claim
from .clickbait import score_headline
from .document import Document, Paragraph, Sentence
from .report import REPORT_SCHEMA_VERSION, Badge, Evidence, Report, Signal

__all__ = [
    "ANALYZER_VERSION", "REPORT_SCHEMA_VERSION", "SIGNALS",
    "analyze_html", "analyze_text", "analyze_document", "score_headline", "classify_claim",
    "Document", "Paragraph", "Sentence", "Badge", "Evidence", "Report", "Signal",
]
