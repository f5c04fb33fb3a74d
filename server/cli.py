"""The `reliability` console script: the analysis commands plus the service's own.

    reliability analyze | eval | bench        (heuristics/cli.py)
    reliability serve [--host] [--port]       the service, on the embedded SQLite by default
    reliability apikey create NAME | list | revoke ID|PREFIX|NAME
    reliability db upgrade | current
    reliability prune [--dry-run] [--batch N]     delete expired analyses and unused pages

Commands that need the app use `flask.cli.with_appcontext`; they work both from the
`reliability` script (which hands them `create_app`) and from `app.test_cli_runner()`.
Moderation adds its group with one line in SERVICE_COMMANDS below.
"""

from __future__ import annotations

import errno
import signal
import socket
import sys

import click
from flask.cli import ScriptInfo, with_appcontext

from heuristics import textio
from heuristics.cli import cli


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port, announced at start).")
@click.option("--threads/--no-threads", default=True, help="Serve requests in threads.")
def serve(host: str, port: int, threads: bool) -> None:
    """Run the service in the foreground (creates and migrates the database first).

    For production use gunicorn: gunicorn -c python:server.gunicorn_conf 'server:create_app()'.
    """
    from werkzeug.serving import make_server

    from .store import current_revision

    listening = _listen(host, port)  # first: a taken port fails before anything is announced
    app = _create_app_or_fail()
    engine = app.extensions["store"]["engine"]
    click.echo(f"database: {engine.url.render_as_string(hide_password=True)} "
               f"(revision {current_revision(engine)})")

    # no access log: server.logs filters werkzeug's request lines (client address + URL)
    server = make_server(host, port, app, threaded=threads, fd=listening.fileno())
    listening.close()  # the server holds its own copy of the socket
    address = f"[{host}]" if ":" in host else host
    click.echo(f"serving on http://{address}:{server.port}/  (demo: http://{address}:{server.port}"
               "/demo/; Ctrl-C or SIGTERM stops)")
    previous = signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
    try:
        server.serve_forever()  # returns on Ctrl-C (and SIGTERM, below), closing the socket
    except KeyboardInterrupt:  # a stop before the server loop began
        server.server_close()
    finally:
        signal.signal(signal.SIGTERM, previous)
        counter = app.extensions.get("request_counter")
        if counter is not None:
            with app.app_context():
                counter.flush()
    click.echo("stopped")


def _listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port, or one line saying why there is none (exit 1)."""
    from werkzeug.serving import LISTEN_QUEUE, get_sockaddr, select_address_family

    family = select_address_family(host, port)
    listening = socket.socket(family, socket.SOCK_STREAM)
    # as werkzeug does: a restart need not wait for the last run's connections to time out
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind(get_sockaddr(host, port, family))
        listening.listen(LISTEN_QUEUE)
    except OSError as exc:
        listening.close()
        if exc.errno == errno.EADDRINUSE:
            hint = f"; try --port {port + 1}" if port < 65535 else ""
            raise click.ClickException(f"port {port} is in use{hint}") from None
        raise click.ClickException(f"cannot listen on {host}:{port}: "
                                   f"{exc.strerror or exc}") from None
    return listening


def _stop_like_ctrl_c(signum, frame) -> None:
    """systemd, docker and kill stop a service with SIGTERM, whose default ends the process on
    the spot: the counts still in memory would be lost and "stopped" never said. Stop the way
    Ctrl-C does instead (the server loop ends, `serve` flushes and says so)."""
    raise KeyboardInterrupt


@click.group()
def apikey() -> None:
    """Manage API keys (only a keyed hash is stored; a key is shown once)."""


@apikey.command("create")
@click.argument("name")
@with_appcontext
def apikey_create(name: str) -> None:
    """Create a key for client NAME (unique among active clients); prints the key alone on the
    last line."""
    from .keys import ClientError, create_client

    try:
        client, key = create_client(name)
    except ClientError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created API client {client.id} ({client.name}), prefix {client.prefix}; "
               "the key is shown only now:")
    click.echo(key)


@apikey.command("list")
@with_appcontext
def apikey_list() -> None:
    """List clients (id, prefix, name, created, revoked)."""
    from sqlalchemy import select

    from .store import db
    from .store.models import ApiClient

    for c in db.session.scalars(select(ApiClient).order_by(ApiClient.id)):
        state = f"revoked {c.revoked_at:%Y-%m-%d %H:%M}" if c.revoked_at else "active"
        click.echo(f"{c.id}\t{c.prefix}\t{c.name}\t{c.created_at:%Y-%m-%d %H:%M}\t{state}")


@apikey.command("revoke")
@click.argument("ident")
@with_appcontext
def apikey_revoke(ident: str) -> None:
    """Revoke a key by client id, key prefix or client name (`apikey list` shows them)."""
    from .keys import ClientError, revoke

    try:
        client, revoked = revoke(ident)
    except ClientError as exc:  # a name shared by several active clients: nothing revoked
        raise click.ClickException(str(exc)) from None
    if client is None:
        raise click.ClickException(f"no API client {ident!r}")
    if not revoked:
        click.echo(f"API client {client.id} ({client.name}) was already revoked "
                   f"({client.revoked_at:%Y-%m-%d %H:%M})")
        return
    click.echo(f"revoked API client {client.id} ({client.name})")


@click.group("db")
def db_group() -> None:
    """Database migrations."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION."""
    from alembic.util import CommandError

    from .store import current_revision, db, upgrade

    try:
        upgrade(db.engine, revision)
    except CommandError as exc:  # e.g. an unknown revision: alembic's message is the one line
        raise click.ClickException(f"cannot upgrade to {revision!r}: {exc}") from None
    click.echo(f"database at revision {current_revision(db.engine)}")


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Print the database's revision."""
    from .store import current_revision, db

    click.echo(current_revision(db.engine) or "(empty)")


@click.command()
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
@click.option("--batch", default=1000, show_default=True, type=click.IntRange(1),
              help="Rows deleted per transaction.")
@with_appcontext
def prune(dry_run: bool, batch: int) -> None:
    """Delete expired analyses (reader-supplied ones always, fetched ones unless moderators
    still need them) and pages nothing refers to any more. Run it daily (cron, systemd timer)."""
    from . import prune as pruning
    from .store import db

    if dry_run:
        counts = pruning.count(db.engine)
        click.echo(f"would delete {counts.supplied_analyses} supplied and "
                   f"{counts.fetched_analyses} fetched expired analyses, and {counts.pages} "
                   "unused pages (more once those analyses are gone)")
        return

    def progress(what: str, done: int) -> None:
        click.echo(f"  {what}: {done} deleted so far")

    click.echo("pruning expired analyses (supplied first), then unused pages")
    counts = pruning.prune(db.engine, batch=batch, progress=progress)
    click.echo(f"deleted {counts.supplied_analyses} supplied and {counts.fetched_analyses} "
               f"fetched analyses, {counts.pages} pages")


def _moderation_commands() -> list[click.Command]:
    import importlib.util
    import os

    if os.environ.get("RELIABILITY_MODERATION", "1").strip().lower() in ("0", "false", "no", "off"):
        return []
    try:
        if importlib.util.find_spec("server.moderation.cli") is None:
            return []
        from .moderation.cli import moderator  # one line: the moderation engineer's group
    except Exception as exc:  # noqa: BLE001 - a broken plug-in must not take `analyze` down
        click.echo(f"warning: moderation commands unavailable ({type(exc).__name__}: {exc})", err=True)
        return []
    return [moderator]


SERVICE_COMMANDS: list[click.Command] = [serve, apikey, db_group, prune]


def register_commands(group: click.Group) -> None:
    for command in [*SERVICE_COMMANDS, *_moderation_commands()]:
        if command.name not in group.commands:
            group.add_command(command)


def register_app_commands(app) -> None:
    """The same commands on `flask --app server` and app.test_cli_runner() (not serve)."""
    moderation = _moderation_commands() if app.config.get("MODERATION_ENABLED", True) else []
    for command in [apikey, db_group, prune, *moderation]:
        if command.name not in app.cli.commands:
            app.cli.add_command(command)


def _maintenance_app():
    """The app for apikey/db/moderator commands: no need to load and warm the analyzer."""
    import os

    os.environ.setdefault("RELIABILITY_PRELOAD_ANALYZER", "0")
    return _create_app_or_fail()


def _create_app_or_fail():
    """create_app, with a key the service refuses reported as a one-line error (no traceback)."""
    from . import create_app
    from .config import SecretKeyError

    try:
        return create_app()
    except SecretKeyError as exc:
        raise click.ClickException(str(exc)) from None


def fetch_for_cli(url: str) -> tuple[str, str]:
    """`reliability analyze URL`: the service's fetcher, with its default policy (no private
    addresses, 15 s, 3 MB), so a URL typed at a terminal is fetched as safely as a reader's."""
    from .errors import Problem
    from .fetch import Fetcher
    from .urls import url_key

    try:
        result = Fetcher().fetch(url)  # it checks the URL itself, on every hop
    except Problem as problem:
        raise ValueError(f"{url}: {problem.title.lower()}: {problem.detail}") from None
    # normalised as the service keys pages: the report (article.url) keeps no click ids
    return result.text, url_key(result.url)


def main() -> None:
    register_commands(cli)
    textio.set_url_reader(fetch_for_cli)
    sys.exit(cli.main(prog_name="reliability", obj=ScriptInfo(create_app=_maintenance_app)))
