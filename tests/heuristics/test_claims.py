"""Unattributed-claims signal (issue 4): sentence labels, context, the article signal, the seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from heuristics.claims import (LABELS, WEASEL_CATEGORIES, classify_claim, claims_signal, classify_document,
                               explain_claim, hedge_cues, is_weasel)
from heuristics.document import Document, Link, Paragraph

SEED_TXT = Path("/work/shared/seed/seed-article.txt")
SEED_HTML = Path("/work/shared/fixtures/seed-article.html")

ATTRIBUTED = [
    # named organisation / person / publication, at the start or the end
    "Two officials told Reuters that the convoy had been turned back at the border.",
    "A person familiar with the matter told the Financial Times that the deal was worth £1.2bn.",
    "The Federal Reserve raised interest rates by a quarter point on Wednesday, the central bank said.",
    "Apple said its quarterly revenue rose 6% to $94.9 billion.",
    "According to the Office for National Statistics, wages grew 5.2% in the year to March.",
    "Prime Minister Keir Starmer told parliament that 2,000 soldiers would be deployed.",
    "\"We have no plans to close the factory,\" said Maria Lopez, the company's chief executive.",
    "\u201cWe are cooperating in the matter,\u201d said a WeWork spokesperson when contacted by Reuters.",
    "A spokesman for the German foreign ministry said the ambassador had been summoned.",
    "Data compiled by Bloomberg shows the yen fell 3% against the dollar in October.",
    "The study, published in The Lancet, found that 14% of patients had lasting symptoms.",
    "Kenya's health ministry said 35 people had died in the outbreak.",
    "Shares in Tesla fell 8% on Thursday, according to Refinitiv data.",
    "Volkswagen confirmed it would cut 35,000 jobs in Germany by 2030.",
    "The regulator, Ofcom, said it had received 8,000 complaints.",
    "According to court documents, the defendant moved $2 million offshore.",
    "In its latest Global Financial Stability Report, the IMF warned of risks in private credit.",
    "The ceasefire collapsed on Monday, said Chief Constable Mark Dobson.",
    "He said the company would hire 300 engineers next year.",
    "The club has reportedly agreed a £45m fee, according to The Athletic.",
    "Weight-loss drugs cut heart attacks by 20% in one large trial (12).",
    "Reuters said the ship sank on Monday.",
    "Greenpeace said its activists had boarded the vessel 20 miles off the coast.",
    "The documents said 40 people had died in custody.",
    "Their lawyers said the firm had paid $3 million.",
    "Police believe the fire at the Hartley Road warehouse was started deliberately.",
    "Officials at the Pentagon said the drill had been planned for months.",
    "Copper output fell 3% in May, according to figures released on Friday by Chile's mining ministry.",
    "A new minimum wage of 4,806 zloty a month was announced by Poland's labour ministry on Monday.",
    "\u201cHad he written five more books, he would have been famous.\u201d \u2014 Neil Gaiman",
    "As Gaiman put it, \u201cHad he written five books, he would have sold 10 million copies.\u201d",
    "For example, as Herbert notes, tuft cells detect 12 kinds of pathogens before infection.",
    "McCormick, who has split from many fellow Republicans on vouchers, told teachers they would get 3% raises.",
    "Senior author Dr. Silvia S. Martins, associate professor at Columbia University, commented: "
    "\"Cannabis use rose 20% in 2018.\"",
    # an acronym in brackets belongs to the name; "as per", "in X's view", anonymity with the outlet named
    "The Indian Space Research Organisation (ISRO) said the lander had touched down 600 metres from its target.",
    "Car sales fell 12% in March, the Norwegian Road Federation (OFV) said.",
    "As per a statement from Canada's Transportation Safety Board, the train was travelling at 98 km/h.",
    "In Moody's view, public debt will peak at 118% of GDP in 2027.",
    "Speaking anonymously to Der Spiegel, a German intelligence official said the saboteurs had crossed from Poland.",
    # "can" is no modal of a future action: the source speaks now
    "Thames Valley Police can confirm that a 34-year-old man was arrested on Friday.",
    "The Guardian can reveal that the minister received £40,000 from the donor.",
    # a document seen by a named outlet; a court's holding; a speaker named after a single-quoted quote
    "A memo seen by The Times shows ministers were warned about the shortfall in March.",
    "The High Court of Australia held that the detention had been unlawful.",
    "'We lost half the herd in two nights,' said dairy farmer Aoife Brennan, who runs 200 cows near Tralee.",
    # a closing attribution names who vouches for the whole sentence, "it is understood" or not
    "It is understood that the fire started in the kitchen, Essex Fire and Rescue Service said.",
]

VAGUE = [
    "Officials said the bridge would reopen next month.",
    # a place after the group says where, not who; belief verbs need no "that"; more unnamed groups
    "Diplomatic sources in Brussels said the summit declaration had been watered down.",
    "Officials in Washington said the talks would resume on Friday.",
    "Officials believe the fire was started deliberately.",
    "Economists expect inflation to peak at around 5% in the spring.",
    "Scientists have long suspected that the comet originated outside the solar system.",
    "Neighbours told reporters that the house had been empty for years.",
    "Rumours suggest the band will announce a reunion tour next month.",
    "A company spokesman insisted the recall was purely precautionary.",
    "The plan was confirmed by officials on Tuesday.",
    "Officials say more than 200 homes were damaged by the storm.",
    "Sources say the coach will be sacked before the weekend.",
    "Experts warn that house prices could fall by 10% next year.",
    "Studies show that drinking coffee reduces the risk of liver disease.",
    "It has been reported that the minister resigned after the meeting.",
    "It is believed that the painting left the country in the 1970s.",
    "The company is reportedly preparing to sell its European business.",
    "Critics say the reform will cost 40,000 jobs.",
    "Many analysts believe the central bank will cut rates in June.",
    "According to media reports, the president is planning a visit to Beijing.",
    "Reports have emerged that the army has run out of shells.",
    "The tanker is believed to have been carrying Iranian oil.",
    "A senior government source said the budget would include a tax cut.",
    "Some scientists argue that the drug was approved too quickly.",
    "Research suggests that four-day weeks improve productivity.",
    "Insiders say the merger talks collapsed over the price.",
    "People close to the negotiations said a deal was imminent.",
    "US officials said the strike killed 14 fighters.",
    "Western intelligence suggests Russia has lost 3,000 tanks.",
    "A spokesperson said the ruling would be appealed.",
    "Security sources indicated that the suspect had been watched for months.",
    "Teachers say the new curriculum cut 300 hours of history.",
    "Health bosses said that 28 people had been quarantined.",
    # a reporting verb after a modal is an action to come, not a second, named source
    "Analysts in Tokyo believe the company will report its first annual loss in a decade.",
    "Media reports suggest the airline will announce up to 2,000 job cuts next week.",
    # anonymous individuals, even where the body is named, and no outlet carries them
    "One senior Labour MP said at least 20 colleagues would vote against the bill.",
    "A State Department official, speaking on condition of anonymity, said two US diplomats had been expelled.",
    # an impersonal frame vouches for all that follows, reported speech inside it included;
    # an adverb does not turn a passive into a named speaker
    "It is understood that the company has already told two port operators that it will not renew its contracts.",
    "The company is also said to be in talks with the regional council about a subsidy.",
]

UNATTRIBUTED = [
    "A ransomware attack knocked the Danish insurer's claims system offline for nine days.",  # a noun, no verb
    "The earthquake killed at least 230 people in the mountain villages.",
    "The company sold 1.8 million phones in the third quarter.",
    "Turkey's inflation rate reached 67% in March.",
    "The ship ran aground off the coast of Sri Lanka on Saturday.",
    "Police arrested three men in Manchester after the robbery.",
    "The tunnel cost €9 billion and took 12 years to build.",
    "The president signed the bill into law on Friday.",
    "Microsoft paid $69 billion for Activision Blizzard.",
    "Unemployment fell to 3.9% in February.",
    "Israeli forces withdrew from the city after a two-week operation.",
    "While diplomats argued in Geneva, Russia struck 14 energy facilities across Ukraine.",
    "Sales of vinyl records in Britain rose for the 17th consecutive year.",
    "The company called 40 customers on Monday.",
    "As prices rose 5% in March, the bank raised rates.",
    "As Russia deepens its ties, nations like the United States will add 2,000 troops.",
]

NOT_CLAIM = [
    "Frankly, a 20% pay rise for MPs is an insult to every nurse in the country.",  # a stance, not a report
    "What does this mean for ordinary families?",
    "Will the ceasefire hold?",
    "Sign up for our newsletter to get the latest news.",
    "Share your views in the comments below.",
    "Only time will tell whether the gamble pays off.",
    "Drone technology has revolutionized military operations in the 21st century.",
    "Technology has transformed the way we live and work.",
    "The government should listen to the people.",
    "The decision is a disgrace and should be reversed immediately.",
    "Click here to read the full report.",
    "Here's what you need to know.",
    "Experts are not always right about the future.",
    "Critics and fans will have their own views on the ending.",
    "Let that sink in.",
    "The company declined to comment.",
    "A spokeswoman for Neumann did not respond to a request for comment.",
    "Fitzgerald Equates Firing to Professional 'Death Sentence'",
    "(Published Monday, Nov. 18, 2019)",
    "\"Got her!\" an officer said.",
    "",
    "Anyone with information is asked to call Leeds police on 101, quoting log 442.",
]


@pytest.mark.parametrize("sentence", ATTRIBUTED)
def test_attributed(sentence):
    assert classify_claim(sentence) == "attributed", explain_claim(sentence)


@pytest.mark.parametrize("sentence", VAGUE)
def test_vague(sentence):
    assert classify_claim(sentence) == "vague", explain_claim(sentence)


@pytest.mark.parametrize("sentence", UNATTRIBUTED)
def test_unattributed(sentence):
    assert classify_claim(sentence) == "unattributed", explain_claim(sentence)


@pytest.mark.parametrize("sentence", NOT_CLAIM)
def test_not_claim(sentence):
    assert classify_claim(sentence) == "not_claim", explain_claim(sentence)


@pytest.mark.parametrize("sentence, cue_part", [
    ("Two officials told Reuters that the talks had stalled.", "Reuters"),
    ("Critics claim the scheme has cost taxpayers more than £2 billion.", "Critics"),
    ("According to media reports, the government will raise fuel duty.", "media reports"),
    ("The bridge is thought to have been damaged by a naval drone.", "thought to"),
    ("The carmaker delivered 384,000 vehicles in the first quarter.", "384,000"),
])
def test_explain_gives_the_deciding_cue(sentence, cue_part):
    verdict = explain_claim(sentence)
    assert cue_part.lower() in verdict.cue.lower()
    assert verdict.reason
    assert verdict.label in LABELS


# --- context ------------------------------------------------------------------------------

def test_quote_continued_in_next_sentence_is_attributed_by_its_closing_speaker():
    assert classify_claim("\u201cThe drone carried 50kg of explosives.") == "unattributed"
    verdict = explain_claim("\u201cThe drone carried 50kg of explosives.",
                            following="It was shot down at 3am,\u201d the Pentagon said.")
    assert verdict.label == "attributed"


def test_continuation_of_a_cited_sentence_is_attributed():
    context = "The Office for National Statistics said inflation rose to 3.4% in April."
    sentence = "It was the highest rate since February 2024."
    assert classify_claim(sentence) == "unattributed"
    assert classify_claim(sentence, context) == "attributed"


def test_vague_context_does_not_launder_a_claim():
    context = "Officials said the bridge would reopen."
    assert classify_claim("It carried 40,000 vehicles a day.", context) == "unattributed"


def test_context_never_turns_a_non_claim_into_a_claim():
    context = "The ministry said 40 people died."
    assert classify_claim("Let that sink in.", context) == "not_claim"


def test_paragraph_link_counts_as_a_source():
    text = "Shares fell 14% to $31 on Monday after the profit warning."
    plain = Document(paragraphs=[Paragraph(0, text)])
    linked = Document(url="https://news.example.com/a",
                      paragraphs=[Paragraph(0, text, links=[Link("profit warning", "https://ir.acme.com/q3")])])
    assert classify_document(plain)[0].verdict.label == "unattributed"
    assert classify_document(linked)[0].verdict.label == "attributed"


def test_quotation_running_over_paragraphs_keeps_its_speaker():
    doc = Document.from_text("", "\n".join([
        "\"We worked on the architecture of the spacecraft,\" comments Robin Biesbroek of the CDF.",
        "\"We tested 12 volunteers in 2019. Finally we drew a roadmap to reach Mars within 20 years.\"",
        "The agency launched 14 missions in 2019.",
    ]))
    labels = [it.verdict.label for it in classify_document(doc)]
    assert labels == ["attributed", "attributed", "attributed", "unattributed"], labels


def test_credit_line_attributes_an_embed():
    doc = Document.from_text("", "\n".join([
        "North Korea considers sending 25,000 workers to Russia, media reports.",
        "\u2014 The Kyiv Independent (@KyivIndependent) June 19, 2025",
    ]))
    assert [it.verdict.label for it in classify_document(doc)] == ["attributed", "not_claim"]


# --- the article signal -------------------------------------------------------------------

WIRE = """\
North Korea fired two ballistic missiles into the sea on Tuesday, South Korea's Joint Chiefs of Staff said.
The missiles flew about 350 km before landing outside Japan's exclusive economic zone, Japan's defence ministry said in a statement.
"This is a clear violation of UN Security Council resolutions," Japanese Prime Minister Shigeru Ishiba told reporters.
The launch came days after Pyongyang criticised joint drills, state news agency KCNA reported.
The US Indo-Pacific Command said the launch posed no immediate threat to US personnel.
Washington and Seoul began their annual exercises on Monday, the US military said.
Analysts say the tests are meant to pressure the new government in Seoul.
North Korea has conducted more than 20 missile launches this year, according to a tally by Yonhap news agency.
"""


def _doc(text: str, title: str = "") -> Document:
    return Document.from_text(title, text)


def test_wire_story_full_of_named_sources_scores_low():
    signal = claims_signal(_doc(WIRE))
    assert signal.name == "unattributed_claims"
    assert signal.score < 0.25, signal.summary
    assert not signal.fires
    assert signal.details["counts"]["attributed"] >= 6


def test_long_articles_are_not_punished_for_length():
    short = claims_signal(_doc(WIRE)).score
    long = claims_signal(_doc(WIRE * 6)).score
    assert long <= short + 0.05


def test_vague_article_scores_high_and_counts_add_up():
    text = "\n".join(VAGUE[:8] + UNATTRIBUTED[:4])
    signal = claims_signal(_doc(text))
    assert signal.score >= 0.5
    counts = signal.details["counts"]
    assert counts["vague"] == 8 and counts["unattributed"] == 4
    assert sum(counts.values()) == signal.details["sentences"]
    assert signal.summary and "\n" not in signal.summary


# A short story in the professional register that rests on background sourcing: two statements
# on the record, the rest "people familiar with", "it is understood" or nothing at all.
BACKGROUND_SOURCED = """\
Harbourline Ferries is preparing to cut two of its four routes to the islands next spring, according to people familiar with the company's plans.
The routes carried about 310,000 passengers last year.
It is understood that the company has already told two port operators that it will not renew its berthing contracts.
Losses on the winter crossings have grown to more than £6m a year since fuel prices rose in 2022.
A buyer for the company's oldest vessel has been found, and the sale could be completed by March.
Union officials are understood to have been briefed last week, and as many as 140 jobs could go.
The company is also said to be in talks with the regional council about a subsidy for the remaining routes.
Harbourline said in a statement that it "keeps its timetable under review" and would not comment on speculation.
The council has not yet received a formal request, a spokesperson for its transport committee said.
"""


def test_short_story_resting_on_background_sources_fires():
    signal = claims_signal(_doc(BACKGROUND_SOURCED))
    counts = signal.details["counts"]
    assert counts["vague"] + counts["unattributed"] >= 6 and counts["attributed"] >= 1, counts
    assert signal.fires, (signal.score, counts)


def test_empty_and_claimless_documents_score_zero():
    assert claims_signal(Document()).score == 0.0
    assert claims_signal(_doc("\n".join(NOT_CLAIM[:6]))).score == 0.0


def test_evidence_is_verbatim_and_located():
    doc = _doc(WIRE + "\nSources say the regime has 50 more missiles ready. Officials said more tests would follow.")
    signal = claims_signal(doc)
    assert signal.evidence
    for ev in signal.evidence:
        assert ev.kind in ("vague", "unattributed")
        assert ev.explanation
        paragraph = doc.paragraphs[ev.paragraph]
        start = paragraph.text.index(ev.exact)
        assert paragraph.text[start - len(ev.prefix):start] == ev.prefix
        assert paragraph.text[start + len(ev.exact):].startswith(ev.suffix)
        assert ev.exact == ev.exact.strip()
    exacts = [ev.exact for ev in signal.evidence]
    assert "Sources say the regime has 50 more missiles ready." in exacts
    assert "Officials said more tests would follow." in exacts


def test_score_in_range_for_every_label_mix():
    for n in range(1, 12):
        text = "\n".join((VAGUE * 2)[:n] + ATTRIBUTED[:n] + UNATTRIBUTED[: n // 2])
        assert 0.0 <= claims_signal(_doc(text)).score <= 1.0


# --- the seed (issue 2 acceptance) --------------------------------------------------------

SEED_MUST_FLAG = ["According to media reports", "reports have emerged", "Many experts warn", "some analysts suggest"]


def _check_seed(signal):
    exacts = [ev.exact for ev in signal.evidence]
    for phrase in SEED_MUST_FLAG:
        assert any(phrase in e for e in exacts), phrase
    for ev in signal.evidence:
        # no sentence with a named source is flagged
        assert classify_claim(ev.exact) != "attributed"
        assert "Kyiv Independent" not in ev.exact
    assert signal.score >= 0.5


@pytest.mark.skipif(not SEED_TXT.is_file(), reason="shared seed not available")
def test_seed_text():
    title, body = SEED_TXT.read_text(encoding="utf-8").split("\n", 1)
    _check_seed(claims_signal(Document.from_text(title, body)))


@pytest.mark.skipif(not SEED_HTML.is_file(), reason="shared fixture not available")
def test_seed_html():
    extract = pytest.importorskip("heuristics.extract")
    doc = extract.extract_document(SEED_HTML.read_text(encoding="utf-8"))
    _check_seed(claims_signal(doc))


# --- any input ----------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400), st.one_of(st.none(), st.text(max_size=120)))
def test_any_text_gets_one_of_the_four_labels(text, context):
    assert classify_claim(text, context) in LABELS


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=300), max_size=8))
def test_any_document_scores_in_range_with_verbatim_evidence(lines):
    doc = Document.from_text("", "\n".join(lines))
    signal = claims_signal(doc)
    assert 0.0 <= signal.score <= 1.0
    for ev in signal.evidence:
        assert ev.exact in doc.paragraphs[ev.paragraph].text


# --- weak spots fixed after the first version -----------------------------------------------------

@pytest.mark.parametrize("sentence", [
    # a capitalised function, population, party membership or faith names nobody
    "PR aides said the minister would resign on Friday.",
    "The minister will resign on Friday, PR aides said.",
    "The minister will resign on Friday, according to PR aides.",
    "Americans say the economy grew 3% last year.",
    "Most Americans say prices rose 10% last year.",
    "Prices rose 5% last year, Americans say.",
    "Democrats say the bill would cost $2 trillion.",
    "And an overwhelming 70 percent of Americans say that the offense was serious.",
    "Europeans said the tariff would cost 3 billion euros.",
    "Better yet, they are focused on growth, as one neo-bank CEO told me, and 40% of users pay nothing.",
    # weasel attributions of data/claims.json "weasel" (attribution)
    "According to legend, the castle was built in 1120.",
    "Legend has it that the castle was built in 1120.",
    "Most historians agree that the war ended in 1453.",
])
def test_unnamed_groups_and_weasel_attributions_are_vague(sentence):
    assert classify_claim(sentence) == "vague", explain_claim(sentence)


@pytest.mark.parametrize("sentence", [
    "Senate Democrats said the bill would cost $2 trillion.",
    "Reuters said the ship sank on Monday.",
    "Kenya's health ministry said 35 people had died in the outbreak.",
])
def test_a_named_body_before_a_group_noun_stays_attributed(sentence):
    assert classify_claim(sentence) == "attributed"


@pytest.mark.parametrize("sentence", [
    "Turkey now has the highest inflation rate in the world.",
    "Less than a third of families own their homes now, compared with half in the 1990s.",
    "Factory output in Germany fell by a quarter in the spring.",
])
def test_comparisons_and_proportions_are_checkable(sentence):
    assert classify_claim(sentence) == "unattributed"


def test_a_hedge_lowers_checkability():
    assert explain_claim("The drug probably cut deaths by 20% in 2019.").checkability < \
        explain_claim("The drug cut deaths by 20% in 2019.").checkability


@pytest.mark.parametrize("paragraphs, expected", [
    # the source is named only in the next paragraph or sentence
    (["Unemployment fell to 3.5% in October, the lowest level in 50 years.",
      "That's according to the Labor Department, which released its monthly report on Friday."],
     ["attributed", "attributed"]),
    (["Prices rose 7% in May. That's according to the Office for National Statistics."],
     ["attributed", "attributed"]),
    (["\u201cWe will cut 5,000 jobs by March and close three plants in Ohio.\u201d",
      "Those were the words of Ford chief executive Jim Farley on Tuesday."],
     ["attributed", "attributed"]),
    (["\u201cWe will cut 5,000 jobs by March and close three plants in Ohio.\u201d",
      "Ford chief executive Jim Farley made the comments in an interview with CNBC."],
     ["attributed", "attributed"]),
    (["\u201cWe will cut 5,000 jobs by March and close three plants in Ohio.\u201d",
      "The remarks came from Ford chief executive Jim Farley at an investor event."],
     ["attributed", "attributed"]),
    # no name after the back-reference, or a new source that refers to nothing before it
    (["\u201cWe will cut 5,000 jobs by March.\u201d", "That was the message from Tuesday's meeting in Ohio."],
     ["unattributed", "unattributed"]),
    (["Prices rose 7% in May. Wages fell 2% in June.", "The Bank of England said it would raise rates."],
     ["unattributed", "unattributed", "attributed"]),
])
def test_source_named_after_the_fact(paragraphs, expected):
    doc = Document.from_text("", "\n".join(paragraphs))
    assert [it.verdict.label for it in classify_document(doc)] == expected


@pytest.mark.parametrize("sentence, weasel", [
    ("It is believed that the church dates from 1200.", True),
    ("Critics praised the album's production.", True),
    ("The species may be extinct in the wild.", True),
    ("Many scholars reject this view.", True),
    ("It is often considered one of the finest examples of the style.", True),
    ("The painting was probably completed in 1503.", True),
    # readings that are not hedges
    ("He was born in May 1950 in Leeds.", False),
    ("It is the most populous city in Ohio.", False),
    ("Some 30 people attended the funeral.", False),
    ("He could not swim, so he stayed ashore.", False),
    ("The town is also known as Kingsbridge.", False),
    ("The album was released by Columbia Records in 1971.", False),
    ("Prelingual deafness", False),
])
def test_weasel_reading(sentence, weasel):
    assert is_weasel(sentence) is weasel, hedge_cues(sentence)


def test_every_weasel_cue_has_a_kind_and_lies_in_the_sentence():
    s = "Some critics say the film is probably one of the most influential ever made, and it is often cited."
    cues = hedge_cues(s)
    assert {c.kind for c in cues} <= set(WEASEL_CATEGORIES)
    assert all(s[c.start:c.end] == c.cue for c in cues) and len(cues) >= 3


def test_the_writer_saying_so_is_no_source_of_what_came_before():
    doc = Document.from_text("", "\n".join([
        "The connector is an adjustment for 30 million users of 2015 laptops.",
        "We've said this before, many times: no special hardware is required.",
    ]))
    assert classify_document(doc)[0].verdict.label == "unattributed"


def test_gates_cover_every_product_weasel_match():
    from heuristics.attribution import tokenize
    from heuristics.claims import ATTRIBUTION_GATE, EPISTEMIC_GATE, EPISTEMIC_RE, WEASEL_ATTRIBUTION_RE
    sentences = ATTRIBUTED + VAGUE + UNATTRIBUTED + NOT_CLAIM + [
        "It is widely believed that the tomb was looted.", "The bridge is said to have cost £3 million.",
        "Few historians accept this account.", "The result remains unknown.", "He appears to have fled.",
        "Some 40% of voters are thought to be undecided.", "It tends to rain in March.",
        "The figure is estimated at 300.", "The rumoured deal is expected to close."]
    for s in sentences:
        for regex, gate in ((EPISTEMIC_RE, EPISTEMIC_GATE), (WEASEL_ATTRIBUTION_RE, ATTRIBUTION_GATE)):
            for m in regex.finditer(s):
                assert not gate.isdisjoint(low for low, _, _ in tokenize(m.group(0))), (s, m.group(0))
