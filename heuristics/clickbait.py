"""Clickbait headline signal (issue 3).

Two parts, both plain data in heuristics/data:

* cue families (clickbait_cues.json): sensational and emotional words, teasers and curiosity
  gaps, forward reference, second person, ALL CAPS, exclamation, manufactured urgency,
  listicle and question bait. Each match becomes Evidence quoting the headline, so a reader sees
  *why*. Matches inside quoted spans are ignored ("'Shocking' failures at care home, inspectors
  say" quotes the inspectors); attributed and record-anchored headlines count as sober.
* a small logistic model (clickbait_model.json, written by training/train_clickbait.py) over
  *masked* word n-grams: function and style words are kept, every other word becomes its shape
  (<Cap>, <CAPS>, <w>, <num>), so it learns how a headline is written, not what it is about.

* a static "student" (clickbait_student.npz, written by training/clickbait_student/): a WordPiece
  token table (64-d, float16) mean/max-pooled into a tiny MLP, distilled from a MiniLM fine-tuned on
  Webis-17 train. It reads the words themselves (no masking), so it knows the tweet-bait register
  ("this", "you", "here's why") better than the masked model; it knows little of sensational-news
  style, which is what the cue prior is for. Pure Python + numpy at runtime (heuristics/wordpiece.py).

score = sigmoid(bias + model_scale * (learned log-odds) + student_scale * (student log-odds - center)
                + cue_scale * (cue prior) + news term), with every number fitted or selected by
training/train_clickbait.py (clickbait_model.json["combine"]):
* the learned model sees each cue family as a feature (`cue:`, `cue2:` fired twice, `ncue:` how
  many families, `sober:` attribution / record-anchored superlative / genuine question), jointly
  with the masked n-grams, fitted on Webis-17 train against truthMean (soft targets);
* bias/model_scale/student_scale: one global Platt calibration fitted on a 15% hold-out of Webis
  train that neither the masked model nor the student (nor its teacher) was trained on; the
  student's scale is held down to the largest that keeps the Chakraborty validation accuracy at
  its floor (alone, fitted on tweets, it would take over: Chakraborty test 0.84 instead of 0.90);
* the cue prior: the `boost`s of clickbait_cues.json (their relative sizes are a documented prior),
  scaled by the single `cue_scale`, the smallest that recognises sensational news headlines
  (news-pairs-dev >= 0.90, seed >= 0.5). Webis tweets hardly contain that style and their judges
  do not rate '!', 'Shocking' or CAPS as clickbait (fitted on Webis alone its weight is ~0.07),
  so without the prior the seed scores 0.24. The calibration is refitted with the prior in place.
* the final score is the larger of that combination and the student read alone (its own
  probability lowered by `student_reader_offset`, chosen on the same hold-out by MSE): two readers
  for two registers, so the cue prior the news headlines need is not added on top of what the
  student already sees in a tweet-style teaser. Alone, the student flags a headline (>= 0.5) only
  when leave-one-word-out names words that make it so; otherwise it is capped below 0.5.
* the news-register term (clickbait_news_model.json, written by training/train_clickbait_news.py):
  a second masked model, fitted on the project's own news pairs (the same invented event written
  sober and as clickbait) with a sample of Webis tweets, whose features also tell a name from a
  common word (<Name>), so it sees a headline withhold who it is about ("Major airline makes
  surprise change…"). Its log-odds times `scale` are added to the combination's; `scale` is the
  one that reads the held-out pairs best while the Webis hold-out MSE rises by at most 10%.
A title of one or two words is not judged by the learned parts (their log-odds are capped at 0);
a non-Latin-script or empty title is not rated at all (the student is English-only: term 0).
When the learned parts carry the score, evidence quotes the wording they react to: the masked
models' strongest n-grams and the student's most influential words (leave-one-word-out), never a
bare function word ("a", "The").
Capitals count as shouting only for common English words (model `common_words`), never for a run
holding a brand or acronym ("VW ID. SPACE VIZZION", "KLOOK").

`clickbait_signal(doc)` adds the headline-vs-body check: a headline that states as fact what the
body only hedges ("Deal" vs "is considering") is overstatement, quoted on both sides.
"""

from __future__ import annotations

import functools
import html
import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from .document import Document
from .report import Evidence, Signal, quote
from .resources import data_path, load_json

SIGNAL_NAME = "clickbait"

_CUES = load_json("clickbait_cues.json")

# Same-length normalisation (offsets stay valid): curly quotes to straight ones.
_SAME_LENGTH = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def _flags(spec: str) -> int:
    return re.IGNORECASE if "i" in (spec or "") else 0


def _word_regex(words: list[str]) -> re.Pattern:
    """One regex for a word list, as a trie ("shock(?:ing|er)?"): the engine then tries a few
    letters per position instead of every word, with the same matches as longest-first
    alternation (at one position the words that fit are prefixes of one another, and greedy
    branches try the longer first). A trailing * = any ending."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for ch in word.rstrip("*").lower():
            node = node.setdefault(ch, {})
        node["*" if word.endswith("*") else ""] = True

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items())
                    if ch not in ("", "*")]
        if "*" in node:
            branches.insert(0, r"[\w-]*")  # consumes the rest of the word, so no shorter end is needed
        if not branches:
            return ""
        optional = "" in node and "*" not in node
        return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")

    return re.compile(r"(?<![\w'-])" + pattern(trie) + r"(?![\w-]|'\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _Family:
    name: str
    explanation: str
    boost: float
    regexes: tuple[re.Pattern, ...]


def _compile_family(name: str, spec: dict) -> _Family:
    regexes = []
    if spec.get("words"):
        regexes.append(_word_regex(spec["words"]))
    for pattern in spec.get("patterns", []):
        regexes.append(re.compile(pattern, _flags(spec.get("flags", ""))))
    return _Family(name, spec.get("explanation", "'{m}'"), float(spec.get("boost", 0.0)),
                   tuple(regexes))


_FAMILIES = tuple(_compile_family(n, s) for n, s in _CUES["families"].items())
_BOOSTS = {f.name: f.boost for f in _FAMILIES}
_EXTRA = {n: (float(s.get("boost_extra", 0.0)), int(s.get("max_extra", 0))) for n, s in _CUES["families"].items()}
_ACRONYMS = frozenset(_CUES["acronyms"])
_SHORT_SHOUTS = frozenset(_CUES["short_shouts"])
_QUOTE_RE = re.compile(_CUES["quote_pattern"])
_ATTRIBUTION = _compile_family("attribution", _CUES["attribution"])
_SUPERLATIVE = _compile_family("real_superlative", _CUES["real_superlative"])
_GENUINE_QUESTION = _compile_family("genuine_question", _CUES["genuine_question"])


# --- the learned model ----------------------------------------------------------------------

def _load_model() -> dict:
    try:
        return load_json("clickbait_model.json")
    except FileNotFoundError:  # before the first training run: cues only
        return {"intercept": -1.2, "weights": {}, "vocabulary": _CUES["model_vocabulary_seed"]["words"],
                "title_case_threshold": 0.7}


_MODEL = _load_model()
_WEIGHTS: dict[str, float] = _MODEL["weights"]
_INTERCEPT = float(_MODEL["intercept"])
_VOCAB = frozenset(_MODEL["vocabulary"])
_TITLE_CASE = float(_MODEL.get("title_case_threshold", 0.7))
_COMMON_WORDS = frozenset(_MODEL.get("common_words", ()))
_COMBINE = _MODEL.get("combine", {"bias": 0.0, "model_scale": 1.0})
_USE_BOOSTS = bool(_MODEL.get("use_boosts", True))
_GROUPS = frozenset(_MODEL.get("feature_groups", ["len", "capfw"]))

# the news-register term (training/train_clickbait_news.py): its own masked model, added in log-odds
try:
    _NEWS_MODEL = load_json("clickbait_news_model.json")
except FileNotFoundError:  # before its first training run
    _NEWS_MODEL = {"groups": [], "scale": 0.0, "intercept": 0.0, "weights": {}}
_NEWS_GROUPS = frozenset(_NEWS_MODEL["groups"])
_NEWS_SCALE = float(_NEWS_MODEL["scale"])
_NEWS_INTERCEPT = float(_NEWS_MODEL["intercept"])
_NEWS_WEIGHTS: dict[str, float] = _NEWS_MODEL["weights"]
NEWS_MIN_WORDS = 3  # as the main model: a one- or two-word title is too short to judge

_SHORT_FUNCTION = frozenset(_CUES["short_function_words"])
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_MIN_LATIN = 0.8
_SUFFIXES = ("ing", "ed", "ly", "est", "ers", "er", "s")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_TAG_RE = re.compile(r"(?<!\w)[#@]\w+")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")
_TOKEN_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+(?:[.,:]\d+)*|[!?:\"'$%(\-]")


def model_text(headline: str) -> str:
    """The text the model reads: entities decoded, quotes straightened, #tags/@names and
    non-ASCII dropped (as in the Webis-17 training text)."""
    text = unicodedata.normalize("NFKD", html.unescape(headline or "").translate(_SAME_LENGTH))
    text = text.replace("—", " - ").replace("–", " - ")
    text = _TAG_RE.sub(" ", text)
    return _NON_ASCII_RE.sub("", text)


def _suffix_shape(low: str) -> str:
    """A masked word keeps its inflection (verb -ed/-ing, adverb -ly, plural -s): grammar, not topic."""
    for suffix in _SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            return f"<w-{suffix}>"
    return "<w>"


def masked_tokens(headline: str, vocab: frozenset[str] | None = None,
                  groups: frozenset[str] | None = None) -> list[str]:
    """Tokens with topic masked: vocabulary words stay, names/places/other words become shapes."""
    vocab = _VOCAB if vocab is None else vocab
    groups = _GROUPS if groups is None else groups
    suffixes = "suffix" in groups
    # "names": a capitalised word that is not a common English word is a name (<Name>), so the model
    # can tell a headline that names its subject ("Ryanair changes…") from one that withholds it
    # ("Airline makes surprise change…"); which name it is stays masked
    names = "names" in groups
    raw = _TOKEN_RE.findall(model_text(headline))
    alpha = [t for t in raw if t[0].isalpha() and len(t) >= 4]
    title_case = bool(alpha) and sum(t[0].isupper() for t in alpha) / len(alpha) >= _TITLE_CASE
    out = []
    for tok in raw:
        if tok[0].isdigit():
            out.append("<year>" if _YEAR_RE.fullmatch(tok) else "<num>")
            continue
        if not tok[0].isalpha():
            out.append(tok)
            continue
        low = tok.lower()
        if len(tok) > 1 and tok.isupper():
            out.append(low if tok in _ACRONYMS else "<CAPS>")
        elif low in vocab:
            out.append(low)
        elif names and tok[0].isupper() and low not in _COMMON_WORDS:
            out.append("<Name>")
        elif tok[0].isupper() and not title_case:
            out.append("<Cap>")
        elif suffixes:
            out.append(_suffix_shape(low))
        else:
            out.append("<w>")
    return out


def model_features(headline: str, cue_families=frozenset(),
                   vocab: frozenset[str] | None = None,
                   groups: frozenset[str] | None = None, sober=()) -> list[str]:
    """Feature names for the logistic model (also used by the training script). `cue_families`:
    the cue families that fired (a set) or their match counts (a dict); with the "cuecount" group
    the model also sees `cue2:` (a family fired twice or more), `ncue:` (how many families fired)
    and `sober:` (attribution, record-anchored superlative, genuine question), so the weight of
    every cue family is learned jointly with the n-grams."""
    toks = masked_tokens(headline, vocab, groups)
    feats = [f"u:{t}" for t in toks]
    seq = ["<s>", *toks, "</s>"]
    feats += [f"b:{a} {b}" for a, b in zip(seq, seq[1:])]
    feats += [f"t:{a} {b} {c}" for a, b, c in zip(seq, seq[1:], seq[2:])]
    groups = _GROUPS if groups is None else groups
    if "names" in groups:
        feats.append(f"names:{min(toks.count('<Name>'), 2)}")
    if "len" in groups:
        n_words = sum(1 for t in toks if t[0].isalnum() or t[0] == "<")
        feats.append(f"len:{min(n_words // 3, 8)}")
    if "capfw" in groups:
        # house style: Capitalised Short Function Words ("Is", "And", "Of") mid-headline
        raw = _TOKEN_RE.findall(model_text(headline))
        capfw = sum(1 for t in raw[1:] if t[:1].isupper() and not t.isupper() and t.lower() in _SHORT_FUNCTION)
        feats.append(f"capfw:{min(capfw, 3)}")
    feats += [f"cue:{name}" for name in sorted(cue_families)]
    if "cuecount" in groups:
        counts = cue_families if isinstance(cue_families, dict) else {}
        feats += [f"cue2:{name}" for name, n in sorted(counts.items()) if n >= 2]
        feats.append(f"ncue:{min(len(cue_families), 3)}")
        feats += [f"sober:{name}" for name in sober]
    return feats


def model_logit(features: list[str]) -> float:
    return _INTERCEPT + sum(_WEIGHTS.get(f, 0.0) for f in set(features))


def news_term(headline: str, counts: dict[str, int], sober) -> float:
    """The news-register model's log-odds times its scale (0 for a title too short to judge)."""
    if not _NEWS_SCALE or n_words(headline) < NEWS_MIN_WORDS:
        return 0.0
    feats = set(model_features(headline, counts, groups=_NEWS_GROUPS, sober=sober))
    return _NEWS_SCALE * (_NEWS_INTERCEPT + sum(_NEWS_WEIGHTS.get(f, 0.0) for f in feats))


def _sigmoid(x: float) -> float:
    if x < -30:
        return 0.0
    if x > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-x))


# --- the student (static token table + MLP) ---------------------------------------------------

_STUDENT_FILE = "clickbait_student.npz"
_STUDENT_SCALE = float(_COMBINE.get("student_scale", 0.0))
_STUDENT_CENTER = float(_COMBINE.get("student_center", 0.0))
# the student's training text: ASCII only, @mentions/#hashtags deleted (as in Webis-17 train)
_STUDENT_TRANSLATE = str.maketrans({"—": "-", "–": "-", "…": "..."})
_STUDENT_TAG_RE = re.compile(r"[@#]\w+")
_UNIT_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|\S")


class _Student:
    """The arrays of clickbait_student.npz: `vocab` (WordPiece tokens in id order), `rowmap` (token
    id -> table row, -1 = pruned), `emb` (float16 table), MLP `W1`, `b1`, `w2`, `b2`, `pool`."""

    def __init__(self, arrays):
        from .wordpiece import WordPiece

        self.tokenizer = WordPiece([str(t) for t in arrays["vocab"]])
        self.rowmap = arrays["rowmap"].tolist()
        self.emb = arrays["emb"]  # float16: compact in memory, widened per headline
        self.W1 = arrays["W1"].astype(np.float32)
        self.b1 = arrays["b1"].astype(np.float32)
        self.w2 = arrays["w2"].astype(np.float32)
        self.b2 = float(arrays["b2"])
        self.pool = str(arrays["pool"])
        self._rows_cache: dict[str, tuple[int, ...]] = {}

    def rows(self, unit: str) -> tuple[int, ...]:
        """Table rows of one word or punctuation mark (unknown and pruned pieces dropped)."""
        cached = self._rows_cache.get(unit)
        if cached is None:
            text = unicodedata.normalize("NFKD", unit.translate(_STUDENT_TRANSLATE))
            text = text.encode("ascii", "ignore").decode()
            unk, rowmap = self.tokenizer.unknown_id, self.rowmap
            cached = tuple(rowmap[i] for i in self.tokenizer.ids(text) if i != unk and rowmap[i] >= 0)
            if len(self._rows_cache) < 100_000:
                self._rows_cache[unit] = cached
        return cached

    def _features(self, e: np.ndarray, n: int) -> np.ndarray:
        """Pooled input of the MLP for the rows `e` (float32): mean [, max] [, log length]."""
        parts = [np.add.reduce(e, 0) / n]
        if "max" in self.pool:
            parts.append(np.maximum.reduce(e, 0))
        if "len" in self.pool:
            parts.append(np.array([math.log1p(n) - 2.5], np.float32))
        return np.concatenate(parts)

    def logit(self, rows) -> float:
        x = self._features(self.emb[list(rows)].astype(np.float32), len(rows))
        hidden = np.maximum(x @ self.W1 + self.b1, 0.0)
        return float(hidden @ self.w2) + self.b2

    def logits_without(self, groups: list[tuple[int, ...]]) -> np.ndarray:
        """The log-odds with each group of rows left out in turn, as one batch (for evidence)."""
        rows = [r for g in groups for r in g]
        e = self.emb[rows].astype(np.float32)
        owner = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
        xs = []
        for i in range(len(groups)):
            keep = owner != i
            n = int(keep.sum())
            xs.append(self._features(e[keep], n) if n else None)
        ok = [i for i, x in enumerate(xs) if x is not None]
        out = np.full(len(groups), np.nan, np.float32)
        if ok:
            hidden = np.maximum(np.stack([xs[i] for i in ok]) @ self.W1 + self.b1, 0.0)
            out[ok] = hidden @ self.w2 + self.b2
        return out


_STUDENT: list = []


def _student() -> _Student:
    """Loaded once, on first use (plain arrays: no pickle)."""
    if not _STUDENT:
        with data_path(_STUDENT_FILE).open("rb") as fh:
            with np.load(fh, allow_pickle=False) as arrays:
                _STUDENT.append(_Student({k: arrays[k] for k in arrays.files}))
    return _STUDENT[0]


def student_units(headline: str) -> list[tuple[int, int, tuple[int, ...]]]:
    """(start, end, table rows) of each word / punctuation mark of the headline, in order; their
    rows together are the WordPiece rows of the whole (cleaned) headline. #tags and @names are
    skipped (as in the Webis-17 training text)."""
    text = (headline or "").translate(_SAME_LENGTH)
    tags = [(m.start(), m.end()) for m in _STUDENT_TAG_RE.finditer(text)]
    student = _student()
    out = []
    for m in _UNIT_RE.finditer(text):
        if tags and _inside(tags, m.start(), m.end()):
            continue
        rows = student.rows(m.group(0))
        if rows:
            out.append((m.start(), m.end(), rows))
    return out


def _judgeable(headline: str) -> bool:
    return bool((headline or "").strip()) and latin_share(headline) >= _MIN_LATIN


def _units_logit(units) -> float | None:
    rows = [r for *_, unit_rows in units for r in unit_rows]
    return _student().logit(rows) if rows else None


def student_raw_logit(headline: str) -> float | None:
    """The student's own log-odds (trained against the Webis-17 judges' mean), or None when it
    cannot judge: empty, non-Latin script (English-only model) or no known word piece."""
    return _units_logit(student_units(headline)) if _judgeable(headline) else None


def student_probability(headline: str) -> float | None:
    """The student alone, as a probability (for the evaluation's transparency line)."""
    z = student_raw_logit(headline)
    return None if z is None else _sigmoid(z)


def _centred(z: float | None) -> float:
    return 0.0 if z is None or not _STUDENT_SCALE else z - _STUDENT_CENTER


def student_term(headline: str) -> float:
    """The student's log-odds relative to its median on Webis-train headlines (`student_center`);
    0 when it cannot judge or when the combination does not use it."""
    return _centred(student_raw_logit(headline)) if _STUDENT_SCALE else 0.0


def student_evidence(headline: str, limit: int, units=None) -> list[tuple[float, int, int]]:
    """(push in log-odds of the score, start, end) of the words that raise the student's log-odds
    most: leave-one-word-out (each word's rows removed, the rest re-pooled; a word counts when its
    removal lowers the student's own log-odds by >= student_min_word_drop). `units`: the
    headline's student_units, if already computed."""
    units = student_units(headline) if units is None else units
    if len(units) < 2:
        return []
    student = _student()
    full = _units_logit(units)
    without = student.logits_without([rows for *_, rows in units])
    min_drop = float(_MODEL_EVIDENCE.get("student_min_word_drop", 0.25))
    cands = []
    for (a, b, _), rest in zip(units, without):
        if not any(ch.isalpha() for ch in headline[a:b]):
            continue  # punctuation is not quotable as wording
        if headline[a:b].lower() in ("this", "these") and _DATING_THIS_RE.match(headline, b):
            continue  # "this week" dates the story: no forward reference
        drop = full - float(rest)  # in the student's own log-odds
        if drop >= min_drop:
            cands.append((_STUDENT_SCALE * drop, a, b))
    cands.sort(key=lambda c: -c[0])
    return cands[:limit]


# --- cue detection ---------------------------------------------------------------------------

def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]


def _inside(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(s <= a and b <= e for s, e in spans)


_CAPS_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'’.+-]*")


_SHOUT_WORDS = frozenset(_CUES.get("shout_words", {}).get("words", ()))
# "BREAKING" is urgency because it is in capitals; "SHOCK" is a hype word *and* shouted
_CAPS_EXPLAINED_BY = frozenset(_CUES["families"]["caps"].get("explained_by", ()))


def _is_common_word(low: str) -> bool:
    return low in _COMMON_WORDS or low in _VOCAB or low in _SHOUT_WORDS


def _shouts(text: str, all_caps_headline: bool) -> list[tuple[int, int]]:
    """Spans of words written in capitals for emphasis ("CANCELLED", "SURRENDER"): common English
    words only. A run of capitalised words that holds a name, brand or acronym ("VW ID. SPACE
    VIZZION", "KLOOK", "NASA") is a name, not shouting; neither is anything in an all-caps headline
    (that is reported once, as a whole)."""
    if all_caps_headline:
        return []
    tokens = [(m.start(), m.end(), m.group(0).strip(".'’-")) for m in _CAPS_TOKEN_RE.finditer(text)]
    out, run = [], []

    def close():
        if run and all(ok for *_, ok in run):
            out.extend((a, b) for a, b, _ in run)
        run.clear()

    for a, b, tok in tokens:
        letters = [ch for ch in tok if ch.isalpha()]
        if len(letters) >= 2 and all(ch.isupper() for ch in letters):
            bare = tok.replace("'", "").replace("’", "")
            low = bare.lower()
            word = bare if bare.isalpha() else ""
            plural_acronym = bare.endswith("S") and bare[:-1] in _ACRONYMS
            ok = bool(word) and not plural_acronym and bare not in _ACRONYMS and (
                (len(word) >= 4 and _is_common_word(low)) or word in _SHORT_SHOUTS)
            if run and text[run[-1][1]:a].strip(" .,'’-"):
                close()  # something other than spacing between them: a new run
            run.append((a, b, ok))
        else:
            close()
    close()
    # keep the span of the word itself (without trailing punctuation)
    return [(a, a + len(text[a:b].rstrip(".'’-"))) for a, b in out]


def find_cues(headline: str) -> list[tuple[str, int, int, str]]:
    """(family, start, end, explanation) for every cue in the headline, in order, no overlaps
    within a family, none inside quoted spans."""
    text = (headline or "").translate(_SAME_LENGTH)
    quoted = _quoted_spans(text)
    letters = [c for c in text if c.isalpha()]
    all_caps = len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.75
    found: list[tuple[str, int, int, str]] = []
    explained: list[tuple[int, int]] = []  # spans whose capitals a family already reports
    for fam in _FAMILIES:
        if fam.name == "caps":
            spans = _shouts(text, all_caps)
        else:
            spans = []
            for rx in fam.regexes:
                for m in rx.finditer(text):
                    spans.append((m.start(), m.end()))
        for a, b in spans:
            while b > a and text[b - 1].isspace():
                b -= 1
            while a < b and text[a].isspace():
                a += 1
            if a == b or _inside(quoted, a, b):
                continue
            if fam.name == "caps" and _inside(explained, a, b):
                continue  # already explained (e.g. "BREAKING" as urgency)
            if any(f == fam.name and not (b <= s or a >= e) for f, s, e, _ in found):
                continue
            exact = headline[a:b]
            found.append((fam.name, a, b, fam.explanation.replace("{m}", exact.strip())))
            if fam.name in _CAPS_EXPLAINED_BY:
                explained.append((a, b))
    if all_caps:
        found.append(("caps", 0, len(headline), "the whole headline is in capitals"))
    found.sort(key=lambda x: (x[1], x[0]))
    return found


def _matches(fam: _Family, text: str) -> list[re.Match]:
    return [m for rx in fam.regexes for m in rx.finditer(text)]


_MODEL_EVIDENCE = _CUES["model_evidence"]
_BARE_WORDS = frozenset(_MODEL_EVIDENCE["bare_words"])
_DATING_THIS_RE = re.compile(r"\s+(?:%s)\b" % "|".join(_MODEL_EVIDENCE["time_words"]), re.I)
_MEDIUM = float(load_json("badge.json")["signal_levels"]["medium"])


def model_evidence(headline: str, limit: int | None = None, weights: dict[str, float] | None = None,
                   groups: frozenset[str] | None = None) -> list[tuple[float, int, int]]:
    """(weight, start, end) of a masked model's strongest clickbait n-grams (the main model's, or
    `weights` read with feature `groups`), located in the headline."""
    weights = _WEIGHTS if weights is None else weights
    raw = _TOKEN_RE.findall(model_text(headline))
    toks = masked_tokens(headline, groups=groups)
    if len(raw) != len(toks):
        return []
    seq = ["<s>", *toks, "</s>"]
    cands = []
    for n, prefix in ((1, "u:"), (2, "b:"), (3, "t:")):
        for i in range(len(seq) - n + 1):
            gram = seq[i:i + n]
            w = weights.get(prefix + " ".join(gram), 0.0)
            if w < _MODEL_EVIDENCE["min_weight"]:
                continue
            if all(not g[0].isalpha() or g in _BARE_WORDS for g in gram):
                continue  # only shapes, punctuation or bare function words: tells a reader nothing
            lo, hi = max(0, i - 1), min(len(raw), i - 1 + n)
            cands.append((w, raw[lo:hi]))
    cands.sort(key=lambda c: -c[0])
    text = headline.translate(_SAME_LENGTH)
    out: list[tuple[float, int, int]] = []
    for w, surface in cands:
        surface = [t for t in surface if t]
        if not surface:
            continue
        rx = re.compile(r"\W{0,4}".join(re.escape(t) for t in surface), re.IGNORECASE)
        m = rx.search(text)
        if not m or any(not (m.end() <= a or m.start() >= b) for _, a, b in out):
            continue
        out.append((w, m.start(), m.end()))
        if len(out) >= (limit or int(_MODEL_EVIDENCE["max_items"])):
            break
    return out


# --- public interface ------------------------------------------------------------------------

MAX_HEADLINE_CHARS = 400  # a longer "headline" is not one; bounds the cost of the patterns


def cue_logit(headline: str, cues) -> tuple[float, list[str]]:
    """Log-odds the cues add: each family's `boost` once, plus `boost_extra` for each further
    match (up to `max_extra`), plus the (negative) boosts of sober cues. Returns (sum, sober cues)."""
    counts: dict[str, int] = {}
    for fam, *_ in cues:
        counts[fam] = counts.get(fam, 0) + 1
    total = 0.0
    for fam, n in counts.items():
        spec = _EXTRA[fam]
        total += _BOOSTS[fam] + spec[0] * min(n - 1, spec[1])
    normalised = headline.translate(_SAME_LENGTH)
    quoted = _quoted_spans(normalised)
    sober = []
    for fam in (_ATTRIBUTION, _SUPERLATIVE, _GENUINE_QUESTION):
        if any(not _inside(quoted, m.start(), m.end()) for m in _matches(fam, normalised)):
            total += fam.boost
            sober.append(fam.name)
    return total, sober


@dataclass
class _Reading:
    """Everything the score and its evidence need, read once per headline.

    log-odds of the combination = bias + model_scale * (masked model's log-odds) + student_scale *
    (student's centred log-odds) + cue_scale * cue boosts: the learned parts (calibrated on
    Webis-17 tweets) mostly nudge; a plain news headline stays low and it takes two cues, one
    strong one, or confident learned parts to cross 0.5. `alone`: the student read on its own
    (see student_reader); the score is the larger of the two."""

    headline: str
    cues: list
    families: set[str]
    sober: list[str]
    model_p: float  # the learned parts' probability after their Platt calibration, cues aside
    logit: float
    student: float  # the student's push inside the combination
    news: float  # the news-register term (log-odds), added to `logit` in the score; kept apart so
    # training/train_clickbait_news.py can read the score without it
    units: list  # student_units (empty when the student cannot judge)
    raw: float | None  # the student's own log-odds, None where it may not read alone

    @functools.cached_property
    def student_words(self) -> list[tuple[float, int, int]]:
        return student_evidence(self.headline, int(_MODEL_EVIDENCE["max_items"]), self.units)

    @functools.cached_property
    def alone(self) -> float:
        return reader_probability(self.raw, lambda: bool(self.student_words))


def _read(headline: str) -> _Reading:
    headline = (headline or "").strip()[:MAX_HEADLINE_CHARS]
    cues = find_cues(headline)
    counts: dict[str, int] = {}
    for fam, *_ in cues:
        counts[fam] = counts.get(fam, 0) + 1
    boost, sober = cue_logit(headline, cues)
    m = model_logit(model_features(headline, counts, sober=sober))
    uses_student = _STUDENT_SCALE or "student_reader_offset" in _COMBINE
    units = student_units(headline) if uses_student and _judgeable(headline) else []
    raw = _units_logit(units) if units else None
    student = _STUDENT_SCALE * _centred(raw)
    # capped: alone, the learned parts flag only headlines they are confident about; and a headline
    # of one or two words ("About bugs", a column name) is too short for them to judge
    cap = float(_COMBINE.get("model_cap", 30.0))
    if n_words(headline) < int(_COMBINE.get("min_words_for_model", 0)):
        cap = min(cap, 0.0)
        student = min(student, 0.0)
    learned = float(_COMBINE["bias"]) + float(_COMBINE["model_scale"]) * min(m, cap) + student
    logit = learned
    if _USE_BOOSTS:
        logit += float(_COMBINE.get("cue_scale", 1.0)) * boost
    return _Reading(headline, cues, set(counts), sober, _sigmoid(learned), logit, student,
                    news_term(headline, counts, sober), units,
                    raw if cap > 0 else None)  # a title too short for the learned parts: no reader


def reader_probability(z: float | None, explained, offset: float | None = None,
                       cap: float | None = None) -> float:
    """The student read alone from its raw log-odds `z` (0 when None or no offset is set);
    `explained()` tells whether leave-one-word-out names words. offset/cap: the model's, unless
    given (train_clickbait.py tries offsets with this same rule)."""
    offset = _COMBINE.get("student_reader_offset") if offset is None else offset
    if offset is None or z is None:
        return 0.0
    p = _sigmoid(z - float(offset))
    if p >= 0.5 and not explained():
        # alone, it may call a headline clickbait only if it can name the words that make it so
        # ("Opening Bell 11.18.19" reads odd to it, but there is nothing to show a reader)
        p = min(p, float(_COMBINE.get("reader_unexplained_cap", 0.45) if cap is None else cap))
    return p


def student_reader(headline: str) -> float:
    """The student's own probability, lowered by `student_reader_offset` log-odds (fitted on the
    Webis hold-out by train_clickbait.py), or 0 when it cannot judge or is not used.

    The score is the larger of this and the combination: the combination needs a cue prior strong
    enough for sensational *news* headlines ('Shocking', '!', CAPS), which over-counts the plain
    teasers of the tweet register the student already reads well; taking the larger lets each
    reader speak where it is good without adding their log-odds twice."""
    return _read(headline).alone


def n_words(headline: str) -> int:
    """Words of a title, any script ("Classificação NASCAR" is two)."""
    return sum(1 for t in (headline or "").split() if any(ch.isalnum() for ch in t))


def latin_share(text: str) -> float:
    """Share of the letters that are Latin (accents allowed); 1.0 when there are none."""
    if text.isascii():
        return 1.0
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if unicodedata.normalize("NFKD", c)[0] in _ASCII_LETTERS)
    return latin / len(letters)


def _unrated(headline: str) -> Signal | None:
    if not headline.strip():
        return Signal(SIGNAL_NAME, 0.0, summary="no headline", details={"cues": []})
    if latin_share(headline) < _MIN_LATIN:
        return Signal(SIGNAL_NAME, 0.0, summary="headline is not in a Latin-script language: not rated",
                      details={"cues": [], "rated": False})
    return None


def score_headline(headline: str) -> Signal:
    """How clickbait-like a headline is: score in [0, 1] (>= 0.5 = clickbait), with evidence."""
    return _unrated(headline or "") or _signal(_read(headline))


def _signal(reading: _Reading, over: list[Evidence] | None = None) -> Signal:
    """The Signal for a reading; `over`: the body's overstatement evidence (None: no body)."""
    logit = reading.logit + reading.news + (float(_OVER["boost"]) if over else 0.0)
    score = max(_sigmoid(logit), reading.alone)
    evidence = _headline_evidence(reading, score) + (over or [])
    hedge = over[1].explanation.split("'")[1] if over else None
    details = {"cues": sorted(reading.families), "model_probability": round(reading.model_p, 4),
               "student_push": round(reading.student, 4), "student_reader": round(reading.alone, 4),
               "news_push": round(reading.news, 4),
               "sober_cues": reading.sober}
    if over is not None:
        details["overstatement"] = bool(over)
    return Signal(SIGNAL_NAME, score, summary=_summary(score, reading.cues, hedge, evidence),
                  evidence=evidence, details=details)


def _headline_evidence(reading: _Reading, score: float) -> list[Evidence]:
    headline = reading.headline
    evidence = [quote(headline, a, b, kind=fam, explanation=why, location="headline")
                for fam, a, b, why in reading.cues]
    if score < 0.5:
        return evidence
    learned: list[tuple[float, int, int, str]] = []  # (log-odds, start, end, explanation template)
    general, news = _MODEL_EVIDENCE["explanation"], _MODEL_EVIDENCE["news_explanation"]
    if reading.model_p >= 0.5:
        # the learned parts carry the score: show the n-grams the masked model reacts to
        scale = float(_COMBINE["model_scale"])
        learned += [(scale * w, a, b, general) for w, a, b in model_evidence(headline)]
    min_push = float(_MODEL_EVIDENCE.get("student_min_push", 0.25))
    if reading.student >= min_push or reading.alone >= 0.5:
        # the student pushes the score up (or carries it alone): the words that move it most
        learned += [(w, a, b, general) for w, a, b in reading.student_words]
    if reading.news >= min_push:
        # the news-register model pushes it up: the n-grams it reacts to most
        learned += [(_NEWS_SCALE * w, a, b, news) for w, a, b in
                    model_evidence(headline, weights=_NEWS_WEIGHTS, groups=_NEWS_GROUPS)]
    taken = [(a, b) for _, a, b, _ in reading.cues]
    for w, a, b, why in sorted(learned, key=lambda c: -c[0]):
        if any(not (b <= s or a >= e) for s, e in taken):
            continue
        taken.append((a, b))
        evidence.append(quote(headline, a, b, kind="clickbait_style", score=round(w, 4),
                              explanation=why.replace("{m}", headline[a:b]), location="headline"))
    return evidence


_LABELS = {"sensational": "sensational word", "hype": "hype word", "emotional": "emotional bait", "teaser": "teaser",
           "urgency": "manufactured urgency", "forward_reference": "forward reference",
           "second_person": "addresses the reader", "listicle": "listicle", "question_bait": "question bait",
           "exclamation": "exclamation mark", "caps": "shouting in capitals", "emoji": "emoji"}


def _summary(score: float, cues, overstatement: str | None, evidence=()) -> str:
    """One readable line: the cues that fired, quoted."""
    parts, seen = [], set()
    for e in evidence:
        if e.location != "headline" or e.kind in ("overstatement", "clickbait_style"):
            continue
        key = (e.kind, e.exact.lower())
        if key in seen:
            continue
        seen.add(key)
        parts.append(f"'{e.exact[:40]}' ({_LABELS.get(e.kind, e.kind.replace('_', ' '))})")
    text = ", ".join(parts[:5]) + (f" and {len(parts) - 5} more" if len(parts) > 5 else "")
    if overstatement:
        text = (text + "; " if text else "") + f"states as fact what the body only hedges ('{overstatement}')"
    if not text:
        if score < _MEDIUM:
            return "reads as a plain news headline"
        if score < 0.5:
            return "reads as news; only its general style is somewhat like clickbait (learned model)"
        words = ", ".join(f"'{e.exact}'" for e in evidence if e.kind == "clickbait_style")
        return "written like clickbait (learned model" + (f": {words})" if words else ")")
    return text if score >= 0.5 else f"reads as news despite {text}"


# --- headline vs body: overstatement ---------------------------------------------------------

_OVER = _CUES["overstatement"]
_HEDGE_RE = _word_regex(_OVER["hedges"])
_HEDGE_RANK = {h.lower(): i for i, h in enumerate(_OVER["hedges"])}
_HEADLINE_HEDGE_RE = _word_regex([h for h in _OVER["headline_hedges"] if h != "?"])
_ASSERTIVE_RE = _word_regex(_OVER["assertive"])
_FINDING_ASSERTIVE = frozenset(w.lower() for w in _OVER["finding_assertive"])
_FINDING_WORD_RE = _word_regex(_OVER["finding_words"])
_FINDING_HEDGE_RE = _word_regex(_OVER["finding_hedges"])
_STOP = frozenset(_OVER["stopwords"])
_WORD_RE = re.compile(r"[A-Za-z]+|\d[\d,.]*\d|\d")
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def _stems(text: str) -> set[str]:
    out = set()
    for w in _WORD_RE.findall(text.translate(_SAME_LENGTH)):
        low = w.lower()
        if low in _STOP or (len(low) < 3 and not low[0].isdigit()):
            continue
        out.add(low.replace(",", "")[:5])
    return out


def _best_hedge(sentence: str) -> re.Match | None:
    """The highest-priority hedge in the sentence (list order in the data file)."""
    best = None
    for m in _HEDGE_RE.finditer(sentence.translate(_SAME_LENGTH)):
        rank = _HEDGE_RANK.get(m.group(0).lower(), len(_HEDGE_RANK))
        if best is None or rank < best[0]:
            best = (rank, m)
    return best[1] if best else None


def _finding_hedge(head_word: str, sentence: str) -> re.Match | None:
    """A hedge on whether a finding holds, when the headline calls it confirmed or proven and the
    sentence is about research (data file: _doc_findings)."""
    if head_word.lower() not in _FINDING_ASSERTIVE:
        return None
    text = sentence.translate(_SAME_LENGTH)
    return _FINDING_HEDGE_RE.search(text) if _FINDING_WORD_RE.search(text) else None


def find_overstatement(doc: Document) -> list[Evidence]:
    """Headline states as fact what the body only hedges: evidence on both sides, or []."""
    headline = (doc.title or "").strip()
    normalised = headline.translate(_SAME_LENGTH)
    if not headline or "?" in headline or _HEADLINE_HEDGE_RE.search(normalised):
        return []
    assertive = _ASSERTIVE_RE.search(normalised)
    if not assertive:
        return []
    head_stems = _stems(headline)
    if len(head_stems) < _OVER["min_overlap"]:
        return []
    seen = 0
    for paragraph, sentence in doc.sentences():
        if (len(_WORD_RE.findall(sentence.text)) < _OVER["min_sentence_words"]
                or not _SENTENCE_END_RE.search(sentence.text)):
            continue  # sub-headings, captions, bylines
        seen += 1
        if seen > _OVER["lede_sentences"]:
            break
        if len(head_stems & _stems(sentence.text)) < _OVER["min_overlap"]:
            continue
        head_word = headline[assertive.start():assertive.end()]
        hedge = _best_hedge(sentence.text) or _finding_hedge(head_word, sentence.text)
        if not hedge:
            continue
        word = sentence.text[hedge.start():hedge.end()]
        return [
            quote(headline, assertive.start(), assertive.end(), kind="overstatement",
                  explanation=f"'{head_word}' — the headline states as fact what the body "
                              f"only hedges ('{word}')", location="headline"),
            quote(paragraph.text, sentence.start, sentence.end, kind="overstatement_hedge",
                  explanation=f"the body only says '{word}': the headline overstates it",
                  location="body", paragraph=paragraph.index),
        ]
    return []


def clickbait_signal(doc: Document) -> Signal:
    """The headline's clickbait score plus headline-vs-body overstatement evidence."""
    return _unrated(doc.title or "") or _signal(_read(doc.title), find_overstatement(doc))
