"""Pages for people: the start page, the demo pages, the API docs (no CDN); health checks."""

from __future__ import annotations

from apiflask import APIBlueprint
from flask import Response, abort, current_app, render_template, request

from . import analysis
from .analysis import DEMO_DIR
from .errors import Problem
from .limits import limit, limiter
from .store import db

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


@bp.get("/")
def index():
    base = request.host_url.rstrip("/")
    return render_template("index.html", base=base, demo_pages=DEMO_PAGES)


@bp.get("/check")
@limiter.limit(limit("ANALYSES"))
def check():
    """The label of one page, for a person without the extension: the same analysis as
    POST /api/v1/analyses (cached alike), as a page. Nothing about who asked is kept."""
    url = request.args.get("url", "").strip()
    report = problem = None
    status = 200
    if url:
        try:
            report = analysis.analyse(url)
        except Problem as exc:
            problem, status = exc, exc.status
    titles = {}
    if report:  # the analysis core is loaded by now: its titles, as the badge reasons use them
        from heuristics.resources import load_json

        titles = load_json("badge.json")["signal_titles"]
    signals = [(titles.get(name, name), signal)
               for name, signal in ((report or {}).get("signals") or {}).items()]
    signals.sort(key=lambda item: -(item[1].get("score") or 0.0))
    return render_template("check.html", url=url, report=report, problem=problem, signals=signals,
                           demo_url=request.host_url + "demo/seed-article.html"), status


@bp.get("/demo/")
def demo_index():
    return render_template("demo_index.html", demo_pages=DEMO_PAGES, base=request.host_url.rstrip("/"))


@bp.get("/demo/<name>")
def demo_page(name: str):
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
    return {"status": "ok"}


@health.get("/readyz")
@health.doc(summary="The database is reachable",
            responses={200: "Ready: the database answers", 503: "Database unreachable"})
def readyz():
    if not db.ping():
        raise Problem(503, "not-ready", "Not ready", "The database is not reachable.",
                      headers={"Retry-After": "5"})
    return {"status": "ready"}
