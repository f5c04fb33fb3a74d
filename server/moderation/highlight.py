"""Evidence highlighted in place.

With the article's paragraphs (re-extracted by the analysis core from the packaged demo page or
a fresh safe fetch, and checked against the stored evidence), every paragraph is shown and each
evidence quote is marked where it occurs. Without them (e.g. the reader supplied the HTML and
it is not stored) each quote is shown in its context (prefix, exact, suffix), grouped by
paragraph, with overlapping contexts merged. Templates escape all text; nothing here builds HTML.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

SAFE_CLASS = re.compile(r"[^a-z0-9_]")


@dataclass(frozen=True)
class Mark:
    signal: str
    index: int
    kind: str
    explanation: str

    @property
    def ref(self) -> str:
        return f"ev-{SAFE_CLASS.sub('_', self.signal.lower())}-{self.index}"

    @property
    def css(self) -> str:
        return "sig-" + SAFE_CLASS.sub("_", self.signal.lower())


@dataclass
class Segment:
    text: str
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Block:
    paragraph: int | None
    segments: list[Segment]
    fragment: bool = False  # only a context window, not the whole paragraph


@dataclass
class View:
    headline: list[Segment]
    blocks: list[Block]
    full_text: bool
    unplaced: list[Mark]


def evidence_items(report: dict[str, Any]) -> list[tuple[Mark, dict[str, Any]]]:
    out = []
    for signal, data in ((report or {}).get("signals") or {}).items():
        if not isinstance(data, dict):
            continue
        for index, item in enumerate(data.get("evidence") or []):
            if isinstance(item, dict) and isinstance(item.get("exact"), str) and item["exact"]:
                out.append((Mark(str(signal), index, str(item.get("kind") or ""),
                                 str(item.get("explanation") or "")), item))
    return out


def locate(text: str, item: dict[str, Any]) -> tuple[int, int] | None:
    """Where the quote sits in `text`, preferring the occurrence its prefix/suffix point at."""
    exact = item.get("exact") or ""
    prefix, suffix = str(item.get("prefix") or ""), str(item.get("suffix") or "")
    positions, start = [], text.find(exact)
    while start != -1 and len(positions) < 50:
        positions.append(start)
        start = text.find(exact, start + 1)
    if not positions:
        return None

    def fit(pos: int) -> int:
        end = pos + len(exact)
        return (2 if prefix and text[:pos].endswith(prefix) else 0) + \
            (1 if suffix and text[end:].startswith(suffix) else 0)

    best = max(positions, key=fit)
    return best, best + len(exact)


def segments(text: str, spans: list[tuple[int, int, Mark]]) -> list[Segment]:
    """Split `text` into runs, each with the marks covering it (overlaps allowed)."""
    cuts = {0, len(text)}
    for start, end, _ in spans:
        cuts.update((start, end))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[Segment] = []
    for a, b in zip(points, points[1:]):
        if a == b:
            continue
        marks = [m for s, e, m in spans if s <= a and b <= e]
        if out and out[-1].marks == marks:
            out[-1].text += text[a:b]
        else:
            out.append(Segment(text[a:b], marks))
    return out or [Segment(text, [])]


def _fragments(items: list[tuple[Mark, dict[str, Any]]]) -> list[tuple[str, list[tuple[int, int, Mark]]]]:
    frags: list[list[Any]] = []  # [text, spans]
    for mark, item in items:
        prefix, exact, suffix = (str(item.get("prefix") or ""), item["exact"],
                                 str(item.get("suffix") or ""))
        ctx = prefix + exact + suffix
        span = (len(prefix), len(prefix) + len(exact))
        for frag in frags:
            text = frag[0]
            at = text.find(ctx)
            if at != -1:
                frag[1].append((at + span[0], at + span[1], mark))
                break
            k = _overlap(text, ctx)
            if k:
                shift = len(text) - k
                frag[0] = text + ctx[k:]
                frag[1].append((shift + span[0], shift + span[1], mark))
                break
            k = _overlap(ctx, text)
            if k:
                shift = len(ctx) - k
                frag[0] = ctx + text[k:]
                frag[1] = [(s + shift, e + shift, m) for s, e, m in frag[1]]
                frag[1].append((span[0], span[1], mark))
                break
        else:
            frags.append([ctx, [(span[0], span[1], mark)]])
    return [(t, s) for t, s in frags]


def _overlap(left: str, right: str, minimum: int = 12) -> int:
    """The longest k >= minimum with left's end equal to right's start (0 if none)."""
    for k in range(min(len(left), len(right)), minimum - 1, -1):
        if left.endswith(right[:k]):
            return k
    return 0


def build(report: dict[str, Any], paragraphs: list[str] | None = None) -> View:
    items = evidence_items(report)
    title = str(((report or {}).get("article") or {}).get("title") or "")
    head_spans, unplaced = [], []
    by_paragraph: dict[int | None, list[tuple[Mark, dict[str, Any]]]] = {}
    for mark, item in items:
        if item.get("location") == "headline":
            where = locate(title, item)
            if where:
                head_spans.append((where[0], where[1], mark))
            else:
                unplaced.append(mark)
            continue
        paragraph = item.get("paragraph")
        by_paragraph.setdefault(paragraph if isinstance(paragraph, int) else None, []).append((mark, item))

    blocks: list[Block] = []
    if paragraphs is not None:
        spans: dict[int, list[tuple[int, int, Mark]]] = {}
        for paragraph, group in by_paragraph.items():
            for mark, item in group:
                candidates = [paragraph] if paragraph is not None and 0 <= paragraph < len(paragraphs) \
                    else range(len(paragraphs))
                for index in candidates:
                    where = locate(paragraphs[index], item)
                    if where:
                        spans.setdefault(index, []).append((where[0], where[1], mark))
                        break
                else:
                    unplaced.append(mark)
        for index, text in enumerate(paragraphs):
            blocks.append(Block(index, segments(text, spans.get(index, []))))
        return View(segments(title, head_spans), blocks, True, unplaced)

    for paragraph in sorted(by_paragraph, key=lambda p: (p is None, p or 0)):
        for text, spans in _fragments(by_paragraph[paragraph]):
            blocks.append(Block(paragraph, segments(text, spans), fragment=True))
    return View(segments(title, head_spans), blocks, False, unplaced)


def matches(report: dict[str, Any], paragraphs: list[str]) -> bool:
    """Whether these paragraphs are the text the report was made from (its quotes are there)."""
    checked = found = 0
    for _mark, item in evidence_items(report):
        paragraph = item.get("paragraph")
        if item.get("location") == "headline" or not isinstance(paragraph, int):
            continue
        checked += 1
        if 0 <= paragraph < len(paragraphs) and item["exact"] in paragraphs[paragraph]:
            found += 1
    return checked > 0 and found == checked


class _Cache:
    """A small per-process LRU of derived paragraphs, keyed by analysis id."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.data: OrderedDict[int, list[str] | None] = OrderedDict()
        self.lock = Lock()

    def get(self, key: int):
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return True, self.data[key]
        return False, None

    def put(self, key: int, value: list[str] | None) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)



def derive_paragraphs(page_url: str, analysis_id: int, source: str,
                      report: dict[str, Any]) -> list[str] | None:
    """The article's paragraphs, if they can be re-derived and still match the report."""
    from flask import current_app

    if not current_app.config.get("MODERATION_DERIVE_TEXT", True):
        return None
    cache = current_app.extensions.setdefault("moderation_text_cache", _Cache())
    hit, value = cache.get(analysis_id)
    if hit:
        return value
    paragraphs = None
    try:
        from server import analysis as api_analysis

        target, _key = api_analysis.checked(page_url)
        html = api_analysis.demo_html(target)
        if html is None and source == "fetched":
            from server.fetch import get_fetcher

            html = get_fetcher().fetch(target.url).text
        if html is not None:
            from heuristics.extract import extract_document

            doc = extract_document(html, url=target.url)
            candidate = [p.text for p in doc.paragraphs]
            if matches(report, candidate):
                paragraphs = candidate
    except Exception:  # noqa: BLE001 - fall back to quotes in context
        current_app.logger.info("moderation: article text not re-derived")
        paragraphs = None
    cache.put(analysis_id, paragraphs)
    return paragraphs
