"""Reading what the CLI is pointed at: a file (HTML, gzipped HTML or plain text) or a URL.

The service has its own hardened fetcher (server/fetch.py); this plain fetch is for a person
at a terminal analysing a page by hand.
"""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

from .extract import decode_html

MAX_BYTES = 10_000_000
USER_AGENT = "reliability-labels-cli/0.1 (+https://github.com/)"


def looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or "<body" in head or "<p>" in head


def read_source(source: str) -> tuple[str, str, str | None]:
    """(kind, content, url): kind is "html" or "text"."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - http(s) only
            raw = response.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise ValueError(f"{source}: page larger than {MAX_BYTES // 1_000_000} MB")
        return "html", decode_html(raw), source
    path = Path(source)
    if not path.is_file():
        raise ValueError(f"{source}: no such file (give an HTML/text file or an http(s) URL)")
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    content = decode_html(raw)
    kind = "html" if path.name.endswith((".html", ".htm", ".html.gz", ".htm.gz")) or looks_like_html(content) else "text"
    return kind, content, None
