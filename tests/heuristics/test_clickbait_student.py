"""The static student inside the clickbait scorer (clickbait_student.npz + heuristics/wordpiece.py)."""

from __future__ import annotations

import numpy as np
import pytest

from heuristics import clickbait
from heuristics.clickbait import (score_headline, student_evidence, student_probability, student_raw_logit,
                                  student_term)
from heuristics.resources import data_path, load_json

from .test_clickbait import HARD_NEGATIVES, SEED_HEADLINE


def test_npz_is_plain_arrays_without_pickles():
    with data_path("clickbait_student.npz").open("rb") as fh, np.load(fh, allow_pickle=False) as z:
        assert set(z.files) == {"vocab", "rowmap", "emb", "W1", "b1", "w2", "b2", "pool"}
        assert z["emb"].dtype == np.float16 and z["vocab"].dtype.kind == "U"
        assert len(z["rowmap"]) == len(z["vocab"]) and z["rowmap"].max() == len(z["emb"]) - 1
        assert z["W1"].shape == (z["emb"].shape[1] * 2 + 1, z["b1"].shape[0])
    assert data_path("clickbait_student.npz").stat().st_size < 4_000_000


def test_combination_uses_the_student_with_fitted_coefficients():
    combine = load_json("clickbait_model.json")["combine"]
    assert combine["student_scale"] > 0 and "student_center" in combine


@pytest.mark.parametrize("headline", ["", "   ", "엔터 미디어 뉴스", "Самые популярные блоги", "北朝鮮の衝撃的な取引",
                                      "ВЫ НЕ ПОВЕРИТЕ, что случилось!"])
def test_student_term_is_zero_for_empty_and_non_latin_text(headline):
    assert student_raw_logit(headline) is None and student_probability(headline) is None
    assert student_term(headline) == 0.0
    assert score_headline(headline).score == 0.0


@pytest.mark.parametrize("headline", ["You won't believe these photos", "Senate passes tax bill by 51 votes to 49"])
def test_student_probability_in_range_and_tweet_bait_above_news(headline):
    p = student_probability(headline)
    assert 0.0 < p < 1.0


def test_student_ranks_tweet_bait_above_sober_news():
    assert student_probability("You won't believe these photos") > 0.6 > 0.3 > student_probability(
        "Senate passes tax bill by 51 votes to 49")


def test_seed_headline_still_high_with_cue_evidence():
    signal = score_headline(SEED_HEADLINE)
    assert signal.score >= 0.6
    assert {"sensational", "exclamation"} <= {e.kind for e in signal.evidence}


@pytest.mark.parametrize("headline", HARD_NEGATIVES)
def test_hard_negatives_stay_under_threshold(headline):
    assert score_headline(headline).score < 0.5


@pytest.mark.parametrize("headline", ["21 of the most powerful photos of this week"])
def test_learned_only_fire_names_words(headline):
    signal = score_headline(headline)
    assert signal.score >= 0.5 and not signal.details["cues"]
    style = [e for e in signal.evidence if e.kind == "clickbait_style"]
    assert style and all(e.exact in headline and e.explanation for e in style)
    assert signal.summary.startswith("written like clickbait (learned model: '")
    assert all(f"'{e.exact}'" in signal.summary for e in style)


@pytest.mark.parametrize("headline, word", [("You won't believe these photos", "these"),
                                            ("What this man found in his attic", "this")])
def test_student_evidence_is_leave_one_word_out(headline, word):
    found = [(headline[a:b], push) for push, a, b in student_evidence(headline, 3)]
    assert found and found[0][0] == word and all(push > 0 for _, push in found)


@pytest.mark.parametrize("headline", ["21 of the most powerful photos of this week",
                                      "WeWork employees to be laid off this week"])
def test_this_before_a_time_word_is_no_evidence(headline):
    assert "this" not in [headline[a:b].lower() for _, a, b in student_evidence(headline, 3)]


def test_short_titles_get_no_push_from_the_student():
    # one or two words: neither learned part may raise the score
    signal = score_headline("Unbelievable photos")
    assert signal.details["student_push"] <= 0.0


def test_student_adds_little_time():
    import time

    score_headline("warm up")
    t0 = time.perf_counter()
    for _ in range(50):
        clickbait.student_raw_logit("21 of the most powerful photos of this week")
    assert (time.perf_counter() - t0) / 50 < 0.005


# --- the student read alone (score = max(combination, reader)) --------------------------------

@pytest.fixture(scope="module")
def webis_headlines(data_dir):
    import csv
    with (data_dir / "clickbait" / "webis17-train.csv").open(encoding="utf-8") as fh:
        return [r["text"] for _, r in zip(range(400), csv.DictReader(fh))]


def test_reader_offset_is_fitted_and_score_is_the_larger_reader(webis_headlines):
    combine = load_json("clickbait_model.json")["combine"]
    assert combine["student_reader_offset"] is not None
    raised = 0
    for headline in webis_headlines:
        signal = score_headline(headline)
        reader = signal.details["student_reader"]
        assert signal.score >= reader - 1e-4  # never below the reader (details are rounded)
        raised += signal.score == pytest.approx(reader, abs=1e-4) and reader > 0
    assert raised > 0  # and the reader does carry some headlines


def test_reader_alone_flags_only_what_it_can_explain(webis_headlines):
    for headline in webis_headlines:
        z = student_raw_logit(headline)
        if z is None or clickbait.n_words(headline) < 3:
            continue
        reader = clickbait.student_reader(headline)
        if reader >= 0.5:
            assert student_evidence(headline, 1), headline
        elif not student_evidence(headline, 1):
            assert reader <= max(clickbait._sigmoid(z - clickbait._COMBINE["student_reader_offset"]),
                                 0.0) + 1e-9


def test_reader_carried_flag_quotes_words(webis_headlines):
    for headline in webis_headlines:
        signal = score_headline(headline)
        if signal.score >= 0.5 and signal.details["student_reader"] == pytest.approx(signal.score, abs=1e-4) \
                and not signal.details["cues"]:
            assert any(e.kind == "clickbait_style" for e in signal.evidence), headline
            assert "learned model:" in signal.summary
            return
    pytest.skip("no reader-only flag among the first rows")
