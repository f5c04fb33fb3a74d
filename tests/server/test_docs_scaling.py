"""docs/api.md tells whoever runs more than one process or machine what must be shared."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def read(path: str) -> str:
    return (REPO / path).read_text(encoding="utf-8")


def section(doc: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", doc, re.S | re.M)
    assert match, title
    return match.group(1)


def test_every_variable_the_gunicorn_settings_read_is_documented():
    names = re.findall(r'os\.environ\.get\("([A-Z_]+)"', read("server/gunicorn_conf.py"))
    assert "GUNICORN_BIND" in names
    doc = read("docs/api.md")
    for name in names:
        assert f"`{name}`" in doc, name


def test_several_workers_or_machines_are_told_to_share_limits_and_the_secret_key():
    doc = read("docs/api.md")
    for title in ("Running it", "Limits"):
        text = section(doc, title)
        assert "`RATELIMIT_STORAGE_URI`" in text and "Redis" in text, title
        assert "lock-out" in text, title
    for title in ("Running it", "API keys"):
        text = section(doc, title)
        assert "`SECRET_KEY`" in text and "identical everywhere" in text, title
    secret_row = next(line for line in doc.splitlines() if line.startswith("| `SECRET_KEY`"))
    assert "same `SECRET_KEY`" in secret_row and "invalidates" in secret_row
