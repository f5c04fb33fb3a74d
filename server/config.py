"""Configuration: defaults, then the instance config file, then the environment, then test_config.

Environment variables read here (documented in docs/api.md):

- ``DATABASE_URL``: SQLAlchemy URL; default a SQLite file in the instance folder.
  ``postgresql://`` URLs are rewritten to use psycopg 3.
- ``RELIABILITY_FETCH_ALLOW_LOOPBACK=1``: tests and local demos only; the fetcher may then
  reach 127.0.0.0/8 and ::1 (on any port), nothing else private.
- ``RATELIMIT_STORAGE_URI``: Flask-Limiter storage (default ``memory://``; e.g. ``redis://127.0.0.1:6379/0``).
- ``SECRET_KEY``: generated once and kept in ``instance/secret_key`` if absent; that serves one
  instance folder only: several installs or machines must all be given the same SECRET_KEY.
- ``SESSION_COOKIE_SECURE=0``: for local plain-http demos and tests only.
- ``MODERATION_CLAIM_TTL_SECONDS``: a moderator's claim on a page stops blocking others after
  this long (default 4 h; 0: claims never expire).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

TRUE = {"1", "true", "yes", "on"}

DEFAULTS: dict[str, Any] = {
    # storage
    "DATABASE_URL": None,  # None: sqlite file in the instance folder
    "AUTO_MIGRATE": True,  # migrate to head in create_app (and in `reliability serve`)
    "DATABASE_ECHO": False,
    # requests
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,  # 413 above it
    "MAX_URL_LENGTH": 2048,
    "MAX_HTML_CHARS": 2 * 1024 * 1024,  # the extension sends at most 2,000,000 characters
    "MAX_REPORT_COMMENT": 1000,
    "BATCH_MAX_ITEMS": 100,
    "BATCH_DEADLINE_SECONDS": 40.0,  # bounded work per batch; + one fetch (15 s) < gunicorn timeout (60 s)
    # analyses
    "ANALYSIS_TTL_SECONDS": 24 * 3600,
    "SUPPLIED_ANALYSIS_TTL_SECONDS": 24 * 3600,
    "PRELOAD_ANALYZER": True,  # import heuristics once per process, at start
    "REQUEST_COUNT_FLUSH_SECONDS": 5.0,  # aggregate page request counts in memory this long
    "BADGE_CACHE_SECONDS": 1.0,  # per-process badge row cache; other workers see changes this late
    "REFRESH_MIN_AGE_SECONDS": 60.0,  # "refresh": true redoes only analyses older than this
    "DEMO_HOSTS": ["127.0.0.1", "localhost", "[::1]"],  # hosts whose /demo/ URLs use packaged files
    "DEMO_ENABLED": True,  # off under gunicorn (server/gunicorn_conf.py) unless RELIABILITY_DEMO=1
    # fetcher
    "FETCH_ALLOW_LOOPBACK": False,
    "FETCH_ALLOWED_PORTS": [80, 443],
    "FETCH_CONNECT_TIMEOUT": 5.0,
    "FETCH_TOTAL_TIMEOUT": 15.0,
    "FETCH_MAX_BYTES": 3 * 1024 * 1024,  # decoded bytes
    "FETCH_MAX_REDIRECTS": 5,
    "FETCH_USER_AGENT": "ReliabilityLabelsBot/0.1 (+https://github.com/reliability-labels)",
    # limits (Flask-Limiter)
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,  # a limiter storage outage must not become a 500
    "LIMIT_ANALYSES_ANON": "30/minute;300/hour",
    "LIMIT_ANALYSES_KEYED": "600/minute",
    "LIMIT_BADGES_ANON": "300/minute",
    "LIMIT_BADGES_KEYED": "3000/minute",
    "LIMIT_REPORTS_ANON": "10/minute;50/day",
    "LIMIT_REPORTS_KEYED": "120/minute",
    "LIMIT_BATCH_KEYED": "20/minute",
    # CORS for the reader endpoints (the extension's origins)
    "CORS_ALLOWED_ORIGIN_PREFIXES": ["chrome-extension://", "moz-extension://", "safari-web-extension://"],
    # behind a reverse proxy: how many X-Forwarded-For hops to trust (0 = none)
    "PROXY_FIX_X_FOR": 0,
    # moderation: an abandoned claim frees the page after this long, no take-over needed (0: never)
    "MODERATION_CLAIM_TTL_SECONDS": 4 * 3600,
    # sessions (moderation uses them)
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # logging
    "JSON_LOGS": True,
    "LOG_LEVEL": "INFO",
}

_ENV_BOOLS = {
    "RELIABILITY_FETCH_ALLOW_LOOPBACK": "FETCH_ALLOW_LOOPBACK",
    "SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    "AUTO_MIGRATE": "AUTO_MIGRATE",
    "RATELIMIT_ENABLED": "RATELIMIT_ENABLED",
    "RELIABILITY_MODERATION": "MODERATION_ENABLED",
    "RELIABILITY_PRELOAD_ANALYZER": "PRELOAD_ANALYZER",
    "RELIABILITY_DEMO": "DEMO_ENABLED",
}
_ENV_STRINGS = ("DATABASE_URL", "RATELIMIT_STORAGE_URI", "SECRET_KEY", "LOG_LEVEL")
_ENV_INTS = ("PROXY_FIX_X_FOR", "MODERATION_CLAIM_TTL_SECONDS")  # non-negative; others ignored


def from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, Any]:
    """The settings the environment sets (only those present)."""
    env = os.environ if environ is None else environ
    out: dict[str, Any] = {}
    for name in _ENV_STRINGS:
        if env.get(name):
            out[name] = env[name]
    for name, key in _ENV_BOOLS.items():
        if name in env and env[name] != "":
            out[key] = env[name].strip().lower() in TRUE
    for name in _ENV_INTS:
        if env.get(name, "").isdecimal():  # isdigit() would pass "²", which int() refuses
            out[name] = int(env[name])
    return out


def database_url(url: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL to use: a default SQLite file, and psycopg 3 for PostgreSQL."""
    if not url:
        # the instance folder is made only when something is kept there (a read-only install
        # that sets DATABASE_URL and SECRET_KEY needs none)
        os.makedirs(instance_path, exist_ok=True)
        return "sqlite:///" + str(Path(instance_path) / "reliability.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


MIN_SECRET_KEY_CHARS = 32  # a generated key has 64 (hex of 32 random bytes)
MIN_SECRET_KEY_BYTES = 16  # a bytes key (os.urandom(16), as in Flask's docs)


class SecretKeyError(RuntimeError):
    """The kept secret key cannot be used; the message says what to do."""


def secret_key(instance_path: str) -> str:
    """The instance's secret key, generated once and kept (mode 0600) in the instance folder.

    Concurrent first starts (gunicorn workers, several processes) all end with the same key:
    the key is written to a temporary file and hard-linked into place, so `secret_key` appears
    complete or not at all, and whoever loses the race reads the winner's key. Never returns an
    empty or short key.
    """
    path = Path(instance_path) / "secret_key"
    for _ in range(5):  # each retry follows another process's completed write
        try:
            key = path.read_text().strip()
        except FileNotFoundError:
            key = None
        if key:
            return _checked_key(key, path)
        os.makedirs(instance_path, exist_ok=True)
        if key is None:
            _create_key_file(path)  # then read back what won, ours or another process's
        else:
            _replace_empty_key_file(path)
    raise SecretKeyError(f"{path}: could not create a secret key; set SECRET_KEY instead")


def _too_short(key: str | bytes) -> bool:
    # random bytes (Flask's own example key) carry 8 bits each, text keys (hex) about 4
    return len(key) < (MIN_SECRET_KEY_BYTES if isinstance(key, bytes) else MIN_SECRET_KEY_CHARS)


def check_secret_key(key: str | bytes) -> str | bytes:
    """A SECRET_KEY given by the environment or the instance's config.py, refused when short: it
    signs moderators' sessions and keys the API-key hashes, so a guessable one opens both."""
    if _too_short(key):
        raise SecretKeyError(
            f"SECRET_KEY has {len(key)} {'bytes' if isinstance(key, bytes) else 'characters'}; at "
            f"least {MIN_SECRET_KEY_CHARS} characters (or {MIN_SECRET_KEY_BYTES} random bytes) are "
            "needed (e.g. python -c 'import secrets; print(secrets.token_hex(32))'). Changing it "
            "stops API keys, sessions and report dedupe made with the old one from working.")
    return key


def _checked_key(key: str, path: Path) -> str:
    if _too_short(key):
        # not ours (ours are written whole): a hand-made or damaged key is refused, not replaced,
        # since replacing it would silently invalidate every API key and session made with it
        raise SecretKeyError(
            f"{path} holds a secret key of {len(key)} characters; at least {MIN_SECRET_KEY_CHARS} "
            "are needed. Set SECRET_KEY in the environment, or delete the file to generate a new "
            "key (API keys, sessions and report dedupe made with the old one stop working).")
    return key


def _write_temp_key(folder: Path) -> Path:
    """A new key in a private temporary file next to its final place, on disk before it is used."""
    fd, name = tempfile.mkstemp(prefix=".secret_key.", dir=folder)  # mode 0600
    try:
        os.write(fd, secrets.token_hex(32).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return Path(name)


def _create_key_file(path: Path) -> None:
    """Put a complete new key at `path` unless one is there already (a link never overwrites)."""
    temp = _write_temp_key(path.parent)
    try:
        os.link(temp, path)
    except FileExistsError:  # another process linked its key first: that one is kept
        pass
    except OSError:
        # no hard links on this filesystem (EPERM, ENOTSUP, EXDEV...): create the file exclusively
        # and write it. A starter racing us may read it empty meanwhile: it then replaces the
        # empty file once (_replace_empty_key_file), and every starter reads back what won.
        _create_key_file_exclusively(path, temp.read_bytes())
    finally:
        temp.unlink()
    _sync_folder(path.parent)


def _create_key_file_exclusively(path: Path, key: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: that one is kept
        return
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace_empty_key_file(path: Path) -> None:
    """An empty `secret_key` (a crash of an older version between creating and writing it) holds
    nothing to keep: replace it, once, whoever else is starting at the same time."""
    import fcntl  # POSIX, like the rest of the deployment (gunicorn); needed only here

    try:
        held = open(path, "rb")
    except FileNotFoundError:
        return
    with held:
        fcntl.flock(held, fcntl.LOCK_EX)  # starters queue here; the first replaces the file
        try:
            still_empty = (os.path.samestat(os.fstat(held.fileno()), os.stat(path))
                           and not held.read().strip())
        except FileNotFoundError:
            return
        if still_empty:
            temp = _write_temp_key(path.parent)
            os.replace(temp, path)
            _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the new directory entry durable too (best effort: not every system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
