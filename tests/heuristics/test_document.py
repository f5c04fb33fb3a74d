import pytest

from heuristics.document import Document, host_of, split_sentences


@pytest.mark.parametrize("text, expected", [
    ("One. Two.", ["One.", "Two."]),
    ("Mr. Smith went to Washington. He left.", ["Mr. Smith went to Washington.", "He left."]),
    ("Growth was 3.5 percent in 2024. Prices rose.", ["Growth was 3.5 percent in 2024.", "Prices rose."]),
    ('He said: "It is over." Then he left.', ['He said: "It is over."', "Then he left."]),
    ("The U.S. economy grew. It slowed later.", ["The U.S. economy grew.", "It slowed later."]),
    ("J. K. Rowling agreed. Critics did not.", ["J. K. Rowling agreed.", "Critics did not."]),
    ("Why? Because! 25,000 workers went.", ["Why?", "Because!", "25,000 workers went."]),
    ("Gen. Milley spoke on Jan. 5 in Washington.", ["Gen. Milley spoke on Jan. 5 in Washington."]),
    ("no terminal punctuation", ["no terminal punctuation"]),
    ("", []),
])
def test_split_sentences(text, expected):
    assert [text[a:b] for a, b in split_sentences(text)] == expected


def test_from_text_builds_paragraphs_and_counts_words():
    doc = Document.from_text("Title", "First paragraph here.\n\n  Second one, longer.  \n")
    assert [p.text for p in doc.paragraphs] == ["First paragraph here.", "Second one, longer."]
    assert [p.index for p in doc.paragraphs] == [0, 1]
    assert doc.word_count == 6
    pairs = list(doc.sentences())
    assert [s.text for _, s in pairs] == ["First paragraph here.", "Second one, longer."]


@pytest.mark.parametrize("url, host", [
    ("https://www.Example.com/a?b=1", "example.com"),
    ("http://news.site.org", "news.site.org"),
    (None, ""),
    ("not a url", ""),
    ("http://[::1", ""),
])
def test_host_of(url, host):
    assert host_of(url) == host
