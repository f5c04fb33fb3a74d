"""Pages for people: the start page, the demo pages, the API docs (no CDN); health checks."""

from __future__ import annotations

from urllib.parse import urlsplit

from apiflask import APIBlueprint
from flask import Response, abort, current_app, has_request_context, render_template, request
from flask_wtf.csrf import generate_csrf, validate_csrf
from werkzeug.exceptions import HTTPException
from wtforms.validators import ValidationError

from . import analysis, errors, fetch
from .analysis import DEMO_DIR
from .errors import Problem
from .limits import SHARED_ANALYSES, limit, limiter, storage_problem
from .store import READY_TIMEOUT_SECONDS, db

bp = APIBlueprint("web", __name__, enable_openapi=False)
health = APIBlueprint("health", __name__, tag="Health")

DEMO_PAGES = [
    ("seed-article.html", "A page we must label red",
     "Clickbait headline, vaguely sourced claims, an unrelated promotion inside the article, "
     "the story told twice."),
    ("sober-article.html", "A sober report",
     "Named sources, a plain headline, no inserted promotions."),
    ("not-an-article.html", "Not an article",
     "A site's front page: no article, so the badge is grey (unrated)."),
]


def demo_offered() -> bool:
    """Whether pages may offer the demo: only where analysing this host's /demo/ URLs uses the
    packaged pages (DEMO_HOSTS); elsewhere (e.g. a LAN address) they would answer 422 too."""
    host = urlsplit("//" + request.host).hostname or ""
    return (f"[{host}]" if ":" in host else host) in analysis.demo_hosts()


@bp.app_context_processor
def _demo_switch() -> dict:
    return {"demo_offered": has_request_context() and demo_offered()}


def _require_demo() -> None:
    """DEMO_ENABLED is off under the production gunicorn settings: then no demo page is served
    (nor offered: analysis.demo_hosts() is empty)."""
    if not current_app.config.get("DEMO_ENABLED", True):
        abort(404)


@bp.get("/")
def index():
    base = request.host_url.rstrip("/")
    return render_template("index.html", base=base, demo_pages=DEMO_PAGES)


@bp.get("/check")
@limiter.limit(limit("BADGES"))  # a cache read, like the badge fast path
def check():
    """The label of one page, for a person without the extension, from the cache only: a GET
    may come from any site's <img src=…/check?url=…>, which must neither make this service fetch
    that URL nor spend the visitor's analysis budget. Without a current label the form comes back
    filled in; pressing Check (a POST with the form's CSRF token) runs the analysis."""
    return _answer(request.args.get("url", "").strip(), analysis.cached_analysis)


@bp.post("/check")
@limiter.shared_limit(limit("ANALYSES"), scope=SHARED_ANALYSES)  # one budget with the API's
def run_check():
    """The same analysis as POST /api/v1/analyses (cached alike), as a page. Only the form's
    own POST runs it (CSRF token): another site cannot make a visitor's browser do so. Nothing
    about who asked is kept."""
    url = request.form.get("url", "").strip()
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        problem = Problem(400, "invalid-form", "Please press Check again",
                          "The form had expired or did not come from this site, so nothing was "
                          "checked. It is ready again below.")
        return _check_page(url, problem=problem), problem.status
    return _answer(url, analysis.analyse)


def _answer(url: str, label_of):
    """The check page for `url` with what `label_of(url)` gives (a report, or a Problem shown
    on the page with its status); the empty form when no URL was given."""
    if not url:
        return _check_page(url), 200
    try:
        return _check_page(url, report=label_of(url)), 200
    except Problem as exc:
        return _check_page(url, problem=exc), exc.status


def _check_page(url: str, report=None, problem: Problem | None = None) -> str:
    not_fetched = problem is not None and fetch.not_fetched(problem.kind)
    return render_template("check.html", url=url, report=report, problem=problem,
                           signals=_signals(report), not_fetched=not_fetched,
                           demo_url=request.host_url + "demo/seed-article.html")


def _signals(report) -> list:
    """The report's signals, strongest first, under the titles the badge reasons use."""
    if not report:
        return []
    from heuristics.resources import load_json  # the analysis core is loaded by now

    titles = load_json("badge.json")["signal_titles"]
    signals = [(titles.get(name, name), signal) for name, signal in (report.get("signals") or {}).items()]
    signals.sort(key=lambda item: -(item[1].get("score") or 0.0))
    return signals


@bp.app_template_global()
def check_form_token() -> str:
    """The CSRF token the check forms carry (Flask-WTF's, as the moderators' forms)."""
    return generate_csrf()


@bp.errorhandler(429)
def _too_many_checks(exc: HTTPException):
    """/check is a page for people: its 429 is that page, saying which limit and when to try
    again (the limiter refuses before the view runs; the API's 429s stay problem+json)."""
    problem = errors.from_http_exception(exc)
    if request.endpoint not in ("web.check", "web.run_check"):
        return errors.problem_response(problem)
    url = (request.form if request.method == "POST" else request.args).get("url", "").strip()
    return _check_page(url, problem=problem), 429, problem.headers


@bp.get("/demo/")
def demo_index():
    _require_demo()
    return render_template("demo_index.html", demo_pages=DEMO_PAGES, base=request.host_url.rstrip("/"))


@bp.get("/demo/<name>")
def demo_page(name: str):
    _require_demo()
    if name not in {p[0] for p in DEMO_PAGES}:
        abort(404)
    html = (DEMO_DIR / name).read_text(encoding="utf-8")
    response = Response(html, mimetype="text/html")
    # the demo pages are someone else's web page in spirit: no scripts needed, none allowed
    response.headers["Content-Security-Policy"] = ("default-src 'none'; img-src 'self' data:; "
                                                   "style-src 'unsafe-inline'; frame-ancestors 'none'")
    return response


@bp.get("/api/v1/docs")
def docs():
    spec = current_app.spec
    return render_template("docs.html", spec=spec)


@health.get("/healthz")
@health.doc(summary="The process is up")
def healthz():
    """Answers from the process alone: no database, no rate-limit storage."""
    return {"status": "ok"}


@health.get("/readyz")
@health.doc(summary="The database answers and is at this version's schema revision",
            responses={200: "Ready (`degraded` lists what works in a reduced way: the rate-limit "
                            "storage)",
                       503: "Not ready (not-ready): the database does not answer within "
                            f"{READY_TIMEOUT_SECONDS:g} s, or its schema is not at this version's "
                            "revision"})
def readyz():
    """503 while the database cannot serve this version; 200 otherwise. An unreachable
    rate-limit storage (Redis) stays 200 with `degraded`: every instance shares that Redis, so a
    load balancer acting on it would take them all out, while each one can still serve with
    per-process limits."""
    state = db.check()
    if not state.reachable:
        raise _not_ready(f"The database does not answer ({state.reason}).")
    if state.from_newer_version:  # an upgrade cannot help, and a downgrade needs the newer code
        raise _not_ready(f"The database is at revision {state.revision}, which this version does "
                         f"not know (its newest is {state.head}): a newer version of the service "
                         "has migrated it. Deploy that version, or restore the database from a "
                         "backup made before the migration.",
                         revision=state.revision, expected_revision=state.head)
    if not state.at_head:
        found = f"is at revision {state.revision}" if state.revision else "has no schema revision"
        raise _not_ready(f"The database {found}; this version needs {state.head}: run "
                         "`reliability db upgrade` (or start with AUTO_MIGRATE on).",
                         revision=state.revision, expected_revision=state.head)
    degraded = {}
    limits_problem = storage_problem()
    if limits_problem:
        degraded["rate_limit_storage"] = limits_problem
    return {"status": "ready", **({"degraded": degraded} if degraded else {})}


def _not_ready(detail: str, **extra) -> Problem:
    return Problem(503, "not-ready", "Not ready", detail, headers={"Retry-After": "5"}, **extra)
