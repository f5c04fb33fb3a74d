"""Plain metrics (no scikit-learn at run time): confusion, precision/recall/F1, ROC AUC, MSE."""

from __future__ import annotations

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
