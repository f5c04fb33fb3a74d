"""`reliability eval claims`: the unattributed-claims signal against the data sets of issue 4.

- CoNLL-2010 Wikipedia weasel sample (evaluation only): `uncertain` vs `certain`. Nothing is
  trained on it; the shipped rules (`claims.is_weasel`: a hedge/weasel cue of data/claims.json
  "weasel", or a vague source) are scored on all 3,000 rows. An eval-only 5-fold CV figure shows
  what choosing cue patterns on the sample would add (nothing chosen there is shipped).
- ClaimBuster (evaluation only): label 1 = check-worthy factual claim. The claim detector
  (`classify_claim(...) != "not_claim"`) is scored on the test file; nothing is trained on train.
- sentences-dev.csv (hand-labelled, dev): four-label confusion, macro-F1, and F1 of "problem"
  (vague or unattributed) against attributed or not_claim.
- AEB pages: the signal's distribution over the 181 real articles, built with
  Document.from_text from each page's true articleBody (so extraction errors do not count).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import statistics
import time
from pathlib import Path

from ..attribution import LEX, find_sources
from ..claims import (LABELS, WEASEL_CATEGORIES, classify_claim, claims_signal, explain_claim, hedge_cues,
                      is_weasel)
from ..document import Document
from .metrics import binary_metrics, format_confusion, multiclass_metrics

def _fmt(m: dict) -> str:
    return (f"n={m['n']}  accuracy {m['accuracy']:.3f}  precision {m['precision']:.3f}  "
            f"recall {m['recall']:.3f}  F1 {m['f1']:.3f}  (tp {m['tp']} fp {m['fp']} fn {m['fn']} tn {m['tn']})")


def eval_conll(path: Path, echo=print) -> dict:
    """The shipped weasel reading (no fitting) on all rows, plus an eval-only 5-fold CV figure.

    The CV figure answers "how far does choosing cues on this sample get?": on four folds it keeps
    the cue patterns of data/claims.json "weasel" (and the vague-source finder) whose precision
    there is >= 0.6, and scores "any kept cue" on the fifth. Nothing it chooses is shipped.
    """
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    sentences = [r["sentence"] for r in rows]
    y_true = [int(r["label"] == "uncertain") for r in rows]
    y_pred = [int(is_weasel(s)) for s in sentences]
    m = binary_metrics(y_true, y_pred)
    echo(f"CoNLL-2010 weasel sample (uncertain = positive; rules, no training, all rows): {_fmt(m)}")
    echo("  target F1 >= 0.82; published on this sample: Pattern modality F 0.68")
    # which kind of cue fires, and how often on each side (a description, not a fit)
    hits = [_cue_kinds(s) for s in sentences]
    kinds = [k for k in WEASEL_CATEGORIES] + ["vague_source"]
    parts = []
    for kind in kinds:
        unc = sum(1 for h, t in zip(hits, y_true) if kind in h and t)
        cer = sum(1 for h, t in zip(hits, y_true) if kind in h and not t)
        parts.append(f"{kind} {unc}/{cer}")
    echo("  sentences with a cue of each kind, uncertain/certain: " + ", ".join(parts))
    cv = _conll_cv(sentences, y_true)
    echo(f"  eval-only 5-fold CV, cue patterns chosen on 4 folds (precision >= 0.6), not shipped: {_fmt(cv)}")
    return {**m, "cv_cue_selection": cv}


def _cue_kinds(sentence: str) -> set[str]:
    if len(sentence.split()) < 4:
        return set()
    kinds = {h.kind for h in hedge_cues(sentence)}
    if any(src.kind == "vague" for src in find_sources(sentence)):
        kinds.add("vague_source")
    return kinds


def _conll_cv(sentences: list[str], y: list[int], folds: int = 5, min_precision: float = 0.6) -> dict:
    patterns = [re.compile(p, re.I) for cat in WEASEL_CATEGORIES for p in LEX["weasel"][cat]]
    features = []
    for s in sentences:
        if len(s.split()) < 4:
            features.append(frozenset())
            continue
        f = {j for j, p in enumerate(patterns) if p.search(s)}
        if any(src.kind == "vague" for src in find_sources(s)):
            f.add(len(patterns))
        features.append(frozenset(f))
    order = sorted(range(len(y)), key=lambda i: hashlib.sha256(sentences[i].encode("utf-8")).hexdigest())
    fold_of = {i: k % folds for k, i in enumerate(order)}
    y_pred = [0] * len(y)
    for fold in range(folds):
        train = [i for i in range(len(y)) if fold_of[i] != fold]
        fired: dict[int, list[int]] = {}
        for i in train:
            for j in features[i]:
                fired.setdefault(j, []).append(y[i])
        keep = {j for j, labels in fired.items() if len(labels) >= 3 and sum(labels) / len(labels) >= min_precision}
        for i in range(len(y)):
            if fold_of[i] == fold:
                y_pred[i] = int(bool(features[i] & keep))
    return binary_metrics(y, y_pred)


def eval_claimbuster(path: Path, echo=print) -> dict:
    rows = json.loads(path.read_text(encoding="utf-8"))
    y_true = [int(r["label"]) for r in rows]
    y_pred = [int(classify_claim(r["text"]) != "not_claim") for r in rows]
    m = binary_metrics(y_true, y_pred)
    echo(f"ClaimBuster {path.name} (class 1 = check-worthy claim; detector = label != not_claim): {_fmt(m)}")
    echo("  target F1 (class 1) >= 0.70")
    return m


def eval_sentences(path: Path, echo=print) -> dict:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    y_true, y_pred, errors = [], [], []
    for r in rows:
        v = explain_claim(r["sentence"])
        y_true.append(r["label"])
        y_pred.append(v.label)
        if v.label != r["label"]:
            errors.append((r["id"], r["label"], v.label, r["sentence"], v.cue))
    m = multiclass_metrics(y_true, y_pred, LABELS)
    problem = lambda label: int(label in ("vague", "unattributed"))  # noqa: E731
    pb = binary_metrics([problem(t) for t in y_true], [problem(p) for p in y_pred])
    echo(f"sentences-dev.csv (dev set, four labels), n={m['n']}:")
    echo(format_confusion(m["confusion"]))
    for label in LABELS:
        c = m["per_class"][label]
        echo(f"  {label:<13} P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}  (n={c['support']})")
    echo(f"  macro-F1 {m['macro_f1']:.3f} (target >= 0.75); accuracy {m['accuracy']:.3f}")
    echo(f"  problem (vague|unattributed) vs ok: {_fmt(pb)}  (target F1 >= 0.85)")
    for e in errors[:15]:
        echo(f"  miss {e[0]}: {e[1]} -> {e[2]}: {e[3][:90]}  [{e[4]}]")
    return {"multiclass": m, "problem": pb, "errors": len(errors)}


def _documents_from_truth(pages_dir: Path, truth: dict):
    for page_id, item in sorted(truth.items()):
        yield page_id, item.get("url"), Document.from_text("", item.get("articleBody") or "", url=item.get("url"))


def _documents_from_html(pages_dir: Path, truth: dict):
    import gzip

    from ..extract import extract_document  # the lead's extractor (trafilatura)

    for page_id, item in sorted(truth.items()):
        path = pages_dir / "html" / f"{page_id}.html.gz"
        if not path.is_file():
            continue
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        try:
            doc = extract_document(html, url=item.get("url"))
        except Exception:  # noqa: BLE001 - an unreadable page is skipped, not fatal to the report
            continue
        yield page_id, item.get("url"), doc


def eval_pages(pages_dir: Path, echo=print, source: str = "truth") -> dict:
    """The signal over the AEB pages, built from the true articleBody or from the extracted HTML."""
    from ..language import detect_language

    truth = json.loads((pages_dir / "ground-truth.json").read_text(encoding="utf-8"))
    documents = _documents_from_truth if source == "truth" else _documents_from_html
    results = []
    signal_seconds = 0.0
    skipped_language = 0
    for i, (page_id, url, doc) in enumerate(documents(pages_dir, truth), 1):
        if detect_language(doc.text) != "en":
            skipped_language += 1  # the badge is `unrated` for these; the signal is not shown
            continue
        started = time.perf_counter()
        signal = claims_signal(doc)
        signal_seconds += time.perf_counter() - started
        results.append((signal.score, page_id, url, signal))
        if i % 50 == 0:
            echo(f"  ... {i}/{len(truth)} pages")
    scores = sorted(r[0] for r in results)
    n = len(scores)
    buckets = [(0.0, 0.25), (0.25, 0.5), (0.5, 1.01)]
    label = "true articleBody" if source == "truth" else "extracted from the HTML"
    echo(f"AEB real pages ({label}), English n={n} (not English, skipped: {skipped_language}), "
         f"signal {signal_seconds / max(1, n) * 1000:.1f} ms/page:")
    dist = {}
    for lo, hi in buckets:
        k = sum(1 for s in scores if lo <= s < hi)
        dist[f"{lo:.2f}-{min(hi, 1.0):.2f}"] = k
        echo(f"  score {lo:.2f}-{min(hi, 1.0):.2f}: {k:4d} ({k / max(1, n):.1%})")
    quantiles = {q: scores[min(n - 1, int(q * n))] for q in (0.1, 0.25, 0.5, 0.75, 0.9)} if n else {}
    echo("  quantiles: " + "  ".join(f"p{int(q * 100)} {v:.3f}" for q, v in quantiles.items()))
    totals = {label: sum(r[3].details["counts"][label] for r in results) for label in LABELS}
    echo(f"  sentence labels over all pages: {totals}")
    fires = [r for r in results if r[0] >= 0.5]
    echo(f"  fires (>= 0.5): {len(fires)} ({len(fires) / max(1, n):.1%})")
    for score, page_id, url, signal in sorted(results, reverse=True)[:8]:
        echo(f"  {score:.3f}  {url}  {signal.summary}")
    return {"n": n, "distribution": dist, "quantiles": {str(k): v for k, v in quantiles.items()},
            "fires": len(fires), "mean": statistics.fmean(scores) if scores else 0.0,
            "sentence_labels": totals, "ms_per_page": signal_seconds / max(1, n) * 1000,
            "skipped_not_english": skipped_language}


def run(data_dir: Path, echo=print) -> dict:
    data_dir = Path(data_dir)
    claims_dir = data_dir / "claims"
    out: dict = {}
    echo("== unattributed claims ==")
    out["sentences_dev"] = eval_sentences(claims_dir / "sentences-dev.csv", echo)
    echo("")
    out["conll_weasel"] = eval_conll(claims_dir / "conll2010-wiki-weasel-sample.csv", echo)
    echo("")
    out["claimbuster_test"] = eval_claimbuster(claims_dir / "claimbuster-test.json", echo)
    echo("")
    pages = data_dir / "pages" / "aeb"
    if (pages / "ground-truth.json").is_file():
        out["aeb_pages"] = eval_pages(pages, echo, source="truth")
        echo("")
        try:
            out["aeb_pages_extracted"] = eval_pages(pages, echo, source="html")
        except ImportError as exc:  # extractor not available
            echo(f"AEB extracted pages skipped: {exc}")
    return out
