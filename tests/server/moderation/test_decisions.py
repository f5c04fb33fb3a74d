"""Claims, take-overs, decisions with before/after, evidence verdicts, the append-only audit log."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text, update

from server.moderation.models import AuditEntry, Decision, EvidenceFeedback
from server.store import db
from server.store.models import Page

from .conftest import Browser, add_moderator


@pytest.fixture
def other(mod_app):
    add_moderator(mod_app, "other@example.org")
    b = Browser(mod_app.test_client())
    assert b.login("other@example.org").status_code == 302
    return b


def page_state(app, page_id):
    with app.app_context():
        page = db.session.get(Page, page_id)
        return page.moderation_state, page.moderated_level, page.moderation_note


def audit(app, action=None):
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return db.session.scalars(query).all()


def decisions(app, page_id):
    with app.app_context():
        return db.session.scalars(select(Decision).where(Decision.page_id == page_id)
                                  .order_by(Decision.id)).all()


def claim(browser, page_id, takeover=False):
    data = {"version": browser.version(page_id)}
    if takeover:
        data["takeover"] = "y"
    return browser.post(f"/moderation/pages/{page_id}/claim", data)


@pytest.mark.parametrize("action,level,note,expected", [
    ("override", "mixed", "Officials confirmed part of it.", ("decided", "mixed", "Officials confirmed part of it.")),
    ("override", "reliable", "  Checked with the agency.  ", ("decided", "reliable", "Checked with the agency.")),
    ("confirm", "", "", ("decided", "unreliable", None)),
    ("confirm", "mixed", "Label is right.", ("decided", "unreliable", "Label is right.")),
])
def test_decisions_write_the_page(mod_app, browser, seed_page, action, level, note, expected):
    assert browser.decide(seed_page, action, level, note).status_code == 302
    assert page_state(mod_app, seed_page) == expected
    [decision] = decisions(mod_app, seed_page)
    assert decision.action == action and decision.automatic_level == "unreliable"
    assert decision.level_before is None and decision.level_after == expected[1]
    assert decision.analysis_id is not None and decision.analyzer_version


@pytest.mark.parametrize("action,level,note,message", [
    ("override", "", "a note", "Choose the level"),
    ("override", "mixed", "   ", "needs a public note"),
    ("override", "green", "a note", "Not a valid choice"),
    ("launch", "", "", "Not a valid choice"),
    ("override", "mixed", "x" * 1001, "1000"),
])
def test_invalid_decisions_change_nothing(mod_app, browser, seed_page, action, level, note, message):
    response = browser.decide(seed_page, action, level, note)
    assert response.status_code == 422
    assert message.lower() in response.get_data(as_text=True).lower()
    assert page_state(mod_app, seed_page) == ("open", None, None)
    assert decisions(mod_app, seed_page) == []


def test_revision_keeps_history_before_and_after(mod_app, browser, seed_page):
    browser.decide(seed_page, "override", "mixed", "First look.")
    browser.decide(seed_page, "override", "reliable", "Second look: sourced.")
    browser.decide(seed_page, "clear")
    first, second, third = decisions(mod_app, seed_page)
    assert (second.level_before, second.note_before) == ("mixed", "First look.")
    assert (second.level_after, second.note_after) == ("reliable", "Second look: sourced.")
    assert (third.level_before, third.level_after, third.note_after) == ("reliable", None, None)
    assert page_state(mod_app, seed_page) == ("open", None, None)  # back to the automatic label
    entries = [e for e in audit(mod_app) if e.action.startswith("decision_")]
    assert [e.action for e in entries] == ["decision_override", "decision_override", "decision_clear"]
    assert entries[1].before == {"state": "decided", "level": "mixed", "note": "First look."}
    assert entries[1].after == {"state": "decided", "level": "reliable", "note": "Second look: sourced."}
    assert all(e.actor_email == "mod@example.org" for e in entries)
    html = browser.get(f"/moderation/pages/{seed_page}").get_data(as_text=True)
    assert "First look." in html and "Second look: sourced." in html  # the history is shown


def test_claimed_item_needs_explicit_takeover(mod_app, browser, other, seed_page):
    assert claim(browser, seed_page).status_code == 302
    assert page_state(mod_app, seed_page)[0] == "in_review"
    page = other.get(f"/moderation/pages/{seed_page}").get_data(as_text=True)
    assert "Claimed by <strong>mod@example.org</strong>" in page and "Take over from" in page

    refused = other.decide(seed_page, "override", "reliable", "My view.")
    assert refused.status_code == 409
    assert "has claimed this page; take it over explicitly" in refused.get_data(as_text=True)
    assert "My view." in refused.get_data(as_text=True)  # the input is kept on the page
    assert page_state(mod_app, seed_page) == ("in_review", None, None)
    [conflict] = audit(mod_app, "decision_conflict")
    assert conflict.after["note"] == "My view." and conflict.actor_email == "other@example.org"
    assert claim(other, seed_page).status_code == 409  # a plain claim does not take over
    version = other.version(seed_page)
    assert other.post(f"/moderation/pages/{seed_page}/evidence",
                      {"version": version, "analysis_id": 1, "signal": "clickbait", "index": 0,
                       "verdict": "false_positive", "reason": "not sensational"}).status_code == 409

    assert claim(other, seed_page, takeover=True).status_code == 302
    [takeover] = audit(mod_app, "takeover")
    assert takeover.before == {"claimed_by": "mod@example.org"}
    assert takeover.after == {"claimed_by": "other@example.org"}
    assert other.decide(seed_page, "override", "reliable", "My view.").status_code == 302
    assert decisions(mod_app, seed_page)[0].moderator.email == "other@example.org"


def test_stale_version_is_told_and_nothing_lost(mod_app, browser, other, seed_page):
    seen = browser.version(seed_page)
    assert other.version(seed_page) == seen
    assert other.decide(seed_page, "override", "mixed", "Other's note.", version=seen).status_code == 302
    late = browser.decide(seed_page, "override", "reliable", "My note.", version=seen)
    assert late.status_code == 409
    body = late.get_data(as_text=True)
    assert "Another moderator changed this page" in body
    assert "My note." in body and "Other&#39;s note." in body  # both visible: nothing lost
    assert page_state(mod_app, seed_page) == ("decided", "mixed", "Other's note.")
    [conflict] = audit(mod_app, "decision_conflict")
    assert conflict.after == {"action": "override", "level": "reliable", "note": "My note.",
                              "seen_version": seen}
    # resubmitting from the refreshed form (new version) is a deliberate revision
    assert browser.decide(seed_page, "override", "reliable", "My note.").status_code == 302
    assert page_state(mod_app, seed_page) == ("decided", "reliable", "My note.")


def test_release(mod_app, browser, seed_page):
    claim(browser, seed_page)
    assert browser.post(f"/moderation/pages/{seed_page}/release",
                        {"version": browser.version(seed_page)}).status_code == 302
    assert page_state(mod_app, seed_page)[0] == "open"
    assert [e.action for e in audit(mod_app)][-2:] == ["claim", "release"]


def test_evidence_verdicts(mod_app, browser, seed_page):
    def verdict(signal, index, value, reason):
        return browser.post(f"/moderation/pages/{seed_page}/evidence",
                            {"version": browser.version(seed_page), "analysis_id": 1, "signal": signal,
                             "index": index, "verdict": value, "reason": reason})

    assert verdict("clickbait", 0, "false_positive", "Shocking is the agency's word").status_code == 302
    assert verdict("clickbait", 0, "confirmed", "On reflection, it is hype").status_code == 302
    assert verdict("promotions", 0, "confirmed", "Unrelated YouTube teaser").status_code == 302
    assert verdict("clickbait", 99, "confirmed", "no such item").status_code == 400
    assert verdict("nosuchsignal", 0, "confirmed", "no such signal").status_code == 400
    assert verdict("clickbait", 0, "confirmed", "").status_code == 422
    with mod_app.app_context():
        rows = db.session.scalars(select(EvidenceFeedback).order_by(EvidenceFeedback.id)).all()
    assert [r.verdict for r in rows] == ["false_positive", "confirmed", "confirmed"]  # all kept
    assert rows[0].item["exact"] == "Shocking" and rows[0].item["location"] == "headline"
    html = browser.get(f"/moderation/pages/{seed_page}").get_data(as_text=True)
    assert "On reflection, it is hype" in html


def test_audit_log_is_append_only(mod_app, browser, seed_page):
    browser.decide(seed_page, "override", "mixed", "note")
    with mod_app.app_context():
        entry = db.session.scalars(select(AuditEntry)).first()
        entry.detail = "rewritten"
        with pytest.raises(PermissionError):
            db.session.commit()
        db.session.rollback()
        entry = db.session.scalars(select(AuditEntry)).first()
        db.session.delete(entry)
        with pytest.raises(PermissionError):
            db.session.commit()
        db.session.rollback()
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(update(AuditEntry).values(detail="rewritten"))
            db.session.commit()
        db.session.rollback()
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text("UPDATE moderation_audit SET action = 'x'"))
        db.session.rollback()
        assert all(e.detail != "rewritten" for e in db.session.scalars(select(AuditEntry)))


def test_audit_page_shows_before_and_after(mod_app, browser, admin_browser, seed_page):
    browser.decide(seed_page, "override", "mixed", "Visible note")
    html = admin_browser.get("/moderation/admin/audit?action=decision_override").get_data(as_text=True)
    assert "decision_override" in html and "Visible note" in html and "mod@example.org" in html


def test_claims_and_decisions_reach_this_workers_badge_cache_at_once(mod_app, browser):
    """The badge cache (BADGE_CACHE_SECONDS) is dropped for the page after a claim, a release
    and a decision, so this worker never serves the pre-decision badge."""
    mod_app.extensions["badge_cache"].ttl = 60.0
    api = mod_app.test_client()
    url = "http://127.0.0.1/demo/seed-article.html"
    assert api.post("/api/v1/analyses", json={"url": url}).status_code == 200

    def badge():
        return api.get("/api/v1/badges", query_string={"url": url}).json

    assert badge()["moderation"]["state"] == "open"  # now cached for a minute
    with mod_app.app_context():
        page_id = db.session.scalar(select(Page.id).where(Page.url_key == url))
    assert claim(browser, page_id).status_code == 302
    assert badge()["moderation"]["state"] == "in_review"
    assert browser.decide(page_id, "override", "mixed", "Checked by hand.").status_code == 302
    after = badge()
    assert after["badge"]["level"] == "mixed" and after["moderation"]["state"] == "decided"


@pytest.mark.parametrize("earlier", [[], [("override", "mixed", "First look."), ("clear", "", "")]])
def test_nothing_to_withdraw_is_refused(mod_app, browser, seed_page, earlier):
    for action, level, note in earlier:
        assert browser.decide(seed_page, action, level, note).status_code == 302
    before = (page_state(mod_app, seed_page), len(decisions(mod_app, seed_page)), len(audit(mod_app)))
    version = browser.version(seed_page)
    response = browser.decide(seed_page, "clear")
    assert response.status_code == 422
    assert "There is no decision to withdraw" in response.get_data(as_text=True)
    # no no-op decision row or audit entry, and the version did not move
    after = (page_state(mod_app, seed_page), len(decisions(mod_app, seed_page)), len(audit(mod_app)))
    assert after == before and browser.version(seed_page) == version


def preselected(browser, page_id):
    html = browser.get(f"/moderation/pages/{page_id}").get_data(as_text=True)
    return re.findall(r'<input checked[^>]*name="action"[^>]*value="(\w+)"', html)


def test_preselected_decision(mod_app, browser, seed_page, seed_report):
    from .conftest import add_page

    assert preselected(browser, seed_page) == ["confirm"]  # an automatic label to confirm
    unlabelled = add_page(mod_app, {**seed_report, "badge": {}}, "https://c.example/x",
                          reports=["wrong"])
    assert preselected(browser, unlabelled) == ["override"]  # nothing to confirm
    browser.decide(seed_page, "override", "mixed", "Checked.")
    assert preselected(browser, seed_page) == []  # revising or withdrawing is deliberate
