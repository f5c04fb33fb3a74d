"""gunicorn settings for production:

    gunicorn -c python:server.gunicorn_conf 'server:create_app()'

Environment (docs/api.md): GUNICORN_BIND (127.0.0.1:8000), GUNICORN_WORKERS (2), GUNICORN_THREADS
(4). Several workers share nothing in memory: RATELIMIT_STORAGE_URI must name Redis for the rate
limits and the moderator lock-out to hold across them, and several installs or machines need one
SECRET_KEY in the environment.

The app is created (and the database migrated, the analysis core imported and warmed) once in
the master, then forked: workers share those pages. No access log: it would tie client
addresses to the URLs in query strings; the service logs requests itself without either.

Put a buffering reverse proxy (nginx) in front and keep the default loopback bind: a gthread
worker gives a connection a thread as soon as its first byte arrives and then reads the request
head with no time limit (gunicorn has no setting that bounds it; `timeout` is the worker's
heartbeat, not a socket timeout), so 8 clients sending their headers a byte at a time
(slowloris) hold all 2 x 4 threads. nginx reads each request whole before passing it on.

Workers are threaded ("gthread"), not sync: a request that waits on a slow page (the fetcher
allows up to FETCH_TOTAL_TIMEOUT, 15 s) or on DNS would otherwise hold a whole worker, and two
such requests would stall the service. With `threads` per worker, a worker keeps answering the
badge fast path and cached analyses while some of its threads wait on the network (I/O releases
the GIL). CPU-bound analyses still share one core per worker, so `workers` stays the knob for
CPU; the analysis core bounds its own CPU per analysis. Everything per-process in the app is
thread-safe (the request counter, the badge cache and the fetcher's DNS pool take locks; the
database session lives in the request's app context). Note for the analysis core: code running
in a request thread cannot use signal-based timeouts (signal.alarm works in the main thread only).
"""

import ipaddress
import os

# Production serves no demo pages: anyone could otherwise fill the moderators' queue with red
# copies of the demo article under other loopback ports ("http://localhost:1234/demo/…").
os.environ.setdefault("RELIABILITY_DEMO", "0")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
preload_app = True
# A worker that does not check in for this long is killed and replaced. gthread workers check in
# from their main loop, so a slow request no longer counts against it; it stays above the
# fetcher's total deadline (15 s) plus an analysis, and above BATCH_DEADLINE_SECONDS (40 s) + a fetch.
timeout = 60
graceful_timeout = 20
keepalive = 5  # gthread keeps idle connections open this long (sync workers did not)
accesslog = None
errorlog = "-"
loglevel = "warning"
limit_request_line = 8190
limit_request_fields = 100


def exposed_binds(binds) -> list[str]:
    """The addresses in `binds` that other machines can reach (not loopback, not a unix socket)."""
    exposed = []
    for address in [binds] if isinstance(binds, str) else binds:
        if address.startswith(("unix:", "fd://")):
            continue
        host = address.rsplit(":", 1)[0].strip("[]") if ":" in address else address
        try:
            if ipaddress.ip_address(host).is_loopback:
                continue
        except ValueError:
            if host == "localhost":
                continue
        exposed.append(address)
    return exposed


def limit_storage(server) -> str:
    """The rate-limit storage the workers will use: the preloaded app's setting (instance config
    included), else the environment's, else the service's default."""
    app = getattr(server.app, "callable", None)  # set by preload_app (above)
    config = getattr(app, "config", None)
    if config is not None and config.get("RATELIMIT_STORAGE_URI"):
        return str(config["RATELIMIT_STORAGE_URI"])
    return os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"


def when_ready(server) -> None:
    """Warn once at start about settings that do not hold up in production: gunicorn listening
    where clients reach it without a proxy; several workers each counting limits alone."""
    for address in exposed_binds(server.cfg.bind):
        server.log.warning(
            "listening on %s: clients must reach gunicorn only through a buffering reverse proxy "
            "(nginx); slowly sent requests can otherwise hold every worker thread "
            "(docs/api.md, Deployment)", address)
    storage = limit_storage(server)
    if server.cfg.workers > 1 and storage.startswith("memory://"):
        server.log.warning(
            "%d workers with the rate-limit storage %s: each worker counts on its own, so the rate "
            "limits and the moderator login lock-out do not hold across workers; set "
            "RATELIMIT_STORAGE_URI to a Redis shared by all (docs/api.md)",
            server.cfg.workers, storage)
