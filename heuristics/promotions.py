"""Unrelated inserted promotions signal. (First version; issue 5 replaces this.)"""

from __future__ import annotations

import re

from .document import Document
from .report import Signal, quote

_CUE = re.compile(r"\b(you may also like|trending story|sponsored|subscribe)\b", re.I)


def promotions_signal(doc: Document) -> Signal:
    evidence = [quote(p.text, 0, len(p.text), kind="unrelated_promotion",
                      explanation="promotional paragraph inside the article", paragraph=p.index)
                for p in doc.body if _CUE.search(p.text)]
    return Signal("promotions", 0.9 if evidence else 0.0,
                  summary=f"{len(evidence)} inserted promotion(s)", evidence=evidence)
