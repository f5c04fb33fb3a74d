"""An article body split into sibling containers around ads (as Wired does) is read whole; a
container of the same class holding other articles' teasers, or a next article, is not."""

import pytest

from heuristics.extract import extract_document, join_split_body, parse_html

_BODY = "grid--item body body__container article__body"


def _prose(part: int, count: int) -> str:
    return "".join(
        f"<p>Part {part} paragraph {i}: the council met on Tuesday to weigh the new bus lanes, and "
        f"the mayor said the budget for the coming year would have to <a href='/budget'>pay</a> for "
        f"them out of the road repair fund, which the opposition has long wanted kept apart.</p>"
        for i in range(count))


def _part(part: int, count: int = 4, extra: str = "") -> str:
    return (f"<div class='grid grid-layout--adrail'><div class='{_BODY}'>{_prose(part, count)}{extra}</div>"
            f"<div class='grid-layout__aside'></div></div>")


_AD = "<div class='row full-bleed-ad'><div class='ad ad--mid-content'><span>Advertisement</span></div></div>"


def _page(*blocks: str) -> str:
    return ("<html lang='en'><head><title>Council approves bus lanes</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><main><article>"
            "<h1>Council approves bus lanes</h1><div class='layout'>"
            + "".join(blocks) + "</div></article></main><footer>© Example News</footer></body></html>")


def _parts_read(doc) -> list[tuple[int, int]]:
    return [(int(p.text.split()[1]), int(p.text.split()[3].rstrip(":")))
            for p in doc.paragraphs if p.text.startswith("Part ")]


@pytest.mark.parametrize("parts", [2, 3])
def test_an_article_split_around_ads_is_read_whole_and_in_order(parts):
    blocks = []
    for part in range(parts):
        if part:
            blocks.append(_AD)
        blocks.append(_part(part))
    doc = extract_document(_page(*blocks))
    assert _parts_read(doc) == [(part, i) for part in range(parts) for i in range(4)]
    assert not any("Advertisement" in p.text for p in doc.paragraphs)


def test_the_parts_are_moved_into_the_first_container():
    tree = parse_html(_page(_part(0), _AD, _part(1), _AD, _part(2)))
    assert join_split_body(tree) == 2
    containers = [e for e in tree.iter("div") if e.get("class") == _BODY]
    assert len(containers) == 1
    texts = [p.text_content().split(":")[0] for p in containers[0].iter("p")]
    assert texts == [f"Part {part} paragraph {i}" for part in range(3) for i in range(4)]


_TEASERS = "".join(
    f"<div class='teaser'><h3><a href='/story-{i}'>Other story number {i} about the city</a></h3>"
    f"<p>A short blurb for story {i}, read it next.</p></div>" for i in range(8))


def test_a_same_class_container_of_teasers_after_the_article_is_not_merged():
    doc = extract_document(_page(_part(0, count=6), _AD, f"<div class='{_BODY}'>{_TEASERS}</div>"))
    assert _parts_read(doc) == [(0, i) for i in range(6)]
    assert not any("Other story number" in p.text or "short blurb" in p.text for p in doc.paragraphs)


_BLURB = ("the reporter follows the harbour workers through a week of storms, strikes and late "
          "ferries, and asks what the new port plan will change for the families who live there")
_LONG_TEASERS = [
    # each teaser in its own box: a linked title and a blurb as long as an article's paragraph
    "".join(f"<div class='teaser'><h3><a href='/story-{i}'>Other story number {i}</a></h3>"
            f"<p>Story {i}: {_BLURB}.</p></div>" for i in range(6)),
    # the same, flat: linked titles and blurbs side by side
    "".join(f"<h3><a href='/story-{i}'>Other story number {i}</a></h3><p>Story {i}: {_BLURB}.</p>"
            for i in range(6)),
]


@pytest.mark.parametrize("teasers", _LONG_TEASERS)
def test_teasers_with_long_blurbs_are_not_merged(teasers):
    page = _page(_part(0, count=6), _AD, f"<div class='{_BODY}'>{teasers}</div>")
    assert join_split_body(parse_html(page)) == 0
    doc = extract_document(page)
    assert _parts_read(doc) == [(0, i) for i in range(6)]
    assert not any("Other story number" in p.text or "harbour workers" in p.text for p in doc.paragraphs)


def test_a_same_class_container_of_teasers_ends_the_article():
    # the article's own parts are joined up to the teasers, not past them
    page = _page(_part(0), _AD, _part(1), f"<div class='{_BODY}'>{_TEASERS}</div>", _part(2))
    tree = parse_html(page)
    assert join_split_body(tree) == 1
    doc = extract_document(page)
    assert _parts_read(doc) == [(part, i) for part in range(2) for i in range(4)]


def test_a_next_article_in_the_same_container_class_is_not_merged():
    next_article = ("<header><h2>Storm closes the harbour for a second day</h2>"
                    "<p class='byline'>By A. Reporter, Staff Writer, Example News, 19 November 2019</p>"
                    "<p class='dek'>Ferries stay in port as the wind keeps blowing and forecasters warn of "
                    "more to come this week; the port authority says it will decide each morning.</p></header>")
    doc = extract_document(_page(_part(0), next_article, _part(1)))
    assert _parts_read(doc) == [(0, i) for i in range(4)]


def test_links_after_the_last_part_s_prose_stay_out():
    more = ("<hr><div class='heading-h3'>More Great Stories</div><ul>"
            + "".join(f"<li><a href='/more-{i}'>Another great story you will love, number {i}</a></li>"
                      for i in range(6)) + "</ul>")
    doc = extract_document(_page(_part(0), _AD, _part(1, extra=more)))
    assert _parts_read(doc) == [(part, i) for part in range(2) for i in range(4)]
    assert not any("Another great story" in p.text for p in doc.paragraphs)


def test_a_single_body_container_is_left_alone():
    page = _page(_part(0, count=8))
    tree = parse_html(page)
    assert join_split_body(tree) == 0
    assert _parts_read(extract_document(page)) == [(0, i) for i in range(8)]


def _first_body(tree):
    return next(e for e in tree.iter("div") if e.get("class") == _BODY)


@pytest.mark.parametrize("between", [
    # a next article's headline and byline: fewer visible characters than an ad label allows
    "<h2>Storm closes the harbour</h2><p class='byline'>By A. Reporter, Staff Writer, 19 November 2019</p>",
    "<h3>Storm closes the harbour</h3>",
    "<header><span>Storm closes the harbour</span></header>",
    "<div class='meta'><time datetime='2019-11-19'>19 November 2019</time></div>",
    "<div class='article-meta'><span itemprop='author'>A. Reporter</span></div>",
    "<div class='c-author-line'>A. Reporter</div>",
])
def test_a_next_article_s_short_headline_or_byline_ends_the_article(between):
    page = _page(_part(0), between, _part(1))
    tree = parse_html(page)
    assert join_split_body(tree) == 0
    assert "Part 1" not in _first_body(tree).text_content()
    assert _parts_read(extract_document(page)) == [(0, i) for i in range(4)]


def test_a_trailer_of_links_inside_the_last_part_is_not_moved():
    # paragraphs of links after the last prose: trafilatura would keep them in the body
    trailer = "".join(f"<p>Read next: <a href='/more-{i}'>Another great story about the harbour "
                      f"and its ferries, number {i}</a></p>" for i in range(4))
    page = _page(_part(0), _AD, _part(1, extra=trailer))
    tree = parse_html(page)
    assert join_split_body(tree) == 1
    first = _first_body(tree)
    assert "Part 1 paragraph 3" in first.text_content()
    assert "Another great story" not in first.text_content()
    doc = extract_document(page)
    assert _parts_read(doc) == [(part, i) for part in range(2) for i in range(4)]
    assert not any("Another great story" in p.text for p in doc.paragraphs)


def _joined(second: str) -> tuple[int, str]:
    tree = parse_html(_page(_part(0), _AD, f"<div class='{_BODY}'>{second}</div>"))
    return join_split_body(tree), _first_body(tree).text_content()


# What follows the article in the same container class without being prose: each case fails
# without the rule named.
_NOT_PROSE = {
    # side by side: teasers without linked titles, only their boxes tell them apart
    "long blurbs each in its own box": "".join(
        f"<div class='teaser'><h3>Other story number {i}</h3><p>Story {i}: {_BLURB}.</p></div>"
        for i in range(6)),
    # link share
    "a part mostly in links": "".join(
        f"<p>Story {i}: the reporter follows <a href='/story-{i}'>the harbour workers through a week "
        f"of storms, strikes and late ferries</a>, and asks what the new port plan will change.</p>"
        for i in range(6)),
    # prose share: two paragraphs, and more text again in a list (comments, a table of results)
    "a part mostly outside paragraphs": f"<p>Story: {_BLURB}.</p><p>More: {_BLURB}.</p><ul>" + "".join(
        f"<li>Reader {i} writes that the ferries were late all week and the port plan will change "
        f"nothing for the families who live by the harbour.</li>" for i in range(8)) + "</ul>",
}


@pytest.mark.parametrize("second", _NOT_PROSE.values(), ids=_NOT_PROSE.keys())
def test_a_part_that_is_not_prose_is_not_joined(second):
    joined, text = _joined(second)
    assert joined == 0
    assert "harbour workers" not in text
