"""The Firefox package passes Mozilla's own linter (addons-linter), the check AMO runs.

The package that `npm run build:firefox` writes must lint without errors or warnings (manifest
keys, minimum versions, CSP, no remote code); test_extension_firefox.py runs it in Firefox.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parents[2] / "extension"
LINTER = EXTENSION / "node_modules" / ".bin" / "addons-linter"


def test_firefox_package_lints_clean():
    if shutil.which("npm") is None or not LINTER.exists():
        message = "addons-linter is not installed (make test runs `npm ci` in extension/)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(["npm", "run", "--silent", "lint:firefox", "--", "--output", "json"],
                            cwd=EXTENSION, capture_output=True, text=True, timeout=300)
    output = result.stdout
    start = output.find("{")
    assert start >= 0, f"no JSON from addons-linter:\n{output[-2000:]}\n{result.stderr[-2000:]}"
    import json

    report = json.loads(output[start:])
    problems = [(m["code"], m["message"]) for m in report["errors"] + report["warnings"]]
    assert problems == [], problems
    assert report["summary"]["errors"] == 0
