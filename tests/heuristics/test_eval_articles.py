"""`reliability eval articles`: whole articles through the badge, as the server reads a page."""

from __future__ import annotations

import csv
import re

import pytest
from click.testing import CliRunner

from heuristics.cli import cli
from heuristics.eval import articles as ev
from heuristics.extract import extract_document

SOBER_HEADLINE = "Harbour authority approves new ferry terminal for Port Elwin"
SOBER_BODY = """The Port Elwin Harbour Authority on Tuesday approved a 42 million pound ferry terminal, \
its chair, Alison Grey, said after a vote of the board.

The terminal will replace a 1960s building that the authority's engineers said in a 2024 report \
could no longer be repaired. Construction is due to start in March, according to the authority's \
published timetable.

"We have waited a long time for this," Grey told reporters at the harbour. "Passengers deserve a \
building that works."

Northern Ferries, which runs the island routes, said in a statement that it welcomed the decision \
and would keep sailing from the old terminal during the works.

The council's planning committee, which must still approve the design, meets on 12 February, a \
council spokesman, Tom Reyes, said. The authority said the project would be paid for from its \
reserves and a loan from the National Infrastructure Bank, which confirmed the loan on Monday."""


def _write(path, rows, header=("id", "label", "flaws", "headline", "body")):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def article_set(tmp_path, seed_text):
    headline, _, body = seed_text.partition("\n")
    # the seed's text file has one paragraph per line; an article set separates them by blank lines
    seed_body = "\n\n".join(line for line in body.splitlines() if line.strip())
    return _write(tmp_path / "articles.csv", [
        ("s1-junk", "junk", "clickbait;vague_sources;promotion", headline, seed_body),
        ("s1-sober", "sober", "", SOBER_HEADLINE, SOBER_BODY),
    ])


def test_page_keeps_headline_paragraphs_and_subheadings():
    page = ev.article_page("Fish & chips <prices> rise", "Why it matters\n\nPrices rose 5% in May, "
                           "the statistics office said.\n\n\n\nShops said \"costs\" were to blame.")
    assert "<title>Fish &amp; chips &lt;prices&gt; rise</title>" in page
    assert "<h2>Why it matters</h2>" in page
    assert "<p>Prices rose 5% in May, the statistics office said.</p>" in page
    assert "<p>Shops said &quot;costs&quot; were to blame.</p>" in page


def test_seed_is_caught_and_the_sober_story_left_green(article_set, data_dir):
    judged = ev.judge(ev.read_articles(article_set))
    by_id = {j["id"]: j for j in judged}
    assert by_id["s1-junk"]["level"] == "unreliable"
    assert {"clickbait", "unattributed_claims", "promotions"} <= set(by_id["s1-junk"]["fired"])
    assert by_id["s1-sober"]["level"] == "reliable", by_id["s1-sober"]["reasons"]
    summary = ev.summarize(judged)
    assert summary["junk"]["unreliable"] == 1.0 and summary["sober"]["not_reliable"] == 0.0
    assert summary["signals"]["vague_sources"] == {"signal": "unattributed_claims", "n": 1,
                                                   "recall": 1.0, "fires_on_sober": 0.0}
    assert ev.misses(judged) == []


def test_the_site_template_is_not_read_as_the_article(article_set):
    rows = ev.read_articles(article_set)
    page = ev.site_page(rows[1]["headline"], rows[1]["body"])
    doc = extract_document(page, url=ev.SITE_URL)
    text = doc.text
    assert doc.title == SOBER_HEADLINE
    assert "Northern Ferries" in text
    for chrome in ("Trending now", "Nobody in charge", "Related posts", "cookies", "newsletter", "Share on"):
        assert chrome not in text, chrome
    judged = ev.judge(rows, ev.site_page, ev.SITE_URL)
    assert [j["level"] for j in judged] == ["unreliable", "reliable"]


def test_misses_name_the_flaw_whose_signal_stayed_quiet():
    judged = [
        {"id": "a", "label": "flawed", "flaws": ["promotion"], "level": "reliable", "fired": []},
        {"id": "b", "label": "sober", "flaws": [], "level": "mixed", "fired": ["clickbait"]},
        {"id": "c", "label": "junk", "flaws": ["clickbait", "vague_sources"], "level": "mixed",
         "fired": ["unattributed_claims"]},
        {"id": "d", "label": "sober", "flaws": [], "level": "reliable", "fired": []},
    ]
    assert [(m["id"], m["missed_flaws"]) for m in ev.misses(judged)] == [
        ("a", ["promotion"]), ("b", []), ("c", ["clickbait"])]


def test_an_unrated_article_is_neither_caught_nor_passed():
    judged = [
        {"id": "j", "label": "junk", "flaws": ["clickbait", "promotion"], "level": "unrated",
         "fired": ["clickbait", "promotions"]},
        {"id": "s", "label": "sober", "flaws": [], "level": "unrated", "fired": []},
    ]
    summary = ev.summarize(judged)
    assert summary["junk"]["not_reliable"] == 0.0 and summary["sober"]["reliable"] == 0.0
    assert [m["id"] for m in ev.misses(judged)] == ["j", "s"]


@pytest.mark.parametrize("row, message", [
    (("x", "junk", "clickbait;gossip", "H", "B"), "unknown flaw(s) gossip"),
    (("x", "junk", "clickbait", "H", "B"), "label junk does not fit 1 flaw(s)"),
    (("x", "sober", "promotion", "H", "B"), "label sober does not fit 1 flaw(s)"),
    (("x", "bad", "", "H", "B"), "label 'bad' is not one of"),
])
def test_bad_rows_are_named(tmp_path, row, message):
    path = _write(tmp_path / "bad.csv", [row])
    with pytest.raises(ev.LabelledSetError, match=re.escape(f"bad.csv:2: {message}")):
        ev.read_articles(path)


def test_cli_reports_a_set_and_refuses_a_bad_one(tmp_path, article_set, data_dir):
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "articles", "--data", str(data_dir), "--extra", str(article_set)])
    assert result.exit_code == 0, result.output
    assert "seed: unreliable" in result.output
    assert result.output.count("junk    n=1   not green 100.0%, red 100.0%") == 2  # both page shapes
    assert result.output.count("sober   n=1   green 100.0%") == 2

    bad = _write(tmp_path / "bad.csv", [("x", "junk", "rumour", "H", "B")])
    result = runner.invoke(cli, ["eval", "articles", "--data", str(data_dir), "--held-out", str(bad)])
    assert result.exit_code == 1
    assert "unknown flaw(s) rumour" in result.output and "Traceback" not in result.output


def test_held_out_sets_print_figures_only(tmp_path, data_dir):
    path = _write(tmp_path / "held.csv", [("s1-sober", "flawed", "clickbait", SOBER_HEADLINE, SOBER_BODY)])
    lines = []
    results = ev.run(data_dir, echo=lines.append, held_out=[path])
    assert results["held_out:held.csv"]["plain"]["signals"]["clickbait"]["recall"] == 0.0
    assert results["held_out:held.csv"]["site"]["signals"]["clickbait"]["recall"] == 0.0
    assert not any("s1-sober" in line for line in lines)
