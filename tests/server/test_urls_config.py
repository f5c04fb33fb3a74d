"""URL normalisation (the cache key) and configuration."""

from __future__ import annotations

import os
import stat

import pytest
from hypothesis import given, settings, strategies as st

from server import config
from server.errors import Problem
from server.urls import check_url, normalise, url_key


@pytest.mark.parametrize("raw,key", [
    ("https://News.Example.COM/a/b?x=1#frag", "https://news.example.com/a/b?x=1"),
    ("HTTP://news.example:80/a", "http://news.example/a"),
    ("https://news.example:443/a", "https://news.example/a"),
    ("https://news.example:8443/a", "https://news.example:8443/a"),
    ("https://news.example", "https://news.example/"),
    ("https://news.example/a?utm_source=tw&utm_medium=social&id=5", "https://news.example/a?id=5"),
    ("https://news.example/a?fbclid=abc&gclid=def&b=2&a=1", "https://news.example/a?a=1&b=2"),
    ("https://news.example/a?mc_cid=1&mc_eid=2&_ga=3&igshid=4", "https://news.example/a"),
    ("https://news.example/a?q=a%20b", "https://news.example/a?q=a%20b"),
    ("https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"),
    ("https://news.example./a", "https://news.example/a"),
    ("http://[2606:4700::1111]:8080/x", "http://[2606:4700::1111]:8080/x"),
    ("  https://news.example/a  ", "https://news.example/a"),
])
def test_normalised_keys(raw, key):
    assert url_key(raw) == key


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_text_is_accepted_or_refused_with_a_problem(text):
    try:
        checked = check_url(text)
    except Problem as problem:
        assert problem.status == 422 and problem.detail
        return
    key = normalise(checked)
    assert url_key(key) == key  # idempotent


@given(st.sampled_from(["http", "https"]), st.from_regex(r"[a-z][a-z0-9]{0,20}\.[a-z]{2,6}", fullmatch=True),
       st.lists(st.tuples(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), st.text(max_size=10)), max_size=5))
@settings(max_examples=200, deadline=None)
def test_tracking_parameters_never_reach_the_key(scheme, host, params):
    from urllib.parse import parse_qsl, urlencode, urlsplit

    from server.urls import TRACKING_PARAMS, TRACKING_PREFIXES

    query = urlencode(params + [("utm_source", "x"), ("fbclid", "y")])
    key = url_key(f"{scheme}://{host}/p?{query}")
    names = {name for name, _ in parse_qsl(urlsplit(key).query, keep_blank_values=True)}
    expected = {name for name, _ in params
                if name not in TRACKING_PARAMS and not name.startswith(TRACKING_PREFIXES)}
    assert names == expected


def test_environment_settings():
    env = {"DATABASE_URL": "postgresql://u@h/db", "RELIABILITY_FETCH_ALLOW_LOOPBACK": "1",
           "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "SESSION_COOKIE_SECURE": "0",
           "SECRET_KEY": "s"}
    got = config.from_environment(env)
    assert got["FETCH_ALLOW_LOOPBACK"] is True and got["SESSION_COOKIE_SECURE"] is False
    assert got["RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert config.database_url(got["DATABASE_URL"], "/x") == "postgresql+psycopg://u@h/db"
    assert config.database_url(None, "/inst") == "sqlite:////inst/reliability.sqlite3"
    assert config.from_environment({}) == {}


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = config.secret_key(str(tmp_path))
    assert len(first) == 64
    assert config.secret_key(str(tmp_path)) == first
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600


def test_session_cookies_are_hardened_by_default(sqlite_app):
    from server.config import DEFAULTS

    assert DEFAULTS["SESSION_COOKIE_SECURE"] is True
    assert DEFAULTS["SESSION_COOKIE_HTTPONLY"] is True
    assert DEFAULTS["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert sqlite_app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_loopback_switch_is_off_by_default(sqlite_app):
    assert sqlite_app.extensions["fetcher"].policy.allow_loopback is False


def test_gunicorn_runs_threaded_workers(monkeypatch):
    """Sync workers: one slow fetch holds a whole worker. gthread keeps a worker answering."""
    import importlib

    from server.config import DEFAULTS

    # importing it sets RELIABILITY_DEMO=0 in os.environ: undone after the test, or every later
    # app in this process loses the packaged demo pages
    monkeypatch.setenv("RELIABILITY_DEMO", "1")
    conf = importlib.import_module("server.gunicorn_conf")
    assert conf.worker_class == "gthread"
    assert conf.threads >= 2
    assert conf.timeout > DEFAULTS["FETCH_TOTAL_TIMEOUT"] + DEFAULTS["BATCH_DEADLINE_SECONDS"]
    assert conf.preload_app is True and conf.accesslog is None


def test_supplied_html_limit_is_two_megabytes(app_factory, sqlite_database):
    from server.config import DEFAULTS

    assert DEFAULTS["MAX_HTML_CHARS"] == 2 * 1024 * 1024
    app = app_factory(sqlite_database)
    html = "<p>" + "y" * (2 * 1024 * 1024) + "</p>"
    response = app.test_client().post("/api/v1/analyses", json={"url": "http://example.com/", "html": html})
    assert response.status_code == 413
    assert response.json["type"].endswith("/html-too-large")


@pytest.mark.parametrize("raw, key", [
    ("http://faß.de/", "http://xn--fa-hia.de/"),  # IDNA 2003 made it fass.de: another domain
    ("http://FASS.de/", "http://fass.de/"),
    ("https://βόλος.gr/", "https://xn--nxasmm1c.gr/"),  # final sigma kept (IDNA 2003 changed it)
    ("https://Bücher.example/", "https://xn--bcher-kva.example/"),
    ("https://ｅｘａｍｐｌｅ.com/", "https://example.com/"),  # UTS #46 mapping, as browsers do
    ("https://my_host.bücher.example/", "https://my_host.xn--bcher-kva.example/"),
])
def test_hosts_are_encoded_as_browsers_do_idna_2008(raw, key):
    assert url_key(raw) == key


def test_two_domains_never_share_a_key():
    assert url_key("http://faß.de/") != url_key("http://fass.de/")


def test_a_host_idna_2008_refuses_is_an_invalid_url():
    with pytest.raises(Problem) as info:
        check_url("http://☃.net/")
    assert info.value.kind == "invalid-url"


@pytest.mark.parametrize("name", ["mkt_tok", "_hsenc", "_hsmi", "vero_id", "oly_enc_id", "oly_anon_id",
                                  "pk_campaign", "pk_kwd", "mtm_source", "hsa_acc", "ttclid", "twclid",
                                  "li_fat_id", "wickedid", "yclid", "msclkid", "gclsrc", "dclid", "igshid",
                                  "mc_eid", "MKT_TOK", "utm_content"])
def test_reader_tracking_parameters_are_dropped(name):
    assert url_key(f"https://news.example/a?id=1&{name}=READER") == "https://news.example/a?id=1"
