"""`reliability moderator ...`: create moderator accounts from the command line.

    reliability moderator create EMAIL [--admin] [--password-stdin]

Without --password-stdin the password is asked for twice, without echo.
"""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


@click.group("moderator")
def moderator() -> None:
    """Moderator accounts for the /moderation/ pages."""


@moderator.command("create")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Give the account the admin role.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create(email: str, admin: bool, password_stdin: bool) -> None:
    """Create a moderator account (the password is never echoed)."""
    from .admin import create_moderator
    from .auth import email_problem, normalise_email

    problem = email_problem(normalise_email(email))  # the web form's rules, before the password
    if problem:
        raise click.ClickException(f"{problem} ({email!r})")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        account = create_moderator(email, password, "admin" if admin else "moderator")
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {account.role} {account.email}")
