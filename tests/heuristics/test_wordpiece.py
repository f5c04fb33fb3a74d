"""heuristics/wordpiece.py: BERT-uncased WordPiece, cases derived by hand from the tokenizer rules."""

from __future__ import annotations

import pytest

from heuristics.wordpiece import WordPiece, basic_tokenize, is_punctuation

# a toy vocabulary, so every expected tokenization can be worked out by hand
TOY = ["[PAD]", "[UNK]", "un", "##aff", "##able", "want", "##ed", "run", "##ning", "!", ",", "cafe", "the",
       "you", "won", "'", "t", "believe", "$", "5", ".", "99", "東", "京"]


@pytest.mark.parametrize("text, words", [
    ("Hello World", ["hello", "world"]),                       # lower-case
    ("Café NAÏVE résumé", ["cafe", "naive", "resume"]),         # accents stripped
    ("won't!", ["won", "'", "t", "!"]),                         # every punctuation mark split off
    ("$5.99", ["$", "5", ".", "99"]),                           # ASCII symbols count as punctuation
    ("a\u00a0b\tc\nd", ["a", "b", "c", "d"]),                   # any whitespace separates
    ("東京", ["東", "京"]),                                        # CJK ideographs one by one
    ("zero\u200bwidth\x00", ["zerowidth"]),                   # control/format characters dropped (U+200B is Cf)
    ("", []),
])
def test_basic_tokenize(text, words):
    assert basic_tokenize(text) == words


@pytest.mark.parametrize("text, pieces", [
    ("unaffable", ["un", "##aff", "##able"]),                  # greedy longest match, ## continuation
    ("Wanted running", ["want", "##ed", "run", "##ning"]),
    ("unwanted", ["[UNK]"]),                                    # "##want" missing: the whole word is unknown
    ("You won't believe!", ["you", "won", "'", "t", "believe", "!"]),
    ("CAFÉ, the", ["cafe", ",", "the"]),
    ("$5.99", ["$", "5", ".", "99"]),
    ("un" * 51, ["[UNK]"]),                                     # longer than 100 characters
    ("東京", ["東", "京"]),
])
def test_wordpiece_toy_vocabulary(text, pieces):
    assert WordPiece(TOY).tokenize(text) == pieces


def test_ids_follow_vocabulary_order_and_unknown_is_required():
    tok = WordPiece(TOY)
    assert tok.ids("unaffable!") == [2, 3, 4, 9]
    with pytest.raises(ValueError):
        WordPiece(["a", "b"])


@pytest.mark.parametrize("ch, expected", [("!", True), ("$", True), ("^", True), ("`", True), ("«", True),
                                          ("a", False), ("5", False), ("€", False), (" ", False)])
def test_punctuation_is_berts_definition(ch, expected):
    assert is_punctuation(ch) is expected


@pytest.fixture(scope="module")
def shipped():
    from heuristics.clickbait import _student

    return _student().tokenizer


@pytest.mark.parametrize("text, pieces", [
    ("You Won't Believe This", ["you", "won", "'", "t", "believe", "this"]),
    ("unaffable", ["una", "##ffa", "##ble"]),
    ("Café naïve", ["cafe", "naive"]),
    ("10 things", ["10", "things"]),
    ("x" * 101, ["[UNK]"]),
])
def test_shipped_vocabulary(shipped, text, pieces):
    assert shipped.tokenize(text) == pieces
