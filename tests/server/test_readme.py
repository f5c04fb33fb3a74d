"""README.md's set-up lines name what the code reads (test settings, Node version)."""

from __future__ import annotations

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def read(path: str) -> str:
    return (REPO / path).read_text(encoding="utf-8")


def test_readme_names_the_test_settings_conftest_reads():
    readme, conftest = read("README.md"), read("tests/server/conftest.py")
    settings = dict(re.findall(r'os\.environ\.get\("(TEST_[A-Z_]+)", "([^"]*)"\)', conftest))
    for name in ("TEST_POSTGRES_URL", "TEST_REDIS_URL"):
        assert f"`{name}`" in readme, name
    assert f"`{settings['TEST_REDIS_URL']}`" in readme  # the default database (/15), not /0
    assert "TEST_DATABASE_URL" not in readme


def test_readme_asks_for_the_node_the_extension_needs():
    engines = json.loads(read("extension/package.json"))["engines"]["node"]
    major = re.fullmatch(r">=\s*(\d+)(?:\.\d+)*", engines.strip()).group(1)
    assert re.findall(r"Node ≥ (\d+)", read("README.md")) == [major]
