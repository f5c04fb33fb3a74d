"""HTML -> Document: the one place that knows trafilatura.

The page is parsed once with lxml. Before trafilatura cleans the tree we note which texts sit
in elements marked as ads/sponsored/promos or in third-party embeds (trafilatura keeps the
text but drops the attributes), then trafilatura extracts the article as XML with links, which
we read into paragraphs in order. An article body the page splits into sibling containers
around its ads is joined first (trafilatura reads only the first container).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from .document import Document, Link, Paragraph
from .language import detect_language
from .resources import load_json

_CFG = load_json("extract.json")
MAX_HTML_CHARS: int = _CFG["max_html_chars"]
MAX_ELEMENTS: int = _CFG["max_elements"]
MAX_TEXT_CHARS: int = _CFG["max_text_chars"]
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})
MAX_PARAGRAPHS: int = _CFG["max_paragraphs"]
_SITE_NAME_MAX_WORDS: int = _CFG["site_name_max_words"]
_NOT_SITE_NAME_FIRST_WORDS = frozenset(_CFG["not_site_name_first_words"])
MIN_WORDS_WITHOUT_HIDDEN: int = _CFG["min_words_without_hidden"]
_MARKED_RE = re.compile(_CFG["ad_attribute_pattern"], re.I)
_EMBED_CLASSES_RE = re.compile(_CFG["embed_class_pattern"], re.I)
_HIDDEN_STYLE_RE = re.compile(_CFG["hidden_style_pattern"], re.I)
# pages that hide themselves until a script has run (anti-flicker) are still read
_NEVER_DROPPED = frozenset({"html", "body"})
_KIND_BY_TAG = {"p": "p", "head": "heading", "item": "item", "quote": "quote", "cell": "cell"}
_SPLIT = _CFG["split_body"]
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ARTICLE_START_TAGS = frozenset(_SPLIT["article_start_tags"])
_BYLINE_RE = re.compile(_SPLIT["byline_attribute_pattern"], re.I)
_MARKER_KEY_CHARS = 80
_MIN_MARKER_KEY_CHARS = 12


class ExtractionError(ValueError):
    """The HTML could not be turned into an article; the message says why (for `unrated`)."""


@dataclass(frozen=True)
class PageMarkers:
    """Text prefixes of elements the page itself marks as ads/sponsored or as embeds."""

    sponsored: frozenset[str]
    embeds: frozenset[str]
    html_lang: str | None


def _key(text: str) -> str:
    return " ".join(text.split())[:_MARKER_KEY_CHARS]  # case kept: a headline echoing an embed is not it


def decode_html(html: str | bytes) -> str:
    if isinstance(html, str):
        return html
    from trafilatura.utils import decode_file

    return decode_file(html)


def _is_visible(node) -> bool:
    """An element whose own text a reader sees (not a comment, script, style or template)."""
    return isinstance(node.tag, str) and node.tag not in _INVISIBLE


def parse_html(html: str):
    """An lxml tree, or raise ExtractionError."""
    from trafilatura.utils import load_html

    if not html or not html.strip():
        raise ExtractionError("the page is empty")
    if len(html) > MAX_HTML_CHARS:
        raise ExtractionError(
            f"the page is too large to analyse ({len(html) / 1e6:.1f} MB, limit "
            f"{MAX_HTML_CHARS / 1e6:.0f} MB)")
    if "\x00" in html[:4096]:
        raise ExtractionError("the content is binary, not HTML")
    try:
        tree = load_html(html)
        if tree is None and "<html" not in html[:4096].lower():
            # trafilatura refuses a fragment ("<p>…</p>") as dubious: read it as a page body
            tree = load_html(f"<html><body>{html}</body></html>")
    except (ValueError, etree.LxmlError, RecursionError) as exc:
        raise ExtractionError(f"the HTML could not be parsed ({exc.__class__.__name__})") from exc
    if tree is None:
        raise ExtractionError("the HTML could not be parsed")
    elements = text_chars = 0
    for element in tree.iter():
        elements += 1
        if _is_visible(element):
            text_chars += len(element.text or "")
        text_chars += len(element.tail or "")
    if elements > MAX_ELEMENTS:
        raise ExtractionError(
            f"the page is too complex to analyse ({elements:,} HTML elements, limit {MAX_ELEMENTS:,})")
    if text_chars > MAX_TEXT_CHARS:  # extraction time grows with the text, far past any article
        raise ExtractionError(
            f"the page has too much text to analyse ({text_chars:,} characters, limit {MAX_TEXT_CHARS:,})")
    return tree


def scan_markers(tree) -> PageMarkers:
    sponsored, embeds = set(), set()
    for element in tree.iter(tag=etree.Element):
        attrs = " ".join(str(element.get(a, "")) for a in ("class", "id", "data-ad", "data-type", "rel"))
        if not attrs.strip():
            continue
        if _EMBED_CLASSES_RE.search(attrs) or element.tag == "iframe":
            text = _key(element.text_content()) if hasattr(element, "text_content") else ""
            if text:
                embeds.add(text)
        elif _MARKED_RE.search(attrs):
            text = _key(element.text_content()) if hasattr(element, "text_content") else ""
            if text:
                sponsored.add(text)
    html_lang = tree.get("lang") if hasattr(tree, "get") else None
    return PageMarkers(frozenset(sponsored), frozenset(embeds), html_lang)


def drop_hidden(tree) -> bool:
    """Remove what the reader never sees (an inline style that hides it): trafilatura prunes such
    elements but can restore them when its fallbacks run, and then a page's hidden schema.org
    copy of itself is read as the article said twice (with its dates and image URLs as
    paragraphs). The `hidden` attribute is no such sign: streamed React pages and "until-found"
    sections carry their article in it for scripts or the reader to reveal. True if any went."""
    hidden = [element for element in tree.iter(tag=etree.Element)
              if element.tag not in _NEVER_DROPPED
              and _HIDDEN_STYLE_RE.search(element.get("style") or "")]
    for element in hidden:
        _remove_keeping_tail(element)
    return bool(hidden)


def _remove_keeping_tail(element) -> None:
    """Take an element out of the tree, leaving the text that follows it in place."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:  # the text after the element is the parent's, and visible
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def join_split_body(tree) -> int:
    """Join an article body split into several containers around ads (Wired: one `article__body`
    div per stretch of text): trafilatura reads the first container its body selectors find and
    leaves the rest of the article out. The later containers' contents are moved into the first
    one, in order, while each is the same element with the same class, holds prose (see
    _holds_prose) and follows the previous one closely (see _follows_closely: an "Advertisement"
    label between them); the first that does not ends the article (a list of other articles or
    teasers in the same container class, a next article). Links after a part's last paragraph
    of prose ("More stories") stay out. The number of containers joined to the first."""
    repeated = _repeated_prose_holders(tree)
    if not repeated:
        return 0  # most pages: no two containers alike with prose in each (and no selector run)
    first = _body_container(tree)
    if first is None or (first.tag, first.get("class")) not in repeated:
        return 0
    later = [element for element in tree.iter(first.tag)
             if element is not first and element.get("class") == first.get("class")
             and not _is_inside(element, first)]
    if not later or not _holds_prose(first):
        return 0
    elements = list(tree.iter())
    order = {element: i for i, element in enumerate(elements)}
    parts = [first]
    for element in later:
        if order[element] < order[first] or _is_inside(element, parts[-1]):
            continue  # before the body or around it, or inside a part already taken
        if not _follows_closely(parts[-1], element, elements, order) or not _holds_prose(element):
            break
        parts.append(element)
    for part in parts[1:]:
        if part.text and part.text.strip():  # text before the part's first element
            lead = etree.SubElement(first, "p")
            lead.text = part.text
        part.text = None
        children = list(part)
        last_prose = max((i for i, child in enumerate(children) if _long_paragraphs(child)),
                         default=len(children) - 1)
        trailer = children[last_prose + 1:]
        if _link_share(trailer) > _SPLIT["max_link_share"]:
            children = children[:last_prose + 1]  # "More stories": links after the last prose stay out
        for child in children:
            first.append(child)  # moves it, its tail with it
        if not len(part):
            _remove_keeping_tail(part)
    return len(parts) - 1


def _repeated_prose_holders(tree) -> set[tuple[str, str]]:
    """(tag, class) of the classed elements that at least two elements share, each with at least
    min_long_paragraphs paragraphs of prose: the only kind of container a split body can be."""
    long_paragraphs: dict = {}
    for paragraph in tree.iter("p"):
        if _text_chars(paragraph) >= _SPLIT["min_paragraph_chars"]:
            for ancestor in paragraph.iterancestors():
                if ancestor.get("class"):
                    long_paragraphs[ancestor] = long_paragraphs.get(ancestor, 0) + 1
    holders = Counter((element.tag, element.get("class")) for element, count in long_paragraphs.items()
                      if count >= _SPLIT["min_long_paragraphs"])
    return {key for key, count in holders.items() if count >= 2}


def _body_container(tree):
    """The element trafilatura's first matching body selector picks, or None."""
    try:
        from trafilatura.xpaths import BODY_XPATH
    except ImportError:  # pragma: no cover - a trafilatura without them: no joining
        return None
    for expr in BODY_XPATH:
        found = next((element for element in expr(tree) if element is not None), None)
        if found is not None:
            return found
    return None


def _is_inside(element, container) -> bool:
    return any(ancestor is container for ancestor in element.iterancestors())


def _visible_chars(text: str | None) -> int:
    return len("".join(text.split())) if text else 0


def _text_chars(element) -> int:
    """Visible characters in an element (not those of its scripts and styles)."""
    chars = 0
    for node in element.iter():
        if _is_visible(node):
            chars += _visible_chars(node.text)
        if node is not element:
            chars += _visible_chars(node.tail)
    return chars


def _long_paragraphs(element) -> list[tuple[object, int]]:
    """(parent, length) of each paragraph of prose in (or at) an element."""
    sized = ((p.getparent(), _text_chars(p)) for p in element.iter("p"))
    return [(parent, n) for parent, n in sized if n >= _SPLIT["min_paragraph_chars"]]


def _link_share(elements) -> float:
    total = sum(_text_chars(element) for element in elements)
    linked = sum(_text_chars(a) for element in elements for a in element.iter("a"))
    return linked / total if total else 0.0


def _holds_prose(element) -> bool:
    """Running text, not teasers: enough long paragraphs side by side (a teaser's blurb sits alone
    in its own box), most of the text in them, few links and no linked headings (teaser titles)."""
    total = _text_chars(element)
    if not total or _link_share([element]) > _SPLIT["max_link_share"]:
        return False
    long = _long_paragraphs(element)
    if (len(long) < _SPLIT["min_long_paragraphs"]
            or sum(n for _, n in long) < _SPLIT["min_prose_share"] * total):
        return False
    side_by_side = Counter(parent for parent, _ in long)
    if max(side_by_side.values()) < _SPLIT["min_long_paragraphs"]:
        return False
    return not any(_link_share([heading]) > _SPLIT["max_heading_link_share"]
                   for heading in element.iter(*_HEADINGS))


def _follows_closely(before, after, elements, order) -> bool:
    """Between the end of `before` and the start of `after` (in reading order): at most
    max_gap_chars visible characters, and no start of a next article (a heading h1-h3, a
    `header`, a `time` or a byline/author element), however short its headline and byline."""
    inside_after = set(after.iterancestors())  # the wrappers `after` opens in: not between
    end = order[before]
    for node in before.iter():
        end = max(end, order[node])
    # the tails of `before` and of its ancestors that close before `after` opens
    chars = sum(_visible_chars(node.tail) for node in (before, *before.iterancestors())
                if node not in inside_after)
    for node in elements[end + 1:order[after]]:
        if _is_visible(node):
            if node not in inside_after and _starts_an_article(node):
                return False
            chars += _visible_chars(node.text)
        if node not in inside_after:
            chars += _visible_chars(node.tail)
    return chars <= _SPLIT["max_gap_chars"]


def _starts_an_article(element) -> bool:
    """A next article's headline, header, date or byline."""
    if element.tag in _ARTICLE_START_TAGS:
        return True
    return any(_BYLINE_RE.search(element.get(name) or "") for name in ("class", "itemprop"))


def extract_document(html: str | bytes, url: str | None = None) -> Document:
    """Turn a page into a Document, or raise ExtractionError saying why it is not an article."""
    html = decode_html(html)
    tree = parse_html(html)
    markers = scan_markers(tree)
    if drop_hidden(tree):
        try:
            doc = _extract(tree, url, markers)
        except ExtractionError:
            doc = None
        if doc is not None and doc.word_count >= MIN_WORDS_WITHOUT_HIDDEN:
            return doc
        # a page that keeps its article hidden until its scripts run: read it whole
        tree = parse_html(html)
    return _extract(tree, url, markers)


_BLANK_LINE_RE = re.compile(r"\n\s*\n")


def wrap_loose_text(tree) -> None:
    """Put text that sits directly in <body> (a hand-made page, plain text posted as HTML) into
    <p> elements, one per blank-line-separated block: trafilatura reads only text in elements,
    so such a page came out with no article at all."""
    body = tree if tree.tag == "body" else tree.find(".//body")
    if body is None:
        return
    for child in reversed(list(body)):
        if child.tail and child.tail.strip():
            index = body.index(child) + 1
            body[index:index] = _paragraph_elements(child.tail)
            child.tail = None
    if body.text and body.text.strip():
        body[0:0] = _paragraph_elements(body.text)
        body.text = None


def _paragraph_elements(text: str) -> list:
    elements = []
    for block in _BLANK_LINE_RE.split(text):
        if block.strip():
            element = etree.Element("p")
            element.text = " ".join(block.split())
            elements.append(element)
    return elements


def _extract(tree, url: str | None, markers: PageMarkers) -> Document:
    import trafilatura

    wrap_loose_text(tree)
    join_split_body(tree)
    try:
        xml = trafilatura.extract(tree, url=url, output_format="xml", include_links=True,
                                  include_comments=False, include_tables=True,
                                  with_metadata=True, deduplicate=False)
    except (ValueError, etree.LxmlError, RecursionError, TypeError) as exc:
        raise ExtractionError(f"extraction failed ({exc.__class__.__name__})") from exc
    if not xml:
        raise ExtractionError("no article text was found on the page")
    doc = document_from_xml(xml, url=url, markers=markers)
    doc.language = detect_language(doc.text, markers.html_lang)
    return doc


def document_from_xml(xml: str, url: str | None = None,
                      markers: PageMarkers | None = None) -> Document:
    root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(recover=True, huge_tree=False))
    if root is None:
        raise ExtractionError("extraction produced no document")
    for line_break in root.iter("lb"):  # <lb/> carries no text: keep the words apart
        line_break.tail = " " + (line_break.tail or "")
    main = root.find("main")
    paragraphs: list[Paragraph] = []
    title = root.get("title") or ""
    headline_in_page = False  # the page shows the whole title as its heading: no site name in it
    for element in (main.iter() if main is not None else ()):
        kind = _KIND_BY_TAG.get(element.tag)
        if kind is None or _has_block_child(element):
            continue
        if len(paragraphs) >= MAX_PARAGRAPHS:
            break  # the article is in the first paragraphs; this bounds the signals' work
        text = _text_of(element)
        if not text:
            continue
        if kind == "heading" and not paragraphs and _same(text, title):
            headline_in_page = True
            continue  # the headline itself: it is the title, not body text
        links = [Link(_text_of(ref), ref.get("target", "")) for ref in element.iter("ref")]
        in_quote = any(a.tag == "quote" for a in element.iterancestors())
        paragraphs.append(Paragraph(
            index=len(paragraphs), text=text,
            kind="quote" if in_quote and kind == "p" else kind,
            links=[link for link in links if link.href],
            markers=_markers_for(text, markers),
        ))
    site = root.get("sitename") or root.get("hostname") or ""
    return Document(
        title=title.strip() if headline_in_page else strip_site_suffix(title.strip(), site),
        url=url or root.get("url"),
        site=site,
        date=root.get("date"),
        author=root.get("author"),
        description=root.get("description") or "",
        paragraphs=paragraphs,
    )


def strip_site_suffix(title: str, site: str) -> str:
    """'Headline - Site Name' -> 'Headline': the headline is what the clickbait signal judges.
    With the site unknown, only a tail that could be a name goes: a few words, not a question or
    an exclamation ("… — What Really Happened?" is the headline's own), starting like a name, not
    like a sentence ("… — Here's Why", "… - and it gets worse")."""
    for sep in (" - ", " | ", " – ", " — ", " :: "):
        head, found, tail = title.rpartition(sep)
        tail = tail.strip()
        if not (found and head and len(tail) < 60):
            continue
        if site:
            if tail.lower() in site.lower() or site.lower() in tail.lower():
                return head.strip()
        elif (len(tail.split()) <= _SITE_NAME_MAX_WORDS and not tail.endswith(("?", "!"))
              and _looks_like_a_name(tail)):
            return head.strip()
    return title


def _looks_like_a_name(text: str) -> bool:
    """Starts with a capital or a digit, and not with a word that opens a sentence."""
    first = text.split()[0] if text.split() else ""
    if not first or not (first[0].isupper() or first[0].isdigit()):
        return False
    word = first.replace("\u2019", "'").strip(".,:;!?\"'").lower()
    return word not in _NOT_SITE_NAME_FIRST_WORDS


def _has_block_child(element) -> bool:
    return any(child.tag in _KIND_BY_TAG or child.tag == "list" for child in element)


def _text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


def _markers_for(text: str, markers: PageMarkers | None) -> frozenset[str]:
    if markers is None:
        return frozenset()
    key = _key(text)
    if len(key) < _MIN_MARKER_KEY_CHARS:
        return frozenset()  # too short to tell which element it came from
    found = set()
    if any(_overlaps(key, m) for m in markers.sponsored):
        found.add("sponsored")
    if any(_overlaps(key, m) for m in markers.embeds):
        found.add("embed")
    return frozenset(found)


def _overlaps(key: str, marked: str) -> bool:
    return len(marked) >= _MIN_MARKER_KEY_CHARS and (key.startswith(marked) or marked.startswith(key))
