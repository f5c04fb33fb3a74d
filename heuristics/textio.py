"""Reading what the CLI is pointed at: a file (HTML, gzipped HTML or plain text), or a URL
through a reader the caller installs.

The analysis core does no network I/O. The `reliability` command (server.cli) installs the
service's hardened fetcher (refuses private addresses, bounded size and time) as the URL reader;
`python -m heuristics` has none and asks for a saved page instead.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

from .extract import decode_html

# url -> (html, final url); raises ValueError with a readable message when the page cannot be had
UrlReader = Callable[[str], tuple[str, str]]
_url_reader: UrlReader | None = None


def set_url_reader(reader: UrlReader | None) -> None:
    global _url_reader
    _url_reader = reader


def looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or "<body" in head or "<p>" in head


def read_source(source: str) -> tuple[str, str, str | None]:
    """(kind, content, url): kind is "html" or "text"."""
    if source.startswith(("http://", "https://")):
        if _url_reader is None:
            raise ValueError(f"{source}: the analysis core does not fetch pages; save it first "
                             "(curl -L URL -o page.html) or use the `reliability` command, which "
                             "fetches through the service's safe fetcher")
        html, final_url = _url_reader(source)
        return "html", html, final_url
    path = Path(source)
    if not path.is_file():
        raise ValueError(f"{source}: no such file (give an HTML/text file or an http(s) URL)")
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    content = decode_html(raw)
    kind = "html" if path.name.endswith((".html", ".htm", ".html.gz", ".htm.gz")) or looks_like_html(content) else "text"
    return kind, content, None
