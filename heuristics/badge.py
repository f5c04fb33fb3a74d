"""Signals -> badge: level, 0-100 score, confidence and short human reasons.

Weights and thresholds live in data/badge.json (documented in docs/badge.md).
"""

from __future__ import annotations

from .report import Badge, Signal
from .resources import load_json


def unrated(reason: str) -> Badge:
    return Badge(level="unrated", score=None, reasons=[reason], confidence="n/a")


def compute_badge(signals: dict[str, Signal]) -> Badge:
    cfg = load_json("badge.json")
    weights = cfg["weights"]
    remaining = 1.0
    contributions = []
    floor = cfg["signal_floor"]
    for name, signal in signals.items():
        excess = max(0.0, (signal.score - floor) / (1.0 - floor))
        part = weights.get(name, 0.0) * excess
        remaining *= 1.0 - part
        contributions.append((part, name, signal))
    score = round(100 * remaining)
    firing = [c for c in contributions if c[2].fires]
    blocks_green = any(signal.fires and name in cfg["not_reliable_when_firing"]
                       for _, name, signal in contributions)
    if score >= cfg["reliable_min_score"] and not blocks_green:
        level = "reliable"
    elif score < cfg["unreliable_max_score"] and len(firing) >= cfg["unreliable_min_firing"]:
        level = "unreliable"
    else:
        level = "mixed"
    boundaries = (cfg["reliable_min_score"], cfg["unreliable_max_score"])
    margin = min(abs(score - b) for b in boundaries)
    confidence = "low" if margin < cfg["low_confidence_margin"] else "high"
    titles = cfg["signal_titles"]
    ranked = sorted(contributions, key=lambda c: -c[0])
    # Reasons are what fired; below "reliable" with nothing firing, the medium signals that
    # carry evidence explain the amber badge.
    chosen = [c for c in ranked if c[2].fires]
    if not chosen and level != "reliable":
        chosen = [c for c in ranked if c[2].level == "medium" and c[2].evidence]
    reasons = [f"{titles.get(name, name)}: {signal.summary}" for _, name, signal in chosen]
    if not reasons:
        reasons = [cfg["reasons"]["reliable"] if level == "reliable" else cfg["reasons"]["mixed"]]
    return Badge(level=level, score=score, reasons=reasons, confidence=confidence)
