"""The badge table: signal scores in, level out (weights and thresholds from data/badge.json)."""

import pytest

from heuristics.badge import compute_badge, unrated
from heuristics.report import Signal


def signals(**scores):
    names = ("clickbait", "unattributed_claims", "promotions", "duplication")
    return {n: Signal(n, scores.get(n, 0.1), summary=f"{n} summary") for n in names}


@pytest.mark.parametrize("scores, level", [
    ({}, "reliable"),                                                      # clean page
    ({"clickbait": 0.24, "unattributed_claims": 0.24, "promotions": 0.24}, "reliable"),  # everyday traces
    ({"clickbait": 0.7}, "reliable"),                                      # a baity headline alone
    ({"unattributed_claims": 0.55}, "mixed"),                              # facts on vague sources
    ({"promotions": 0.6}, "mixed"),                                        # an inserted promotion
    ({"clickbait": 0.95, "duplication": 0.6}, "mixed"),
    ({"clickbait": 0.95, "unattributed_claims": 0.63, "promotions": 0.91, "duplication": 0.6}, "unreliable"),  # the seed
    ({"clickbait": 0.9, "unattributed_claims": 0.7}, "unreliable"),
    ({"promotions": 1.0}, "mixed"),                                        # one signal never makes red
])
def test_levels(scores, level):
    assert compute_badge(signals(**scores)).level == level


def test_score_falls_as_signals_worsen():
    low = compute_badge(signals(unattributed_claims=0.4)).score
    high = compute_badge(signals(unattributed_claims=0.8)).score
    assert 0 <= high < low <= 100


def test_reasons_name_the_firing_signals_most_influential_first():
    badge = compute_badge(signals(clickbait=0.6, promotions=0.95))
    assert badge.reasons[0].startswith("Inserted promotions:")
    assert badge.reasons[1].startswith("Clickbait headline:")


def test_clean_page_has_a_plain_reason():
    badge = compute_badge(signals())
    assert badge.level == "reliable" and badge.score == 100
    assert badge.reasons == ["No strong warning signs in the headline, sourcing or page content."]


def test_confidence_is_low_near_a_boundary():
    # unattributed_claims at 0.3 is just above the floor: a score a little under 100, far from any boundary
    assert compute_badge(signals(unattributed_claims=0.3)).confidence == "high"
    near = [compute_badge(signals(clickbait=s / 100)) for s in range(50, 101)]
    assert any(b.confidence == "low" for b in near)


def test_unrated_badge():
    badge = unrated("the page is empty")
    assert (badge.level, badge.score, badge.reasons) == ("unrated", None, ["the page is empty"])
