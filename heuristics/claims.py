"""Unattributed claims signal. (First version; issue 4 replaces this.)"""

from __future__ import annotations

import re

from .document import Document
from .report import Signal, quote

_VAGUE = re.compile(r"\b(reports have emerged|according to media reports|many experts warn|"
                    r"some analysts suggest|reportedly|sources say)\b", re.I)


def classify_claim(sentence: str, context: str | None = None) -> str:
    if _VAGUE.search(sentence or ""):
        return "vague"
    return "not_claim"


def claims_signal(doc: Document) -> Signal:
    evidence = []
    for paragraph, sentence in doc.sentences():
        if classify_claim(sentence.text) == "vague":
            evidence.append(quote(paragraph.text, sentence.start, sentence.end, kind="vague",
                                  explanation="rests on a vague source", paragraph=paragraph.index))
    score = min(1.0, 0.2 * len(evidence))
    return Signal("unattributed_claims", score, summary=f"{len(evidence)} vaguely sourced sentence(s)",
                  evidence=evidence[:10])
