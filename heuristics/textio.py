"""Reading what the CLI is pointed at: a file (HTML, gzipped HTML or plain text), or a URL
through a reader the caller installs.

The analysis core does no network I/O. The `reliability` command (server.cli) installs the
service's hardened fetcher (refuses private addresses, bounded size and time) as the URL reader;
`python -m heuristics` has none and asks for a saved page instead.
"""

from __future__ import annotations

import gzip
import zlib
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


# in the first 64K characters a NUL, or more than 5% control characters / undecodable bytes,
# means binary data (the API's `html-not-text` uses this function too)
_BINARY_SAMPLE_CHARS = 65536
_BINARY_JUNK_SHARE = 0.05
_GZIP_MAGIC = b"\x1f\x8b"


def looks_binary(text: str) -> bool:
    """Decoded content that is binary data (an executable, an image), not a text page."""
    sample = text[:_BINARY_SAMPLE_CHARS]
    if not sample:
        return False
    junk = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or c == "\ufffd")
    return "\x00" in sample or junk / len(sample) > _BINARY_JUNK_SHARE


def _read_file(source: str) -> bytes:
    """The bytes of a regular file, gunzipped when it is (or is named) gzip; ValueError naming the
    file otherwise."""
    path = Path(source)
    if path.is_dir():
        raise ValueError(f"{source}: is a directory (give an HTML/text file or an http(s) URL)")
    if not path.exists():
        raise ValueError(f"{source}: no such file (give an HTML/text file or an http(s) URL)")
    if not path.is_file():  # /dev/null, a pipe, a socket: refused rather than read as a page
        raise ValueError(f"{source}: is not a regular file (give a saved HTML/text file)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{source}: cannot be read ({exc.strerror or exc})") from exc
    if path.suffix == ".gz" or raw.startswith(_GZIP_MAGIC):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:  # bad header or CRC, truncated, corrupt
            raise ValueError(f"{source}: not a readable gzip file ({exc})") from exc
    return raw


def read_source(source: str) -> tuple[str, str, str | None]:
    """(kind, content, url): kind is "html" or "text". ValueError with a one-line message naming
    the source when it cannot be read as a page."""
    if source.startswith(("http://", "https://")):
        if _url_reader is None:
            raise ValueError(f"{source}: the analysis core does not fetch pages; save it first "
                             "(curl -L URL -o page.html) or use the `reliability` command, which "
                             "fetches through the service's safe fetcher")
        html, final_url = _url_reader(source)
        return "html", html, final_url
    content = decode_html(_read_file(source))
    if looks_binary(content):
        raise ValueError(f"{source}: binary data, not an HTML or text file")
    kind = "html" if Path(source).name.endswith((".html", ".htm", ".html.gz", ".htm.gz")) or looks_like_html(content) else "text"
    return kind, content, None
