"""The reliability labels service: `create_app(test_config=None)` (flaskr style).

Configuration, lowest to highest: server.config.DEFAULTS, the instance file `instance/config.py`,
environment variables (server.config.from_environment), then `test_config`.
Production: `gunicorn 'server:create_app()'`; development and demos: `reliability serve`.
"""

from __future__ import annotations

from typing import Any, Mapping

from apiflask import APIFlask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module

API_DESCRIPTION = (
    "Article-level reliability labels with evidence. Readers' tools ask for a badge "
    "(POST /api/v1/badges/lookup, or GET /api/v1/badges; the cached fast path) or an analysis "
    "(POST /api/v1/analyses); readers can report a wrong label (POST /api/v1/reports); keyed "
    "clients can analyse in batches. Errors are application/problem+json. API keys are optional except for batches: ask the "
    "operator of this service for one (they create it with `reliability apikey create NAME`) "
    "and send it as Authorization: Bearer KEY or X-API-Key: KEY."
)


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem (served as application/problem+json).",
    "properties": {
        "type": {"type": "string", "description": "https://reliability-labels.invalid/problems/<kind>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "required": ["type", "title", "status", "detail"],
}
VALIDATION_PROBLEM_SCHEMA = {
    **PROBLEM_SCHEMA,
    "properties": {**PROBLEM_SCHEMA["properties"],
                   "errors": {"type": "object", "description": "Per location and field: the messages."}},
}


def create_app(test_config: Mapping[str, Any] | None = None) -> APIFlask:
    app = APIFlask(__name__, title="Reliability labels API", version="1",
                   spec_path="/api/v1/openapi.json", docs_path=None, instance_relative_config=True)
    app.config.from_mapping(config_module.DEFAULTS)
    app.config.update(
        DESCRIPTION=API_DESCRIPTION,
        INFO={"description": API_DESCRIPTION},
        SECURITY_SCHEMES={"ApiKey": {"type": "http", "scheme": "bearer"}},
        # Relative to wherever the document is served. APIFlask would otherwise take the first
        # requester's Host header, cache it per worker, and hand it to every later reader.
        SERVERS=[{"url": "/"}],
        AUTO_SERVERS=False,
        VALIDATION_ERROR_STATUS_CODE=422,
        HTTP_ERROR_SCHEMA=PROBLEM_SCHEMA,
        VALIDATION_ERROR_SCHEMA=VALIDATION_PROBLEM_SCHEMA,
        JSON_SORT_KEYS=False,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(config_module.from_environment())
    else:
        app.config.update(config_module.from_environment())
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.secret_key(app.instance_path)
    elif "SECRET_KEY" not in (test_config or {}):  # an operator's key; tests choose their own
        config_module.check_secret_key(app.config["SECRET_KEY"])
    app.config["SQLALCHEMY_URL"] = config_module.database_url(app.config.get("DATABASE_URL"),
                                                              app.instance_path)
    if app.config.get("PROXY_FIX_X_FOR"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_X_FOR"]),  # type: ignore[method-assign]
                                x_proto=1, x_host=0)

    from . import analysis, errors, fetch, keys, limits, logs, security, store
    from .api import init_app as init_api
    from .cli import register_app_commands
    from .web import bp as web_bp, health as health_bp

    logs.init_app(app)
    errors.init_app(app)
    store.db.init_app(app)
    if app.config.get("AUTO_MIGRATE"):
        store.upgrade(app.extensions["store"]["engine"])
    fetch.init_app(app)
    keys.init_app(app)  # before the limiter: limits are per key for keyed clients
    limits.init_app(app)
    security.init_app(app)
    analysis.init_app(app)
    init_api(app)
    app.register_blueprint(web_bp)
    app.register_blueprint(health_bp)
    @app.spec_processor
    def _problem_media_type(spec: dict) -> dict:
        """Errors are documented with the media type they are served with."""
        for operations in spec.get("paths", {}).values():
            for operation in operations.values():
                for code, response in (operation.get("responses") or {}).items():
                    content = response.get("content") or {}
                    if str(code)[:1] in "45" and "application/json" in content:
                        response["content"] = {"application/problem+json": content["application/json"]}
        return spec

    _register_moderation(app)
    for blueprint in app.blueprints.values():  # plain Flask blueprints (pages) stay out of the spec
        if not hasattr(blueprint, "enable_openapi"):
            blueprint.enable_openapi = False  # type: ignore[attr-defined]
    register_app_commands(app)
    return app


def _register_moderation(app: APIFlask) -> None:
    """server/moderation (issue 7) plugs in here when present: `init_app(app)`."""
    import importlib
    import importlib.util

    if not app.config.get("MODERATION_ENABLED", True) or importlib.util.find_spec("server.moderation") is None:
        return
    moderation = importlib.import_module("server.moderation")
    init = getattr(moderation, "init_app", None)
    if init is not None:
        init(app)
