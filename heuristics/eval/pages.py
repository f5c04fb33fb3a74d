"""`reliability eval pages`: the badge over the 181 real news pages (AEB).

These are real, mostly reputable outlets: the reference for false positives. Reports the
distribution of badge levels and of each signal, and lists every red (and amber) page with
its reasons so a person can judge whether it is right. Target: at most 5% `unreliable`.
Also how well extraction finds the article: the extracted text against each page's true
articleBody, by the benchmark's own measure (shared 4-word shingles), with the worst pages.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Callable

from ..analyze import analyze_document, analyze_html
from ..extract import extract_document
from .metrics import extraction_scores, shingle_overlap

DATA_FILES = ("pages/aeb/ground-truth.json", "pages/aeb/html/")  # read from the data folder

_WORST_EXTRACTIONS_SHOWN = 5


def iter_pages(data_dir: Path):
    """(page id, url, html, true article text) for each AEB page, in a stable order."""
    root = data_dir / "pages" / "aeb"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for path in sorted((root / "html").glob("*.html.gz")):
        page_id = path.name.removesuffix(".html.gz")
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        item = truth.get(page_id, {})
        yield page_id, item.get("url"), html, item.get("articleBody", "")


def read_page(html: str, url: str | None):
    """(extracted text, report), extracting the page once: "" and the unrated report saying why
    when there is no article."""
    try:
        doc = extract_document(html, url=url)
    except Exception:  # noqa: BLE001 - analyze_html turns any failure into its unrated report
        return "", analyze_html(html, url=url)
    return doc.text, analyze_document(doc)


def run(data_dir: Path, echo: Callable[[str], None] = print) -> dict:
    levels: Counter[str] = Counter()
    firing: Counter[str] = Counter()
    scores: dict[str, list[float]] = {}
    flagged = []
    overlaps = []  # (page, (tp, fp, fn)) of the extracted text against the true one
    total = 0
    for total, (page_id, url, html, true_text) in enumerate(iter_pages(data_dir), 1):
        text, report = read_page(html, url)
        overlaps.append((url or page_id, shingle_overlap(true_text, text)))
        levels[report.badge.level] += 1
        for name, signal in report.signals.items():
            scores.setdefault(name, []).append(signal.score)
            firing[name] += signal.fires
        if report.badge.level in ("unreliable", "mixed"):
            flagged.append((report.badge.level, report.badge.score, url or page_id,
                            report.article.get("title"), report.badge.reasons))
        if total % 50 == 0:
            echo(f"  {total} pages analysed")
    echo(f"AEB real news pages: {total}")
    for level in ("reliable", "mixed", "unreliable", "unrated"):
        echo(f"  {level:<11} {levels[level]:>4}  ({levels[level] / max(1, total):.1%})")
    echo("signal firing rate (score >= 0.5) and mean score:")
    for name, values in scores.items():
        echo(f"  {name:<20} fires {firing[name] / len(values):.1%}   mean {sum(values) / len(values):.3f}")
    extraction = extraction_scores([overlap for _, overlap in overlaps])
    echo(f"article extraction against the true article text (AEB's 4-word shingles, mean per page): "
         f"precision {extraction['precision']:.3f}, recall {extraction['recall']:.3f}, "
         f"F1 {extraction['f1']:.3f}")
    worst = sorted(overlaps, key=lambda item: item[1][0])[:_WORST_EXTRACTIONS_SHOWN]
    echo("  least text in common with the truth: " + "; ".join(
        f"{where} (shared {tp:.2f}, extra {fp:.2f}, missed {fn:.2f})" for where, (tp, fp, fn) in worst))
    for level, score, where, title, reasons in sorted(flagged, key=lambda f: (f[0] != "unreliable", f[1])):
        echo(f"  [{level} {score}] {title!r} {where}")
        for reason in reasons:
            echo(f"      - {reason}")
    return {
        "pages": total,
        "levels": dict(levels),
        "unreliable_rate": levels["unreliable"] / max(1, total),
        "signal_firing_rate": {n: firing[n] / len(v) for n, v in scores.items()},
        "signal_mean_score": {n: sum(v) / len(v) for n, v in scores.items()},
        "extraction": extraction,
        "flagged": [{"level": l, "score": s, "url": w, "title": t, "reasons": r}
                    for l, s, w, t, r in flagged],
    }
