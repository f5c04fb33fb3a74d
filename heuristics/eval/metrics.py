"""Plain metrics (no scikit-learn at run time): confusion, precision/recall/F1, ROC AUC, MSE."""

from __future__ import annotations

import re
from collections import Counter
from typing import Hashable, Sequence


def binary_metrics(y_true: Sequence[int], y_pred: Sequence[int]) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of the positive class (1), with the confusion counts."""
    tp = sum(1 for t, p in zip(y_true, y_pred) if t and p)
    fp = sum(1 for t, p in zip(y_true, y_pred) if not t and p)
    fn = sum(1 for t, p in zip(y_true, y_pred) if t and not p)
    tn = sum(1 for t, p in zip(y_true, y_pred) if not t and not p)
    n = tp + fp + fn + tn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": n, "accuracy": (tp + tn) / n if n else 0.0,
        "precision": precision, "recall": recall, "f1": f1,
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
    }


def roc_auc(y_true: Sequence[int], scores: Sequence[float]) -> float:
    """Area under the ROC curve (Mann-Whitney U with average ranks for ties)."""
    pairs = sorted(zip(scores, y_true))
    ranks = [0.0] * len(pairs)
    i = 0
    while i < len(pairs):
        j = i
        while j + 1 < len(pairs) and pairs[j + 1][0] == pairs[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    pos = sum(1 for _, t in pairs if t)
    neg = len(pairs) - pos
    if not pos or not neg:
        return float("nan")
    rank_sum = sum(r for r, (_, t) in zip(ranks, pairs) if t)
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def mean_squared_error(y_true: Sequence[float], y_pred: Sequence[float]) -> float:
    return sum((t - p) ** 2 for t, p in zip(y_true, y_pred)) / max(1, len(y_true))


def multiclass_metrics(y_true: Sequence[Hashable], y_pred: Sequence[Hashable],
                       labels: Sequence[Hashable]) -> dict:
    """Confusion matrix (rows = truth, columns = prediction), per-class P/R/F1 and macro-F1."""
    confusion = Counter(zip(y_true, y_pred))
    per_class = {}
    for label in labels:
        tp = confusion[(label, label)]
        fp = sum(confusion[(t, label)] for t in labels if t != label)
        fn = sum(confusion[(label, p)] for p in labels if p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": precision, "recall": recall, "f1": f1,
                            "support": tp + fn}
    n = len(y_true)
    return {
        "n": n,
        "accuracy": sum(confusion[(l, l)] for l in labels) / n if n else 0.0,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(labels) if labels else 0.0,
        "per_class": per_class,
        "confusion": {str(t): {str(p): confusion[(t, p)] for p in labels} for t in labels},
    }


def format_confusion(confusion: dict[str, dict[str, int]]) -> str:
    """A small text table of a confusion matrix (rows = truth)."""
    labels = list(confusion)
    width = max(len(l) for l in labels) + 2
    head = "truth \\ pred".ljust(width) + "".join(l.rjust(width) for l in labels)
    rows = [t.ljust(width) + "".join(str(confusion[t][p]).rjust(width) for p in labels)
            for t in labels]
    return "\n".join([head, *rows])


_TEXT_TOKEN_RE = re.compile(r"\w+")


def shingle_overlap(true_text: str, predicted_text: str, n: int = 4) -> tuple[float, float, float]:
    """Shares of (true positive, false positive, false negative) n-word shingles of an extracted
    text against the true one: the article-extraction-benchmark's measure (scrapinghub/AEB
    evaluate.py), normalised so a long article weighs as much as a short one."""
    def shingles(text: str) -> Counter:
        tokens = _TEXT_TOKEN_RE.findall(text or "")
        return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))
                       if tokens[i:i + n])

    true, predicted = shingles(true_text), shingles(predicted_text)
    tp = sum((true & predicted).values())
    fp = sum((predicted - true).values())
    fn = sum((true - predicted).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def extraction_scores(overlaps: Sequence[tuple[float, float, float]]) -> dict[str, float]:
    """Mean precision over the pages where something was extracted, mean recall over the pages
    with true text, and their F1, as the benchmark reports them."""
    precisions = [tp / (tp + fp) for tp, fp, _ in overlaps if tp + fp > 0]
    recalls = [tp / (tp + fn) for tp, _, fn in overlaps if tp + fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pages": len(overlaps), "precision": precision, "recall": recall, "f1": f1}
