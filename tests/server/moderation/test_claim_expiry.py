"""Claim expiry (MODERATION_CLAIM_TTL_SECONDS): an abandoned claim stops blocking others.

On SQLite and PostgreSQL (the `app` fixture). A claim is made stale by moving its `claimed_at`
back in the database row, so the code under test reads the real clock.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from server import config
from server.moderation import claims, decisions as service
from server.moderation.models import AuditEntry, Decision, ModerationItem, Moderator
from server.store import db
from server.store.models import Page, utcnow

from .conftest import SEED_URL, Browser, add_moderator, add_page, fast_hashes
from .test_concurrency import contenders, race
from .test_queue import listed, report_with


def login(app, email):
    add_moderator(app, email)
    b = Browser(app.test_client())
    assert b.login(email).status_code == 302
    return b


@pytest.fixture
def a(app):
    fast_hashes(app)
    return login(app, "a@example.org")


@pytest.fixture
def b(app, a):
    return login(app, "b@example.org")


@pytest.fixture
def page(app, seed_report):
    return add_page(app, seed_report)


def claim(browser, page_id, takeover=False):
    data = {"version": browser.version(page_id)}
    if takeover:
        data["takeover"] = "y"
    return browser.post(f"/moderation/pages/{page_id}/claim", data)


def age_claim(app, page_id, past_expiry: timedelta):
    """Move the claim's `claimed_at` back so it expired `past_expiry` ago (negative: not yet)."""
    with app.app_context():
        ttl = timedelta(seconds=app.config["MODERATION_CLAIM_TTL_SECONDS"])
        when = utcnow() - ttl - past_expiry
        db.session.execute(update(ModerationItem).where(ModerationItem.page_id == page_id)
                           .values(claimed_at=when))
        db.session.commit()
        return when


def item_of(app, page_id):
    with app.app_context():
        return db.session.scalar(select(ModerationItem).where(ModerationItem.page_id == page_id))


def audit(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                  .order_by(AuditEntry.id)).all()


def test_default_ttl_is_four_hours(app):
    assert app.config["MODERATION_CLAIM_TTL_SECONDS"] == 4 * 3600


def test_stale_claim_is_taken_with_a_plain_claim_and_audited(app, a, b, page):
    assert claim(a, page).status_code == 302
    claimed_at = age_claim(app, page, timedelta(minutes=5))

    assert claim(b, page).status_code == 302  # no take-over needed
    item = item_of(app, page)
    assert item.claimer.email == "b@example.org"
    assert audit(app, "takeover") == []
    first, second = audit(app, "claim")
    assert first.before is None and first.actor_email == "a@example.org"
    assert second.actor_email == "b@example.org"
    assert second.before == {"claimed_by": "a@example.org", "expired": True,
                             "claimed_at": claimed_at.isoformat().replace("+00:00", "Z")}
    assert second.after == {"claimed_by": "b@example.org"}

    # b's claim is fresh: now a is the one who needs a take-over
    refused = a.decide(page, "override", "mixed", "Mine after all.")
    assert refused.status_code == 409
    assert "b@example.org has claimed this page" in refused.get_data(as_text=True)


def test_stale_claim_lets_another_decide(app, a, b, page):
    assert claim(a, page).status_code == 302
    age_claim(app, page, timedelta(hours=1))

    assert b.decide(page, "override", "reliable", "Checked with the agency.").status_code == 302
    with app.app_context():
        [decision] = db.session.scalars(select(Decision)).all()
        assert decision.moderator.email == "b@example.org"
        page_row = db.session.get(Page, page)
        assert (page_row.moderation_state, page_row.moderated_level) == ("decided", "reliable")
    assert item_of(app, page).claimed_by is None  # a decision ends the claim, as before
    [entry] = audit(app, "decision_override")
    assert entry.before == {"state": "in_review", "level": None, "note": None,
                            "expired_claim_of": "a@example.org"}
    assert audit(app, "decision_conflict") == []


def test_stale_claim_allows_evidence_verdicts(app, a, b, page):
    assert claim(a, page).status_code == 302
    age_claim(app, page, timedelta(minutes=1))
    html = b.get(f"/moderation/pages/{page}").get_data(as_text=True)
    analysis = int(re.search(r'name="analysis_id" value="(\d+)"', html).group(1))
    assert b.post(f"/moderation/pages/{page}/evidence",
                  {"version": b.version(page), "analysis_id": analysis, "signal": "clickbait",
                   "index": 0, "verdict": "confirmed", "reason": "it is hype"}).status_code == 302


@pytest.mark.parametrize("age", [timedelta(minutes=-5), timedelta(hours=-3)])
def test_fresh_claim_still_blocks(app, a, b, page, age):
    assert claim(a, page).status_code == 302
    age_claim(app, page, age)  # still inside the TTL

    assert claim(b, page).status_code == 409
    refused = b.decide(page, "override", "reliable", "My view.")
    assert refused.status_code == 409
    assert "a@example.org has claimed this page; take it over explicitly" in refused.get_data(as_text=True)
    assert item_of(app, page).claimer.email == "a@example.org"
    with app.app_context():  # the service says the same
        item = db.session.scalar(select(ModerationItem).where(ModerationItem.page_id == page))
        other = db.session.scalar(select(Moderator).where(Moderator.email == "b@example.org"))
        with pytest.raises(service.Conflict, match="has claimed this page"):
            service.claim(item, other, item.version)
    assert claim(b, page, takeover=True).status_code == 302  # the explicit way still works
    [takeover] = audit(app, "takeover")
    assert takeover.before == {"claimed_by": "a@example.org"}


def test_takeover_form_posted_after_expiry_is_audited_as_a_claim(app, a, b, page):
    """The form was rendered while the claim was live; by the time it is sent, it is not."""
    assert claim(a, page).status_code == 302
    age_claim(app, page, timedelta(seconds=30))
    assert claim(b, page, takeover=True).status_code == 302
    assert audit(app, "takeover") == []
    assert audit(app, "claim")[-1].before["expired"] is True


def test_zero_ttl_switches_expiry_off(app, a, b, page):
    assert claim(a, page).status_code == 302
    with app.app_context():
        db.session.execute(update(ModerationItem).values(claimed_at=utcnow() - timedelta(days=30)))
        db.session.commit()
    app.config["MODERATION_CLAIM_TTL_SECONDS"] = 0
    assert claim(b, page).status_code == 409
    assert "Take over from a@example.org" in b.get(f"/moderation/pages/{page}").get_data(as_text=True)


def test_page_view_shows_the_claim_as_expired(app, a, b, page):
    assert claim(a, page).status_code == 302
    age_claim(app, page, timedelta(hours=2, minutes=5))

    seen_by_b = b.get(f"/moderation/pages/{page}").get_data(as_text=True)
    assert re.search(r"Claimed by <strong>a@example.org</strong> since [\d: -]+ UTC — "
                     r"<strong>expired 2 h ago</strong>", seen_by_b)
    assert "Take over from" not in seen_by_b and ">Claim</button>" in seen_by_b
    assert ">Release</button>" not in seen_by_b  # not b's claim

    seen_by_a = a.get(f"/moderation/pages/{page}").get_data(as_text=True)  # still a's, expired
    assert "expired 2 h ago" in seen_by_a
    assert ">Release</button>" in seen_by_a and ">Claim again</button>" in seen_by_a

    assert claim(b, page).status_code == 302
    seen_by_a = a.get(f"/moderation/pages/{page}").get_data(as_text=True)
    assert "Take over from b@example.org" in seen_by_a and "expired" not in seen_by_a
    seen_by_b = b.get(f"/moderation/pages/{page}").get_data(as_text=True)
    assert ">Release</button>" in seen_by_b and ">Claim again</button>" not in seen_by_b


def test_holder_of_an_expired_claim_renews_it(app, a, b, page):
    assert claim(a, page).status_code == 302
    age_claim(app, page, timedelta(minutes=10))
    assert claim(a, page).status_code == 302
    assert "expired" not in a.get(f"/moderation/pages/{page}").get_data(as_text=True)
    assert claim(b, page).status_code == 409  # renewed: blocks again
    assert audit(app, "claim")[-1].before == {"claimed_by": "a@example.org"}  # not "expired"


def test_queue_counts_an_expired_claim_as_open(app, a, b, seed_report):
    pages = {
        "fresh": add_page(app, seed_report, "https://q.example/fresh"),
        "stale": add_page(app, seed_report, "https://q.example/stale"),
        "unclaimed": add_page(app, seed_report, "https://q.example/unclaimed"),
        "decided": add_page(app, report_with(seed_report, "mixed", "low"), "https://q.example/decided"),
    }
    for name in ("fresh", "stale"):
        assert claim(a, pages[name]).status_code == 302
    age_claim(app, pages["stale"], timedelta(hours=1))
    assert b.decide(pages["decided"], "override", "reliable", "Fine.").status_code == 302

    def status(query):
        html = b.get("/moderation/" + query).get_data(as_text=True)
        total = int(re.search(r"(\d+) page\(s\)", html).group(1))
        ids = set(listed(b, query))
        assert total == len(ids)
        return {name for name, pid in pages.items() if pid in ids}

    assert status("?status=open") == {"stale", "unclaimed"}
    assert status("?status=in_review") == {"fresh"}
    assert status("?status=pending") == {"fresh", "stale", "unclaimed"}
    assert status("?status=decided") == {"decided"}
    assert status("?status=all") == set(pages)

    html = b.get("/moderation/?status=open").get_data(as_text=True)
    stale_row = re.search(r"<tr>\s*<td><a href=\"/moderation/pages/%d\">.*?</tr>" % pages["stale"],
                          html, re.S).group(0)
    assert "a@example.org <span class=\"muted\">(expired 1 h ago)</span>" in stale_row
    assert "<td>open</td>" in stale_row  # not "in review"
    fresh = b.get("/moderation/?status=in_review").get_data(as_text=True)
    assert "a@example.org</td>" in fresh and "expired" not in fresh

    # taken from the stale claim: in review again
    assert claim(b, pages["stale"]).status_code == 302
    assert status("?status=in_review") == {"fresh", "stale"}


@pytest.mark.parametrize("past_expiry, state", [
    (timedelta(minutes=-5), "in_review"),  # five minutes left
    (timedelta(minutes=5), "open"),
])
def test_public_api_reports_an_expired_claim_as_open(app, a, page, past_expiry, state):
    api = app.test_client()
    assert claim(a, page).status_code == 302
    age_claim(app, page, past_expiry)
    badge = api.get("/api/v1/badges", query_string={"url": SEED_URL})
    assert badge.status_code == 200
    assert badge.json["moderation"]["state"] == state
    with app.app_context():
        assert db.session.get(Page, page).moderation_state == "in_review"  # the row is not rewritten


def test_two_moderators_taking_one_stale_claim_at_once(app, seed_report):
    ids, page_id, item_id = contenders(app, seed_report, "s", 3, "https://race.example/stale")
    with app.app_context():
        service.claim(db.session.get(ModerationItem, item_id), db.session.get(Moderator, ids[0]), 0)
    age_claim(app, page_id, timedelta(minutes=1))

    def attempt(mod_id):
        def call():
            with app.app_context():
                service.claim(db.session.get(ModerationItem, item_id),
                              db.session.get(Moderator, mod_id), 1)
                return mod_id
        return call

    results = race(attempt(ids[1]), attempt(ids[2]))
    winners = [r for r in results if isinstance(r, int)]
    assert len(winners) == 1 and all(isinstance(r, service.Conflict) for r in results if r not in winners)
    with app.app_context():
        assert db.session.get(ModerationItem, item_id).claimed_by == winners[0]


def test_environment_setting():
    assert config.from_environment({"MODERATION_CLAIM_TTL_SECONDS": "600"}) == \
        {"MODERATION_CLAIM_TTL_SECONDS": 600}
    for bad in ("", "-5", "4h", "²"):
        assert config.from_environment({"MODERATION_CLAIM_TTL_SECONDS": bad}) == {}


@pytest.mark.parametrize("delta,text", [
    (timedelta(seconds=59), "just now"),
    (timedelta(minutes=5, seconds=59), "5 min ago"),
    (timedelta(minutes=59), "59 min ago"),
    (timedelta(hours=2, minutes=59), "2 h ago"),
    (timedelta(hours=47), "47 h ago"),
    (timedelta(days=3, hours=1), "3 d ago"),
])
def test_ago(delta, text):
    assert claims.ago(delta) == text
