"""A report as text for a person at a terminal (`reliability analyze` without --json)."""

from __future__ import annotations

import textwrap

from .report import Report
from .resources import load_json

_MARK = {"reliable": "GREEN", "mixed": "AMBER", "unreliable": "RED", "unrated": "GREY"}


def render_text(report: Report, max_evidence: int = 5) -> str:
    badge = report.badge
    titles = load_json("badge.json")["signal_titles"]
    title = report.article.get("title") or "(no title)"
    score = "" if badge.score is None else f"  score {badge.score}/100"
    lines = [title, f"Badge: {badge.level.upper()} ({_MARK[badge.level]}){score}"]
    lines += [f"  - {reason}" for reason in badge.reasons]
    for name, signal in report.signals.items():
        lines.append("")
        lines.append(f"{titles.get(name, name)}: {signal.score:.2f} ({signal.level})")
        if signal.summary:
            lines.append(f"  {signal.summary}")
        for item in signal.evidence[:max_evidence]:
            exact = textwrap.shorten(item.exact, 110, placeholder="…")
            lines.append(f"  * \"{exact}\"")
            lines.append(f"      {item.kind}: {item.explanation}")
        if len(signal.evidence) > max_evidence:
            lines.append(f"  (+{len(signal.evidence) - max_evidence} more)")
    article = report.article
    readability = article.get("readability") or {}
    lines += ["", f"{article.get('word_count', 0)} words"
              + (f", Flesch reading ease {readability['flesch_reading_ease']}"
                 if readability.get("flesch_reading_ease") is not None else "")
              + f"; analyzer {report.analyzer_version}"]
    return "\n".join(lines)
