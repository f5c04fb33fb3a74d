"""The document model every signal reads: title, metadata, paragraphs in order, sentences.

Offsets (`Sentence.start`/`end`) index into their paragraph's `text`, so evidence can be
quoted verbatim with context from the same string the reader sees in the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from .resources import load_json

WORD_RE = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['’][A-Za-z]+)?")


def words(text: str) -> list[str]:
    """Word tokens (letters/digits, keeping contractions together)."""
    return WORD_RE.findall(text)


def host_of(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


@dataclass(frozen=True)
class Link:
    text: str
    href: str

    @property
    def host(self) -> str:
        return host_of(self.href)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset into the paragraph's text
    end: int


@dataclass
class Paragraph:
    index: int
    text: str
    kind: str = "p"  # "p", "heading", "item", "quote", "cell"
    links: list[Link] = field(default_factory=list)
    markers: frozenset[str] = frozenset()  # from the HTML: "sponsored", "ad", "promo", "embed"

    @cached_property
    def sentences(self) -> list[Sentence]:
        return [Sentence(self.text[a:b], a, b) for a, b in split_sentences(self.text)]

    @cached_property
    def words(self) -> list[str]:
        return words(self.text)

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"

    @property
    def link_hosts(self) -> list[str]:
        return sorted({link.host for link in self.links if link.host})

    @property
    def link_text_ratio(self) -> float:
        """Share of the paragraph's characters that sit inside links."""
        if not self.text:
            return 0.0
        return min(1.0, sum(len(link.text) for link in self.links) / len(self.text))


@dataclass
class Document:
    title: str = ""
    url: str | None = None
    site: str = ""
    date: str | None = None
    author: str | None = None
    description: str = ""
    language: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def host(self) -> str:
        return host_of(self.url)

    @property
    def body(self) -> list[Paragraph]:
        """Paragraphs that carry running text (not headings)."""
        return [p for p in self.paragraphs if not p.is_heading]

    @cached_property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @cached_property
    def word_count(self) -> int:
        return sum(len(p.words) for p in self.body)

    def sentences(self):
        """(paragraph, sentence) pairs over the running text, in order."""
        for paragraph in self.body:
            for sentence in paragraph.sentences:
                yield paragraph, sentence

    @classmethod
    def from_text(cls, title: str, text: str, url: str | None = None, **meta) -> "Document":
        """A document from a title and plain text: one paragraph per non-empty line."""
        lines = [line.strip() for line in (text or "").splitlines()]
        paragraphs = [Paragraph(i, line) for i, line in enumerate(l for l in lines if l)]
        return cls(title=(title or "").strip(), url=url, paragraphs=paragraphs, **meta)


# --- sentence splitting -------------------------------------------------------------------
# A boundary is terminal punctuation (plus closing quotes/brackets) followed by space and an
# upper-case letter, digit or opening quote, unless the token before it is a known
# abbreviation, an initial ("J. Smith") or a number's decimal point ("3.5").

_ABBREVIATIONS = frozenset(a.lower() for a in load_json("abbreviations.json")["abbreviations"])
_BOUNDARY_RE = re.compile(r"""([.!?…]+["'”’)\]]*)(\s+)(?=["'“‘(\[]?[A-Z0-9À-Ý])""")
_TOKEN_BEFORE_RE = re.compile(r"(\S+)$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences in `text`, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        end = match.end(1)
        if _is_abbreviation(text[start:match.start(1) + 1]):
            continue
        spans.append((start, end))
        start = match.end(2)
    if start < len(text):
        spans.append((start, len(text)))
    return [_trim(text, a, b) for a, b in spans if text[a:b].strip()]


def _is_abbreviation(head: str) -> bool:
    token = _TOKEN_BEFORE_RE.search(head)
    if not token:
        return False
    word = token.group(1).lstrip("\"'“‘([").lower()
    if not word.endswith("."):
        return False  # ended in ! ? or …: always a boundary
    bare = word[:-1]
    if len(bare) == 1 and bare.isalpha():
        return True  # an initial: "J. Smith", "U.S."-style pieces
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):
        return True  # "u.s", "e.g"
    return bare in _ABBREVIATIONS


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
