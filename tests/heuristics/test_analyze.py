"""The seed end to end, the report's JSON shape, and bad input that must come back unrated."""

import json

import pytest

from heuristics import ANALYZER_VERSION, analyze_html, analyze_text

SEED_URL = "https://worldtrenddaily.example/2025/06/north-korea-drones"


@pytest.fixture(scope="module")
def seed_report(seed_html):
    return analyze_html(seed_html, url=SEED_URL).to_dict()


def _exacts(report, signal):
    return [e["exact"] for e in report["signals"][signal]["evidence"]]


def test_seed_is_unreliable(seed_report):
    assert seed_report["badge"]["level"] == "unreliable"
    assert seed_report["badge"]["score"] < 40
    assert seed_report["badge"]["reasons"]


def test_seed_clickbait_evidence_on_the_headline(seed_report):
    clickbait = seed_report["signals"]["clickbait"]
    assert clickbait["score"] >= 0.5
    headline_items = [e for e in clickbait["evidence"] if e["location"] == "headline"]
    assert any("Shocking" in e["exact"] for e in headline_items)


def test_seed_vague_sources_found(seed_report):
    quotes = " ".join(_exacts(seed_report, "unattributed_claims"))
    assert "According to media reports" in quotes
    assert "reports have emerged" in quotes


def test_seed_promotion_is_the_inserted_paragraph_only(seed_report):
    items = [e for e in seed_report["signals"]["promotions"]["evidence"]
             if e["kind"] == "unrelated_promotion"]
    assert len(items) == 1
    assert items[0]["exact"].startswith("YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE")


def test_evidence_is_verbatim_and_located(seed_html, seed_report):
    from heuristics.extract import extract_document

    doc = extract_document(seed_html, url=SEED_URL)
    for name, signal in seed_report["signals"].items():
        for item in signal["evidence"]:
            assert set(item) >= {"exact", "prefix", "suffix", "kind", "explanation"}
            assert item["exact"]
            if item["location"] == "headline":
                source = doc.title
            else:
                source = doc.paragraphs[item["paragraph"]].text
            assert item["prefix"] + item["exact"] + item["suffix"] in source, (name, item)


def test_report_is_json_and_complete(seed_report):
    again = json.loads(json.dumps(seed_report))
    assert again == seed_report
    assert seed_report["analyzer_version"] == ANALYZER_VERSION
    assert set(seed_report["signals"]) >= {"clickbait", "unattributed_claims", "promotions"}
    for signal in seed_report["signals"].values():
        assert 0.0 <= signal["score"] <= 1.0
        assert signal["level"] in ("low", "medium", "high")
    article = seed_report["article"]
    assert article["title"].startswith("North Korea’s Shocking Deal")
    assert article["site"] == "World Trend Daily"
    assert article["language"] == "en"
    assert article["word_count"] > 1000
    assert article["readability"]["flesch_reading_ease"] is not None


def test_plain_text_seed_is_unreliable(seed_text):
    title, _, body = seed_text.partition("\n")
    report = analyze_text(title, body)
    assert report.badge.level == "unreliable"


def test_sober_wire_story_is_reliable():
    body = "\n".join([
        "The European Central Bank kept interest rates unchanged on Thursday, President Christine "
        "Lagarde told reporters in Frankfurt, adding that inflation was moving towards the bank's 2% target.",
        "Eurostat said on Wednesday that consumer prices in the euro area rose 2.4% in the year to March, "
        "down from 2.6% in February.",
        "\"We are not pre-committing to a particular rate path,\" Lagarde said at a news conference.",
        "Economists polled by Reuters expect the first cut in June, according to the poll published on Monday.",
        "The bank's deposit rate has stood at 4% since September, its highest level since the euro was "
        "launched in 1999, according to ECB data.",
        "Germany's finance ministry said in a statement that it welcomed the decision and expected growth "
        "of 0.2% this year.",
        "Bank of France governor Francois Villeroy de Galhau told BFM television last week that a June cut "
        "was very likely barring surprises.",
    ])
    report = analyze_text("ECB holds rates steady, signals possible June cut", body)
    assert report.badge.level == "reliable", report.to_dict()["badge"]


def test_an_html_fragment_is_analysed_like_a_page():
    body = ("<h1>Council approves budget</h1>" + "".join(
        f"<p>The city council approved spending item {n} on Tuesday, the mayor's office said in a "
        f"statement released after a {n + 2}-hour meeting.</p>" for n in range(12)))
    report = analyze_html(body)
    assert report.badge.level != "unrated", report.badge.reasons
    assert report.to_dict()["article"]["word_count"] > 100


@pytest.mark.parametrize("html, reason_part", [
    ("", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20, "binary"),
    ("<html><body><nav><a href='/'>Home</a></nav></body></html>", "too little"),
    ("<div>" * 200_000 + "text", "no article text"),  # deeper than lxml allows
    ("<p>hi</p>", "too little"),  # a fragment is read as a page body, not refused as unparsable
    ("<article>" + "<p>A b.</p>" * 50_000, "too complex"),  # bounded work per page
    ("<html><body>" + "<p>" + "a" * 9_000_000 + "</p></body></html>", "too large"),
    ("<article>" + "<p>Officials said the bridge would reopen next week.</p>" * 7_000, "too much text"),
    ("<html lang='de'><body><article><h1>Die Regierung</h1>" + "<p>" + "Die Regierung hat am Montag "
     "beschlossen, dass die Steuern im nächsten Jahr steigen werden, sagte der Sprecher. " * 20
     + "</p></article></body></html>", "not in English"),
    ("<html lang='ja'><body><article><h1>東京で新しい駅が開業</h1><p>"
     + "東京都内で新しい駅が月曜日に開業し、多くの利用者が訪れたと鉄道会社が発表した。" * 6
     + "</p></article></body></html>", "not in English (detected: Japanese)"),  # few spaces, not too little
    ("\ufffd\ufffd<p>\udcff broken surrogate</p>", ""),
])
def test_bad_input_is_unrated_with_a_reason(html, reason_part):
    report = analyze_html(html)
    assert report.badge.level == "unrated"
    assert report.badge.score is None
    assert reason_part in report.badge.reasons[0]
    json.dumps(report.to_dict())  # still serialisable
