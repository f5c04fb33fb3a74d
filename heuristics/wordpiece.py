"""Pure-Python BERT *uncased* WordPiece tokenizer (no dependencies).

The same two steps as BERT's reference tokenizer (and Hugging Face's BertTokenizer with
do_lower_case=True), so a static token table distilled from a BERT-family model can be read
without torch or tokenizers:

1. basic tokenization: drop control characters, put spaces around CJK ideographs, split on
   whitespace, lower-case, strip accents (NFD, drop combining marks), split every punctuation
   character off as a token of its own;
2. WordPiece: each word is cut greedily into the longest pieces found in the vocabulary, a
   piece that does not start the word carrying the "##" prefix; a word that cannot be cut, or is
   longer than `max_chars`, becomes the unknown token.

The vocabulary is passed in (heuristics/clickbait.py takes it from clickbait_student.npz).
Checked identical to the Hugging Face tokenizer of all-MiniLM-L6-v2 on 45,348 headlines
(training/clickbait_student/README.md).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

UNKNOWN = "[UNK]"
_CACHE_LIMIT = 200_000


def is_punctuation(ch: str) -> bool:
    """BERT's definition: every non-alphanumeric ASCII character (so "$", "^", "`" count) plus
    every Unicode punctuation character (category P*)."""
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


_CJK_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
               (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def _is_cjk(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def _clean_char(ch: str) -> str:
    """'' for characters BERT drops, ' ' for whitespace, ' X ' for a CJK ideograph, else the char."""
    cp = ord(ch)
    if ch in " \t\n\r":
        return " "
    if cp == 0 or cp == 0xFFFD:
        return ""
    category = unicodedata.category(ch)
    if category.startswith("C"):
        return ""
    if category == "Zs":
        return " "
    if _is_cjk(cp):
        return f" {ch} "
    return ch


def strip_accents(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if unicodedata.category(ch) != "Mn")


def basic_tokenize(text: str) -> list[str]:
    """Lower-cased, accent-stripped words with every punctuation character split off."""
    if text.isascii() and text.isalnum():
        return [text.lower()]  # the common case (one plain word): nothing to clean or split
    cleaned = "".join(_clean_char(ch) for ch in text)
    words: list[str] = []
    for chunk in cleaned.lower().split():
        current = ""
        for ch in strip_accents(chunk):
            if is_punctuation(ch):
                if current:
                    words.append(current)
                    current = ""
                words.append(ch)
            else:
                current += ch
        if current:
            words.append(current)
    return words


class WordPiece:
    """Greedy longest-match-first WordPiece over a fixed vocabulary (token -> id)."""

    def __init__(self, vocab: Mapping[str, int] | Iterable[str], unknown: str = UNKNOWN, max_chars: int = 100):
        self.vocab: dict[str, int] = (dict(vocab) if isinstance(vocab, Mapping)
                                      else {token: i for i, token in enumerate(vocab)})
        if unknown not in self.vocab:
            raise ValueError(f"vocabulary has no unknown token {unknown!r}")
        self.unknown = unknown
        self.unknown_id = self.vocab[unknown]
        self.max_chars = max_chars
        self._cache: dict[str, tuple[str, ...]] = {}

    def word_pieces(self, word: str) -> tuple[str, ...]:
        """The pieces of one basic-tokenized word ("unaffable" -> "una", "##ffa", "##ble")."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        pieces: list[str] = []
        if len(word) > self.max_chars:
            pieces = [self.unknown]
        else:
            start = 0
            while start < len(word):
                end = len(word)
                piece = None
                while start < end:
                    candidate = word[start:end] if start == 0 else "##" + word[start:end]
                    if candidate in self.vocab:
                        piece = candidate
                        break
                    end -= 1
                if piece is None:  # no piece fits: the whole word is unknown
                    pieces = [self.unknown]
                    break
                pieces.append(piece)
                start = end
        result = tuple(pieces)
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[word] = result
        return result

    def tokenize(self, text: str) -> list[str]:
        return [piece for word in basic_tokenize(text) for piece in self.word_pieces(word)]

    def ids(self, text: str) -> list[int]:
        vocab = self.vocab
        return [vocab[piece] for piece in self.tokenize(text)]
