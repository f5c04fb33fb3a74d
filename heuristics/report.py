"""The shapes every part of the product shares: Evidence, Signal, Badge, Report.

Every signal has the same shape (score in [0, 1], higher = worse; a level; evidence quoted
verbatim from the article), so the badge, the API, the moderator page and the extension
treat them alike. `Report.to_dict()` is the JSON documented in docs/report-schema.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .resources import load_json

REPORT_SCHEMA_VERSION = "1.0"
QUOTE_CONTEXT_CHARS = 32  # prefix/suffix length: enough for a browser to disambiguate a quote


def level_for(score: float) -> str:
    """Map a signal score to its level; a score >= `fires` (0.5) means the signal fires."""
    levels = load_json("badge.json")["signal_levels"]
    if score >= levels["high"]:
        return "high"
    if score >= levels["medium"]:
        return "medium"
    return "low"


@dataclass(frozen=True)
class Evidence:
    """A verbatim quote from the article (exact text plus a little context) and why it matters."""

    exact: str
    kind: str
    explanation: str
    prefix: str = ""
    suffix: str = ""
    score: float | None = None  # this item's own weight, where the signal has one
    location: str = "body"  # "headline" or "body"
    paragraph: int | None = None  # index into Document.paragraphs

    def to_dict(self) -> dict[str, Any]:
        out = {
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "kind": self.kind,
            "explanation": self.explanation,
            "location": self.location,
        }
        if self.score is not None:
            out["score"] = round(float(self.score), 3)
        if self.paragraph is not None:
            out["paragraph"] = self.paragraph
        return out


def quote(text: str, start: int, end: int, *, kind: str, explanation: str,
          score: float | None = None, location: str = "body",
          paragraph: int | None = None) -> Evidence:
    """Evidence for text[start:end], with up to QUOTE_CONTEXT_CHARS of context either side."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return Evidence(
        exact=text[start:end],
        prefix=text[max(0, start - QUOTE_CONTEXT_CHARS):start],
        suffix=text[end:end + QUOTE_CONTEXT_CHARS],
        kind=kind,
        explanation=explanation,
        score=score,
        location=location,
        paragraph=paragraph,
    )


@dataclass
class Signal:
    name: str
    score: float
    summary: str = ""  # one line a reader understands: why this score
    evidence: list[Evidence] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # counts and other figures

    def __post_init__(self) -> None:
        self.score = min(1.0, max(0.0, float(self.score)))

    @property
    def level(self) -> str:
        return level_for(self.score)

    @property
    def fires(self) -> bool:
        return self.score >= load_json("badge.json")["signal_levels"]["fires"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 3),
            "level": self.level,
            "summary": self.summary,
            "evidence": [e.to_dict() for e in self.evidence],
            "details": self.details,
        }


@dataclass
class Badge:
    level: str  # reliable | mixed | unreliable | unrated
    score: int | None  # 0-100, higher = more reliable; None when unrated
    reasons: list[str] = field(default_factory=list)
    confidence: str = "high"  # "low" near a level boundary: worth a moderator's look

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "score": self.score, "reasons": list(self.reasons),
                "confidence": self.confidence}


@dataclass
class Report:
    badge: Badge
    signals: dict[str, Signal]
    article: dict[str, Any]
    analyzer_version: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "analyzer_version": self.analyzer_version,
            "badge": self.badge.to_dict(),
            "signals": {name: s.to_dict() for name, s in self.signals.items()},
            "article": dict(self.article),
        }
