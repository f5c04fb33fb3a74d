"""`reliability eval articles`: the whole badge on articles written to be caught or passed.

The other evaluations measure one signal on sentences or headlines, and `pages` measures false
alarms on reputable outlets; this one asks the product's own question of whole articles: is a
page like the seed (sensational headline, facts resting on nobody, an unrelated promotion)
labelled as such, and is the same event told soberly left green?

A set is a CSV with `id, label, flaws, headline, body`: `label` is `junk` (two or more flaws),
`flawed` (one) or `sober` (none); `flaws` names them, ';'-separated, from FLAW_SIGNALS; `body`
has its paragraphs separated by blank lines. Each article is put into a web page and read through
analyze_html, as the server reads a page, twice: a plain page, and the same article inside a
news site's usual template (navigation, related posts, comments, a trending sidebar), which must
not change its label. The seed is always reported too.
"""

from __future__ import annotations

import csv
import html
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

from ..analyze import analyze_html
from . import LabelledSetError, labelled_sets

DATA_FILES = ("../fixtures/seed-article.html",)  # next to the data folder, in the shared folder

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


def _body_html(body: str) -> str:
    parts = []
    for paragraph in (p.strip() for p in body.replace("\r\n", "\n").split("\n\n")):
        if not paragraph:
            continue
        text = html.escape(" ".join(paragraph.split()))
        is_subheading = len(paragraph.split()) <= _SUBHEADING_MAX_WORDS and paragraph[-1] not in ".!?:\"'”’)"
        parts.append(f"<h2>{text}</h2>" if is_subheading else f"<p>{text}</p>")
    return "\n".join(parts)


def article_page(headline: str, body: str) -> str:
    """A plain web page for an article: title, h1, one <p> per paragraph, short unpunctuated
    paragraphs as <h2>."""
    title = html.escape(headline.strip())
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>\n{_body_html(body)}\n</article></body></html>")


# What a news site puts around every article: none of it is the article, so none of it may
# change the label (a sober story must stay green in any site's template).
_SITE_TEMPLATE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | The Daily Ledger</title><meta property="og:site_name" content="The Daily Ledger">
<meta property="og:title" content="{title}"></head><body>
<header class="site-header"><a class="logo" href="/">The Daily Ledger</a>
<nav><ul><li><a href="/news">News</a></li><li><a href="/business">Business</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/lifestyle">Lifestyle</a></li></ul></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <a href="/privacy">Accept</a></div>
<main><article class="post"><h1 class="entry-title">{title}</h1>
<div class="byline">By <span class="author">Staff reporter</span> · <time datetime="2026-11-20">20 November 2026</time></div>
<div class="share"><a href="/share/fb">Share on Facebook</a> <a href="/share/x">Share on X</a> <a href="/share/mail">Email</a></div>
<div class="entry-content">
{body}
</div>
<div class="tags">Tags: <a href="/tag/news">news</a> <a href="/tag/latest">latest</a></div>
<section class="related-posts"><h3>Related posts</h3><ul>
<li><a href="/a/1">Ten of the best walks in the Lake District this winter</a></li>
<li><a href="/a/2">Celebrity chef opens third restaurant in Manchester</a></li>
<li><a href="/a/3">How to keep your garden healthy through a cold snap</a></li></ul></section>
<section class="comments"><h3>3 comments</h3>
<div class="comment"><p>Typical. Nobody in charge ever listens to ordinary people.</p></div>
<div class="comment"><p>Great article, thanks for sharing this with us.</p></div>
<div class="comment"><p>I read somewhere that this has happened before and nothing changed.</p></div></section>
</article>
<aside class="sidebar"><h3>Trending now</h3><ol>
<li><a href="/t/1">Pensioners urged to check their energy bills before January</a></li>
<li><a href="/t/2">Premier League club confirms new manager after weeks of talks</a></li>
<li><a href="/t/3">The seaside town named the best place to retire</a></li></ol>
<div class="newsletter"><h3>Get the Daily Ledger newsletter</h3><p>The day's top stories in your inbox every morning.</p>
<form><input type="email" placeholder="Your email"><button>Sign up</button></form></div></aside></main>
<footer><p>© 2026 The Daily Ledger. All rights reserved.</p><ul><li><a href="/about">About us</a></li>
<li><a href="/contact">Contact</a></li><li><a href="/terms">Terms</a></li></ul></footer></body></html>"""
SITE_URL = "https://www.dailyledger.example/news/story"


def site_page(headline: str, body: str) -> str:
    """The article inside a news site's usual template: navigation, cookie banner, byline,
    share buttons, related posts, comments, a trending sidebar, a newsletter box, a footer."""
    return _SITE_TEMPLATE.format(title=html.escape(headline.strip()), body=_body_html(body))


# (result key, heading, page builder, url)
SHAPES = (
    ("plain", "plain page", article_page, None),
    ("site", "in a site's template (nav, related posts, comments, sidebar)", site_page, SITE_URL),
)


def judge(rows: Iterable[dict], page=article_page, url: str | None = None) -> list[dict]:
    """Each article's badge level and score, and which signals fired."""
    judged = []
    for row in rows:
        report = analyze_html(page(row["headline"], row["body"]), url=url)
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
        # an unrated article was not judged: it counts as neither caught nor passed
        flagged = levels[label]["mixed"] + levels[label]["unreliable"]
        summary[label] = {"n": n,
                          "not_reliable": flagged / n if n else None,
                          "reliable": levels[label]["reliable"] / n if n else None,
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
    """Articles labelled wrongly: junk or flawed left green or unrated, sober not green, or a flaw
    whose signal did not fire."""
    wrong = []
    for j in judged:
        missed = [flaw for flaw in j["flaws"] if FLAW_SIGNALS[flaw] not in j["fired"]]
        caught = j["level"] in ("mixed", "unreliable")  # unrated: not judged, so not caught
        if (j["level"] != "reliable" if j["label"] == "sober" else not caught) or missed:
            wrong.append({**j, "missed_flaws": missed})
    return wrong


def _report(summary: dict, echo: Callable[[str], None]) -> None:
    for label in LABELS:
        part = summary[label]
        if not part["n"]:
            continue
        counts = ", ".join(f"{level} {summary['levels'][label].get(level, 0)}" for level in LEVELS)
        headline_figure = (f"green {part['reliable']:.1%}" if label == "sober"
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
        results[key] = {}
        for shape, shape_heading, page, url in SHAPES:
            echo(f" {shape_heading}:")
            judged = judge(rows, page, url)
            results[key][shape] = summarize(judged)
            _report(results[key][shape], echo)
            if show_misses:
                for j in misses(judged):
                    missed = f" missed: {', '.join(j['missed_flaws'])}" if j["missed_flaws"] else ""
                    echo(f"    [{j['label']} -> {j['level']} {j['score']}] {j['id']} {j['headline']!r}"
                         f" fired: {', '.join(j['fired']) or 'none'}{missed}")
    return results
