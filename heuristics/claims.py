"""Unattributed claims: find the facts that rest on nothing, sentence by sentence (issue 4).

Each sentence gets one of four labels:

- ``attributed``   - it cites a specific source: a named person or organisation, a named
  publication, document or data set, an outlet that carried anonymous sourcing ("two officials
  told Reuters"), a speaker the article has named ("he said"), or a link in its paragraph;
- ``vague``        - it rests on a source that names nobody: "officials said", "studies show",
  "reportedly", "it is believed", "according to media reports";
- ``unattributed`` - it asserts a checkable fact (numbers, dates, named actors doing things)
  and cites nothing;
- ``not_claim``    - it claims nothing checkable: opinion, rhetoric, truisms, questions,
  transitions, calls to action.

`explain_claim` returns the label with the cue that decided it; `claims_signal` scores an
article by how much of its factual content rests on vague or no sources. Pure rules (word lists
in data/claims.json); a sentence costs a few compiled-regex scans.

`hedge_cues` finds the hedge and weasel cues of data/claims.json "weasel" (epistemic, attribution,
unnamed_group, quantifier, generaliser, puffery). The signal uses two of these categories: an
attribution cue ("according to legend", "some say") makes a sentence `vague`, and an epistemic
cue ("probably", "is believed to") makes it less checkable. `is_weasel` is the broader
CoNLL-2010 "weasel/uncertain" reading (any cue, or a vague source), scored by
`reliability eval claims`. A source named only after the fact ("That's according to the Labor
Department.", "Those were the words of ...") attributes what it refers back to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .attribution import (GEO, LEX, MONTHS_DAYS, Source, alternation, find_sources, is_credit_line, is_group_plural,
                          name_tokens, tokenize)
from .document import Document, Paragraph
from .report import Signal, quote

LABELS = ("attributed", "vague", "unattributed", "not_claim")
SKIP_MARKERS = frozenset({"embed", "ad", "sponsored", "promo"})

NUMBER_WORDS = frozenset("""two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand
thousands million millions billion billions trillion trillions dozen dozens half twice double triple doubled tripled
halved quadrupled first second third fourth fifth tenth majority record""".split())
DIGIT_RE = re.compile(r"[\d%$£€¥]")
_NUMBER_ALT = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
GENERIC_NUMBER_RE = re.compile(
    rf"\b(?:\d+(?:st|nd|rd|th)|{_NUMBER_ALT})[\s-]+(?:{'|'.join(LEX['generic_time'])})\b|"
    r"\b(?:first|second)\s+(?:time|place|step|thing|glance|sight|hand|half|nature|chance|thought)\b|"
    r"\bin\s+the\s+first\s+place\b|\bon\s+the\s+other\s+hand\b|\bthe\s+first\s+to\b", re.I)
GENERIC_GATE = frozenset(LEX["generic_time"]) | frozenset(
    "time place step thing glance sight hand half nature chance thought first".split())
MONTH_WORDS = frozenset("january february march april may june july august september october november december".split())
DAY_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday yesterday".split())
DATE_REL_RE = re.compile(
    r"\b(?:last|this|next)\s+(?:week|month|year|weekend|night|season|quarter|spring|summer|autumn|winter)\b|"
    r"\b(?:earlier|later)\s+this\s+(?:week|month|year)\b|\b(?:since|in)\s+\d{4}\b", re.I)
# A comparison or proportion that can be checked even without a figure.
QUANTITY_RE = re.compile(
    r"\b(?:more|less|fewer|higher|lower|larger|smaller|bigger|greater|faster|slower|cheaper)\s+than\b|"
    r"\b(?:a|one|two)\s+(?:third|quarter|fifth|tenth)s?\s+of\b|\bper\s*cent(?:age)?\b|\bpercent(?:age)?\b|"
    r"\b(?:highest|lowest|largest|biggest|smallest|fastest|slowest|worst|best|most|fewest)\b[^.;]{0,40}?"
    r"\b(?:in\s+(?:history|the\s+world|the\s+country|the\s+nation|decades|years|a\s+(?:decade|generation|century))|"
    r"ever|on\s+record|since\s+\d{4})\b|"
    r"\b(?:rose|fell|grew|dropped|declined|increased|decreased|climbed|jumped|slumped|shrank|cut|raised|"
    r"(?:went|are|is|were|was)\s+(?:\w+ly\s+)?(?:up|down))"
    r"\s+(?:by\s+)?(?:\d|a\s+(?:third|quarter|half|fifth)|half|sharply|dramatically|significantly|substantially)", re.I)
# every QUANTITY_RE match has one of these words
QUANTITY_GATE = frozenset("""more less fewer higher lower larger smaller bigger greater faster slower cheaper third
thirds quarter quarters fifth fifths tenth tenths cent percent percentage highest lowest largest biggest smallest
fastest slowest worst best most fewest up down""".split())
CLAIM_VERBS = frozenset(w for w in LEX["claim_verbs"] if " " not in w)
FINITE_RE = re.compile(r"\b(?:is|are|was|were|has|have|had)\s+(?:\w+ly\s+)?(?:\w+ing|\w+ed|been|made|taken|done|"
                       r"given|gone|held|built|won|lost|sent|paid|sold)\b|\b\w+s\s+(?:a|an|the|\d)", re.I)
FIRST_SECOND = frozenset("we we're we've we'll us our ours you you're you'll your yours let's i i'm i've me my".split())
MODALS = frozenset("will would could might can should must ought shall".split())
EVALUATIVE_WORDS = frozenset(w for w in LEX["evaluative"] if " " not in w)
EVALUATIVE_PHRASES = re.compile(rf"\b(?:{alternation([w for w in LEX['evaluative'] if ' ' in w])})\b", re.I)
QUESTION_RE = re.compile(r"\?[\"”’')\]]*\s*$")
IMPERATIVE_RE = re.compile(
    rf"^[\"“‘(]*(?:{alternation(LEX['imperative_starts'])})\b(?!\s+(?:was|were|is|are|has|had|said|says)\b)",
    re.I)
APPEAL_RE = re.compile(LEX["appeals"], re.I)  # "Anyone with information is asked to contact…"
TRANSITION_RE = re.compile(
    r"^[\"“]?(?:here(?:'s|’s|\s+is|\s+are)\s+(?:what|how|why|the)|meanwhile,?\s+in\s+other|in\s+other\s+news|"
    r"(?:now|so|first|next|finally|but)\s*,?\s+let(?:'s|’s|\s+us)\b|read\s+more|related\s*:|advertisement|photo\s*:|image\s*:|watch\s*:|listen\s*:|more\s+on\s+this|"
    r"this\s+(?:story|article)\s+(?:has\s+been|was)\s+(?:updated|corrected))", re.I)
# A line in Title Case without final punctuation: a heading that reached the running text.
HEADLINE_RE = re.compile(r"^(?=[^.!?]*[^.!?\s]\s*$)(?:[\"“‘']?(?:[A-Z0-9][\w’'&:,.-]*|a|an|the|of|in|on|to|for|and|or|at|by|with|from|as|vs\.?|is|are|&|-|–|—)[\"”’']?[:,]?\s*){2,16}$")
EXCLAIMED_QUOTE_RE = re.compile(r"!\s*[\"”’']")
NO_COMMENT_RE = re.compile(
    r"\b(?:declined|refused|did\s+not|didn['’]t|could\s+not|couldn['’]t|was\s+not|were\s+not)\s+(?:immediately\s+)?"
    r"(?:to\s+)?(?:comment|respond|return|reply|available|be\s+reached)\b|\bno\s+(?:immediate\s+)?comment\b|"
    r"\b(?:did\s+not|didn['’]t)\s+(?:immediately\s+)?(?:respond|reply)\s+to\s+(?:a\s+)?requests?\s+for\s+comment", re.I)
CITATION_RE = re.compile(r"(?:\(\s*\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\s*\)|\[\s*\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\s*\])"
                         r"[\s.,;:\"”]*$")
QUOTE_OPEN = "\"“"
GENERIC_SUBJECT_RE = re.compile(
    r"^(?:[A-Z][a-z]+\s+){0,2}(?:has|have|is|are|remains?|can|will)\s+(?:always\s+|never\s+|long\s+|often\s+)?"
    r"(?:been\s+)?(?:a|an|the|one|more|no|not|changed|transformed|revolutioni[sz]ed|become)\b")


WEASEL_CATEGORIES = ("epistemic", "attribution", "unnamed_group", "quantifier", "generaliser", "puffery")
WEASEL_RE = re.compile("|".join(f"(?P<{cat}>" + "|".join(f"(?:{p})" for p in LEX["weasel"][cat]) + ")"
                                for cat in WEASEL_CATEGORIES), re.I)

EPISTEMIC_RE = re.compile("|".join(f"(?:{p})" for p in LEX["weasel"]["epistemic"]), re.I)
EPISTEMIC_GATE = frozenset(LEX["weasel"]["epistemic_gate"])  # every EPISTEMIC_RE match has one of these words
ATTRIBUTION_GATE = frozenset(LEX["weasel"]["attribution_gate"])  # and every WEASEL_ATTRIBUTION_RE match
WEASEL_ATTRIBUTION_RE = re.compile("|".join(f"(?:{p})" for p in LEX["weasel"]["attribution"]), re.I)


@dataclass(frozen=True)
class Hedge:
    kind: str  # a category of data/claims.json "weasel": epistemic | attribution | unnamed_group | ...
    cue: str
    start: int
    end: int


def hedge_cues(sentence: str) -> list[Hedge]:
    """Hedge and weasel cues in `sentence` (data/claims.json "weasel"), in order of appearance."""
    return [Hedge(m.lastgroup, m.group(0), m.start(), m.end()) for m in WEASEL_RE.finditer(sentence)]


def is_weasel(sentence: str) -> bool:
    """Vague or uncertain (the CoNLL-2010 Wikipedia "weasel" reading): a hedge/weasel cue, or a vague source.

    Broader than the `vague` label: "The drug may cut deaths" hedges without any source. Very short
    lines (titles) are never hedged.
    """
    s = (sentence or "").strip()
    if len(s.split()) < 4:
        return False
    if WEASEL_RE.search(s):
        return True
    return any(src.kind == "vague" for src in find_sources(s))


@dataclass(frozen=True)
class ClaimVerdict:
    label: str  # attributed | vague | unattributed | not_claim
    cue: str  # the words that decided it
    reason: str  # a one-line human explanation
    checkability: float = 0.0  # how checkable the statement is (0..1), for ranking evidence

    def __str__(self) -> str:
        return self.label


# --- is it a claim? -----------------------------------------------------------------------

def _whole_name(sentence: str, first: str) -> str:
    """The name that starts with the token `first`, with the capitalised words after it
    ("North" -> "North Korea"): what a reader recognises as the actor."""
    m = re.search(re.escape(first) + r"(?:\s+[A-Z][\w'\u2019-]*)*", sentence)
    return m.group(0) if m else first


def claim_strength(sentence: str) -> tuple[float, str]:
    """How checkable a statement of fact `sentence` is (0 = none), and the cue that makes it so.

    Numbers and quantities (+2), dates (+1), named actors (+1/+1.5), event verbs (+1) make a
    statement checkable; first/second person, opinion words, modals, generic subjects and very
    short sentences count against it. Token set lookups, so it stays cheap.
    """
    s = sentence.strip()
    toks = tokenize(s)
    cues: list[str] = []
    score = 0.0
    candidates = [m.start() for m in DIGIT_RE.finditer(s)]
    candidates += [a for low, a, _ in toks if low in NUMBER_WORDS]
    if candidates and not GENERIC_GATE.isdisjoint(low for low, _, _ in toks):
        generic = [m.span() for m in GENERIC_NUMBER_RE.finditer(s)]
        candidates = sorted(c for c in candidates if not any(a <= c < b for a, b in generic))
    if candidates:
        score += 2.0
        c = candidates[0]
        word = re.search(r"\S*$", s[:c]).group(0) + re.match(r"\S*", s[c:]).group(0)
        cues.append(f"number \u201c{word.strip(',.;:')}\u201d")
    date = next((s[a:b] for low, a, b in toks
                 if low in DAY_WORDS or (low in MONTH_WORDS and s[a].isupper() and (low != "may" or a > 0))), None)
    if date is None:
        m = DATE_REL_RE.search(s)
        date = m.group(0) if m else None
    if date:
        score += 1.0
        cues.append(f"date \u201c{date}\u201d")
    if not candidates and not QUANTITY_GATE.isdisjoint(low for low, _, _ in toks):
        m = QUANTITY_RE.search(s)
        if m:  # "less than a third of", "the highest in the world", "exports are up 5 percent"
            score += 1.0
            cues.append(f"quantity \u201c{m.group(0)}\u201d")
    names = [n for n in name_tokens(s, 0, s) if n.lower() not in MONTHS_DAYS]
    if not names:  # "Russia said...", "The Americans wanted...": a country or a people acting
        names = [s[a:b] for low, a, b in toks[:6] if (low in GEO or is_group_plural(low)) and s[a].isupper()]
    if names:
        score += 1.0 if len(names) == 1 else 1.5
        cues.append(f"named actor \u201c{_whole_name(s, names[0])}\u201d")
    verb = next((s[a:b] for low, a, b in toks
                 if low in CLAIM_VERBS or (len(low) >= 5 and low.endswith("ed") and s[a].islower())), None)
    if verb:
        score += 1.0
        cues.append(f"action \u201c{verb}\u201d")
    elif names and FINITE_RE.search(s):
        score += 0.5  # a named actor doing something: "The United States is pursuing ..."
    if not candidates and any(low in FIRST_SECOND and not (low == "us" and s[a] == "U") for low, a, _ in toks):
        score -= 1.0
    if any(low in EVALUATIVE_WORDS for low, _, _ in toks) or (EVALUATIVE_PHRASES and EVALUATIVE_PHRASES.search(s)):
        score -= 1.5
    if any(low in MODALS or (low == "may" and s[a] == "m") for low, a, _ in toks):
        score -= 0.75
    elif not EPISTEMIC_GATE.isdisjoint(low for low, _, _ in toks) and EPISTEMIC_RE.search(s):
        score -= 0.4 if candidates else 0.75  # hedged ("probably", "is believed to"): less checkable, unless a figure
    if not candidates and GENERIC_SUBJECT_RE.match(s):
        score -= 1.0
    if len(toks) < 5:
        score -= 1.0
    return score, ", ".join(dict.fromkeys(cues))


CLAIM_THRESHOLD = 1.5
MAX_SENTENCE_CHARS = 1000


def _not_claim_form(s: str) -> str | None:
    """Why `s` cannot be a claim by its form alone (question, call to action, transition)."""
    if not s or not re.search(r"[A-Za-z]{2}", s):
        return "no text"
    if QUESTION_RE.search(s):
        return "a question"
    if IMPERATIVE_RE.match(s) or APPEAL_RE.match(s):
        return "a call to action"
    if TRANSITION_RE.match(s):
        return "a transition"
    if is_credit_line(s):
        return "a credit line"
    if HEADLINE_RE.match(s):
        return "a heading"
    if NO_COMMENT_RE.search(s):
        return "a no-comment line"
    if EXCLAIMED_QUOTE_RE.search(s):
        return "an exclamation in dialogue"
    if s[:1] == "(" and s.rstrip(" .")[-1:] == ")":
        return "a parenthetical note"
    return None


# --- classification -----------------------------------------------------------------------

def _best(sources: list[Source]) -> Source | None:
    for kind in ("specific", "pronoun", "anaphoric", "vague"):
        for src in sources:
            if src.kind == kind:
                return src
    return None


def explain_claim(sentence: str, context: str | None = None, *,
                  previous: str | None = None, following: str | None = None,
                  link_text: str | None = None) -> ClaimVerdict:
    """Label `sentence` and say which cue decided it.

    `context` is neighbouring text (the previous and/or next sentence, or the paragraph): it
    resolves "the ministry said" and pronoun speakers, and carries a named speaker into a
    quotation that continues across sentences. `previous`/`following` give the neighbours
    separately when known (the article signal passes them); `link_text` is the text of a link
    inside the sentence, which counts as a source.
    """
    s = (sentence or "").strip()
    if len(s) > MAX_SENTENCE_CHARS:
        s = s[:MAX_SENTENCE_CHARS]  # run-on text: judge its opening, keep the cost linear
    why_not = _not_claim_form(s)
    if why_not:
        return ClaimVerdict("not_claim", "", f"not a claim: {why_not}")
    best = _best(find_sources(s))
    if best and best.kind == "specific":
        return ClaimVerdict("attributed", best.cue, f"attributed: {best.cue}")
    if best and best.kind in ("pronoun", "anaphoric"):
        return ClaimVerdict("attributed", best.cue, f"attributed to a source named in the article: {best.cue}")
    if link_text:
        return ClaimVerdict("attributed", link_text, f"links to a source: {link_text}")
    citation = CITATION_RE.search(s)
    if citation:
        return ClaimVerdict("attributed", citation.group(0).strip(), "cites a numbered reference")
    strength, claim_cue = claim_strength(s)
    checkability = max(0.0, min(1.0, strength / 5.0))
    if best and best.kind == "vague":
        return ClaimVerdict("vague", best.cue, f"vague source: \u201c{best.cue}\u201d names nobody", checkability)
    weasel = WEASEL_ATTRIBUTION_RE.search(s) if not ATTRIBUTION_GATE.isdisjoint(
        low for low, _, _ in tokenize(s)) else None
    if weasel and strength >= CLAIM_THRESHOLD - 1.0:  # "According to legend, ...", "Some say ..."
        cue = weasel.group(0)
        return ClaimVerdict("vague", cue, f"credited to nobody in particular: \u201c{cue}\u201d", checkability)
    if strength < CLAIM_THRESHOLD:
        return ClaimVerdict("not_claim", "", "no checkable statement of fact", checkability)
    # a claim with no source of its own: does the neighbouring text carry one?
    carried = _carried_attribution(s, context, previous, following)
    if carried:
        return ClaimVerdict("attributed", carried.cue, f"attributed in the neighbouring sentence: {carried.cue}",
                            checkability)
    return ClaimVerdict("unattributed", claim_cue, f"states a checkable fact without a source: {claim_cue}",
                        checkability)


def classify_claim(sentence: str, context: str | None = None) -> str:
    """attributed | vague | unattributed | not_claim (see explain_claim for the cue)."""
    return explain_claim(sentence, context).label


def _in_quotation(s: str) -> bool:
    return s[:1] in QUOTE_OPEN or s.rstrip()[-1:] in "\"”" or s.count("\u201c") != s.count("\u201d") \
        or s.count('"') % 2 == 1


_CONTINUATION_RE = re.compile(r"^[\"“]?(?:he|she|they|it|the\s+\w+|this|these|that|those|his|her|their|its|"
                              r"the\s+(?:report|study|figures|data|statement|survey|ministry|company|agency)|"
                              r"also|in\s+addition|moreover|however)\b", re.I)


def _carried_attribution(s: str, context: str | None, previous: str | None, following: str | None) -> Source | None:
    """A specific source in the neighbouring text that covers `s`.

    Covers a quotation split over sentences ('"... . It carried 50kg," the ministry said.'),
    a sentence continuing a cited one ("The Bank said... It also noted..."), and a colon
    introducing a quote.
    """
    neighbours = [t for t in (previous, following) if t]
    if context and not neighbours:
        neighbours = [context]
    quoted = _in_quotation(s)
    for i, text in enumerate(neighbours):
        is_following = following is not None and text is following
        if is_following and not quoted:
            continue  # a later sentence only covers a quotation it closes
        src = _best([x for x in find_sources(text) if x.kind != "vague"])
        if src is None:
            continue
        if quoted or _CONTINUATION_RE.match(s) or text.rstrip().endswith(":") or not is_following:
            return src
    return None


# --- the article signal -------------------------------------------------------------------

@dataclass(frozen=True)
class _Item:
    paragraph: Paragraph
    start: int
    end: int
    verdict: ClaimVerdict


def _link_in(paragraph: Paragraph, sentence_text: str, own_host: str) -> str | None:
    for link in paragraph.links:
        if not link.text or not link.host or (own_host and link.host.endswith(own_host)):
            continue
        if link.text.strip() and link.text.strip() in sentence_text:
            return link.text.strip()
    return None


def classify_document(doc: Document) -> list[_Item]:
    """Every running-text sentence of `doc` with its verdict (neighbours used as context).

    Besides the neighbouring sentences, a quotation that runs over several paragraphs keeps the
    speaker named where it opened ('"We worked on it," comments Robin Biesbroek.' followed by a
    paragraph that opens with a quote mark and names nobody).
    """
    pairs = []
    paragraphs = [p for p in doc.body if not (p.markers & SKIP_MARKERS)]
    for pi, paragraph in enumerate(paragraphs):
        credited = pi + 1 < len(paragraphs) and is_credit_line(paragraphs[pi + 1].text)
        for sentence in paragraph.sentences:
            pairs.append((paragraph, sentence, credited))
    items: list[_Item] = []
    speaker: ClaimVerdict | None = None  # who speaks in the quotation running into this paragraph
    current: Paragraph | None = None
    paragraph_items: list[_Item] = []

    def close_paragraph() -> None:
        nonlocal speaker
        if current is None:
            return
        own = next((it.verdict for it in paragraph_items if it.verdict.label == "attributed"
                    and it.verdict.cue not in ("link in paragraph", "credit line")), None)
        quoted = current.text.lstrip()[:1] in QUOTE_OPEN
        if quoted and (own or speaker):
            who = own or speaker
            for k, it in enumerate(paragraph_items):
                if it.verdict.label == "unattributed" and (quoted or _in_quotation(current.text[it.start:it.end])):
                    paragraph_items[k] = _Item(it.paragraph, it.start, it.end, ClaimVerdict(
                        "attributed", who.cue, f"quoted speaker: {who.cue}", it.verdict.checkability))
        speaker = own if own else (speaker if quoted else None)
        items.extend(paragraph_items)

    for i, (paragraph, sentence, credited) in enumerate(pairs):
        if paragraph is not current:
            close_paragraph()
            current, paragraph_items = paragraph, []
        prev = pairs[i - 1][1].text if i > 0 and pairs[i - 1][0] is paragraph else None
        nxt = pairs[i + 1][1].text if i + 1 < len(pairs) and pairs[i + 1][0] is paragraph else None
        if prev is None and i > 0 and pairs[i - 1][0].text.rstrip().endswith(":"):
            prev = pairs[i - 1][1].text  # a paragraph introducing a quote
        link = _link_in(paragraph, sentence.text, doc.host)
        verdict = explain_claim(sentence.text, previous=prev, following=nxt, link_text=link)
        if verdict.label in ("vague", "unattributed") and credited:
            verdict = ClaimVerdict("attributed", "credit line", "quoted from the credited embed", verdict.checkability)
        if verdict.label == "unattributed" and not link and _external_links(paragraph, doc.host):
            verdict = ClaimVerdict("attributed", "link in paragraph",
                                   "its paragraph links to a source", verdict.checkability)
        paragraph_items.append(_Item(paragraph, sentence.start, sentence.end, verdict))
    close_paragraph()
    _attribute_back_references(items)
    return items


# "That's according to the Labor Department." / "So says Mark Carney." / "She made the remarks on CNN.":
# a sentence whose only job is to name the source of what came just before it.
BACKREF_RE = re.compile(
    r"^[\"“‘']?(?:(?:that|this|those|these|all\s+(?:that|this))(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+"
    r"(?:(?:all\s+)?according\s+to|(?:the\s+|an?\s+)?(?:\w+\s+){0,2}?(?:words?|view|verdict|warning|message|"
    r"conclusion|findings?|assessment|estimate|figures?|numbers?|claim|picture|forecast|prediction|argument|"
    r"projection|calculation|finding)s?\s+(?:of|from|by|in)|what\s+.{1,60}?\b(?:said|says|told|found|wrote|"
    r"concluded|estimated|reported))|(?:or\s+)?so\s+(?:says|said|say|claims|argues)\b)|"
    r"\b(?:made|gave|delivered|offered|posted)\s+(?:the|these|those|his|her|their|its)\s+(?:comments?|remarks?|"
    r"statement|assessment|warning|prediction|claim)\b|\bsaid\s+(?:this|so)\b|"
    r"^[\"“‘']?(?:the|those|these|his|her|their)\s+(?:remarks?|comments?|words|warning|claims?|figures?)\s+"
    r"(?:came|come|were|was|are|is)\s+(?:from|made\s+by|those\s+of)", re.I)

BACKREF_TAIL_END = re.compile(r"[,;:.!?()]|\s(?:in|on|at|during|last|this|when|after|before|while|as)\s")
FIRST_PERSON_SOURCE_RE = re.compile(r"(?:we|i|we['’]ve|i['’]ve|we['’]d|i['’]d|us|me)\b", re.I)


def _attribute_back_references(items: list[_Item]) -> None:
    """A source named only after the fact ("That's according to X") covers what it refers back to.

    Inside a paragraph that is the sentence before; at the start of a paragraph it is the previous
    paragraph (all of it when short or a quotation, else its last sentence).
    """
    for i, it in enumerate(items):
        if i == 0 or it.verdict.label == "not_claim" or it.verdict.cue in ("link in paragraph", "credit line") \
                or it.verdict.reason.startswith(("attributed in the neighbouring", "quoted speaker")):
            continue
        text = it.paragraph.text[it.start:it.end]
        m = BACKREF_RE.search(text)
        if not m or FIRST_PERSON_SOURCE_RE.match(it.verdict.cue):
            continue  # "We've said this before": the writer is no source of what came before
        if it.verdict.label != "attributed":
            # "Those were the words of Ford chief executive Jim Farley": the name after the cue is the source
            tail = BACKREF_TAIL_END.split(text[m.end():])[0]
            names = [n for n in name_tokens(tail, m.end(), text)
                     if n.lower() not in MONTHS_DAYS and n.lower() not in GEO]
            if not names:
                continue
            cue = text[m.start():].strip()[:80]
            items[i] = it = _Item(it.paragraph, it.start, it.end, ClaimVerdict(
                "attributed", cue, f"names the source of what came before: {cue}", it.verdict.checkability))
        prev_par = items[i - 1].paragraph
        if prev_par is it.paragraph:
            targets = [i - 1]
        else:
            k = i - 1
            while k > 0 and items[k - 1].paragraph is prev_par:
                k -= 1
            targets = list(range(k, i))
            quoted = prev_par.text.lstrip()[:1] in QUOTE_OPEN
            if len(targets) > 3 and not quoted:
                targets = [i - 1]
        for k in targets:
            v = items[k].verdict
            if v.label == "unattributed":
                items[k] = _Item(items[k].paragraph, items[k].start, items[k].end, ClaimVerdict(
                    "attributed", it.verdict.cue, f"attributed by the sentence after it: {it.verdict.cue}",
                    v.checkability))


def _external_links(paragraph: Paragraph, own_host: str) -> bool:
    return any(link.host and not (own_host and link.host.endswith(own_host)) for link in paragraph.links)


def _sentences(n: int) -> str:
    return "1 sentence" if n == 1 else f"{n} sentences"


def claims_signal(doc: Document) -> Signal:
    """Score how much of the article's factual content rests on vague or no sources.

    score = (w_v * V + w_u * U) / (V + U + A + prior) + w_s * V / (V + A + k)

    (V, U, A = vague, unattributed and attributed sentences; weights in data/claims.json). The
    first term is a share of the factual sentences, so long articles are not punished for length,
    and `prior` damps articles with few claims; the second grows as vague sources outnumber
    named ones. Wire copy full of "X said" scores near 0.1-0.2; the seed about 0.63.
    """
    cfg = LEX["signal"]
    items = classify_document(doc)
    counts = {label: 0 for label in LABELS}
    for item in items:
        counts[item.verdict.label] += 1
    attributed, vague, unattributed = counts["attributed"], counts["vague"], counts["unattributed"]
    claims = attributed + vague + unattributed
    if claims < cfg["min_claims"]:
        score = 0.0
    else:
        score = (cfg["weight_vague"] * vague + cfg["weight_unattributed"] * unattributed) / (claims + cfg["prior_claims"])
        score += cfg["vague_share_weight"] * vague / (vague + attributed + cfg["vague_share_prior"])
    score = min(1.0, score)
    worst = sorted((it for it in items if it.verdict.label in ("vague", "unattributed")),
                   key=lambda it: (it.verdict.label != "vague", -it.verdict.checkability,
                                   it.paragraph.index, it.start))
    evidence = [
        quote(it.paragraph.text, it.start, it.end, kind=it.verdict.label, explanation=it.verdict.reason,
              score=1.0 if it.verdict.label == "vague" else round(0.3 + 0.5 * it.verdict.checkability, 3),
              paragraph=it.paragraph.index)
        for it in worst[:cfg["max_evidence"]]
    ]
    evidence.sort(key=lambda e: (e.paragraph or 0))
    share = (vague + unattributed) / claims if claims else 0.0
    if claims == 0:
        summary = "No checkable factual claims found."
    else:
        summary = (f"{share:.0%} of the {_sentences(claims)} stating checkable facts rest on a vague source "
                   f"or none: {attributed} name a source, {vague} only a vague one ('reports say'), "
                   f"{unattributed} none.")
    details = {
        "counts": counts,
        "claims": claims,
        "problem_share": round(share, 3),
        "sentences": len(items),
    }
    return Signal("unattributed_claims", score, summary=summary, evidence=evidence, details=details)
