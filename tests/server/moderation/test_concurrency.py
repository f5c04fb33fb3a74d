"""Two moderators deciding the same page at the same moment: one wins, the other is told, nothing
is lost. Real threads, real databases: SQLite (file) and PostgreSQL (the `app` fixture)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from server.moderation import decisions as service
from server.moderation.models import AuditEntry, Decision, ModerationItem, Moderator
from server.store import db
from server.store.models import Page

from .conftest import Browser, add_moderator, add_page, fast_hashes

ROUNDS = 3


def race(*calls):
    """Run the calls in threads released together; their results (or exceptions) in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def contenders(app, seed_report, prefix: str, count: int, url: str) -> tuple[list[int], int, int]:
    """`count` moderators (emails prefix0@…) and one page with its moderation item:
    (moderator ids, page id, item id)."""
    fast_hashes(app)
    ids = [add_moderator(app, f"{prefix}{i}@example.org") for i in range(count)]
    page_id = add_page(app, seed_report, url=url)
    with app.app_context():
        return ids, page_id, service.ensure_item(page_id).id


def test_two_decisions_at_once_over_http(app, seed_report):
    fast_hashes(app)
    browsers = []
    for email in ("a@example.org", "b@example.org"):
        add_moderator(app, email)
        b = Browser(app.test_client())
        assert b.login(email).status_code == 302
        browsers.append(b)
    a, b = browsers
    for n in range(ROUNDS):
        page_id = add_page(app, seed_report, url=f"https://race.example/{n}")
        seen = a.version(page_id)
        assert b.version(page_id) == seen
        token_a, token_b = a.token(), b.token()
        form = {"version": seen, "action": "override", "level": "mixed"}
        ra, rb = race(
            lambda: a.client.post(f"/moderation/pages/{page_id}/decision",
                                  data=dict(form, note="A's note", csrf_token=token_a)),
            lambda: b.client.post(f"/moderation/pages/{page_id}/decision",
                                  data=dict(form, level="reliable", note="B's note", csrf_token=token_b)),
        )
        codes = sorted([ra.status_code, rb.status_code])
        assert codes == [302, 409], (ra.status_code, rb.status_code)
        loser = ra if ra.status_code == 409 else rb
        assert "Another moderator changed this page" in loser.get_data(as_text=True)
        winner_note = "A's note" if ra.status_code == 302 else "B's note"
        loser_note = "B's note" if winner_note == "A's note" else "A's note"
        with app.app_context():
            page = db.session.get(Page, page_id)
            assert page.moderation_state == "decided" and page.moderation_note == winner_note
            assert db.session.scalar(select(func.count()).select_from(Decision)
                                     .where(Decision.page_id == page_id)) == 1
            conflict = db.session.scalar(select(AuditEntry).where(
                AuditEntry.action == "decision_conflict", AuditEntry.target_id == str(page_id)))
            assert conflict.after["note"] == loser_note  # nothing lost
            assert db.session.scalar(select(ModerationItem.version)
                                     .where(ModerationItem.page_id == page_id)) == seen + 1


@pytest.mark.parametrize("workers", [2, 4])
def test_compare_and_set_lets_exactly_one_win(app, seed_report, workers):
    """The service layer, several sessions at once on one version."""
    ids, page_id, item_id = contenders(app, seed_report, "m", workers, "https://race.example/cas")

    def attempt(mod_id, n):
        def call():
            with app.app_context():
                item = db.session.get(ModerationItem, item_id)
                moderator = db.session.get(Moderator, mod_id)
                service.decide(item, moderator, 0, "override", "mixed", f"note {n}")
                return "won"
        return call

    results = race(*[attempt(mod_id, n) for n, mod_id in enumerate(ids)])
    assert results.count("won") == 1, results
    assert all(isinstance(r, service.Conflict) for r in results if r != "won"), results
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 1
        conflicts = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "decision_conflict")).all()
        assert len(conflicts) == workers - 1
        kept = {c.after["note"] for c in conflicts} | {db.session.get(Page, page_id).moderation_note}
        assert kept == {f"note {n}" for n in range(workers)}


def test_two_claims_at_once(app, seed_report):
    ids, page_id, item_id = contenders(app, seed_report, "c", 2, "https://race.example/claim")

    def attempt(mod_id):
        def call():
            with app.app_context():
                service.claim(db.session.get(ModerationItem, item_id), db.session.get(Moderator, mod_id), 0)
                return mod_id
        return call

    results = race(*[attempt(i) for i in ids])
    winners = [r for r in results if isinstance(r, int)]
    assert len(winners) == 1
    with app.app_context():
        assert db.session.get(ModerationItem, item_id).claimed_by == winners[0]


def test_audit_update_refused_by_the_database(app, seed_report):
    """The trigger, on both backends (not only the ORM guard)."""
    from sqlalchemy import text

    fast_hashes(app)
    add_moderator(app, "t@example.org")
    engine = app.extensions["store"]["engine"]
    with pytest.raises(Exception, match="append-only"):
        with engine.begin() as conn:
            conn.execute(text("UPDATE moderation_audit SET action = 'rewritten'"))
