"""Evidence placed in the text: in whole paragraphs when the text is known, else in context."""

from __future__ import annotations

import pytest

from server.moderation.highlight import Mark, build, locate, matches, segments

M1, M2 = Mark("a", 0, "k", "e"), Mark("b", 0, "k", "e")


@pytest.mark.parametrize("text,item,expected", [
    ("one two one", {"exact": "one"}, (0, 3)),
    ("one two one", {"exact": "one", "prefix": "two "}, (8, 11)),
    ("one two one three", {"exact": "one", "suffix": " three"}, (8, 11)),
    ("one two", {"exact": "four"}, None),
    ("Shocking Deal!", {"exact": "!", "prefix": "Deal"}, (13, 14)),
])
def test_locate(text, item, expected):
    assert locate(text, item) == expected


@pytest.mark.parametrize("text,spans,expected", [
    ("abcdef", [], [("abcdef", [])]),
    ("abcdef", [(2, 4, M1)], [("ab", []), ("cd", [M1]), ("ef", [])]),
    ("abcdef", [(0, 4, M1), (2, 6, M2)], [("ab", [M1]), ("cd", [M1, M2]), ("ef", [M2])]),
    ("abcdef", [(0, 6, M1)], [("abcdef", [M1])]),
    ("", [], [("", [])]),
])
def test_segments(text, spans, expected):
    assert [(s.text, s.marks) for s in segments(text, spans)] == expected


REPORT = {
    "article": {"title": "Shocking news here!"},
    "signals": {
        "clickbait": {"evidence": [
            {"exact": "Shocking", "prefix": "", "suffix": " news here!", "location": "headline"},
            {"exact": "missing", "location": "headline"},
        ]},
        "claims": {"evidence": [
            {"exact": "Reports have emerged.", "prefix": "First. ", "suffix": " Then more text follows",
             "location": "body", "paragraph": 1},
            {"exact": "Then more text follows", "prefix": "s have emerged. ", "suffix": " here.",
             "location": "body", "paragraph": 1},
            {"exact": "Elsewhere.", "prefix": "", "suffix": "", "location": "body", "paragraph": 3},
            {"exact": "", "location": "body", "paragraph": 0},
        ]},
    },
}
PARAGRAPHS = ["Intro.", "First. Reports have emerged. Then more text follows here.", "Middle.", "Elsewhere."]


def test_build_with_text_marks_in_place():
    view = build(REPORT, PARAGRAPHS)
    assert view.full_text and len(view.blocks) == 4
    assert [(s.text, [m.signal for m in s.marks]) for s in view.headline] == \
        [("Shocking", ["clickbait"]), (" news here!", [])]
    para = view.blocks[1].segments
    assert "".join(s.text for s in para) == PARAGRAPHS[1]
    assert [s.text for s in para if s.marks] == ["Reports have emerged.", "Then more text follows"]
    assert [m.index for m in view.unplaced] == [1]  # the headline quote that is not there


def test_build_without_text_merges_contexts():
    view = build(REPORT, None)
    assert not view.full_text
    assert [b.paragraph for b in view.blocks] == [1, 3]
    merged = view.blocks[0]
    assert merged.fragment
    assert "".join(s.text for s in merged.segments) == \
        "First. Reports have emerged. Then more text follows here."
    assert [s.text for s in merged.segments if s.marks] == ["Reports have emerged.", "Then more text follows"]


@pytest.mark.parametrize("paragraphs,expected", [
    (PARAGRAPHS, True),
    (["Intro.", "Changed text.", "Middle.", "Elsewhere."], False),
    (PARAGRAPHS[:2], False),
    ([], False),
])
def test_matches(paragraphs, expected):
    assert matches(REPORT, paragraphs) is expected


@pytest.mark.parametrize("report", [{}, {"signals": None}, {"signals": {"x": "junk"}},
                                    {"signals": {"x": {"evidence": ["junk", {"exact": 3}]}}}])
def test_build_survives_odd_reports(report):
    view = build(report, None)
    assert view.blocks == [] and view.unplaced == []


def test_seed_report_every_quote_placed(seed_report, seed_html):
    from heuristics.extract import extract_document

    paragraphs = [p.text for p in extract_document(seed_html).paragraphs]
    assert matches(seed_report, paragraphs)
    view = build(seed_report, paragraphs)
    assert view.unplaced == []
    marked = {m.signal for b in view.blocks for s in b.segments for m in s.marks}
    marked |= {m.signal for s in view.headline for m in s.marks}
    assert {"clickbait", "unattributed_claims", "promotions"} <= marked
