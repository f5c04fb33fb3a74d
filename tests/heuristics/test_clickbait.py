"""Clickbait headline signal (issue 3): sensational vs sober news, hard negatives, evidence, seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heuristics.clickbait import clickbait_signal, find_overstatement, score_headline
from heuristics.document import Document, Paragraph
from heuristics.resources import data_path, load_json

SEED_HEADLINE = "North Korea’s Shocking Deal: 25,000 Workers for Russian Drone Aid!"
SEED_TEXT = Path(__file__).resolve().parents[3] / "shared" / "seed" / "seed-article.txt"

# Same events written two ways (not taken from news-pairs-dev, which the cue boosts were tuned on).
PAIRS = [
    ("You Won't Believe What This Senator Said About Taxes", "Senate passes tax bill by 51 votes to 49"),
    ("BREAKING: Massive Earthquake Hits Japan — Watch NOW!!!",
     "Japan hit by magnitude 7.1 earthquake, no tsunami warning issued"),
    ("Storm Chaos!! Flights CANCELLED Across Europe", "Storm cancels hundreds of flights across northern Europe"),
    ("Chancellor's Budget: 7 Things You Need to Know", "Chancellor raises income tax threshold in budget"),
    ("Scientists Found Something Incredible Under the Ice", "Scientists find bacteria in Antarctic lake"),
    ("Is This the End of the Euro? Experts Are Terrified", "Inflation in the euro zone falls to 2.4% in November"),
    ("Heartbreaking: Puppy Left Alone in the Rain", "RSPCA appeals for information after dog abandoned in Leeds"),
    ("This One Trick Cuts Your Energy Bill in Half", "Energy regulator lowers price cap by 7% from July"),
    (SEED_HEADLINE, "North Korea considers sending 25,000 workers to Russia to help produce drones"),
]

HARD_NEGATIVES = [
    "Will the ECB cut rates in June?",
    "Five dead after flooding in northern Italy",
    "'Shocking' failures at care home, inspectors say",
    "Hottest July on record, EU climate service says",
    "North Korea test-fires ballistic missile into sea, South Korea says",
    "'Jeopardy!' champion's 30-game winning streak ends",
    "Who will lead the Conservative party? Five candidates enter race",
    "Explainer: What is the EU's carbon border tax and who will pay it?",
]


# Real headlines from reputable pages (AEB) that an earlier version flagged: a leading "The",
# "How to" or "Best … of 2019", a brand in capitals, a descriptive "weird" or a plain listicle
# is not clickbait evidence on its own.
REAL_NEWS_FALSE_POSITIVES = [
    "The Impeachment Clock",
    "Best tech gadgets of 2019",
    "The Weird Plumes of Jupiter's Moon Europa Are Spewing Water Vapor",
    "The VW ID. SPACE VIZZION is a weird EV sports wagon with a secret message",
    "7 key questions heading into the 2020 Democratic debate",
    "Clymer workshop manual review",
    "How to Tackle Game Day Snack Temptations",
    "How to Adopt an Online Leader Success Mindset",
    "NASA Picks SpaceX, Blue Origin and More to Join Private Moon Lander Project",
    "The Future of Apple Innovation Is Backwards",
    "The 10 best early Black Friday deals on Apple devices",
    "Sweden drops Assange rape investigation",
    "WeWork employees to be laid off this week",  # "this week" dates the news, it teases nothing
]


@pytest.mark.parametrize("headline", REAL_NEWS_FALSE_POSITIVES)
def test_real_news_headlines_are_not_flagged(headline):
    signal = score_headline(headline)
    assert signal.score < 0.5, (headline, signal.score, signal.summary)


@pytest.mark.parametrize("headline", ["The VW ID. SPACE VIZZION is a weird EV sports wagon",
                                      "More Reviews from KLOOK Visitors", "NASA and ESA pick FLOS lamps"])
def test_brand_and_acronym_capitals_are_not_shouting(headline):
    assert not any(e.kind == "caps" for e in score_headline(headline).evidence)


def test_common_words_in_capitals_are_shouting_and_all_caps_headline_once():
    kinds = [(e.kind, e.exact) for e in score_headline("Measles Is BACK and Spreading FAST Across Europe").evidence]
    assert ("caps", "BACK") in kinds and ("caps", "FAST") in kinds
    caps = [e for e in score_headline("WORLDWIDE MELTDOWN HITS AIRPORTS EVERYWHERE").evidence if e.kind == "caps"]
    assert len(caps) == 1 and "whole headline" in caps[0].explanation


def test_a_hype_word_in_capitals_is_shouted_too_but_breaking_counts_once():
    # "SHOCK" is a hype word and shouted; "BREAKING" is urgency because of its capitals
    kinds = {(e.kind, e.exact) for e in score_headline("Ruling party picks SHOCK new leader in runoff").evidence}
    assert {("hype", "SHOCK"), ("caps", "SHOCK")} <= kinds
    kinds = [e.kind for e in score_headline("BREAKING: ferry runs aground off Crete").evidence]
    assert kinds.count("urgency") == 1 and "caps" not in kinds


def test_learned_model_alone_does_not_flag_short_or_plain_titles():
    # no named cue: the learned model (tweets) must be confident to flag alone, and never judges
    # a one- or two-word title (a column or section name on a news site)
    for headline in ["About bugs", "The Future of Apple Innovation Is Backwards", "The Impeachment Clock"]:
        signal = score_headline(headline)
        assert signal.score < 0.5 and not signal.details["cues"], (headline, signal.score)


def test_plain_summary_matches_a_low_score():
    # the score is calibrated to the Webis-17 judges (mean ~0.3 over news tweets), so a plain
    # headline sits low or medium, never near 0.5
    for headline in ("Senate passes tax bill by 51 votes to 49", "Five dead after flooding in northern Italy"):
        signal = score_headline(headline)
        assert signal.level == "low" and signal.summary == "reads as a plain news headline", (headline, signal.score)
    for headline in ("Clymer workshop manual review", "Sweden drops Assange rape investigation"):
        signal = score_headline(headline)
        assert signal.score < 0.4 and not signal.fires and not signal.details["cues"], (headline, signal.score)


@pytest.mark.parametrize("baity, sober", PAIRS)
def test_sensational_news_headline_scores_above_its_sober_twin(baity, sober):
    b, s = score_headline(baity), score_headline(sober)
    assert b.score >= 0.5, (baity, b.score, b.summary)
    assert s.score < 0.5, (sober, s.score, s.summary)
    assert b.fires and not s.fires
    assert b.evidence, "a clickbait label must come with evidence"


@pytest.mark.parametrize("headline", HARD_NEGATIVES)
def test_hard_negatives_stay_clean(headline):
    signal = score_headline(headline)
    assert signal.score < 0.5, (headline, signal.score, signal.summary)


@pytest.mark.parametrize("headline, kind, exact", [
    (SEED_HEADLINE, "sensational", "Shocking"),
    (SEED_HEADLINE, "exclamation", "!"),
    ("BREAKING: Massive Earthquake Hits Japan — Watch NOW!!!", "urgency", "BREAKING:"),
    ("BREAKING: Massive Earthquake Hits Japan — Watch NOW!!!", "exclamation", "!!!"),
    ("Storm Chaos!! Flights CANCELLED Across Europe", "caps", "CANCELLED"),
    ("You Won't Believe What This Senator Said About Taxes", "teaser", "You Won't Believe"),
    ("You Won't Believe What This Senator Said About Taxes", "second_person", "You"),
    ("10 Shocking Facts About the Election That Will Blow Your Mind", "listicle", "10 Shocking Facts"),
    ("Two schools facing the axe — is yours next?", "question_bait", "— is yours next?"),
    ("Heartbreaking: Puppy Left Alone in the Rain", "emotional", "Heartbreaking"),
    # tabloid register beyond the first word lists: idiom, compound and emotion words
    ("Dutch title race goes to a nail-biting final day", "sensational", "nail-biting"),
    ("Rent in Lisbon goes through the roof as tourists pour in", "sensational", "through the roof"),
    ("Heartache for villagers as last bus service is cut", "emotional", "Heartache"),
    ("Fans fuming as stadium sells out in four minutes", "emotional", "fuming"),
    ("Four-day school week?! Plan has parents seeing red", "exclamation", "?!"),
    ("Four-day school week?! Plan has parents seeing red", "emotional", "seeing red"),
    ("Clear your diary: the meteor shower of the decade peaks tonight", "urgency", "Clear your diary"),
    ("Clear your diary: the meteor shower of the decade peaks tonight", "hype", "of the decade"),
    ("Wait until you see what the new stadium roof looks like", "teaser", "Wait until you see"),
    # a withheld identity: a descriptor and a common noun, no name
    ("Much-loved TV presenter announces retirement", "teaser", "Much-loved TV presenter"),
    ("Popular holiday island introduces new tourist tax", "teaser", "Popular holiday island"),
    # a message or a change that the headline does not say
    ("Met Office has a warning for anyone driving this weekend", "teaser", "has a warning for anyone"),
    ("Supermarket giant makes change to loyalty scheme", "teaser", "makes change to"),
])
def test_evidence_names_what_fired(headline, kind, exact):
    evidence = score_headline(headline).evidence
    assert any(e.kind == kind and e.exact == exact for e in evidence), [(e.kind, e.exact) for e in evidence]
    item = next(e for e in evidence if e.kind == kind and e.exact == exact)
    assert exact.strip("—? ").lower()[:6] in item.explanation.lower() or kind == "caps"


@pytest.mark.parametrize("headline", [h for pair in PAIRS for h in pair] + HARD_NEGATIVES + [
    "WORLDWIDE MELTDOWN: Faulty Update Grounds Flights EVERYWHERE",
    "“Stunning” result, says coach — and fans can’t believe it!",
    "GOLD GOES WILD! 🚀 You Won't Believe Where Prices Are Heading Next",
])
def test_evidence_is_verbatim_at_the_right_offsets(headline):
    signal = score_headline(headline)
    assert 0.0 <= signal.score <= 1.0
    for e in signal.evidence:
        assert e.location == "headline"
        start = len(e.prefix) if len(e.prefix) < 32 else headline.index(e.prefix + e.exact) + len(e.prefix)
        assert headline[start:start + len(e.exact)] == e.exact
        assert headline[start - len(e.prefix):start] == e.prefix
        assert headline[start + len(e.exact):start + len(e.exact) + len(e.suffix)] == e.suffix
        assert e.exact.strip() and e.explanation


@pytest.mark.parametrize("headline", [
    "'Shocking' failures at care home, inspectors say",
    "UN agency warns of 'catastrophic' food shortages in Darfur",
    "'Oklahoma!' revival opens in London to strong reviews",
])
def test_strong_words_inside_quotes_are_not_evidence(headline):
    assert score_headline(headline).evidence == []


def test_topic_is_not_the_signal():
    # the trap of Chakraborty 2016: a model that learned "North Korea" = serious would pass the seed
    seed, sober = score_headline(SEED_HEADLINE), score_headline(
        "North Korea considers sending 25,000 workers to Russia to help produce drones")
    # headline alone (the body's overstatement adds more, see the seed document test)
    assert seed.score >= 0.6 > 0.5 > sober.score
    # and the same sensational phrasing on a lifestyle topic scores alike
    lifestyle = score_headline("Kim Kardashian's Shocking Deal: 25,000 Fans for Her Perfume Launch!")
    assert abs(lifestyle.score - seed.score) < 0.15


@pytest.mark.parametrize("headline, expected", [
    ("", "no headline"),
    ("   ", "no headline"),
    ("엔터 미디어 뉴스", "not rated"),
    ("Самые популярные блоги", "not rated"),
])
def test_empty_and_non_latin_headlines_are_not_rated(headline, expected):
    signal = score_headline(headline)
    assert signal.score == 0.0 and expected in signal.summary


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_scores_in_range_with_verbatim_evidence(text):
    signal = score_headline(text)
    assert signal.name == "clickbait"
    assert 0.0 <= signal.score <= 1.0
    for e in signal.evidence:
        assert e.exact in text.strip()
    json.dumps(signal.to_dict())


def _seed_document(title: str = SEED_HEADLINE) -> Document:
    if SEED_TEXT.exists():
        lines = SEED_TEXT.read_text(encoding="utf-8").splitlines()
        body = "\n".join(lines[1:])
    else:  # the opening of the seed body, enough for the check
        body = ("North Korea’s Potential Collaboration with Russia: A Strategic Move in Drone Production\n"
                "In recent news, reports have emerged indicating that North Korea is considering sending "
                "approximately 25,000 workers to Russia. The primary purpose of this deployment is to assist "
                "in the production of Shahed drones.")
    return Document.from_text(title, body)


def test_seed_headline_is_clickbait_with_overstatement_evidence():
    doc = _seed_document()
    signal = clickbait_signal(doc)
    assert signal.score >= 0.8
    assert signal.details["overstatement"] is True
    kinds = {e.kind for e in signal.evidence}
    assert {"sensational", "exclamation", "overstatement", "overstatement_hedge"} <= kinds
    head = next(e for e in signal.evidence if e.kind == "overstatement")
    assert head.location == "headline" and head.exact == "Deal"
    body = next(e for e in signal.evidence if e.kind == "overstatement_hedge")
    assert body.location == "body" and body.paragraph is not None
    paragraph = doc.paragraphs[body.paragraph].text
    assert body.exact in paragraph and "is considering" in body.exact
    assert "is considering" in body.explanation
    assert "'Shocking' (sensational word)" in signal.summary
    assert "only hedges ('is considering')" in signal.summary
    d = signal.to_dict()
    assert any(e["location"] == "body" and e["paragraph"] == body.paragraph for e in d["evidence"])
    json.dumps(d)


@pytest.mark.parametrize("title", [
    "North Korea considers sending 25,000 workers to Russia to help produce Shahed drones",
    "Could North Korea send 25,000 workers to Russia?",
    "North Korea reportedly weighs sending workers to Russia",
])
def test_no_overstatement_when_the_headline_hedges_too(title):
    assert find_overstatement(_seed_document(title)) == []
    assert clickbait_signal(_seed_document(title)).score < 0.5


def test_no_overstatement_when_the_hedge_is_about_something_else():
    doc = Document(title="EU and Japan sign trade deal", paragraphs=[
        Paragraph(0, "The European Union and Japan signed a free-trade agreement in Tokyo on Monday."),
        Paragraph(1, "Officials said the weather in the capital was potentially the hottest of the year so far."),
    ])
    assert find_overstatement(doc) == []


STUDY_LEDE = ("People who drink several cans of diet soft drinks a week may be more likely to develop an "
              "irregular heartbeat, according to a study published this week in a cardiology journal.")


@pytest.mark.parametrize("title, overstated", [
    # a finding the body only hedges, stated as settled
    ("Scientists confirm diet drinks raise the risk of an irregular heartbeat", True),
    # the headline reports the study as a study: no overstatement
    ("Diet drinks linked to irregular heartbeat in study", False),
    ("Diet drinks may raise the risk of an irregular heartbeat, study finds", False),
])
def test_a_finding_stated_as_settled_over_a_hedged_lede(title, overstated):
    doc = Document(title=title, paragraphs=[Paragraph(0, STUDY_LEDE)])
    evidence = find_overstatement(doc)
    assert bool(evidence) is overstated
    if overstated:
        assert evidence[0].exact == "confirm" and "may be more likely" in evidence[1].explanation


@pytest.mark.parametrize("title, lede", [
    # a consequence hedged is no hedge on the event the headline reports
    ("Bank of England will cut rates on Thursday",
     "The Bank of England will cut interest rates on Thursday, a move that may help borrowers, its governor said."),
    ("Council confirms new bus lanes on the ring road",
     "The council confirmed new bus lanes on the ring road on Monday, which it said may reduce journey times."),
    ("Government signs trade deal with Chile",
     "The government signed a trade deal with Chile on Tuesday that ministers say may increase exports."),
    # research words without a research claim
    ("Police confirm arrest of man over warehouse fire",
     "Police confirmed the arrest of a man over the warehouse fire, who will appear at a preliminary hearing."),
])
def test_no_overstatement_for_a_hedged_consequence(title, lede):
    assert find_overstatement(Document(title=title, paragraphs=[Paragraph(0, lede)])) == []


def test_overstatement_alone_raises_the_score():
    plain = "North Korea sends 25,000 workers to Russia in drone deal"
    assert clickbait_signal(_seed_document(plain)).score > score_headline(plain).score + 0.1


def test_clickbait_signal_without_body_equals_headline_score():
    doc = Document(title=SEED_HEADLINE)
    assert clickbait_signal(doc).score == pytest.approx(score_headline(SEED_HEADLINE).score)
    assert clickbait_signal(Document(title="")).score == 0.0


def test_data_files_are_documented_json_not_pickles():
    for name in ("clickbait_cues.json", "clickbait_model.json"):
        data = load_json(name)
        assert data["_doc"]
    model = load_json("clickbait_model.json")
    assert model["weights"] and model["vocabulary"]
    # topic is masked: names and places are not in the model's vocabulary
    for word in ("korea", "russia", "trump", "kardashian", "japan"):
        assert word not in model["vocabulary"]
    assert data_path("clickbait_model.json").stat().st_size < 3_000_000


WORD_LIST = ["shock", "shocking", "shock*", "shocker", "jaw-dropping", "you", "you'll", "you won't believe",
             "won't believe", "the one thing", "the one", "skyrocket*"]


@pytest.mark.parametrize("text", [
    "Shocking! You won't believe the shocker", "shockwaves and aftershocks", "jaw-droppingly jaw-dropping",
    "you'll you'd youth 'you' you-know", "The one thing; the one, the onerous", "Prices SKYROCKETED",
    "won't believe it", "a shock-jock", "SHOCK'S",
])
def test_word_lists_compile_to_the_same_matches_as_plain_alternation(text):
    """The trie regex must find what longest-first alternation finds (same spans, same order)."""
    import re

    from heuristics.clickbait import _word_regex

    alternation = "|".join(re.escape(w[:-1]) + r"[\w-]*" if w.endswith("*") else re.escape(w)
                           for w in sorted(set(WORD_LIST), key=len, reverse=True))
    plain = re.compile(r"(?<![\w'-])(?:" + alternation + r")(?![\w-]|'\w)", re.IGNORECASE)
    spans = [m.span() for m in _word_regex(WORD_LIST).finditer(text)]
    assert spans == [m.span() for m in plain.finditer(text)]
