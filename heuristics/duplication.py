"""Padding and duplicated text: a page that tells its story twice.

Machine-padded pages repeat themselves: the same facts restated paragraph after paragraph,
two "Conclusion" sections. One pass over the paragraphs with a set of seen word shingles
keeps this linear in the article's length.
"""

from __future__ import annotations

import re

from .document import Document
from .report import Signal, quote
from .resources import load_json

_CFG = load_json("duplication.json")
_CLOSING_RE = re.compile(_CFG["closing_heading_pattern"], re.I)
_STOPWORDS = frozenset(_CFG["stopwords"])


def _stems(text: str) -> set[str]:
    """Content words cut to five letters, so 'Russia'/'Russian' and 'drone'/'drones' meet."""
    return {w.lower()[:5] for w in re.findall(r"[A-Za-z0-9]+", text) if w.lower() not in _STOPWORDS}


def _shingles(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def duplication_signal(doc: Document) -> Signal:
    n = _CFG["shingle_words"]
    weights = _CFG["weights"]
    seen: set[tuple[str, ...]] = set()
    headings: dict[str, int] = {}
    findings = []  # (weight, evidence)
    closings = 0
    title_stems = _stems(doc.title)
    for paragraph in doc.paragraphs:
        if paragraph.is_heading:
            key = " ".join(paragraph.text.lower().split())
            stems = _stems(paragraph.text)
            if (paragraph.index > 0 and title_stems and len(stems) >= _CFG["restated_headline_min_words"]
                    and len(stems & title_stems) / len(title_stems) >= _CFG["restated_headline_share"]):
                findings.append((weights["restated_headline"], quote(
                    paragraph.text, 0, len(paragraph.text), kind="restated_headline",
                    explanation="a heading mid-article restates the headline: a second telling",
                    paragraph=paragraph.index)))
            if _CLOSING_RE.match(key):
                closings += 1
                if closings == 2:
                    findings.append((weights["repeated_closing"], quote(
                        paragraph.text, 0, len(paragraph.text), kind="repeated_closing",
                        explanation="a second closing section: the page tells its story twice",
                        paragraph=paragraph.index)))
            elif key in headings:
                findings.append((weights["repeated_heading"], quote(
                    paragraph.text, 0, len(paragraph.text), kind="repeated_heading",
                    explanation="this heading already appeared earlier in the article",
                    paragraph=paragraph.index)))
            headings[key] = paragraph.index
            continue
        tokens = [w.lower() for w in paragraph.words]
        shingles = _shingles(tokens, n)
        if len(tokens) < _CFG["min_paragraph_words"]:
            seen |= shingles
            continue
        share = len(shingles & seen) / len(shingles) if shingles else 0.0
        if share >= _CFG["near_duplicate_share"]:
            findings.append((weights["near_duplicate"] * min(1.0, share / 0.7), quote(
                paragraph.text, 0, len(paragraph.text), kind="near_duplicate",
                explanation=f"{share:.0%} of this paragraph repeats earlier text",
                score=share, paragraph=paragraph.index)))
        seen |= shingles
    remaining = 1.0
    for weight, _ in findings:
        remaining *= 1.0 - weight
    score = 1.0 - remaining
    kinds = [e.kind for _, e in findings]
    parts = []
    if kinds.count("near_duplicate"):
        parts.append(f"{kinds.count('near_duplicate')} paragraph(s) repeat earlier text")
    if "restated_headline" in kinds:
        parts.append("the headline is restated mid-article")
    if closings > 1:
        parts.append(f"{closings} closing sections")
    if "repeated_heading" in kinds:
        parts.append("repeated headings")
    summary = ("The page tells its story more than once: " + "; ".join(parts) + "."
               if parts else "No repeated or padded text.")
    top = sorted(findings, key=lambda f: -f[0])[:_CFG["max_evidence"]]
    return Signal("duplication", score, summary=summary,
                  evidence=sorted((e for _, e in top), key=lambda e: e.paragraph or 0),
                  details={"near_duplicates": kinds.count("near_duplicate"),
                           "repeated_headings": kinds.count("repeated_heading"),
                           "closing_sections": closings,
                           "restated_headline": "restated_headline" in kinds})
