"""Property-based: whatever comes in, analyze_html returns a report with scores in range."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heuristics import analyze_html, analyze_text

LEVELS = {"reliable", "mixed", "unreliable", "unrated"}

tags = st.sampled_from(["p", "div", "article", "h1", "h2", "li", "blockquote", "a", "span", "script"])
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@st.composite
def html_pages(draw):
    parts = ["<html><body>"]
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(tags)
        parts.append(f"<{tag}>{draw(words)}</{tag}>")
    if draw(st.booleans()):
        parts.append("<p>" + " ".join(draw(st.lists(words, max_size=80))) + "</p>")
    return "".join(parts)


def _check(report):
    data = report.to_dict()
    json.dumps(data)
    assert data["badge"]["level"] in LEVELS
    score = data["badge"]["score"]
    assert score is None or 0 <= score <= 100
    for signal in data["signals"].values():
        assert 0.0 <= signal["score"] <= 1.0


settings.register_profile("analyzer", deadline=None, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])


@settings(settings.get_profile("analyzer"))
@given(st.one_of(st.text(), st.binary(), html_pages()))
def test_analyze_html_never_raises(page):
    _check(analyze_html(page))


@settings(settings.get_profile("analyzer"))
@given(st.text(max_size=300), st.lists(st.text(max_size=400), max_size=40))
def test_analyze_text_never_raises(title, lines):
    _check(analyze_text(title, "\n".join(lines)))
