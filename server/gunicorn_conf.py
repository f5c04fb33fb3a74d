"""gunicorn settings for production:

    gunicorn -c python:server.gunicorn_conf 'server:create_app()'

The app is created (and the database migrated, the analysis core imported and warmed) once in
the master, then forked: workers share those pages. No access log: it would tie client
addresses to the URLs in query strings; the service logs requests itself without either.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
preload_app = True
timeout = 60  # above the fetcher's total deadline (15 s) plus an analysis
graceful_timeout = 20
accesslog = None
errorlog = "-"
loglevel = "warning"
limit_request_line = 8190
limit_request_fields = 100
