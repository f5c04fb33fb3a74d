"""Fixtures shared by every test package: where the shared data and the seed page are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("RELIABILITY_SHARED", REPO.parent / "shared"))
DATA = Path(os.environ.get("RELIABILITY_DATA", SHARED / "data"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"the shared folder is not at {SHARED} (set RELIABILITY_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def data_dir(shared_dir) -> Path:
    return DATA


@pytest.fixture(scope="session")
def seed_html(shared_dir) -> str:
    return (shared_dir / "fixtures" / "seed-article.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_text(shared_dir) -> str:
    return (shared_dir / "seed" / "seed-article.txt").read_text(encoding="utf-8")
