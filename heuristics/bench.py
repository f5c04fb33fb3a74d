"""`reliability bench`: extraction alone vs the full analysis, timed in the same run.

For every page: time trafilatura's extraction as our extractor runs it (HTML -> Document) and
the full analysis (HTML -> Report), each the median of `repeat` runs; report the medians over
pages, their ratio, and how cost grows with text length (time per 1,000 words).
"""

from __future__ import annotations

import gzip
import statistics
import time
from pathlib import Path
from typing import Callable

from .analyze import analyze_html
from .extract import extract_document


def _load(path: Path) -> str:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8", errors="replace")


def _median_time(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The median time of `repeat` calls, and what the last call returned."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run_bench(pages_dir: Path, repeat: int = 3, echo: Callable[[str], None] = print) -> dict:
    paths = sorted(p for p in pages_dir.iterdir() if p.name.endswith((".html", ".htm", ".html.gz")))
    if not paths:
        raise SystemExit(f"no .html or .html.gz pages in {pages_dir}")
    analyze_html(_load(paths[0]))  # warm-up: imports, data files, textstat
    extract_times, full_times, per_kword = [], [], []
    for i, path in enumerate(paths, 1):
        html = _load(path)
        t_extract, _ = _median_time(lambda: extract_document(html), repeat)
        t_full, report = _median_time(lambda: analyze_html(html), repeat)
        extract_times.append(t_extract)
        full_times.append(t_full)
        words = report.article.get("word_count") or 0
        if words >= 200:
            per_kword.append((words, (t_full - t_extract) * 1000 / words * 1000))  # ms per 1,000 words
        if i % 25 == 0 or i == len(paths):
            echo(f"  {i}/{len(paths)} pages")
    med_extract = statistics.median(extract_times)
    med_full = statistics.median(full_times)
    result = {
        "pages": len(paths),
        "repeat": repeat,
        "extract_median_ms": round(med_extract * 1000, 2),
        "full_median_ms": round(med_full * 1000, 2),
        "ratio": round(med_full / med_extract, 3) if med_extract else None,
    }
    if per_kword:
        per_kword.sort()
        half = len(per_kword) // 2
        short = statistics.median(v for _, v in per_kword[:half] or per_kword)
        long = statistics.median(v for _, v in per_kword[half:])
        result["signals_ms_per_1000_words_short_pages"] = round(short, 3)
        result["signals_ms_per_1000_words_long_pages"] = round(long, 3)
    echo(f"pages: {result['pages']}  (median of {repeat} runs per page)")
    echo(f"extraction alone: median {result['extract_median_ms']} ms")
    echo(f"full analysis:    median {result['full_median_ms']} ms")
    echo(f"ratio full/extraction: {result['ratio']}  (target <= 1.5)")
    if per_kword:
        echo("signal cost per 1,000 words (shorter half vs longer half of pages): "
             f"{result['signals_ms_per_1000_words_short_pages']} ms vs "
             f"{result['signals_ms_per_1000_words_long_pages']} ms (flat = linear)")
    return result
