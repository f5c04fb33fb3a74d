"""`reliability moderator create EMAIL [--admin] [--password-stdin]`."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.moderation.models import AuditEntry, Moderator
from server.store import db

from .conftest import Browser, fast_hashes


@pytest.fixture
def cli_app(mod_app):
    return fast_hashes(mod_app)


def account(app, email):
    with app.app_context():
        return db.session.scalar(select(Moderator).where(Moderator.email == email))


@pytest.mark.parametrize("args,stdin,role", [
    (["--password-stdin"], "a long password 1\n", "moderator"),
    (["--admin", "--password-stdin"], "a long password 1\n", "admin"),
    ([], "a long password 1\na long password 1\n", "moderator"),  # prompted twice, no echo
    (["--admin"], "a long password 1\na long password 1\n", "admin"),
])
def test_create(cli_app, args, stdin, role):
    result = cli_app.test_cli_runner().invoke(args=["moderator", "create", "New@Example.org", *args],
                                              input=stdin)
    assert result.exit_code == 0, result.output
    assert f"created {role} new@example.org" in result.output
    assert "a long password 1" not in result.output  # never echoed
    created = account(cli_app, "new@example.org")
    assert created.role == role and created.password_hash.startswith("scrypt:")
    assert Browser(cli_app.test_client()).login("new@example.org", "a long password 1").status_code == 302
    with cli_app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "moderator_create"))
        assert entry.detail == "command line" and entry.after["role"] == role


@pytest.mark.parametrize("args,stdin,message", [
    (["--password-stdin"], "short\n", "at least 12"),
    ([], "a long password 1\nanother password 2\n", "do not match"),
])
def test_refused(cli_app, args, stdin, message):
    result = cli_app.test_cli_runner().invoke(args=["moderator", "create", "x@example.org", *args],
                                              input=stdin)
    assert message in result.output
    assert account(cli_app, "x@example.org") is None


def test_duplicate(cli_app):
    runner = cli_app.test_cli_runner()
    args = ["moderator", "create", "dup@example.org", "--password-stdin"]
    assert runner.invoke(args=args, input="a long password 1\n").exit_code == 0
    result = runner.invoke(args=args, input="a long password 1\n")
    assert result.exit_code != 0 and "already exists" in result.output


def test_reliability_script_has_the_group():
    from click.testing import CliRunner

    from heuristics.cli import cli
    from server.cli import register_commands

    register_commands(cli)
    result = CliRunner().invoke(cli, ["moderator", "create", "--help"])
    assert result.exit_code == 0 and "--password-stdin" in result.output and "--admin" in result.output


@pytest.mark.parametrize("email,message", [
    ("not-an-email", "Not an email address"),
    ("two@at@example.org", "Not an email address"),
    ("spaced out@example.org", "Not an email address"),
    ("a@b", "Not an email address"),
    ("x" * 250 + "@example.org", "3 to 254 characters"),
])
@pytest.mark.parametrize("args,stdin", [
    (["--password-stdin"], "a long enough password\n"),
    ([], "a long enough password\na long enough password\n"),
])
def test_invalid_email_refused(cli_app, email, message, args, stdin):
    """The web form's rules; refused before a password is asked for."""
    result = cli_app.test_cli_runner().invoke(args=["moderator", "create", email, *args], input=stdin)
    assert result.exit_code != 0 and message in result.output
    assert "created" not in result.output and "Password" not in result.output
    with cli_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Moderator)) == 0
