import gzip
import json

import pytest

from heuristics.eval import pages
from heuristics.eval.metrics import extraction_scores, shingle_overlap

STORY = " ".join(f"Sentence {i} says what the council decided about the budget." for i in range(30))


@pytest.mark.parametrize("true, predicted, expected", [
    ("a b c d e", "a b c d e", (1.0, 0.0, 0.0)),
    ("a b c d e", "", (0.0, 0.0, 1.0)),  # 2 true shingles, none extracted
    ("a b c d e", "a b c d e f", (2 / 3, 1 / 3, 0.0)),  # one extra shingle: "c d e f"
    ("a b c d", "x y z w", (0.0, 0.5, 0.5)),
    ("", "", (0.0, 0.0, 0.0)),
])
def test_shingle_overlap(true, predicted, expected):
    assert shingle_overlap(true, predicted) == pytest.approx(expected)


def test_extraction_scores_average_pages_not_words():
    scores = extraction_scores([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0), (0.0, 0.0, 1.0), (0.0, 0.0, 0.0)])
    # precision over pages with something extracted: (1 + 0.5) / 2; recall over pages with true text
    assert scores["precision"] == pytest.approx(0.75)
    assert scores["recall"] == pytest.approx((1 + 1 + 0) / 3)
    assert scores["f1"] == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))


def test_eval_pages_reports_extraction_against_the_true_text(tmp_path):
    root = tmp_path / "pages" / "aeb"
    (root / "html").mkdir(parents=True)
    html = f"<html><body><article><h1>Council approves budget</h1><p>{STORY}</p></article></body></html>"
    (root / "html" / "good.html.gz").write_bytes(gzip.compress(html.encode()))
    (root / "html" / "empty.html.gz").write_bytes(gzip.compress(b"<html><body></body></html>"))
    truth = {"good": {"url": "https://news.example/good", "articleBody": STORY},
             "empty": {"url": "https://news.example/empty", "articleBody": STORY}}
    (root / "ground-truth.json").write_text(json.dumps(truth))
    lines = []
    result = pages.run(tmp_path, echo=lines.append)
    assert result["extraction"]["recall"] == pytest.approx(0.5)  # one page found whole, one not at all
    assert result["extraction"]["precision"] == pytest.approx(1.0)
    assert any("least text in common" in line and "news.example/empty" in line for line in lines)
