"""POST /api/v1/analyses and GET /api/v1/badges, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from server.store import db
from server.store.models import Analysis, Page

SEED = "http://127.0.0.1:5000/demo/seed-article.html"
SOBER = "http://127.0.0.1:5000/demo/sober-article.html"
NOT_ARTICLE = "http://localhost:5000/demo/not-an-article.html"


def analyse(client, url, **extra):
    return client.post("/api/v1/analyses", json={"url": url, **extra})


@pytest.mark.parametrize("url,level", [
    (SEED, "unreliable"),
    (SOBER, "reliable"),
    (NOT_ARTICLE, "unrated"),
])
def test_demo_pages_are_analysed_without_network(client, network, url, level):
    response = analyse(client, url)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["badge"]["level"] == level
    assert body["badge"]["automatic_level"] == level
    assert body["cached"] is False
    assert body["source"] == "fetched"
    assert body["analyzed_at"].endswith("Z")
    if level != "unrated":  # a page that is not an article has no signals to show
        assert set(body["signals"]) >= {"clickbait", "unattributed_claims", "promotions"}
    assert network.connects() == []


def test_seed_report_carries_evidence_for_the_extension(client):
    body = analyse(client, SEED).json
    promotions = body["signals"]["promotions"]["evidence"]
    assert any("YOU MAY ALSO LIKE" in item["exact"] for item in promotions)
    for signal in body["signals"].values():
        for item in signal["evidence"]:
            assert {"exact", "prefix", "suffix", "kind", "explanation"} <= set(item)
    assert body["moderation"] == {"state": "open", "level": None, "note": None, "reviewed_at": None}


def test_second_request_is_cached_under_the_normalised_url(app, client):
    first = analyse(client, SEED)
    again = analyse(client, SEED.replace("127.0.0.1", "127.0.0.1") + "?utm_source=x&fbclid=y#top")
    assert first.status_code == again.status_code == 200
    assert again.json["cached"] is True
    assert again.json["url"] == SEED
    assert again.json["analyzed_at"] == first.json["analyzed_at"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Analysis)) == 1
        page = db.session.scalar(select(Page))
        assert page.url_key == SEED
        assert page.request_count == 2
        assert page.badge_level == "unreliable"
        assert page.moderation_state == "open"  # red pages are flagged for moderators


def test_supplied_html_is_analysed_and_kept_apart(app, client, network):
    html = (app.root_path + "/demo/sober-article.html")
    with open(html, encoding="utf-8") as fh:
        page_html = fh.read()
    url = "https://news.example/cycle-lanes"
    supplied = client.post("/api/v1/analyses", json={"url": url, "html": page_html})
    assert supplied.status_code == 200, supplied.json
    assert supplied.json["source"] == "supplied"
    assert supplied.json["badge"]["level"] == "reliable"
    assert network.connects() == []  # supplied HTML is never fetched
    again = client.post("/api/v1/analyses", json={"url": url, "html": page_html})
    assert again.json["cached"] is True
    other = client.post("/api/v1/analyses", json={"url": url, "html": page_html + "<p>x</p>"})
    assert other.json["cached"] is False
    with app.app_context():
        sources = db.session.scalars(select(Analysis.source)).all()
        assert sources == ["supplied", "supplied"]


def test_badge_fast_path(app, client):
    assert client.get("/api/v1/badges", query_string={"url": SEED}).status_code == 404
    analyse(client, SEED)
    response = client.get("/api/v1/badges", query_string={"url": SEED + "#x"})
    assert response.status_code == 200
    body = response.json
    assert body["badge"]["level"] == "unreliable"
    assert body["url"] == SEED
    assert body["source"] == "fetched"
    assert body["moderation"]["state"] == "open"
    assert "signals" not in body  # the badge only


def test_badge_404_is_a_problem(client):
    response = client.get("/api/v1/badges", query_string={"url": "https://example.com/none"})
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/no-badge")


def test_moderated_level_overrides_badge(app, client):
    analyse(client, SEED)
    from datetime import datetime, timezone

    with app.app_context():
        page = db.session.scalar(select(Page).where(Page.url_key == SEED))
        page.moderation_state = "decided"
        page.moderated_level = "mixed"
        page.moderation_note = "The promotion is an ad slot, not the author's text."
        page.moderated_at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
        db.session.commit()
    for response in (analyse(client, SEED), client.get("/api/v1/badges", query_string={"url": SEED})):
        body = response.json
        assert body["badge"]["level"] == "mixed"
        assert body["badge"]["automatic_level"] == "unreliable"
        assert body["badge"]["moderated"] is True
        assert body["moderation"] == {"state": "decided", "level": "mixed",
                                      "note": "The promotion is an ad slot, not the author's text.",
                                      "reviewed_at": "2026-01-02T03:04:05Z"}


def test_expired_analysis_is_redone(app_factory, database):
    app = app_factory(database, ANALYSIS_TTL_SECONDS=-1)
    client = app.test_client()
    first = analyse(client, SEED)
    assert first.json["cached"] is False
    assert analyse(client, SEED).json["cached"] is False
    assert client.get("/api/v1/badges", query_string={"url": SEED}).status_code == 404


BAD_INPUT = [
    # body, content type, status, problem kind
    (b"{not json", "application/json", 400, "malformed-json"),
    (b"\xff\xfe\x00", "application/json", 400, "malformed-json"),
    (b'{"url": "http://x.test/"}', "text/plain", 415, "unsupported-media-type"),
    (b"[]", "application/json", 422, "validation-error"),
    (b'"http://example.com/"', "application/json", 422, "validation-error"),
    (b"{}", "application/json", 422, "validation-error"),
    (b'{"url": 5}', "application/json", 422, "validation-error"),
    (b'{"url": null}', "application/json", 422, "validation-error"),
    (b'{"url": ["http://example.com/"]}', "application/json", 422, "validation-error"),
    (b'{"url": "http://example.com/", "html": 7}', "application/json", 422, "validation-error"),
    (b'{"url": ""}', "application/json", 422, "invalid-url"),
    (b'{"url": "example.com/news"}', "application/json", 422, "unsupported-scheme"),
    (b'{"url": "file:///etc/passwd"}', "application/json", 422, "unsupported-scheme"),
    (b'{"url": "data:text/html,<p>x</p>"}', "application/json", 422, "unsupported-scheme"),
    (b'{"url": "javascript:alert(1)"}', "application/json", 422, "unsupported-scheme"),
    (b'{"url": "ftp://example.com/a.html"}', "application/json", 422, "unsupported-scheme"),
    (b'{"url": "gopher://example.com/"}', "application/json", 422, "unsupported-scheme"),
    (b'{"url": "http://user:pass@example.com/"}', "application/json", 422, "credentials-in-url"),
    (b'{"url": "http://user@example.com/"}', "application/json", 422, "credentials-in-url"),
    (b'{"url": "http://example.com:99999/"}', "application/json", 422, "invalid-port"),
    (b'{"url": "http://exa mple.com/"}', "application/json", 422, "invalid-url"),
    (b'{"url": "http:///nohost"}', "application/json", 422, "invalid-url"),
    (b'{"url": "http://-bad-.com/"}', "application/json", 422, "invalid-url"),
    (json.dumps({"url": "http://example.com/" + "a" * 3000}).encode(), "application/json", 422,
     "url-too-long"),
    (json.dumps({"url": "http://example.com/" + "\u00e9" * 1000}).encode(), "application/json", 422,
     "url-too-long"),  # short as typed, 6000 characters once percent-encoded
    (json.dumps({"url": "http://example.com/", "html": "\x00\x01\x02\x03" * 1000}).encode(),
     "application/json", 422, "html-not-text"),
    (json.dumps({"url": "http://example.com/", "html": "".join(map(chr, range(1, 32))) * 300}).encode(),
     "application/json", 422, "html-not-text"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "malformed-json"),  # 200 KB, too deep
    (b'{"url": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "application/json", 400, "malformed-json"),
    (b"null", "application/json", 422, "validation-error"),
    (b"true", "application/json", 422, "validation-error"),
]


@pytest.mark.parametrize("body,ctype,status,kind", BAD_INPUT,
                         ids=[f"{i}-{b[3]}" for i, b in enumerate(BAD_INPUT)])
def test_bad_input_gives_a_specific_problem(sqlite_client, body, ctype, status, kind, network):
    response = sqlite_client.post("/api/v1/analyses", data=body, content_type=ctype)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    problem = response.json
    assert problem["type"].endswith("/" + kind)
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    assert network.connects() == []


def test_deeply_nested_json_is_a_problem_not_a_logged_500(sqlite_client, caplog):
    """json.loads recurses once per level: the RecursionError must not escape as a 500."""
    body = b"[" * 100_000 + b"]" * 100_000
    for path in ("/api/v1/analyses", "/api/v1/analyses/batch", "/api/v1/reports"):
        response = sqlite_client.post(path, data=body, content_type="application/json")
        assert response.status_code == 400, path
        assert response.json["type"].endswith("/malformed-json")
        assert "nested too deeply" in response.json["detail"]
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


@pytest.mark.parametrize("body,needle", [
    (b"null", "must be a JSON object"),  # valid JSON, but not an object: not "not valid JSON"
    (b"[]", "must be a JSON object"),
    (b'"http://example.com/"', "not a string"),
    (b"{not json", "not valid JSON"),
    (b'{"url": "example.com/story"}', "add https://"),
    (b'{"url": "news.example:8080/story"}', "add https://"),  # urlsplit reads 'news.example:' as a scheme
    (b'{"url": "//example.com/story"}', "https://example.com/story"),
    (b'{"url": "ftp://example.com/"}', "not ftp:"),
    (b'{"url": "mailto:someone@example.com"}', "not mailto:"),
])
def test_error_details_say_what_to_do(sqlite_client, body, needle):
    response = sqlite_client.post("/api/v1/analyses", data=body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert needle in response.json["detail"]


def test_413_names_the_size_limit(sqlite_client):
    body = b'{"url": "' + b"a" * (6 * 1024 * 1024) + b'"}'
    for path in ("/api/v1/analyses", "/api/v1/reports"):
        response = sqlite_client.post(path, data=body, content_type="application/json")
        assert response.status_code == 413
        assert response.json["type"].endswith("/request-too-large")
        assert "5 MB" in response.json["detail"]


def test_twenty_megabytes_of_html_is_413(sqlite_client):
    body = json.dumps({"url": "http://example.com/", "html": "<p>" + "x" * 20_000_000 + "</p>"})
    response = sqlite_client.post("/api/v1/analyses", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_html_over_the_field_limit_is_413(app_factory, sqlite_database):
    app = app_factory(sqlite_database, MAX_HTML_CHARS=1000)
    response = app.test_client().post("/api/v1/analyses",
                                      json={"url": "http://example.com/", "html": "<p>" + "y" * 2000})
    assert response.status_code == 413
    assert response.json["type"].endswith("/html-too-large")


def test_junk_but_textual_html_is_unrated_not_an_error(sqlite_client):
    response = sqlite_client.post("/api/v1/analyses",
                                  json={"url": "http://example.com/j", "html": "\u00e9\u00df$%&" * 500})
    assert response.status_code == 200
    assert response.json["badge"]["level"] == "unrated"


FETCH_FAULTS = [
    ("/hang", 504, "upstream-timeout"),
    ("/reset", 502, "upstream-connection-error"),
    ("/loop", 502, "redirect-loop"),
    ("/gzip-bomb", 502, "upstream-too-large"),
    ("/lie-long", 502, "upstream-truncated"),
    ("/pdf", 422, "not-html"),
    ("/status/500", 502, "upstream-status"),
]


@pytest.mark.parametrize("path,status,kind", FETCH_FAULTS, ids=[f[0] for f in FETCH_FAULTS])
def test_fetch_faults_through_the_api(fetch_app, web, path, status, kind):
    response = fetch_app.test_client().post("/api/v1/analyses", json={"url": web.url(path)})
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/" + kind)


def test_fetched_page_is_analysed_and_cached(fetch_app, web):
    client = fetch_app.test_client()
    before = web.hits["/sober"]
    first = client.post("/api/v1/analyses", json={"url": web.url("/sober")})
    assert first.status_code == 200, first.json
    assert first.json["badge"]["level"] == "reliable"
    second = client.post("/api/v1/analyses", json={"url": web.url("/sober?utm_medium=mail")})
    assert second.json["cached"] is True
    assert web.hits["/sober"] == before + 1  # a cached analysis is returned without work


@pytest.mark.parametrize("url, extra", [
    ("http://127.0.0.1:5000/demo/nope.html", {}),
    ("http://localhost:5431/demo/missing.html", {}),  # a demo host on any port
    ("http://[::1]:5000/demo/seed-article.htm", {}),
    ("http://127.0.0.1:5000/demo/", {}),  # the index lists the pages; it is not one
    ("http://127.0.0.1:5000/demo/nope.html", {"html": "<p>as the reader saw it</p>"}),
])
def test_a_demo_url_naming_no_demo_page_is_404(client, network, url, extra):
    """Not the fetcher's "points to a loopback address", which hides the mistyped name."""
    response = analyse(client, url, **extra)
    assert response.status_code == 404, response.json
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/no-demo-page")
    assert "seed-article.html" in response.json["detail"]
    assert network.connects() == []


def test_without_demo_pages_a_demo_url_is_an_ordinary_loopback_url(app_factory, database, network):
    client = app_factory(database, DEMO_ENABLED=False).test_client()
    response = analyse(client, "http://127.0.0.1:5000/demo/nope.html")
    assert response.status_code == 422  # the fetcher refuses loopback
    assert response.json["type"].endswith("/forbidden-destination")
    assert network.connects() == []


def test_concurrent_first_requests_make_one_page(app):
    """Readers opening the same new article at once: every one answered, one page row."""
    from concurrent.futures import ThreadPoolExecutor

    url = "http://127.0.0.1:5000/demo/sober-article.html"

    def one(i):
        with app.test_client() as client:
            if i % 2:
                return client.post("/api/v1/reports", json={"url": url},
                                   environ_base={"REMOTE_ADDR": f"203.0.113.{i}"}).status_code
            return client.post("/api/v1/analyses", json={"url": url}).status_code

    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(one, range(6)))
    assert codes == [200, 202] * 3
    with app.app_context():
        pages = db.session.scalars(select(Page)).all()
        assert len(pages) == 1
        assert pages[0].report_count == 3


def test_badge_cache_is_short_lived_and_dropped_on_local_writes(app_factory, database):
    import time

    from sqlalchemy import update

    app = app_factory(database, BADGE_CACHE_SECONDS=0.5)
    client = app.test_client()
    analyse(client, SEED)

    def level():
        return client.get("/api/v1/badges", query_string={"url": SEED}).json["badge"]["level"]

    assert level() == "unreliable"
    with app.app_context():  # another worker (a moderator) decides
        with db.engine.begin() as conn:
            conn.execute(update(Page).values(moderation_state="decided", moderated_level="mixed"))
    assert level() == "unreliable"  # this worker's cached row, for at most BADGE_CACHE_SECONDS
    time.sleep(0.6)
    assert level() == "mixed"
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(update(Page).values(moderated_level="reliable"))
    client.post("/api/v1/reports", json={"url": SEED})  # a local write drops the entry at once
    assert level() == "reliable"


@pytest.mark.parametrize("body", [
    '{"url": "http://example.com/\\ud800"}',
    '{"url": "http://example.com/?q=\\udfff"}',
    '{"url": "http://example.com/", "html": "<p>lone \\ud800 surrogate</p>"}',
    '{"url": "http://\\ud800.example/"}',
])
def test_lone_surrogates_are_refused_not_500(client, body):
    for path in ("/api/v1/analyses", "/api/v1/reports"):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 422, response.get_data(as_text=True)
        assert response.json["type"].endswith("/invalid-unicode")


def test_check_url_refuses_surrogates_itself():
    from server.errors import Problem as P
    from server.urls import check_url

    with pytest.raises(P) as info:
        check_url("http://example.com/\ud800")
    assert info.value.kind == "invalid-url"


@pytest.mark.parametrize("min_age, refetched", [(0.0, True), (3600.0, False)])
def test_refresh_redoes_a_cached_analysis_unless_it_is_too_recent(fetch_app, web, min_age, refetched):
    fetch_app.config["REFRESH_MIN_AGE_SECONDS"] = min_age
    client = fetch_app.test_client()
    url = web.url(f"/sober?refresh-case={int(min_age)}")
    first = client.post("/api/v1/analyses", json={"url": url})
    assert first.status_code == 200, first.json
    before = web.hits["/sober"]
    again = client.post("/api/v1/analyses", json={"url": url, "refresh": True})
    assert again.status_code == 200, again.json
    assert again.json["cached"] is (not refetched)
    assert web.hits["/sober"] == before + (1 if refetched else 0)


def test_refresh_must_be_a_boolean(client):
    response = analyse(client, SEED, refresh="please")
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


# -- supplied HTML never sets the public badge (security review, HIGH) ------------------------

def _demo_html(app, name):
    with open(app.root_path + "/demo/" + name, encoding="utf-8") as fh:
        return fh.read()


def test_supplied_html_never_becomes_the_public_badge(app, client):
    """Anyone can send any HTML for any URL: the answer is theirs, the public badge is not."""
    url = "https://news.example/victim-story"
    red = client.post("/api/v1/analyses", json={"url": url, "html": _demo_html(app, "seed-article.html")})
    assert red.status_code == 200
    assert red.json["source"] == "supplied" and red.json["badge"]["level"] == "unreliable"
    assert red.json["moderation"]["state"] == "open"  # moderators still get to look at it
    assert client.get("/api/v1/badges", query_string={"url": url}).status_code == 404
    with app.app_context():
        page = db.session.scalar(select(Page).where(Page.url_key == url))
        assert page.badge is None and page.badge_level is None and page.badge_source is None
        assert page.moderation_state == "open"


def test_supplied_html_does_not_replace_a_stale_fetched_badge(app_factory, database):
    """Even with no fresh fetched badge (expired), supplied HTML does not take its place; the
    next fetched analysis does."""
    app = app_factory(database, ANALYSIS_TTL_SECONDS=-1)
    client = app.test_client()
    assert analyse(client, SOBER).json["badge"]["level"] == "reliable"  # fetched, expired at once
    supplied = analyse(client, SOBER, html=_demo_html(app, "seed-article.html"))
    assert supplied.json["source"] == "supplied" and supplied.json["badge"]["level"] == "unreliable"
    with app.app_context():
        page = db.session.scalar(select(Page).where(Page.url_key == SOBER))
        assert page.badge_source == "fetched" and page.badge_level == "reliable"
        assert page.moderation_state == "open"
    app.config["ANALYSIS_TTL_SECONDS"] = 3600
    fetched = analyse(client, SOBER)
    assert fetched.json["source"] == "fetched" and fetched.json["cached"] is False
    badge = client.get("/api/v1/badges", query_string={"url": SOBER})
    assert badge.status_code == 200
    assert badge.json["source"] == "fetched" and badge.json["badge"]["level"] == "reliable"


def _decide_meanwhile(app, monkeypatch, module):
    """Wrap `module.get_or_create_page`: once the request has read the page, a moderator's
    decision lands from another connection (the race the flagging must not lose)."""
    from server import analysis as analysis_module

    original = analysis_module.get_or_create_page

    def racing(target, key):
        page = original(target, key)
        assert page.moderation_state == "none"
        db.session.commit()  # release SQLite's write lock (the page object keeps what it read)
        with db.engine.begin() as conn:
            conn.execute(Page.__table__.update().where(Page.__table__.c.id == page.id).values(
                moderation_state="decided", moderated_level="mixed", moderation_note="Checked."))
        return page

    monkeypatch.setattr(module, "get_or_create_page", racing)


def test_flagging_does_not_undo_a_decision_that_lands_meanwhile(app, client, monkeypatch):
    from server import analysis as analysis_module

    assert analyse(client, SOBER).json["moderation"]["state"] == "none"
    _decide_meanwhile(app, monkeypatch, analysis_module)
    red = analyse(client, SOBER, html=_demo_html(app, "seed-article.html"))
    assert red.status_code == 200
    assert red.json["moderation"]["state"] == "decided"
    assert red.json["badge"]["level"] == "mixed"
    with app.app_context():
        assert db.session.scalar(select(Page.moderation_state).where(Page.url_key == SOBER)) == "decided"


@pytest.mark.parametrize("route", ["/charset", "/meta-charset"])
@pytest.mark.parametrize("charset", ["idna", "undefined", "punycode"])
def test_odd_charsets_are_analysed_not_500(fetch_app, web, route, charset):
    response = fetch_app.test_client().post("/api/v1/analyses", json={"url": web.url(f"{route}?cs={charset}")})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["source"] == "fetched"
    assert response.json["article"]["title"] == "Harbour bridge reopens after repairs"


@pytest.mark.parametrize("path, status, fetches", [
    ("/slow-sober", 200, 1),   # one fetch; the others read its analysis from the cache
    ("/slow-hang", 504, 1),    # one timeout shared, not one after another per waiting reader
])
def test_readers_opening_a_new_article_together_cost_the_site_one_fetch(fetch_app, web, path, status, fetches):
    from concurrent.futures import ThreadPoolExecutor

    def one(_):
        with fetch_app.test_client() as client:
            started = time.monotonic()
            response = client.post("/api/v1/analyses", json={"url": web.url(path)})
            return response.status_code, (response.get_json() or {}).get("cached"), time.monotonic() - started

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(one, range(6)))
    assert [code for code, _, _ in answers] == [status] * 6
    assert web.hits[path] == fetches
    if status == 200:
        assert sorted(cached for _, cached, _ in answers) == [False] + [True] * 5
    else:  # each waited for the one fetch's 1.5 s limit, not for the fetches before it
        assert max(seconds for _, _, seconds in answers) < 6


def test_a_leader_stopped_by_a_base_exception_leaves_the_work_to_its_waiters():
    """SystemExit or a gevent Timeout ends the leader's own request, not the page: the waiters
    are not handed it, one of them does the work instead."""
    import threading

    from server.analysis import _InFlight

    flights = _InFlight()
    leading, release = threading.Event(), threading.Event()
    results: dict = {}
    done_by_waiters = []

    def interrupted():
        leading.set()
        release.wait(5)
        raise SystemExit("the leader's worker is shutting down")

    def waiter_work():
        done_by_waiters.append(1)
        return "done"

    def call(name, work):
        try:
            results[name] = flights.run("page", work)
        except BaseException as exc:  # noqa: BLE001 - what each caller saw
            results[name] = type(exc).__name__

    leader = threading.Thread(target=call, args=("leader", interrupted))
    leader.start()
    assert leading.wait(5)
    waiters = [threading.Thread(target=call, args=(i, waiter_work)) for i in range(3)]
    for thread in waiters:
        thread.start()
    time.sleep(0.3)  # they wait on the leader's flight now
    release.set()
    for thread in [leader, *waiters]:
        thread.join(10)
    assert results["leader"] == "SystemExit"
    assert all(results[i] in ("done", None) for i in range(3)), results
    assert done_by_waiters  # one of them did the work (the others, if they waited, shared it)
    assert "page" not in flights._running


def test_apps_in_one_process_do_not_share_an_analysis_in_flight(sqlite_database, app_factory,
                                                                 monkeypatch):
    """Two apps (own database and settings) in one process: app A's failure is not app B's."""
    import threading

    from flask import current_app

    from server import analysis
    from server.errors import Problem

    app_a = app_factory(sqlite_database, PRELOAD_ANALYZER=False, FAIL_HERE=True)
    app_b = app_factory(sqlite_database, PRELOAD_ANALYZER=False)

    def per_app(target, key, source, content_hash, html, demo_name):
        time.sleep(0.5)
        if current_app.config.get("FAIL_HERE"):
            raise Problem(502, "upstream-status", "Upstream error", "app A's own failure")
        return {"analysed_by": "B"}

    monkeypatch.setattr(analysis, "_analyse_now", per_app)
    answers = {}

    def post(name, app):
        with app.test_client() as client:
            answers[name] = client.post("/api/v1/analyses", json={"url": "https://news.example/y"})

    first = threading.Thread(target=post, args=("A", app_a))
    first.start()
    time.sleep(0.1)  # A's analysis is in flight
    post("B", app_b)
    first.join(10)
    assert answers["A"].status_code == 502
    assert answers["B"].status_code == 200 and answers["B"].json == {"analysed_by": "B"}


# -- supplied HTML for an intranet page is refused like a fetch of it (security review) --------

INTRANET_HTML = "<html><head><title>Payroll</title></head><body><p>Internal.</p></body></html>"


@pytest.mark.parametrize("url, says", [
    ("http://10.0.0.5/admin?x=1", "private address"),
    ("http://127.0.0.1:8080/admin", "loopback address"),
    ("http://169.254.169.254/latest/", "metadata address"),
    ("http://[fd00::1]/wiki", "private address"),
    ("http://intranet/payroll", "single-label"),
    ("http://printer.local/status", "intranet host name"),
    ("https://wiki.corp/page", "intranet host name"),
    ("https://jira.internal/browse/X-1", "intranet host name"),
    ("http://nas.home.arpa/", "intranet host name"),
    ("http://router.lan/", "intranet host name"),
])
def test_supplied_html_for_an_intranet_page_is_refused(app, client, url, says):
    response = client.post("/api/v1/analyses", json={"url": url, "html": INTRANET_HTML})
    assert response.status_code == 422, response.json
    assert response.json["type"].endswith("/forbidden-destination")
    assert says in response.json["detail"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Page)) == 0


def _resolver_to(address):
    def resolve(host, port):
        return [address]
    return resolve


def test_supplied_html_for_a_name_resolving_to_a_private_address_is_refused(sqlite_database, app_factory):
    app = app_factory(sqlite_database, FETCH_RESOLVER=_resolver_to("192.168.1.20"))
    response = app.test_client().post("/api/v1/analyses",
                                      json={"url": "https://wiki.company.example/x", "html": INTRANET_HTML})
    assert response.status_code == 422 and "private address" in response.json["detail"]


def test_supplied_html_is_kept_when_the_name_does_not_resolve_here(sqlite_database, app_factory):
    """The reader's browser loaded the page: a lookup failing (or hanging) here refuses nothing."""
    import threading

    release = threading.Event()  # the stuck lookup ends with the test: its DNS slot comes back

    def no_answer(host, port):
        raise OSError("no such host")

    def slow(host, port):
        release.wait(5)
        return ["10.0.0.1"]

    try:
        for resolver in (no_answer, slow):
            app = app_factory(sqlite_database, FETCH_RESOLVER=resolver, FETCH_CONNECT_TIMEOUT=0.3)
            started = time.monotonic()
            response = app.test_client().post(
                "/api/v1/analyses",
                json={"url": f"https://news.example/{resolver.__name__}", "html": INTRANET_HTML})
            assert response.status_code == 200, response.json
            assert time.monotonic() - started < 3  # bounded: never the resolver's own time
    finally:
        release.set()


def test_supplied_html_for_loopback_under_the_test_switch_and_for_the_demo(fetch_app, sqlite_app, web):
    """The extension's tests (RELIABILITY_FETCH_ALLOW_LOOPBACK=1) and the demo send loopback pages."""
    response = fetch_app.test_client().post("/api/v1/analyses",
                                            json={"url": web.url("/article"), "html": INTRANET_HTML})
    assert response.status_code == 200, response.json
    demo = sqlite_app.test_client().post("/api/v1/analyses", json={"url": SEED, "html": INTRANET_HTML})
    assert demo.status_code == 200 and demo.json["source"] == "supplied"
