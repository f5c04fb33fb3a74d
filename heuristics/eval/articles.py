"""`reliability eval articles`: the whole badge on articles written to be caught or passed.

The other evaluations measure one signal on sentences or headlines, and `pages` measures false
alarms on reputable outlets; this one asks the product's own question of whole articles: is a
page like the seed (sensational headline, facts resting on nobody, an unrelated promotion)
labelled as such, and is the same event told soberly left green?

A set is a CSV with `id, label, flaws, headline, body`: `label` is `junk` (two or more flaws),
`flawed` (one) or `sober` (none); `flaws` names them, ';'-separated, from FLAW_SIGNALS; `body`
has its paragraphs separated by blank lines. Each article is put into a plain web page and read
through analyze_html, as the server reads a page. The seed is always reported too.
"""

from __future__ import annotations

import csv
import html
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

from ..analyze import analyze_html
from . import LabelledSetError, labelled_sets

# which signal should catch each kind of flaw
FLAW_SIGNALS = {
    "clickbait": "clickbait",
    "vague_sources": "unattributed_claims",
    "promotion": "promotions",
}
LABELS = ("junk", "flawed", "sober")
LEVELS = ("reliable", "mixed", "unreliable", "unrated")
# a paragraph this short without closing punctuation is a subheading, as content farms write them
_SUBHEADING_MAX_WORDS = 12


def read_articles(path: Path) -> list[dict]:
    """The rows of an article set, checked: flaws from the vocabulary, agreeing with the label."""
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"id", "label", "flaws", "headline", "body"} - set(reader.fieldnames or ())
        if missing:
            raise LabelledSetError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        rows = []
        for line, row in enumerate(reader, 2):
            flaws = [f.strip() for f in (row["flaws"] or "").split(";") if f.strip()]
            unknown = [f for f in flaws if f not in FLAW_SIGNALS]
            if unknown:
                raise LabelledSetError(f"{path}:{line}: unknown flaw(s) {', '.join(unknown)} "
                                      f"(known: {', '.join(FLAW_SIGNALS)})")
            expected = {"junk": len(flaws) >= 2, "flawed": len(flaws) == 1, "sober": not flaws}
            if row["label"] not in expected:
                raise LabelledSetError(f"{path}:{line}: label {row['label']!r} is not one of {', '.join(LABELS)}")
            if not expected[row["label"]]:
                raise LabelledSetError(f"{path}:{line}: label {row['label']} does not fit {len(flaws)} flaw(s)")
            rows.append({**row, "flaws": flaws})
    return rows


def article_page(headline: str, body: str) -> str:
    """A plain web page for an article: title, h1, one <p> per paragraph, short unpunctuated
    paragraphs as <h2>."""
    parts = []
    for paragraph in (p.strip() for p in body.replace("\r\n", "\n").split("\n\n")):
        if not paragraph:
            continue
        text = html.escape(" ".join(paragraph.split()))
        is_subheading = len(paragraph.split()) <= _SUBHEADING_MAX_WORDS and paragraph[-1] not in ".!?:\"'”’)"
        parts.append(f"<h2>{text}</h2>" if is_subheading else f"<p>{text}</p>")
    title = html.escape(headline.strip())
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>\n" + "\n".join(parts) + "\n</article></body></html>")


def judge(rows: Iterable[dict]) -> list[dict]:
    """Each article's badge level and score, and which signals fired."""
    judged = []
    for row in rows:
        report = analyze_html(article_page(row["headline"], row["body"]))
        fired = sorted(name for name, signal in report.signals.items() if signal.fires)
        judged.append({"id": row["id"], "label": row["label"], "flaws": row["flaws"],
                       "headline": row["headline"], "level": report.badge.level,
                       "score": report.badge.score, "fired": fired, "reasons": report.badge.reasons})
    return judged


def summarize(judged: list[dict]) -> dict:
    """Badge levels per label; for each flaw, how often its signal fired on articles with it
    (recall) and on sober articles (false alarms)."""
    levels = {label: Counter(j["level"] for j in judged if j["label"] == label) for label in LABELS}
    summary: dict = {"n": len(judged), "levels": {label: dict(levels[label]) for label in LABELS}}
    for label in LABELS:
        n = sum(levels[label].values())
        summary[label] = {"n": n,
                          "not_reliable": (n - levels[label]["reliable"]) / n if n else None,
                          "unreliable": levels[label]["unreliable"] / n if n else None}
    sober = [j for j in judged if j["label"] == "sober"]
    summary["signals"] = {}
    for flaw, signal in FLAW_SIGNALS.items():
        with_flaw = [j for j in judged if flaw in j["flaws"]]
        summary["signals"][flaw] = {
            "signal": signal, "n": len(with_flaw),
            "recall": sum(signal in j["fired"] for j in with_flaw) / len(with_flaw) if with_flaw else None,
            "fires_on_sober": sum(signal in j["fired"] for j in sober) / len(sober) if sober else None,
        }
    return summary


def misses(judged: list[dict]) -> list[dict]:
    """Articles labelled wrongly: junk or flawed left green, sober not green, or a flaw whose signal
    did not fire."""
    wrong = []
    for j in judged:
        missed = [flaw for flaw in j["flaws"] if FLAW_SIGNALS[flaw] not in j["fired"]]
        if (j["label"] == "sober") == (j["level"] != "reliable") or missed:
            wrong.append({**j, "missed_flaws": missed})
    return wrong


def _report(summary: dict, echo: Callable[[str], None]) -> None:
    for label in LABELS:
        part = summary[label]
        if not part["n"]:
            continue
        counts = ", ".join(f"{level} {summary['levels'][label].get(level, 0)}" for level in LEVELS)
        headline_figure = (f"green {1 - part['not_reliable']:.1%}" if label == "sober"
                           else f"not green {part['not_reliable']:.1%}, red {part['unreliable']:.1%}")
        echo(f"  {label:<7} n={part['n']:<3} {headline_figure}   ({counts})")
    for flaw, part in summary["signals"].items():
        if part["n"]:
            echo(f"  {flaw:<14} -> {part['signal']:<20} fires on {part['recall']:.1%} of {part['n']} "
                 f"with the flaw, on {part['fires_on_sober'] or 0:.1%} of the sober")


def run(data_dir: Path, echo: Callable[[str], None] = print, extra=(), held_out=()) -> dict:
    seed_html = (data_dir.parent / "fixtures" / "seed-article.html").read_text(encoding="utf-8")
    seed = analyze_html(seed_html)
    results: dict = {"seed": {"level": seed.badge.level, "score": seed.badge.score,
                              "fired": sorted(n for n, s in seed.signals.items() if s.fires)}}
    echo(f"seed: {seed.badge.level} ({seed.badge.score}), firing: {', '.join(results['seed']['fired'])}")
    sets = list(labelled_sets(extra, held_out))
    if not sets:
        echo("no article sets given: add --extra FILE (dev) or --held-out FILE, "
             "e.g. eval-data/articles-blind-1.csv")
    for key, path, heading, show_misses in sets:
        rows = read_articles(path)
        echo(f"{path.name} ({heading}): {len(rows)} articles")
        judged = judge(rows)
        summary = summarize(judged)
        _report(summary, echo)
        if show_misses:
            for j in misses(judged):
                missed = f" missed: {', '.join(j['missed_flaws'])}" if j["missed_flaws"] else ""
                echo(f"    [{j['label']} -> {j['level']} {j['score']}] {j['id']} {j['headline']!r}"
                     f" fired: {', '.join(j['fired']) or 'none'}{missed}")
        results[key] = summary
    return results
