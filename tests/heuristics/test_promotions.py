"""The unrelated-inserted-promotions signal (issue 5): tables of promotional vs legit lines,
related vs unrelated read-more lines, HTML markers, the seed article, verbatim evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from heuristics.document import Document, Link, Paragraph
from heuristics.eval import default_data_dir
from heuristics.promotions import Cue, ParagraphVerdict, analyse_paragraphs, promotions_signal
from heuristics.relatedness import normalise, relatedness, terms

FLOOD_ARTICLE = [
    "The city council approved a £40 million flood defence scheme for the River Wensum on "
    "Tuesday, after two winters in which hundreds of homes in the lower town were flooded.",
    "The scheme will raise the embankments along a two-mile stretch of the river, install "
    "pumping stations at three outfalls and restore wetland upstream to slow the water during "
    "heavy rain, according to the council's planning documents.",
    "Council leader Maria Okafor said the flood defences were the largest infrastructure "
    "project the city had undertaken in a generation and would protect about 1,800 homes and "
    "120 businesses from a one-in-200-year flood.",
    "The Environment Agency, which is contributing half of the cost, said the river had burst "
    "its banks four times since 2019 and that rainfall in the catchment was becoming more "
    "intense.",
    "Residents of the lower town, many of whom were unable to get flood insurance after the "
    "last floods, welcomed the decision but said work on the embankments should start sooner "
    "than the planned date of spring 2026.",
    "Opposition councillors questioned whether the pumping stations would cope with a repeat "
    "of the February floods, when the river rose more than two metres in a day, and asked for "
    "an independent review of the flood modelling.",
    "Construction of the flood defences is expected to take three years. The council said "
    "temporary barriers would remain in place along the river until the new embankments are "
    "finished.",
]

DRONE_ARTICLE = [
    "Russia has expanded production of attack drones at a factory in the Alabuga special "
    "economic zone, according to satellite images and documents seen by reporters.",
    "The plant, which assembles Shahed-type drones under licence from Iran, has added two "
    "production halls this year, and analysts estimate it can now build several thousand "
    "drones a month.",
    "Ukrainian officials say Russia launches hundreds of the drones at Ukrainian cities every "
    "week, and that many of them were built at the Alabuga factory rather than imported from "
    "Iran.",
    "North Korea has also been reported to be sending workers to Russian drone factories, "
    "though officials in Moscow have denied the reports.",
    "Western sanctions have targeted suppliers of drone engines and electronics, but "
    "investigators say components still reach Russia through third countries.",
    "Military analysts say the scale of Russian drone production will shape the war in "
    "Ukraine next year, as both sides rely on drones for strikes far behind the front line.",
]


def _doc(paragraphs: list[str], title: str, insert: str | None = None, at: int = 3,
         **meta) -> Document:
    texts = list(paragraphs)
    if insert is not None:
        texts.insert(at, insert)
    return Document(title=title, paragraphs=[Paragraph(i, t) for i, t in enumerate(texts)],
                    **meta)


def flood(insert=None, at=3, **meta):
    return _doc(FLOOD_ARTICLE, "Council approves £40m flood defences for the River Wensum",
                insert, at, **meta)


def drones(insert=None, at=3, **meta):
    return _doc(DRONE_ARTICLE, "Russia expands drone production at Alabuga factory",
                insert, at, **meta)


def kinds_at(doc: Document, index: int) -> list[str]:
    return [e.kind for e in promotions_signal(doc).evidence if e.paragraph == index]


def row_at(doc: Document, index: int) -> dict:
    """The signal's details for one paragraph (cues, relatedness, score, kind)."""
    return next(r for r in promotions_signal(doc).details["paragraphs"] if r["paragraph"] == index)


# --- promotional snippets vs legit reporting ---------------------------------------------------

PROMOTIONS = [
    "YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE. Waverly Hills Hospital's "
    "Horror Story: The Most Haunted Room 502",
    "Sponsored: These noise-cancelling headphones are flying off the shelves — grab yours "
    "today",
    "MEGA SALE: 70% off designer sunglasses this weekend only! Shop now →",
    "You won't believe what this 90s pop star looks like now 😱",
    "Trending now: Royal baby name revealed in adorable new photo",
    "Doctors hate him: the one weird trick that melts belly fat while you sleep",
    "Click here to claim your FREE £20 welcome bonus. 18+ T&Cs apply.",
    "Watch: Kitten and parrot become unlikely best friends",
    "Recommended for you: The 12 most beautiful beaches in Portugal",
    "Join thousands of savvy shoppers — sign up for our daily deals newsletter and get 10% "
    "off your first order!",
    "Want to earn £300 a day from your kitchen table? This simple side hustle is taking the "
    "internet by storm.",
    "Are you over 60? See if you qualify for a free stairlift in your area.",
    # labels and offers beyond the first lists
    "Readers also viewed: The real reason hotel pillows are always so flat",
    "You might also enjoy: Why the French never snack between meals",
    "You might also be interested in: the best electric cars for under £30,000",
    "We think you'll like: ten quiet beaches the crowds have not found yet",
    "Your horoscope for this week: Taurus, money matters take a surprising turn",
    "Uncover your family tree tonight. Start your free 14-day trial and search millions of records.",
    "Advertisement feature: Why Porto is Europe's best-value weekend break, from port cellars to "
    "tiled churches.",
    "Switch your mortgage today and see how much you could save. Your home may be repossessed if "
    "you do not keep up repayments on your mortgage.",
    # the publisher selling itself in the middle of a story, calmly
    "Members of our supporters' club get early access to investigations and invitations to live "
    "events with our reporters.",
    "The following article was produced with support from Visit Portugal. Few coastlines reward a "
    "slow road trip like the Alentejo in spring.",
    # a testimonial mini-story quotes like news, but its last sentence sells
    'When Priya, 58, from Croydon saw her heating bill she nearly gave up. Then her son showed her '
    'a tiny plug-in gadget. "It paid for itself in a month," Priya says. Click here to see if it is '
    'still in stock.',
    # an offer with its small print is an advert even on the flood story's own topic (advert band)
    "Win a flood-proof garden makeover worth £5,000! Enter our prize draw today. T&Cs apply.",
    "Flood cover for your home from £9 a month — get a quote today! New customers only. "
    "T&Cs apply.",
]


@pytest.mark.parametrize("snippet", PROMOTIONS)
def test_promotional_snippet_in_unrelated_article_is_flagged(snippet):
    doc = flood(snippet)
    signal = promotions_signal(doc)
    assert kinds_at(doc, 3) == ["unrelated_promotion"]
    assert signal.score >= 0.5 and signal.fires
    # nothing else in the article is flagged
    assert [e.paragraph for e in signal.evidence] == [3]


LEGIT = [
    "The club's shirt sponsor, a betting company, will be replaced next season after the "
    "league banned gambling logos.",
    "A video of the flooding, shared widely on social media, showed cars floating down the "
    "high street.",
    "Police posted a video appeal on YouTube asking witnesses to come forward.",
    "Sales of sandbags rose sharply in the week before the storm, retailers said.",
    "The retailer said it would offer discounts of up to 30% on winter coats to clear stock.",
    "The festival, sponsored by a local brewery, raised £12,000 for the flood relief fund.",
    "The documentary, which was viewed two million times on YouTube, prompted ministers to "
    "order a review.",
    "Subscriptions to the newspaper's newsletter doubled after it began publishing flood "
    "warnings.",
    "The mayor was promoted to the cabinet in 2021, the inquiry heard.",
    "Airlines cut fares on transatlantic routes as demand fell, the industry body reported.",
    "Black Friday sales fell 3% this year as shoppers waited for January bargains, according "
    "to the British Retail Consortium.",
    "The influencer was fined after failing to label a sponsored post promoting a weight-loss "
    "tea, the regulator said.",
    "The council said residents whose homes flooded can apply for grants of up to £5,000. Find "
    "out more on the council website.",
    # news about an advert's small print
    "The lender was fined because its adverts left out the representative APR, the Financial "
    "Conduct Authority said.",
    "Bookmakers must now show the BeGambleAware logo and an 18+ warning on every advert, the "
    "regulator ruled.",
    # news about the pressure adverts apply
    "The app, which offers a free trial before charging £9.99 a month, was removed from the "
    "store, the company said.",
    "The fund returned 12% last year, its annual report shows, against 9% for its benchmark.",
    "The Liberal Democrats won only 12 seats.",
    "Stock is running out of some HRT drugs.",
    "Savvy shoppers are turning to discount supermarkets.",
    "Bus travel will be free for a year for under-18s.",
    "Customers whose flights were cancelled will receive a £50 voucher, the airline said.",
]


@pytest.mark.parametrize("sentence", LEGIT)
def test_legit_reporting_is_not_flagged(sentence):
    doc = flood(sentence)
    signal = promotions_signal(doc)
    assert kinds_at(doc, 3) == []
    assert signal.score < 0.5


# Offers in a few words: a label, an audience hook, a trial, a download.
@pytest.mark.parametrize("advert, cue", [
    ("Download the free SnapRecipe app today and cook like a pro!", "call to action"),
    ("Ad · Hearing aids that are almost invisible — see this year's prices in your area.", "promotion label"),
    ("Love puzzles? Try today's crossword and sudoku, free for subscribers.", "audience hook"),
    ("Open an account this week and receive a £100 cashback voucher with your first order.", "deal/price language"),
])
def test_short_offers_are_promotions(advert, cue):
    doc = flood(advert)
    assert kinds_at(doc, 3) == ["unrelated_promotion"]
    row = row_at(doc, 3)
    assert cue in row["cues"], row


# --- related vs unrelated read-more lines ----------------------------------------------------

RELATED = [
    "Read more: Russia expands drone factories",
    "Related: Ukraine strikes Russian drone plant with long-range missiles",
    "Read more: North Korean workers sent to Russian factories, reports say",
    "Watch: How Shahed drones are assembled in Russia",
]
UNRELATED = [
    "Read more: The ten best beaches in Portugal for a family holiday",
    "Related: Celebrity chef reveals his secret to perfect roast potatoes",
    "Watch: Adorable puppy learns to ride a skateboard",
    "Also on our site: The best budget smartphones you can buy this year",
]


@pytest.mark.parametrize("line", RELATED)
def test_related_read_more_line_is_a_related_link_not_a_promotion(line):
    doc = drones(line)
    signal = promotions_signal(doc)
    evidence = [e for e in signal.evidence if e.paragraph == 3]
    assert [e.kind for e in evidence] == ["related_link"]
    assert evidence[0].score < 0.5
    assert signal.score < 0.5


@pytest.mark.parametrize("line", UNRELATED)
def test_unrelated_read_more_line_is_a_promotion(line):
    doc = drones(line)
    assert kinds_at(doc, 3) == ["unrelated_promotion"]


@pytest.mark.parametrize("related, unrelated", list(zip(RELATED, UNRELATED)))
def test_related_link_scores_much_lower_than_unrelated_promotion(related, unrelated):
    low = promotions_signal(drones(related))
    high = promotions_signal(drones(unrelated))
    assert high.score >= 0.5 > low.score
    assert high.score - low.score >= 0.25


def test_an_advert_is_not_excused_by_sharing_the_articles_topic():
    # an advert on the article's own topic is still inserted; a plain link to coverage is not
    advert = "YOU MAY ALSO LIKE: THIS BILLIONAIRE JUST REVEALED THE ONE DRONE STOCK HE IS BUYING NOW — CLICK HERE 😱"
    doc = drones(advert)
    row = row_at(doc, 3)
    assert row["relatedness"] >= 0.4, row  # it names the article's key term, "drone"…
    assert row["kind"] == "unrelated_promotion"  # …and is flagged all the same
    evidence = next(e for e in promotions_signal(doc).evidence if e.paragraph == 3)
    assert evidence.explanation.startswith("Advert inside the article, on a topic close to"), evidence
    assert kinds_at(drones("Read more: Russia expands drone factories"), 3) == ["related_link"]


# Adverts on the story's own topic (drones, Russia): sales pressure and offer terms make them
# adverts, which sharing the article's words does not excuse.
ON_TOPIC_ADVERTS = [
    "LIMITED OFFER: Join 80,000 smart investors using DroneTrade AI, the automated bot that "
    "returned 312% last year. Claim your free trial now — spots are running out!",
    "Never miss a drone industry update again! Download the free DroneWatch app and get a £10 "
    "voucher when you sign up today. Over 500,000 happy users!",
]


@pytest.mark.parametrize("advert", ON_TOPIC_ADVERTS)
def test_an_advert_with_sales_pressure_on_the_articles_topic_is_flagged(advert):
    doc = drones(advert)
    row = row_at(doc, 3)
    assert row["kind"] == "unrelated_promotion", row
    assert "sales pressure" in row["cues"], row


# Calm native ads: no label, no shouting, but more than one commercial phrase (one is news).
CALM_ADS = [
    "Own a share of a holiday cottage in Cornwall for just £250. Capital at risk and returns are "
    "not guaranteed.",
    "Our travel partner has put together a guide to city breaks in Seville. Use the discount "
    "code SUN10 before the offer ends.",
]


@pytest.mark.parametrize("text", CALM_ADS)
def test_calm_native_ad_with_several_commercial_phrases_is_flagged(text):
    assert kinds_at(flood(text), 3) == ["unrelated_promotion"]


# Native pitches on a topic next to the story's (flood barriers beside flood defences): they share
# some of its words, but an offer with its terms or the publication's own product pick is an
# advert all the same, judged on the middle (commerce) relatedness band.
ADJACENT_PITCHES = [
    ("If your home is in the lower town, it pays to be ready before the work starts. FloodGuard's "
     "self-sealing door barriers are the most effective we have tested this year, and they are "
     "currently 30 per cent off with free delivery.", "the publication recommends a product"),
    ("Worried about damp this winter? DryWall's survey and dehumidifier bundle is £189 instead "
     "of £240 for homes in the city this month, and the first consultation is free.",
     "deal/price language"),
    ("New customers at CityBet can claim £20 in free bets when they stake £5 on Saturday's "
     "racing at Fakenham, a few miles from the city. 18+, T&Cs apply; please gamble responsibly.", "advert small print"),
]


@pytest.mark.parametrize("pitch, cue", ADJACENT_PITCHES)
def test_native_pitch_on_an_adjacent_topic_is_flagged(pitch, cue):
    row = row_at(flood(pitch), 3)
    assert row["kind"] == "unrelated_promotion", row
    assert cue in row["cues"], row
    assert row["relatedness"] > 0.05, row  # shares words with the story, yet flagged


@pytest.mark.parametrize("cues, relatedness, unrelated", [
    ([Cue("deal/price language", 1.2)], 0.35, True),  # an offer with its terms: middle band
    ([Cue("the publication recommends a product", 1.0), Cue("deal/price language", 0.7)], 0.4, True),
    ([Cue("deal/price language", 0.7)], 0.35, False),  # one price phrase: the plain band
    ([Cue("deal/price language", 1.2)], 0.65, False),  # the story's own words: on topic
])
def test_commerce_cues_judge_relatedness_on_a_middle_band(cues, relatedness, unrelated):
    verdict = ParagraphVerdict(Paragraph(0, "x"), cues=cues, relatedness=relatedness)
    assert (verdict.unrelatedness >= 0.5) is unrelated


@pytest.mark.parametrize("sentence", [
    # news with one price or a percentage off a peak: not an offer with its terms
    "Shares in the builder closed 20 per cent off their peak after the council's decision.",
    "Residents said flood insurance had risen to £900 instead of the £300 they paid before 2019.",
    "The Environment Agency said it had tested most of the barriers installed since 2019.",
])
def test_news_with_one_price_is_not_a_commerce_pitch(sentence):
    assert kinds_at(flood(sentence), 3) == []


def test_a_headline_about_the_sale_of_something_is_no_deals_page():
    pitch = ADJACENT_PITCHES[0][0]
    bill = _doc(FLOOD_ARTICLE, "Lawmakers pass bill restricting sale of flood-risk data", pitch)
    assert kinds_at(bill, 3) == ["unrelated_promotion"]


def test_deals_on_a_deals_page_are_its_content_not_an_insertion():
    deal = ("Today only, the Sony noise-cancelling headphones are down to $248 at Amazon, the "
            "lowest price ever, with free shipping for members.")
    shop = _doc(["Black Friday has started early this year, and several retailers cut prices "
                 "on headphones and speakers on Monday morning."] * 3 + [deal] +
                ["Other retailers matched the discounts on speakers and earbuds later in the "
                 "day, with stock limited at several stores."] * 3,
                "The best early Black Friday deals on headphones", None)
    assert kinds_at(shop, 3) == []
    assert kinds_at(flood(deal), 3) == ["unrelated_promotion"]
    # a news story about retail sales is no deals page: an inserted deal is still an advert there
    sales_news = _doc(FLOOD_ARTICLE, "Retail sales fall 2% as shoppers cut back on clothing", deal)
    assert kinds_at(sales_news, 3) == ["unrelated_promotion"]


# --- evidence, details, summary --------------------------------------------------------------

def test_evidence_is_the_verbatim_paragraph_with_cues_and_relatedness():
    snippet = "Trending now: Royal baby name revealed in adorable new photo"
    doc = flood(snippet, at=2)
    signal = promotions_signal(doc)
    (evidence,) = signal.evidence
    assert evidence.exact == snippet == doc.paragraphs[2].text
    assert evidence.prefix == "" and evidence.suffix == ""
    assert evidence.paragraph == 2
    assert evidence.kind == "unrelated_promotion"
    assert "relatedness to the article 0.0" in evidence.explanation
    assert "promotion label" in evidence.explanation
    assert evidence.score == pytest.approx(signal.score, abs=1e-3)
    d = evidence.to_dict()
    assert d["kind"] == "unrelated_promotion" and d["paragraph"] == 2
    row = next(r for r in signal.details["paragraphs"] if r["paragraph"] == 2)
    assert row["kind"] == "unrelated_promotion" and row["relatedness"] < 0.1
    assert signal.details["unrelated_promotions"] == 1
    assert "unrelated" in signal.summary


def test_clean_article_has_no_evidence_and_a_low_score():
    for doc in (flood(), drones()):
        signal = promotions_signal(doc)
        assert signal.name == "promotions"
        assert signal.evidence == []
        assert signal.score < 0.25
        assert signal.summary


def test_two_promotions_score_higher_than_one():
    one = flood("Watch: Kitten and parrot become unlikely best friends")
    two = flood("Watch: Kitten and parrot become unlikely best friends")
    two.paragraphs.insert(6, Paragraph(6, "Sponsored: The £30 pillow that 50,000 shoppers swear by"))
    for i, p in enumerate(two.paragraphs):
        p.index = i
    s1, s2 = promotions_signal(one), promotions_signal(two)
    assert len([e for e in s2.evidence if e.kind == "unrelated_promotion"]) == 2
    assert s2.score > s1.score


def test_empty_and_tiny_documents():
    assert promotions_signal(Document()).score == 0.0
    signal = promotions_signal(Document.from_text("Title", "Only one line here."))
    assert signal.evidence == [] and 0.0 <= signal.score <= 1.0


def test_headings_are_not_checked():
    doc = flood()
    doc.paragraphs.insert(3, Paragraph(3, "WATCH THE VIDEO NOW!!!", kind="heading"))
    for i, p in enumerate(doc.paragraphs):
        p.index = i
    assert promotions_signal(doc).evidence == []


# --- position, publisher, HTML ---------------------------------------------------------------

def test_publisher_footer_messages_are_not_inserted_promotions():
    doc = flood()
    doc.paragraphs.append(Paragraph(len(doc.paragraphs),
                                    "Follow us on Twitter and Facebook for the latest news."))
    doc.paragraphs.append(Paragraph(len(doc.paragraphs),
                                    "Get the day's top headlines delivered to your inbox every "
                                    "morning by subscribing to our newsletter."))
    assert [e for e in promotions_signal(doc).evidence if e.kind == "unrelated_promotion"] == []


def test_but_an_advert_in_the_footer_is_still_flagged():
    doc = flood()
    doc.paragraphs.append(Paragraph(len(doc.paragraphs),
                                    "Sponsored: Hollywood star, 58, stuns fans with age-defying "
                                    "beach snap — see the pictures"))
    assert kinds_at(doc, len(doc.paragraphs) - 1) == ["unrelated_promotion"]


def test_a_publisher_promoting_itself_is_not_an_unrelated_promotion():
    line = "CLICK HERE TO GET THE NORFOLK GAZETTE APP"
    own = flood(line, site="Norfolk Gazette", url="https://www.norfolkgazette.co.uk/news/1")
    other = flood(line, site="Daily Planet", url="https://www.dailyplanet.com/news/1")
    assert kinds_at(own, 3) != ["unrelated_promotion"]
    assert kinds_at(other, 3) == ["unrelated_promotion"]


def test_page_marked_sponsored_paragraph_is_flagged_even_when_worded_soberly():
    sober = "Discover the new range of garden furniture at Hartley's, available in stores now."
    plain = flood(sober)
    marked = flood(sober)
    marked.paragraphs[3].markers = frozenset({"sponsored"})
    assert kinds_at(marked, 3) == ["unrelated_promotion"]
    assert promotions_signal(marked).score > promotions_signal(plain).score


def test_affiliate_link_paragraph_counts_as_promotional():
    text = "The best-selling robot vacuum cleaners this month, from £99"
    doc = flood(text, url="https://news.example.org/flood")
    doc.paragraphs[3].links = [Link(text, "https://amzn.to/3xYzAbc")]
    row = row_at(doc, 3)
    assert "affiliate/tracking link" in row["cues"]
    assert row["kind"] == "unrelated_promotion"


# --- relatedness -----------------------------------------------------------------------------

@pytest.mark.parametrize("word, term", [
    ("Drones", "drone"), ("Russia's", "russia"), ("Russian", "russia"), ("Moscow", "russia"),
    ("Korean", "korea"), ("US", "america"), ("us", "us"), ("factories", "factory"),
])
def test_normalise(word, term):
    assert normalise(word) == term


def test_relatedness_compares_each_paragraph_with_the_rest_of_the_article():
    paras = [terms(t.split()) for t in (
        "drone factory russia production expands",
        "russia drone production doubles at factory",
        "haunted hospital horror room ghost",
    )]
    rel = relatedness(paras, full_at=1)
    assert rel[0] > 0.5 and rel[1] > 0.5
    assert rel[2] == 0.0
    # a term seen once elsewhere counts half by default (full from two occurrences)
    assert relatedness(paras)[0] < rel[0]
    assert relatedness([[]]) == [None]


# --- the seed ------------------------------------------------------------------------------

def _shared() -> Path:
    data = default_data_dir()
    if not (data.parent / "fixtures" / "seed-article.html").exists():
        pytest.skip("shared data not available")
    return data.parent


def test_seed_text_only_the_you_may_also_like_paragraph():
    text = (_shared() / "seed" / "seed-article.txt").read_text(encoding="utf-8")
    lines = [l for l in text.splitlines() if l.strip()]
    doc = Document.from_text(lines[0], "\n".join(lines[1:]))
    signal = promotions_signal(doc)
    promos = [e for e in signal.evidence if e.kind == "unrelated_promotion"]
    assert len(promos) == 1, [e.exact for e in promos]
    assert "YOU MAY ALSO LIKE" in promos[0].exact
    assert promos[0].exact in text
    assert signal.score >= 0.5


def test_seed_page_end_to_end_only_the_you_may_also_like_paragraph():
    from heuristics import analyze_html

    html = (_shared() / "fixtures" / "seed-article.html").read_text(encoding="utf-8")
    report = analyze_html(html)
    signal = report.signals["promotions"]
    assert [e.kind for e in signal.evidence] == ["unrelated_promotion"]
    (evidence,) = signal.evidence
    assert evidence.exact.startswith("YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE")
    assert "Waverly Hills" in evidence.exact
    assert signal.score >= 0.5
    out = report.to_dict()["signals"]["promotions"]
    assert out["evidence"][0]["kind"] == "unrelated_promotion"


# --- the eval's page builder -----------------------------------------------------------------

def test_eval_inserts_a_paragraph_inside_the_article_body_reproducibly():
    import random

    from heuristics.eval.promotions import _insert

    body = ["First paragraph of the article body, long enough to be matched against the truth.",
            "Second paragraph of the article body, also long enough to be matched reliably.",
            "Third paragraph of the article body, which closes the story for this small test."]
    html = ("<html><body><nav><p>Home | News | Sport | Weather and more links here</p></nav>"
            "<article>" + "".join(f"<p>{t}</p>" for t in body) + "</article></body></html>")
    truth = "\n\n".join(body)
    pages = [_insert(html, truth, "INSERTED LINE", random.Random(1)) for _ in range(2)]
    assert pages[0] == pages[1]
    page = pages[0]
    assert page.count("INSERTED LINE") == 1
    article = page[page.index("<article>"):]
    assert "INSERTED LINE" in article
    assert article.index("INSERTED LINE") < article.index(body[2])  # never after the last
    assert _insert(html, "unrelated truth text", "X", random.Random(1)) is None
