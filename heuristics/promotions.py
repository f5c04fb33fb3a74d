"""Unrelated inserted promotions: the ad or teaser that pretends to be a paragraph (issue 5).

Each running-text paragraph gets
- a *cue sum*: promotional cues (labels such as "You may also like" / "Sponsored", calls to
  action, deal and price language, an advert's small print ("T&Cs apply", "18+", "capital at
  risk"), the publisher selling itself mid-story ("our newsletter", "we are hiring"), teaser
  wording, ALL CAPS, emoji, exclamations, a headline-like fragment, a short paragraph between
  long ones) and HTML cues (an element the page marks as ad/sponsored, an embed, a paragraph
  that is mostly a link, affiliate links),
  minus news-register cues (reporting verbs, institutions): a news sentence that mentions a
  sponsor, a video or a sale is not an advert (unless its last sentence sells: "…," Margaret
  says. Click here to see if it's still in stock.");
- a *relatedness* to the rest of the article (heuristics.relatedness: linear time, IDF-weighted
  share of its content words found elsewhere in the article).

A paragraph is an `unrelated_promotion` when its cues are strong and it shares (almost) nothing
with the article; a promotional-looking line that is on topic ("Read more: Russia expands drone
factories") is a `related_link` and scores far lower. Position matters too: after the article's
last full-length paragraph (its footer) the publisher's own newsletter/podcast pushes weigh
less, and a paragraph that names the publishing site itself ("Get the Fox News app" on
foxnews.com) is a house message, never an unrelated promotion. A paragraph in the plain advert
register (bait, deals, calls to action, shouting) is not excused by sharing the page's topic, and
on a page whose own headline is about deals the deal language and its small print are its
content. Weights and thresholds live in data/promotions.json (documented there); figures:
`reliability eval promotions`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .document import Document, Paragraph
from .relatedness import relatedness, terms
from .report import Signal, quote
from .resources import load_json

_CFG = load_json("promotions.json")


@dataclass(frozen=True)
class _Cue:
    name: str
    weight: float
    explain: str
    regex: re.Pattern
    promotional: bool  # may alone make a paragraph promotional (shape cues may not)
    house: bool  # a publisher's own message when in the footer (ignored there)
    case_sensitive: bool = False  # else matched against the lower-cased text
    extra_weight: float = 0.0  # added for each further distinct phrase of the group…
    max_extra: int = 0  # …up to this many


_TEXT_CUE_NAMES = frozenset(_CFG["text_cue_names"])


def _top_level_alternatives(pattern: str) -> list[str]:
    """Split a regex on its top-level '|' (outside groups, classes and escapes)."""
    parts, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _compile_group(patterns: list[str]) -> re.Pattern:
    """One regex for a cue group, with the alternatives that start at a word boundary
    factored as \\b(?:a|b|...): Python's re tests each alternative's \\b separately
    otherwise, which made these lists ten times slower."""
    alternatives = [a for p in patterns for a in _top_level_alternatives(p)]
    bounded = [a[2:] for a in alternatives if a.startswith("\\b")]
    others = [a for a in alternatives if not a.startswith("\\b")]
    parts = [f"(?:{a})" for a in others]
    if bounded:
        parts.append("\\b(?:" + "|".join(f"(?:{a})" for a in bounded) + ")")
    return re.compile("|".join(parts))


_CUES = [
    _Cue(name, group["weight"], group["explain"],
         _compile_group(group["patterns"]),
         name in _TEXT_CUE_NAMES, name in _CFG["footer_house_cues"],
         bool(group.get("case_sensitive")), float(group.get("extra_weight", 0.0)),
         int(group.get("max_extra", 0)))
    for name, group in _CFG["cues"].items()
]
_SHAPE = _CFG["shape"]
_HTML = _CFG["html"]
_AFFILIATE_RE = re.compile(_HTML["affiliate_link"]["pattern"], re.I)
_ARROW_RE = re.compile(r"[→➔➜➡»]|-->|->")
_NOT_AFTER = frozenset(_SHAPE["fragment"]["not_after"])
_TERMINAL_RE = re.compile(r"[.:;!?…]['\"”’)\]]*\s*$")
_LINKISH = frozenset(_CFG["cues"][n]["explain"] for n in
                     ("nav_label", "promo_label", "call_to_action", "viral_media", "kicker"))
_LINKISH |= {_HTML["mostly_link"]["explain"]}
# on a deals page these are its content: the offers, their terms, the site's picks
_SHOP_CONTENT = frozenset(_CFG["cues"][n]["explain"] for n in _CFG["shop_title"]["content_cues"])
_SHOP_TITLE_RE = re.compile(_CFG["shop_title"]["pattern"])
_CLOSING_CTA_RE = re.compile(_CFG["closing_call_to_action"]["pattern"])
_LAST_SENTENCE_RE = re.compile(r"(?:^|[.!?…]['\"”’)]*\s+)([^.!?…]+[.!?…]*['\"”’)]*)\s*$")
_ADVERT = _CFG["advert"]


def _explains(names: list[str]) -> frozenset[str]:
    return frozenset((_CFG["cues"].get(n) or _SHAPE.get(n) or _HTML[n])["explain"] for n in names)


_ADVERT_EXPLAINS = _explains(_ADVERT["cues"])
# the relatedness bands of paragraphs that are plainly adverts, strongest first (see
# promotions.json "advert" and "commerce"): sharing words with the story does not excuse them
_ADVERT_BANDS = tuple((_CFG[name], _explains(_CFG[name]["cues"])) for name in ("advert", "commerce"))


@dataclass(frozen=True)
class Cue:
    explain: str
    weight: float
    matched: str = ""
    promotional: bool = True
    house: bool = False


@dataclass
class ParagraphVerdict:
    paragraph: Paragraph
    cues: list[Cue] = field(default_factory=list)
    cue_sum: float = 0.0
    relatedness: float | None = None
    few_terms: bool = False
    footer: bool = False
    house: bool = False  # names the publisher itself: its own message, never "unrelated"
    score: float = 0.0
    kind: str | None = None  # "unrelated_promotion" | "related_link" | None

    @property
    def cue_strength(self) -> float:
        return 1.0 - math.exp(-_CFG["cue_scale"] * max(0.0, self.cue_sum))

    def register_sum(self, explains: frozenset[str]) -> float:
        """The cue sum of these cue groups alone, counter-evidence (news register, boilerplate)
        included."""
        return sum(c.weight for c in self.cues if c.weight < 0 or c.explain in explains)

    @property
    def advert_sum(self) -> float:
        """The cue sum in the advert register (bait, deals, calls to action, shouting…): what a
        link to related coverage does not have."""
        return self.register_sum(_ADVERT_EXPLAINS)

    @property
    def band(self) -> dict:
        """The relatedness band this paragraph is judged on: an advert shares words with a page
        by chance ("investment" in a finance story), so only a plain link to coverage is excused
        by being on topic; a plain advert, or an offer with its terms, has its own band."""
        for band, explains in _ADVERT_BANDS:
            if self.register_sum(explains) >= band["min_sum"]:
                return band
        return _CFG

    def unrelatedness_on(self, band: dict) -> float:
        if self.few_terms or self.relatedness is None:
            return _CFG["few_terms_unrelatedness"]
        lo, hi = band["relatedness_low"], band["relatedness_high"]
        return min(1.0, max(0.0, (hi - self.relatedness) / (hi - lo)))

    @property
    def unrelatedness(self) -> float:
        return self.unrelatedness_on(self.band)

    @property
    def promotional(self) -> bool:
        return any(c.promotional and c.weight > 0 for c in self.cues)

    def explanation(self) -> str:
        cues = ", ".join(f"{c.explain} \u201c{c.matched}\u201d" if c.matched else c.explain
                         for c in self.cues if c.weight > 0)
        if self.kind == "unrelated_promotion" and self.unrelatedness_on(_CFG) < 0.5:
            # only an advert's own band flags it: "unrelated" would contradict the figure
            head = "Advert inside the article, on a topic close to the story's"
        elif self.kind == "unrelated_promotion":
            head = "Promotional paragraph unrelated to the article"
        else:
            head = "Link or teaser on the article's own topic"
        if self.relatedness is None:
            return f"{head}: {cues}"
        # 0 shares nothing with the article, 1 is on its topic (relatedness.py)
        return f"{head}: {cues}; relatedness to the article {self.relatedness:.2f} of 1"


_EMOJI_RE = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]")
_UPPER_RE = re.compile(r"[A-Z\u00C0-\u00DE]")
_LOWER_RE = re.compile(r"[a-z\u00DF-\u00FF]")
_SCAN_CHARS = _CFG["scan_chars"]


def _text_cues(text: str) -> list[Cue]:
    """Positive cues of a paragraph's text (its first scan_chars characters)."""
    text = text[:_SCAN_CHARS]
    lower = text.lower()
    found = []
    same_length = len(lower) == len(text)
    for cue in _CUES:
        if cue.weight > 0:
            haystack = text if cue.case_sensitive else lower
            match = cue.regex.search(haystack)
            if match:
                matched = text[match.start():match.end()] if same_length else match.group(0)
                weight = cue.weight
                if cue.max_extra:  # calm native ads pile up commercial phrases, news has one
                    phrases = {m.group(0) for m in cue.regex.finditer(haystack, match.end())}
                    phrases.discard(match.group(0))
                    weight += cue.extra_weight * min(len(phrases), cue.max_extra)
                found.append(Cue(cue.explain, weight, " ".join(matched.split())[:40],
                                 cue.promotional, cue.house))
    caps = _SHAPE["all_caps"]
    upper = len(_UPPER_RE.findall(text))
    if upper >= caps["min_letters"] * caps["min_ratio"]:
        letters = upper + len(_LOWER_RE.findall(text))
        if letters >= caps["min_letters"] and upper / letters >= caps["min_ratio"]:
            found.append(Cue(caps["explain"], caps["weight"],
                             house="all_caps" in _CFG["footer_house_cues"]))
    if _EMOJI_RE.search(text):
        found.append(Cue(_SHAPE["emoji"]["explain"], _SHAPE["emoji"]["weight"]))
    if "!!" in text:
        found.append(Cue(_SHAPE["multi_exclamation"]["explain"], _SHAPE["multi_exclamation"]["weight"]))
    elif "!" in text:
        found.append(Cue(_SHAPE["exclamation"]["explain"], _SHAPE["exclamation"]["weight"],
                         promotional=False))
    if _ARROW_RE.search(text):
        found.append(Cue(_SHAPE["arrow"]["explain"], _SHAPE["arrow"]["weight"]))
    return found


def _counter_cues(text: str) -> list[Cue]:
    """News-register and boilerplate cues (negative weights); only needed for candidates."""
    text = text[:_SCAN_CHARS]
    lower = text.lower()
    found = []
    for cue in _CUES:
        if cue.weight < 0:
            match = cue.regex.search(text if cue.case_sensitive else lower)
            if match:
                found.append(Cue(cue.explain, cue.weight, " ".join(match.group(0).split())[:40],
                                 False, False))
    return found


def _closes_with_call_to_action(text: str) -> bool:
    last = _LAST_SENTENCE_RE.search(text.strip())
    return bool(last and _CLOSING_CTA_RE.search(last.group(1).lower()))


def _html_cues(paragraph: Paragraph, doc_host: str) -> list[Cue]:
    found = []
    if paragraph.markers & {"sponsored", "ad", "promo"}:
        found.append(Cue(_HTML["sponsored"]["explain"], _HTML["sponsored"]["weight"]))
    if "embed" in paragraph.markers:
        found.append(Cue(_HTML["embed"]["explain"], _HTML["embed"]["weight"], promotional=False))
    if paragraph.links:
        if paragraph.link_text_ratio >= _HTML["mostly_link"]["min_ratio"]:
            found.append(Cue(_HTML["mostly_link"]["explain"], _HTML["mostly_link"]["weight"],
                             promotional=False))
        hosts = paragraph.link_hosts
        if doc_host and any(h != doc_host and not h.endswith("." + doc_host)
                            and not doc_host.endswith("." + h) for h in hosts):
            found.append(Cue(_HTML["outbound_link"]["explain"], _HTML["outbound_link"]["weight"],
                             promotional=False))
        if any(_AFFILIATE_RE.search(link.href) for link in paragraph.links):
            found.append(Cue(_HTML["affiliate_link"]["explain"], _HTML["affiliate_link"]["weight"]))
    return found


def _brand_keys(doc: Document) -> list[str]:
    """The publisher's own names, lower case without spaces ("foxnews", "moneycontrol")."""
    keys = set()
    site = re.sub(r"[^a-z0-9]", "", (doc.site or "").lower())
    if site.startswith("the"):
        site = site[3:]
    keys.add(site)
    host = doc.host
    labels = host.split(".") if host else []
    if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "ac", "gov"):
        keys.add(labels[-3])  # example.co.uk
    elif len(labels) >= 2:
        keys.add(labels[-2])  # www.example.com, edition.example.com
    return sorted(k for k in keys if len(k) >= _CFG["house_brand"]["min_chars"])


def analyse_paragraphs(doc: Document) -> list[ParagraphVerdict]:
    """Cues, relatedness and score of every running-text paragraph (in document order)."""
    body = doc.body
    para_terms = [terms(p.words) for p in body]
    rels = relatedness(para_terms, terms(doc.title.split()) if doc.title else (),
                       full_at=_CFG["shared_min_count"], key_share=_CFG["key_share"],
                       key_weight=_CFG["key_weight"], key_min_count=_CFG["key_min_count"],
                       key_ref_terms=_CFG["key_ref_terms"])
    lengths = [len(p.words) for p in body]
    last_long = max((i for i, n in enumerate(lengths) if n >= _CFG["tail_min_words"]), default=-1)
    doc_host = doc.host
    brands = _brand_keys(doc)
    house = _CFG["house_brand"]
    long_words = _CFG["long_words"]
    floor = _CFG["related_floor"]
    threshold = _CFG["evidence_min"]
    frag, sbl = _SHAPE["fragment"], _SHAPE["short_between_long"]
    shop_page = bool(doc.title and _SHOP_TITLE_RE.search(doc.title.lower()))
    verdicts = []
    for i, p in enumerate(body):
        text = p.text.lstrip("-–—•*·▪► ").strip()
        n = lengths[i]
        v = ParagraphVerdict(p, relatedness=rels[i], footer=i > last_long,
                             few_terms=len(set(para_terms[i])) < _CFG["min_terms"])
        cues = _text_cues(text)
        if shop_page:  # deals are what a deals post is about, not something inserted into it
            cues = [c for c in cues if c.explain not in _SHOP_CONTENT]
        if n > long_words:  # a long paragraph: one promotional phrase weighs less
            cues = [Cue(c.explain, c.weight * long_words / n if c.weight > 0 else c.weight,
                        c.matched, c.promotional, c.house) for c in cues]
        if (frag["min_words"] <= n <= frag["max_words"] and not _TERMINAL_RE.search(text)
                and p.words[-1].lower() not in _NOT_AFTER):
            cues.append(Cue(frag["explain"], frag["weight"], promotional=False))
        if 0 < n <= sbl["max_words"] and 0 < i < len(body) - 1:
            if min(lengths[i - 1], lengths[i + 1]) >= sbl["ratio"] * n:
                cues.append(Cue(sbl["explain"], sbl["weight"], promotional=False))
        cues.extend(_html_cues(p, doc_host))
        if any(c.promotional for c in cues) and not _closes_with_call_to_action(text):
            cues.extend(_counter_cues(text))  # a candidate: weigh the counter-evidence too
        if brands:
            squashed = re.sub(r"[^a-z0-9]", "", text.lower())
            if any(b in squashed for b in brands):
                cues.append(Cue(house["explain"], house["weight"], promotional=False))
                v.house = True
        if v.footer:
            ff = _CFG["footer_factor"]
            cues = [Cue(c.explain, c.weight * ff if c.weight > 0 else c.weight, c.matched,
                        c.promotional, c.house) for c in cues if not c.house]
        v.cues = cues
        v.cue_sum = sum(c.weight for c in cues)
        strength = v.cue_strength
        marked = bool(p.markers & {"sponsored", "ad", "promo"})
        enough_terms = n >= _CFG["min_words"] or marked
        unrelatedness = v.unrelatedness  # walks the cues for the band: once per paragraph
        raw = strength * (floor + (1 - floor) * unrelatedness)
        eligible = v.promotional and enough_terms and not v.house
        if eligible and unrelatedness >= 0.5 and raw >= threshold:
            v.score, v.kind = raw, "unrelated_promotion"
        elif (v.promotional and unrelatedness < 0.5 and strength >= threshold
              and any(c.weight > 0 and c.explain in _LINKISH for c in cues)):
            v.score, v.kind = strength * _CFG["related_link_factor"], "related_link"
        else:
            v.score = min(raw, threshold - 0.01) * _CFG["unflagged_factor"]
        verdicts.append(v)
    return verdicts


def promotions_signal(doc: Document) -> Signal:
    verdicts = analyse_paragraphs(doc)
    flagged = [v for v in verdicts if v.kind]
    promos = [v for v in flagged if v.kind == "unrelated_promotion"]
    related = [v for v in flagged if v.kind == "related_link"]
    evidence = [
        quote(v.paragraph.text, 0, len(v.paragraph.text), kind=v.kind,
              explanation=v.explanation(), score=round(v.score, 3),
              paragraph=v.paragraph.index)
        for v in flagged
    ]
    best = max((v.score for v in verdicts), default=0.0)
    score = best + _CFG["multi_bonus"] * max(0, len(promos) - 1)
    if promos:
        summary = ("1 paragraph inside the article promotes" if len(promos) == 1 else
                   f"{len(promos)} paragraphs inside the article promote")
        summary += " something unrelated to it"
        if related:
            summary += f"; {len(related)} link(s) to related coverage (not counted)"
    elif related:
        summary = f"No unrelated promotions; {len(related)} link(s) to related coverage"
    else:
        summary = "No promotional paragraphs inside the article"
    details = {
        "paragraphs_checked": len(verdicts),
        "unrelated_promotions": len(promos),
        "related_links": len(related),
        "paragraphs": [
            {"paragraph": v.paragraph.index,
             "cue_sum": round(v.cue_sum, 2),
             "cues": [c.explain for c in v.cues if c.weight > 0],
             "counter_cues": [c.explain for c in v.cues if c.weight < 0],
             "relatedness": None if v.relatedness is None else round(v.relatedness, 3),
             "score": round(v.score, 3),
             "kind": v.kind,
             "footer": v.footer}
            for v in verdicts if v.cue_sum > 0 or v.kind
        ],
    }
    return Signal("promotions", min(1.0, score), summary=summary, evidence=evidence,
                  details=details)
