"""Runs the extension's node unit tests (extension/test, node's built-in runner) under pytest."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parents[2] / "extension"


def test_extension_node_unit_tests():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (the extension's unit tests need Node.js 20 or later)")
    # Files, not the folder: node 20 and node 22+ read a folder argument differently.
    files = sorted(str(path.relative_to(EXTENSION)) for path in (EXTENSION / "test").glob("*.test.js"))
    assert files, "no extension unit tests found"
    result = subprocess.run(
        [node, "--test", *files], cwd=EXTENSION, capture_output=True, text=True, timeout=300,
    )
    summary = "\n".join(
        line for line in result.stdout.splitlines()
        if line.lstrip().startswith("not ok") or line.startswith(("# pass", "# fail"))
    )
    assert result.returncode == 0, f"node --test failed:\n{summary}\n{result.stderr[-2000:]}"
