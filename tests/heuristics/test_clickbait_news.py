"""The news-register term of the clickbait score (heuristics/data/clickbait_news_model.json)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from heuristics import clickbait
from heuristics.clickbait import masked_tokens, score_headline
from heuristics.resources import data_path, load_json

ROOT = Path(__file__).resolve().parents[2]
NAMES = frozenset({"names"})


@pytest.mark.parametrize("headline, n_names", [
    ("Ryanair changes cabin bag rules", 1),  # a name is masked as one
    ("Airline makes surprise change", 0),  # a common word at the start is not a name
    ("Lufthansa And Ryanair Cut Fares", 2),  # Title Case: names still found
])
def test_names_group_tells_names_from_common_words(headline, n_names):
    assert masked_tokens(headline, groups=NAMES).count("<Name>") == n_names
    assert "<Name>" not in masked_tokens(headline, groups=frozenset())  # the main model: no such shape


def test_news_model_is_documented_plain_data_without_topic():
    model = load_json("clickbait_news_model.json")
    assert model["_doc"] and model["weights"] and "names" in model["groups"]
    assert 0 < model["scale"] <= 1
    words = {w for key in model["weights"] for w in key.split(":", 1)[1].split()}
    for word in ("korea", "russia", "trump", "ryanair", "japan"):
        assert word not in words
    assert data_path("clickbait_news_model.json").stat().st_size < 1_000_000


@pytest.mark.parametrize("teaser, sober", [
    ("Major airline makes surprise change to cabin baggage rules",
     "Ryanair cuts free cabin bag allowance to 7kg from June"),
    ("Much-loved TV presenter announces shock exit after 20 years",
     "BBC presenter Jane Holt to leave Breakfast after 20 years"),
    ("Popular holiday island brings in new rule for tourists",
     "Mallorca introduces €4 nightly tourist tax from April"),
])
def test_news_term_reads_a_withheld_subject_as_bait_and_its_named_twin_as_news(teaser, sober):
    bait, plain = score_headline(teaser), score_headline(sober)
    assert bait.details["news_push"] > plain.details["news_push"]
    assert plain.details["news_push"] < 0  # pushes a plain wire headline down


def test_score_adds_the_news_term_in_log_odds():
    headline = "Tech giant's new feature has users divided"
    reading = clickbait._read(headline)
    expected = max(clickbait._sigmoid(reading.logit + reading.news), reading.alone)
    assert score_headline(headline).score == pytest.approx(expected)
    assert reading.news == pytest.approx(score_headline(headline).details["news_push"], abs=1e-4)


def test_too_short_a_title_gets_no_news_term():
    assert score_headline("Opinion: Taxes").details["news_push"] == 0.0


@pytest.mark.parametrize("headline", [
    "The VW ID. SPACE VIZZION is a weird EV sports wagon with a secret message",
    "Airline makes surprise change to cabin baggage rules",
    "Tech giant's new feature has users divided",
    "You won't believe what this airline just did",
])
def test_learned_evidence_never_quotes_bare_function_words(headline):
    bare = set(load_json("clickbait_cues.json")["model_evidence"]["bare_words"])
    for e in score_headline(headline).evidence:
        if e.kind == "clickbait_style":
            words = {w.lower() for w in e.exact.split()}
            assert not words <= bare, e.exact


@pytest.mark.slow
def test_news_model_rebuilds_byte_identical(tmp_path, shared_dir):
    out = tmp_path / "news.json"
    subprocess.run([sys.executable, str(ROOT / "training" / "train_clickbait_news.py"),
                    "--data", str(shared_dir / "data"), "--out", str(out)],
                   check=True, capture_output=True, cwd=ROOT)
    assert out.read_bytes() == data_path("clickbait_news_model.json").read_bytes()
