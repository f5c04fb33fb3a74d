"""`reliability eval claims`: the eval-only learned CV on the CoNLL weasel sample (synthetic data here)."""

from __future__ import annotations

import csv
import random
import sys
from collections import Counter

import pytest

from heuristics.eval import claims as ev

pytest.importorskip("sklearn")

NOUNS = "bridge museum river council school railway festival harbour library stadium".split()
PLACES = "Leeds Porto Quebec Lagos Perth Dakar Oslo Kyoto".split()


def _weasel(rng: random.Random) -> str:
    return rng.choice([
        f"Some critics say the {rng.choice(NOUNS)} is among the finest in the region.",
        f"Many people believe the {rng.choice(NOUNS)} was probably designed by a famous architect.",
        f"It is widely considered one of the most important {rng.choice(NOUNS)}s in {rng.choice(PLACES)}.",
        f"Experts have suggested that the {rng.choice(NOUNS)} may be older than thought.",
    ])


def _plain(rng: random.Random) -> str:
    return rng.choice([
        f"The {rng.choice(NOUNS)} in {rng.choice(PLACES)} opened in {rng.randint(1850, 2020)}.",
        f"The {rng.choice(NOUNS)} was rebuilt in {rng.randint(1850, 2020)} after a fire.",
        f"In {rng.randint(1850, 2020)} the council of {rng.choice(PLACES)} bought the {rng.choice(NOUNS)}.",
        f"Some of the land around the {rng.choice(NOUNS)} was sold in {rng.randint(1850, 2020)}.",
    ])


def _learnable(n: int = 200, seed: int = 3):
    rng = random.Random(seed)
    y = [i % 2 for i in range(n)]
    return [_weasel(rng) if t else _plain(rng) for t in y], y


def test_cv_folds_disjoint_covering_and_stratified():
    rng = random.Random(0)
    y = [int(rng.random() < 0.3) for _ in range(503)]
    fold_of = ev.cv_folds(y, folds=5, seed=7)
    assert len(fold_of) == len(y) and set(fold_of) == set(range(5))  # every row in exactly one fold
    positives = Counter(f for f, t in zip(fold_of, y) if t)
    sizes = Counter(fold_of)
    assert max(positives.values()) - min(positives.values()) <= 1
    assert max(sizes.values()) - min(sizes.values()) <= 2
    assert ev.cv_folds(y, folds=5, seed=7) == fold_of  # seeded: the same split every run
    assert ev.cv_folds(y, folds=5, seed=8) != fold_of


def test_cv_folds_never_split_a_group():
    y = [i % 2 for i in range(400)]
    groups = [i // 20 for i in range(400)]
    fold_of = ev.cv_folds(y, groups, folds=5, seed=0)
    for g in set(groups):
        assert len({f for f, gg in zip(fold_of, groups) if gg == g}) == 1
    assert set(fold_of) == set(range(5))


def test_learned_cv_learns_a_learnable_signal():
    sentences, y = _learnable()
    result = ev.learned_cv(sentences, y)
    assert result["n"] == len(y)
    assert result["f1"] >= 0.95 and result["mean_f1"] >= 0.95
    assert len(result["fold_f1"]) == 5 and len(result["C"]) == 5


def test_learned_cv_is_not_suspiciously_good_on_random_labels():
    sentences, _ = _learnable(300, seed=5)
    rng = random.Random(11)
    y = [rng.randint(0, 1) for _ in sentences]
    result = ev.learned_cv(sentences, y)
    # guessing "all uncertain" gives F1 ~0.67 on balanced labels; a leak would give far more
    assert result["f1"] < 0.75
    assert result["accuracy"] < 0.62


def test_learned_cv_keeps_duplicate_sentences_in_one_fold():
    # Random labels, every sentence three times (same label) with a token of its own: copies in train
    # and test would let the model memorise the label (accuracy ~0.9 when the copies are split).
    # Kept together, it stays near chance.
    rng = random.Random(2)
    base = [f"Entry x{k}q records that the {rng.choice(NOUNS)} stood in {rng.choice(PLACES)}." for k in range(100)]
    labels = [rng.randint(0, 1) for _ in base]
    sentences, y = base * 3, labels * 3
    assert ev.learned_cv(sentences, y)["accuracy"] < 0.62


def test_learned_cv_fits_vectorizers_without_the_test_fold(monkeypatch):
    from sklearn.feature_extraction import text

    fitted: list[set[str]] = []

    class Spy(text.TfidfVectorizer):
        def fit_transform(self, raw_documents, y=None):
            fitted.append(set(raw_documents))
            return super().fit_transform(raw_documents, y)

    monkeypatch.setattr(text, "TfidfVectorizer", Spy)
    sentences, y = _learnable(100, seed=9)
    sentences = [f"{s} (row {i})" for i, s in enumerate(sentences)]  # all distinct
    ev.learned_cv(sentences, y)
    fold_of = ev.cv_folds(y, folds=5, seed=0)
    tests = [{s for s, f in zip(sentences, fold_of) if f == k} for k in range(5)]
    assert fitted
    for docs in fitted:  # each fit leaves out a whole outer test fold
        assert any(not (docs & test) for test in tests)
        assert len(docs) <= 0.8 * len(sentences)


def _write_sample(path, n=100):
    sentences, y = _learnable(n, seed=4)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["sentence", "label"])
        for s, t in zip(sentences, y):
            w.writerow([s, "uncertain" if t else "certain"])


def test_eval_conll_reports_the_learned_cv(tmp_path):
    path = tmp_path / "sample.csv"
    _write_sample(path)
    lines: list[str] = []
    out = ev.eval_conll(path, echo=lines.append)
    assert "cv_learned" in out and "cv_learned_blocked" in out and "cv_cue_selection" in out
    assert any("logistic regression" in line and "not shipped" in line for line in lines)


def test_without_scikit_learn_it_degrades_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # `import sklearn` now raises ImportError
    sentences, y = _learnable(40)
    assert ev.learned_cv(sentences, y) is None
    path = tmp_path / "sample.csv"
    _write_sample(path, 40)
    lines: list[str] = []
    out = ev.eval_conll(path, echo=lines.append)
    assert "cv_learned" not in out and "f1" in out and "cv_cue_selection" in out
    assert any("scikit-learn is not installed" in line for line in lines)
