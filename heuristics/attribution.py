"""Who says so? Find the sources a sentence cites and judge each as specific or vague.

Pure rules over compiled regexes and set lookups (word lists in data/claims.json and
data/claims_geo.json, written by hand). A sentence's sources come from:

- "after" cues, where the source follows: "according to X", "told X", "as reported by X",
  "data from X", "a report by X", "writing in X", "speaking to X";
- reporting verbs, where the source is the subject before the verb ("the ministry said",
  "Analysts say", "X told reporters") or follows it ("..., said Chief Constable Mark Dobson");
- impersonal or weasel phrasing: "it is believed", "is said to", "reportedly",
  "reports have emerged", "studies show", "people familiar with the matter".

A source phrase is *specific* when it names someone: a proper name that is not only a place
qualifying a vague noun ("US officials", "Western intelligence" stay vague; "Russia's defence
ministry" and "a spokeswoman for the Metropolitan Police" are specific), or a named document
type ("court documents", "the company's annual report"). A definite institution without a name
("the central bank", "the company") is *anaphoric*: specific when the sentence or its context
names someone, vague otherwise. Pronoun speakers ("he said") are attributed to the person the
article has named. A capitalised word is no name when it abbreviates a function ("PR aides",
"one neo-bank CEO") or names a population, party membership or faith in the plural ("Americans
say", "Democrats argue", "70 percent of Britons said"): such groups are vague sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .resources import load_json

# --- lexicon ------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _lex() -> dict:
    return load_json("claims.json")


@lru_cache(maxsize=None)
def _geo() -> frozenset[str]:
    g = load_json("claims_geo.json")
    return frozenset(g["countries"]) | frozenset(g["demonyms"]) | frozenset(g["directions"]) | frozenset(
        w for m in g["multiword"] for w in m.split() if w != "the")


def alternation(words) -> str:
    """A regex alternation, longest first, multi-word entries with flexible spaces."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


LEX = _lex()
GEO = _geo()
_COUNTRIES = frozenset(load_json("claims_geo.json")["countries"])
VAGUE_HEADS = frozenset(LEX["vague_heads"])
STRONG_VAGUE = frozenset(LEX["strong_vague_heads"])
STRONG_SET = frozenset(w.split()[-1] for w in STRONG_VAGUE)
PERSON_VAGUE = frozenset(LEX["person_vague_heads"])
INSTITUTIONS = frozenset(w.split()[-1] for w in LEX["institution_heads"])
ROLES = frozenset(w.split()[-1] for w in LEX["role_heads"])
OUTLET_BLOCKERS = frozenset(LEX["outlet_blockers"])
PLURAL_SUFFIXES = tuple(LEX["common_plural_suffixes"])
ORG_EXCEPTIONS = frozenset(LEX["initial_org_exceptions"])
ANAPHORIC_VAGUE = frozenset(LEX["anaphoric_vague_heads"])
NOT_NAME_CAPS = frozenset(LEX["not_name_caps"])
GROUP_PLURALS = frozenset(LEX["group_plurals"])
DATA_HEADS = frozenset("""study studies research report reports figures data statistics survey surveys poll polls
analysis evidence estimates census records documents review audit paper""".split())
INDEFINITE = frozenset("a an one another some several unnamed anonymous".split())  # "a company spokesman"
ANONYMOUS_ADJECTIVES = frozenset(LEX["anonymous_individual_adjectives"])
DEFINITE_DETS = frozenset("the this that these those its his her their our".split())

# Verbs that introduce a statement whatever their subject; "weak" verbs ("found", "show",
# "put") only when their subject is a source-like noun or they introduce a "that" clause.
WEAK_VERBS = frozenset("""called calls signal signalled signaled counter countered pledge pledged pledges vow vowed vows find finds found show shows showed shown put puts link links linked record records
recorded hold holds held expect expects expected hear heard learn learned learnt detail detailed document
documented publish publishes published understand understands accept accepts accepted observe observes
observed describe describes described note notes noted state states add adds added project projects
projected think thinks thought believe believes believed fear fears feared demonstrate demonstrates
demonstrated cite cites cited attribute attributed suspect suspects suspected""".split())
# Belief and expectation verbs attribute a claim to their source-like subject even without "that"
# ("Officials believe the fire was started deliberately", "Economists expect inflation to peak at 5%").
BELIEF_VERBS = frozenset("""believe believes believed think thinks thought expect expects expected fear fears
feared suspect suspects suspected""".split())
REPORTING = frozenset(w for w in LEX["reporting_verbs"] if " " not in w)
WORD_RE = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:['’][A-Za-z]+)?")


@lru_cache(maxsize=8192)
def tokenize(s: str) -> tuple[tuple[str, int, int], ...]:
    """(lower-case word, start, end) for each word of `s`; cached, as neighbours are re-read."""
    return tuple((m.group(0).lower(), m.start(), m.end()) for m in WORD_RE.finditer(s))


class _Hit:
    """A regex-match look-alike for token-based finds (start/end/group)."""

    __slots__ = ("s", "a", "b", "groups")

    def __init__(self, s: str, a: int, b: int, **groups: tuple[int, int]):
        self.s, self.a, self.b, self.groups = s, a, b, groups

    def start(self, name: str | None = None) -> int:
        return self.groups[name][0] if name else self.a

    def end(self, name: str | None = None) -> int:
        return self.groups[name][1] if name else self.b

    def group(self, name: int | str = 0) -> str:
        if name == 0:
            return self.s[self.a:self.b]
        a, b = self.groups[name]
        return self.s[a:b]


MAX_VERBS = 12


_POSSESSIVE_END_RE = re.compile(r"\w[’']s\s+$")


def _verbs(s: str):
    for low, a, b in tokenize(s):
        if low in REPORTING and not (a > 0 and s[a].isupper() and s[:a].strip(" \"“‘'(")) \
                and not (low.endswith("s") and _POSSESSIVE_END_RE.search(s[max(0, a - 40):a])):
            # a capitalised "States" in "United States" is no verb, nor "claims" in "the insurer's claims system"
            yield _Hit(s, a, b)


_SUBJECT_SKIP = frozenset("have has had now also long are were widely generally increasingly privately publicly "
                          "repeatedly often still".split())


def _subject_hits(s: str, heads: frozenset, verb_ok) -> list:
    """'<up to 3 words> HEAD [aux/adverb]{0,2} VERB' found by token lookups (no backtracking)."""
    toks = tokenize(s)
    out = []
    for i, (low, a, b) in enumerate(toks):
        if low not in heads:
            continue
        j = i + 1
        while j < len(toks) and j <= i + 2 and (toks[j][0] in _SUBJECT_SKIP or toks[j][0].endswith("ly")) \
                and not verb_ok(toks[j][0]):
            j += 1
        if j >= len(toks) or not verb_ok(toks[j][0]):
            continue
        if s[b:toks[j][1]].strip(" "):
            continue  # punctuation between noun and verb
        np_a = toks[max(0, i - 3)][1]
        k = max(0, i - 3)
        while k < i and re.search(r"[,;:.!?()\"“”]", s[toks[k][2]:a]):
            k += 1
            np_a = toks[k][1]
        out.append(_Hit(s, np_a, toks[j][2], np=(np_a, b), verb=(toks[j][1], toks[j][2])))
    return out

TOKEN_RE = re.compile(r"[A-Za-z\u00C0-\u024F0-9][\w\u00C0-\u024F’'&.-]*")
MONTHS_DAYS = frozenset("""january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec
mon tue tues wed thu thur thurs fri sat sun""".split())
# Capitalised words that name nobody (sentence starters, determiners, pronouns, titles alone).
COMMON_CAPS = frozenset("""the a an this that these those some many most several other others one two three
four five six few all both each every no any such it its he she they we i you his her their our my your
in on at for from by with after before during while as when if but and or so yet also however meanwhile
according speaking writing asked reportedly allegedly officials sources source experts analysts critics
observers insiders residents people scientists researchers studies study reports report research figures
data authorities campaigners commentators diplomats investigators witnesses police government ministry
mr mrs ms dr prof sir dame lord lady st there here what who why how where which whose while although though
since until unless because once then now today yesterday tomorrow last next earlier later recently
anonymous senior local regional security medical military industry unconfirmed western eastern official
unnamed former current new old top key leading independent private public federal national state
international global foreign domestic""".split())
SENTENCE_ADVERBS = frozenset("""instead still indeed overall nevertheless moreover furthermore meanwhile however thus
therefore besides again now then yet so also plus first second third finally later earlier altogether elsewhere
nonetheless regardless hence consequently afterwards afterward accordingly otherwise likewise today yesterday tomorrow
sometimes often once here there thereafter""".split())
TITLES_ONLY = frozenset("mr mrs ms dr prof sir dame lord lady".split())
PRONOUN_SUBJECTS = frozenset("he she they it i we".split())
SPECIFIC_DOCUMENTS = re.compile(
    r"\b(?:court\s+(?:documents|records|filings?|papers|transcripts?)|charging\s+documents|"
    r"(?:the\s+)?indictment|census\s+(?:data|figures)|(?:annual|quarterly|financial|earnings|official)\s+"
    r"(?:report|results|accounts|statement|filing)s?|(?:regulatory|securities|stock\s+exchange)\s+filings?|"
    r"(?:court|prison|police|public|tax|property|land|campaign(?:[- ]finance)?|corporate|company|shipping|"
    r"flight(?:[- ]tracking)?|customs|trade|voting|election|autopsy|medical)\s+(?:records|filings|data|documents|"
    r"reports?)|satellite\s+(?:images|imagery|photos|pictures)|(?:an?\s+|the\s+)?(?:autopsy|coroner's)\s+report)\b",
    re.I)

# Where the source follows the cue.
AFTER_RE = re.compile(
    r"\b(?P<cue>according\s+to|as\s+per|as\s+(?:first\s+)?reported\s+by|(?<!is\s)reported\s+by|cited\s+by|quoted\s+by|"
    r"(?:announced|confirmed|disclosed|revealed|released)\s+by|"
    r"(?:told|tells|confirmed\s+to|said\s+to(?=\s+[A-Z])|(?:seen|obtained|reviewed)\s+by(?=\s+[A-Z])|"
    r"(?:speaking|spoke)\s+(?:anonymously\s+|on\s+(?:the\s+)?condition\s+of\s+anonymity\s+)?(?:to|with)|"
    r"in\s+an\s+interview\s+with|interviewed\s+by)|"
    r"(?:writing|wrote|published|reported)\s+in|"
    r"in\s+(?:a|an|its|his|her|their|the)\s+(?:\w+\s+)?(?:statement|filing|report|letter|ruling|submission|"
    r"post|interview|press\s+release|briefing|memo|note|tweet|update|email|e-mail|message|speech|video|"
    r"op-ed|column|blog\s+post|announcement)\s+(?:sent\s+|issued\s+|posted\s+|published\s+|released\s+)?"
    r"(?:to|with|by|from|on|for)|"
    r"(?:data|figures|statistics|numbers|documents|records|reports?|stud(?:y|ies)|surveys?|polls?|analysis|"
    r"research|estimates|review|investigation|audit|census|filings?|footage)"
    r"\s+(?:\w+\s+)?(?:from|by|of|published\s+by|released\s+by|compiled\s+by|obtained\s+by|commissioned\s+by|"
    r"conducted\s+by|carried\s+out\s+by|for|at))\s+(?P<src>[^,;:!?\"“”()]+)",
    re.I)
# "In its latest World Economic Outlook, ..." - a named document.
NAMED_DOC_RE = re.compile(
    r"\b(?:in|under)\s+(?:its|their|his|her|the|a)\s+(?:latest\s+|new\s+|annual\s+|quarterly\s+|monthly\s+|"
    r"recent\s+|\d{4}\s+)?(?P<src>(?:[A-Z][\w’'-]*\s+){1,5}(?:Report|Outlook|Review|Survey|Index|Bulletin|"
    r"Statement|Assessment|Yearbook|Census|Strategy|Plan|Budget|Update|Forecast|Study|Analysis)\b)")
# "In Moody's view, …", "by the IMF's estimate": a named holder of the view or figure
VIEW_RE = re.compile(
    r"\b(?:[Ii]n|[Bb]y)\s+(?:the\s+)?(?P<src>(?:[A-Z][\w&.-]*\s+){0,4}[A-Z][\w&.-]*)[’']s?\s+(?:own\s+)?"
    r"(?:view|opinion|assessment|estimation|estimates?|reckoning|calculations?|analysis|forecast|words)\b")
AFTER_STOP = re.compile(r"\s(?:that|on|in|at|after|before|when|while|during|last|this|earlier|late|as|"
                        r"because|but|said|says|showed|shows|show|found|finds|reported|revealed|suggested|"
                        r"suggests|published|released|indicated|put)\b", re.I)
BOUNDARY_RE = re.compile(r"[,;:()\[\]\"“”—–]|\s-\s|\bthat\b|\bbut\b|\bwhile\b|\bwhereas\b|\band\s+(?=[a-z]+\s)|"
                         r"\bafter\b|\bbefore\b|\bwhen\b|\bbecause\b|\bas\b|\bif\b", re.I)
TRAILING_AUX = re.compile(
    r"(?:\s+(?:has|have|had|also|now|long|previously|earlier|repeatedly|will|would|may|might|could|did|does|"
    r"do|not|never|already|recently|later|subsequently|separately|further|is|are|was|were|first|often|"
    r"frequently|once|again|initially|publicly|privately|reportedly|allegedly|widely|increasingly|"
    r"generally|openly|then|still|both|all|been|too|only|just|even|consistently|variously))+$", re.I)
# a vague head's post-modifier that only says where it is ("in Brussels", "in the Kremlin")
LOCATIVE_POST_RE = re.compile(r"\s*in\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?\s*$")
POSTMOD_SPLIT = re.compile(r"\s(?:of|for|from|at|in|with|within|who|which|that|familiar|close|speaking|on|by|"
                           r"to|among|inside|across|near|around|under|over|behind|involved|based|working|"
                           r"briefed|knowledgeable|aware|published|released|compiled|obtained|issued|collected|gathered|seen|"
                           r"reviewed|commissioned|conducted|carried)\b", re.I)

# one scan instead of one per pattern (about 2x faster); the first impersonal/weasel cue is enough
IMPERSONAL_GATE = frozenset(LEX["impersonal_gate"])
AFTER_GATE = frozenset("""according per reported cited quoted told tells confirmed said speaking spoke interview interviewed
announced disclosed revealed released seen obtained reviewed
writing wrote published statement filing report letter ruling submission post release briefing memo note tweet update
data figures statistics numbers documents records reports study studies survey surveys poll polls analysis research
estimates review investigation audit census filings footage""".split())
IMPERSONAL_RE = re.compile("|".join(f"(?:{p})" for p in [LEX["impersonal_frame"], *LEX["passive_vague"],
                                                           *LEX["weasel_phrases"]]), re.I)
# '"... he would've been George R.R. Martin." — Neil Gaiman': a quotation credited after a dash
DASH_CREDIT_RE = re.compile(r"[\"”’]\s*[—–]\s*(?P<src>[A-Z][^!?\"“”]{1,60})$")
OPENING_NAME_RE = re.compile(r"\s*((?:[\w’'.-]+\s+){0,5}[A-Z][\w’'.-]*),\s+(?:[a-z]|\d)")
INVERTED_RE = re.compile(r"\s+((?:(?!\s(?:when|on|in|at|after|before|who|as|while|during|last|this|adding|according|"
                         r"that|because|but|and)\b)[^,.;:!?\"“”()])+)", re.I)
AT_END_RE = re.compile(r"\s*(?:on\s+\w+day|in\s+(?:a|an|its|his|her|their|the)\s+[\w\s'’]{0,40}|last\s+\w+|"
                       r"this\s+\w+|earlier|later|today|yesterday)?\s*[.\"”'’]*\s*$", re.I)
SUBORDINATE_RE = re.compile(r"(?:^|[.;]\s)[\"“]?(?:while|when|after|before|although|though|because|since|until|"
                            r"whereas|once|if|unless)\b[^,]*$", re.I)
ACRONYM_IN_BRACKETS_RE = re.compile(r"(?<=\w)\s\([A-Z][A-Za-z&]{1,7}\)(?=\s)")  # " (ISRO)"
# "It is understood that …": what follows is the unnamed source's claim, so a reporting verb inside
# it ("the company has told two port operators") is part of the claim, not who vouches for it
IMPERSONAL_THAT_RE = re.compile(LEX["impersonal_frame"] + r"\s+that\b", re.I)
# a passive ("is said to", "is also understood to"): the subject is what the claim is about
PASSIVE_BEFORE_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|being)\s+(?:(?:\w+ly|also|now|still|already|long|often|even|not)\s+)?$", re.I)
MODAL_BEFORE_RE = re.compile(r"\b(?:will|would|could|may|might|shall)\s+(?:\w+ly\s+)?$", re.I)  # not "can": "Police can confirm…"
CLAUSE_VERB_RE = re.compile(r"\b(?:had|has|have|was|were|is|are|will|would|could|did|does)\b", re.I)
PARTICIPLE_BY_RE = re.compile(r"(?:\s+(?:on|in|at|last|this|earlier)\s+\w+){0,2}\s+by\b", re.I)
CREDIT_LINE_RE = re.compile(r"^\s*(?:[—–]|--)\s*[A-Z@(].{0,120}(?:@\w+|\b(?:19|20)\d\d\b)")


@dataclass(frozen=True)
class Source:
    """A source a sentence cites: `kind` is specific | anaphoric | pronoun | vague."""

    kind: str
    cue: str  # the words that decided it, as they appear in the sentence
    phrase: str = ""


# --- names --------------------------------------------------------------------------------


def name_tokens(phrase: str, phrase_start: int, sentence: str) -> list[str]:
    """Proper-name tokens in `phrase` (which starts at `phrase_start` in `sentence`).

    A capitalised word at the very start of the sentence (or after an opening quote) counts only
    if it is not a common word and is followed by another capitalised word, a possessive or a
    verb - "Greenpeace said", "Amnesty International said" - but not "Security sources".
    """
    out = []
    toks = list(TOKEN_RE.finditer(phrase))
    first_word = re.search(r"[A-Za-z\u00C0-\u024F]", sentence)
    first_pos = first_word.start() if first_word else -1
    for i, m in enumerate(toks):
        word = m.group(0)
        if not word[0].isupper():
            continue
        bare = re.sub(r"(?:[’']s?|\.)$", "", word)
        low = bare.lower()
        if low in MONTHS_DAYS or low in TITLES_ONLY or bare == "I" or low in NOT_NAME_CAPS or is_group_plural(low):
            continue  # "PR aides", "Americans say": a function or a population, not a name
        absolute = phrase_start + m.start()
        at_start = absolute <= first_pos or sentence[max(0, absolute - 2):absolute].strip() in {'"', "“", "(", "‘"}
        if at_start or (absolute > 0 and sentence[:absolute].rstrip().endswith((":", "—"))):
            if low in COMMON_CAPS or low in VAGUE_HEADS or low in PERSON_VAGUE or low in STRONG_VAGUE:
                continue
            nxt_m = TOKEN_RE.search(sentence, absolute + len(word))
            nxt = nxt_m.group(0) if nxt_m else ""
            possessive = word.endswith(("’s", "'s"))
            comma_next = sentence[absolute + len(word):absolute + len(word) + 1] == ","
            if comma_next and (low in SENTENCE_ADVERBS or low.endswith("ly")):
                continue  # "Instead, ...", "Separately, ..."
            if not (possessive or comma_next or not nxt or nxt[0].isupper() or nxt.lower() in REPORTING):
                continue  # "Security sources", "Medical sources": an adjective starting the sentence
            if not nxt[:1].isupper() and low.endswith(PLURAL_SUFFIXES) and low not in ORG_EXCEPTIONS:
                continue  # "Teachers say", "Protesters claimed": a common plural, not a name
        elif low in COMMON_CAPS and low not in GEO and not (bare.isupper() and len(bare) > 1):
            # "The", "Some" inside a phrase after a colon etc.; keep acronyms
            if low in {"the", "a", "an", "this", "that", "some", "many", "it", "he", "she", "they", "we", "i"}:
                continue
        out.append(bare)
    return out


def is_group_plural(low: str) -> bool:
    """A population, party membership or faith in the plural ("americans", "democrats"): names nobody."""
    return low in GROUP_PLURALS or (len(low) > 4 and low.endswith("s") and low[:-1] in GEO and low[:-1] not in _COUNTRIES)


def _is_geo(name: str) -> bool:
    return name.lower() in GEO


def _head(core: str) -> str:
    words = re.findall(r"[A-Za-z][\w’'-]*", core)
    if not words:
        return ""
    return re.sub(r"[’']s?$", "", words[-1]).lower()


def judge_phrase(phrase: str, start: int, sentence: str, context_has_names: bool) -> str | None:
    """specific | anaphoric | pronoun | vague | None (not a source-like phrase)."""
    phrase = TRAILING_AUX.sub("", phrase.strip())
    if not phrase:
        return None
    words = phrase.split()
    if len(words) > 14:
        return None  # a clause, not a noun phrase
    low = phrase.lower()
    if low in PRONOUN_SUBJECTS or (len(words) == 1 and words[0].lower() in PRONOUN_SUBJECTS):
        return "pronoun"
    if SPECIFIC_DOCUMENTS.search(phrase):
        return "specific"
    split = POSTMOD_SPLIT.search(" " + phrase)
    core = phrase[:split.start() - 1] if split and split.start() > 0 else phrase
    post = phrase[len(core):]
    head = _head(core)
    names_core = name_tokens(core, start, sentence)
    names_post = name_tokens(post, start + len(core), sentence) if post else []
    vague_head = head in VAGUE_HEADS or head in STRONG_VAGUE
    first = words[0].lower()
    if first in {"a", "an", "one"} and len(words) >= 3 and words[1].lower() in ANONYMOUS_ADJECTIVES and \
            (vague_head or head in ROLES):
        return "vague"  # "one senior Conservative MP", "a senior White House official": anonymous
    if vague_head and head in ANAPHORIC_VAGUE and (first in DEFINITE_DETS or first.endswith(("’s", "'s"))) \
            and not names_core and not names_post:
        return "specific" if context_has_names else "anaphoric"  # "the authors said", "the report found"
    if vague_head and head in PERSON_VAGUE and head not in STRONG_VAGUE and not names_core and \
            first not in INDEFINITE and any(w.lower() in INSTITUTIONS for w in core.split()[:-1]):
        return "specific" if context_has_names else "anaphoric"  # "agency officials said"
    if vague_head:
        if LOCATIVE_POST_RE.match(post):
            names_post = []  # "sources in Brussels", "officials in the Kremlin": where, not who
        if any(not _is_geo(n) for n in names_post):
            return "specific"  # "a spokeswoman for the Metropolitan Police", "data from the EIA"
        if any(not _is_geo(n) for n in names_core):
            return "specific"  # "Pentagon officials", "a YouGov poll", "NHS England figures"
        if names_post and _head(re.split(r"\s(?:who|which|that|on|in|at|to)\s", post + " ")[0]) in INSTITUTIONS:
            return "specific"  # "a spokesman for the German foreign ministry": a body with its country
        by = re.search(r"\bby\s+(.+)$", post)
        if names_post and by and _head(by.group(1).rstrip(" .")) in INSTITUTIONS:
            return "specific"  # "figures released on Wednesday by Peru's energy ministry"
        return "vague"  # "US officials", "Western intelligence", "a senior official"
    if names_core or names_post:
        return "specific"
    if is_group_plural(head) or (post and is_group_plural(_head(post))):
        return "vague"  # "Americans say", "70 percent of Democrats said": a population names nobody
    if head in INSTITUTIONS or head in ROLES:
        if first in {"a", "an", "one", "some", "another", "several", "many", "unnamed", "anonymous"}:
            return "vague"  # "a ministry", "an official body"
        return "specific" if context_has_names else "anaphoric"  # "the ministry", "police", "prosecutors"
    return None


# --- source finding -----------------------------------------------------------------------

def _unnamed_group(phrase: str, start: int, sentence: str) -> bool:
    words = phrase.split()
    if not 1 <= len(words) <= 4 or name_tokens(phrase, start, sentence):
        return False
    head = _head(phrase)
    return (len(head) > 3 and head.endswith("s") and not head.endswith("ss") and words[0].lower() not in DEFINITE_DETS
            and words[0].lower() not in PRONOUN_SUBJECTS and head not in INSTITUTIONS)


def _clause_start(sentence: str, end: int) -> int:
    start = 0
    for m in BOUNDARY_RE.finditer(sentence, 0, end):
        if m.end() <= end:
            start = m.end()
    return start


def find_sources(sentence: str, context_has_names: bool = False) -> list[Source]:
    """All sources cited in `sentence`, in order of appearance (may be empty)."""
    return list(_find_sources(sentence, context_has_names))


@lru_cache(maxsize=4096)
def _find_sources(sentence: str, context_has_names: bool) -> tuple[Source, ...]:
    return tuple(_scan_sources(sentence, context_has_names))


def _scan_sources(sentence: str, context_has_names: bool) -> list[Source]:
    # "The Indian Space Research Organisation (ISRO) said": the bracketed acronym belongs to the name,
    # so it is blanked (same length: offsets stay those of the sentence) rather than ending a clause
    s = ACRONYM_IN_BRACKETS_RE.sub(lambda m: " " * len(m.group(0)), sentence)
    if s != sentence:
        return [Source(x.kind, " ".join(x.cue.split()), " ".join(x.phrase.split()))
                for x in _scan(s, context_has_names)]
    return _scan(s, context_has_names)



def _scan(s: str, context_has_names: bool) -> list[Source]:
    sources: list[Source] = []
    # 1. cues followed by their source
    toks = tokenize(s)
    for m in (AFTER_RE.finditer(s) if not AFTER_GATE.isdisjoint(low for low, _, _ in toks) else ()):
        src = m.group("src")
        cue = m.group("cue").lower()
        told = cue.startswith(("told", "tells", "confirmed to", "said to", "speaking", "spoke", "in an interview",
                               "interviewed", "seen by", "obtained by", "reviewed by"))
        if told:
            stop = AFTER_STOP.search(" " + src)
            src_cut = src[:max(0, stop.start() - 1)] if stop else src
            if not src_cut.strip():
                continue
        else:
            stop = re.search(r"\s(?:that|said|says|showed|shows|show|found|finds|reported|revealed|suggested|suggests|"
                             r"indicated|indicates|put)\b", " " + src)
            src_cut = src[:stop.start() - 1] if stop and stop.start() > 0 else src
        src_cut = " ".join(src_cut.split()[:12 if not told else 9])
        if told:
            # "told Reuters" names an outlet; "told reporters" does not
            first = src_cut.lower().strip()
            if any(first == b or first.startswith(b + " ") for b in OUTLET_BLOCKERS):
                continue
            if name_tokens(src_cut, m.start("src"), s):
                sources.append(Source("specific", f"{m.group('cue')} {src_cut}".strip(), src_cut))
            continue
        kind = judge_phrase(src_cut, m.start("src"), s, context_has_names)
        if kind is None and cue.startswith("according"):
            first = src_cut.split()[0].lower() if src_cut.split() else ""
            definite = (first in DEFINITE_DETS and first not in {"those", "these"}) or first.endswith(("’s", "'s"))
            kind = ("specific" if context_has_names else "anaphoric") if definite else "vague"
        if kind:
            sources.append(Source(kind, f"{m.group('cue')} {src_cut}".strip(), src_cut))
    for m in NAMED_DOC_RE.finditer(s):
        sources.append(Source("specific", m.group(0).strip(), m.group("src").strip()))
    for m in VIEW_RE.finditer(s):
        if name_tokens(m.group("src"), m.start("src"), s):
            sources.append(Source("specific", m.group(0).strip(), m.group("src").strip()))
    # 2. reporting verbs: subject before, or inverted subject after
    impersonal = IMPERSONAL_THAT_RE.search(s)
    for n_verbs, m in enumerate(_verbs(s)):
        if n_verbs >= MAX_VERBS:
            break  # a run-on "sentence" (a list, a table): keep the cost bounded
        verb = m.group(0).lower()
        if verb == "according":
            continue
        if SUBORDINATE_RE.search(s[:m.start()]) and "," in s[m.end():]:
            continue  # "While diplomats argued in Geneva, Russia struck...": background, not a source
        if re.search(r"\bto\s+$", s[:m.start()]):
            continue  # an infinitive: "prompted authorities to put"
        if MODAL_BEFORE_RE.search(s[max(0, m.start() - 30):m.start()]):
            continue  # "the company will report its first loss": an action to come, not a source
        if verb.endswith(("ed", "en", "wn")) and PARTICIPLE_BY_RE.match(s[m.end():]):
            continue  # "Figures published on Tuesday by X showed": a participle, not the verb
        if m.start() >= 3 and PASSIVE_BEFORE_RE.search(s[:m.start()]):
            continue  # passive: handled by the impersonal patterns
        if impersonal and impersonal.end() <= m.start() and not AT_END_RE.match(s[m.end():]):
            continue  # inside what "it is understood" vouches for (a closing ", X said." still counts)
        start = _clause_start(s, m.start())
        phrase = s[start:m.start()]
        unquoted = phrase.strip().strip("'‘’")  # "…,' said X": a closing quote is no subject
        stripped = TRAILING_AUX.sub("", unquoted.strip())
        lead = phrase.find(unquoted) + len(unquoted) - len(unquoted.lstrip())
        if not stripped:
            if start == 0:
                continue
            # inversion: '"...," said a WeWork spokesperson' / ', said Chief Constable X'
            after = INVERTED_RE.match(s, m.end())
            # a clause after the verb is what was said, not who said it ('said two soldiers had been hurt')
            if after and not CLAUSE_VERB_RE.search(after.group(1)):
                kind = judge_phrase(after.group(1), after.start(1), s, context_has_names)
                if kind and kind != "pronoun":
                    sources.append(Source(kind, f"{m.group(0)} {after.group(1).strip()}", after.group(1).strip()))
                    continue
            # "McCormick, who has split from many Republicans, told ...": the sentence's opening name
            opening = OPENING_NAME_RE.match(s)
            if opening and opening.end() < m.start():
                kind = judge_phrase(opening.group(1), opening.start(1), s, context_has_names)
                if kind in ("specific", "anaphoric"):
                    sources.append(Source(kind, f"{opening.group(1)} \u2026 {m.group(0)}", opening.group(1)))
                    continue
            # appositive: "The regulator, Ofcom, said"
            if s[start - 1] == ",":
                prev_start = _clause_start(s, start - 1)
                prev = s[prev_start:start - 1]
                if len(prev.split()) <= 6:
                    kind = judge_phrase(prev, prev_start, s, context_has_names)
                    if kind:
                        sources.append(Source(kind, f"{prev.strip()}, {m.group(0)}", prev.strip()))
            continue
        kind = judge_phrase(stripped, start + lead, s, context_has_names)
        if kind is None and verb not in WEAK_VERBS and _unnamed_group(stripped, start + lead, s):
            kind = "vague"  # "Health bosses said", "Teachers say": a group that names nobody
        if kind is None:
            continue
        if verb in WEAK_VERBS:
            head = _head(POSTMOD_SPLIT.split(" " + stripped)[0])
            followed_by_that = re.match(r"\s+(?:that|how|what|whether|it\s*[,:.])|\s*[,:]", s[m.end():]) or (
                verb in ("called", "calls") and re.match(r"\s+it\s", s[m.end():]))
            at_end = AT_END_RE.match(s[m.end():])
            belief = verb in BELIEF_VERBS  # "Police believe …", "Officials fear …": whose belief it is
            if not (head in DATA_HEADS or followed_by_that or at_end or kind == "pronoun" or belief):
                continue
        if kind == "pronoun" and verb in WEAK_VERBS and verb not in {"added", "noted", "wrote", "described"}:
            continue
        sources.append(Source(kind, f"{stripped} {m.group(0)}", stripped))
    credit = DASH_CREDIT_RE.search(s)
    if credit and name_tokens(credit.group("src"), credit.start("src"), s):
        sources.append(Source("specific", credit.group(0).strip(" \"”"), credit.group("src")))
    if any(src.kind != "vague" for src in sources):
        return sources  # a named (or resolvable) source decides; vague cues would not change the label
    # 3. impersonal and weasel phrasing
    m = IMPERSONAL_RE.search(s) if not IMPERSONAL_GATE.isdisjoint(low for low, _, _ in tokenize(s)) else None
    if m:
        sources.append(Source("vague", m.group(0)))
    for m in _subject_hits(s, STRONG_SET, lambda w: w.isalpha()):
        np = m.group("np")
        verb = m.group("verb").lower()
        if SUBORDINATE_RE.search(s[:m.end()]) and "," in s[m.end():]:
            continue
        if not (verb in REPORTING or (verb.endswith("ed") and len(verb) > 4)) or verb == "according":
            continue
        if not name_tokens(np, m.start("np"), s):
            if re.search(r"\b(?:no|the|these|those|such|his|her|its|their)\s+(?:\w+\s+)?(?:reports?|sources?|research|studies)\b",
                         np, re.I) and m.group("verb").lower() not in {"indicate", "suggest", "say", "said", "claim", "show"}:
                continue
            sources.append(Source("vague", m.group(0)))
            break
    for m in _subject_hits(s, PERSON_VAGUE, REPORTING.__contains__):
        np = m.group("np")
        if SUBORDINATE_RE.search(s[:m.end()]) and "," in s[m.end():]:
            continue
        if PARTICIPLE_BY_RE.match(s[m.end():]):
            continue
        if m.group("verb").lower() in WEAK_VERBS and not re.match(r"\s+(?:that|how|what|whether)\b", s[m.end():]):
            continue
        if re.search(r"\b(?:the|this|that|these|those|its|his|her|their)\s+(?:\w+\s+)?\w+$", np, re.I) and \
                m.group("verb") and _head(np) in ANAPHORIC_VAGUE:
            continue
        if not [n for n in name_tokens(np, m.start("np"), s) if not _is_geo(n)]:
            sources.append(Source("vague", m.group(0)))
            break
    return sources


def is_credit_line(text: str) -> bool:
    """"— The Kyiv Independent (@KyivIndependent) June 19, 2025": an embed's credit line."""
    return bool(CREDIT_LINE_RE.match(text))
