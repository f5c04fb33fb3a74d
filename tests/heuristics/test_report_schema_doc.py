"""docs/report-schema.md tells API users which evidence kinds exist: it must match the code."""

import re
from pathlib import Path

from heuristics.resources import load_json


def test_report_schema_doc_lists_the_evidence_kinds_the_code_emits():
    """Every kind the doc names exists in the code, and every clickbait cue family is named."""
    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "report-schema.md").read_text(encoding="utf-8")
    table = doc[doc.index("Evidence `kind`s"):]
    table = table[:table.index("\n\n", table.index("|"))]
    documented = {kind for row in table.splitlines()[3:] for kind in re.findall(r"`(\w+)`", row.split("|")[2])}
    families = set(load_json("clickbait_cues.json")["families"])
    source = "\n".join(path.read_text(encoding="utf-8") for path in (root / "heuristics").glob("*.py"))
    assert families <= documented
    assert {kind for kind in documented if kind not in families and f'"{kind}"' not in source} == set()
    assert re.search(r'"kind": "[^"]*\bsensational\b', doc)  # the example in the JSON too
