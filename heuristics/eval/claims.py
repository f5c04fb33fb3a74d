"""`reliability eval claims`: the unattributed-claims signal against the data sets of issue 4.

- CoNLL-2010 Wikipedia weasel sample (evaluation only): `uncertain` vs `certain`. Nothing trained
  on it is shipped; the shipped rules (`claims.is_weasel`: a hedge/weasel cue of data/claims.json
  "weasel", or a vague source) are scored on all 3,000 rows. Eval-only 5-fold CV figures show what
  fitting on the sample would add: choosing cue patterns, and a logistic regression over our rule
  cues + word n-grams (`learned_cv`, needs scikit-learn; refit per fold and discarded).
- ClaimBuster (evaluation only): label 1 = check-worthy factual claim. The claim detector
  (`classify_claim(...) != "not_claim"`) is scored on the test file; nothing is trained on train.
- sentences-dev.csv (hand-labelled, dev): four-label confusion, macro-F1, and F1 of "problem"
  (vague or unattributed) against attributed or not_claim.
- AEB pages: the signal's distribution over the 181 real articles, built with
  Document.from_text from each page's true articleBody (so extraction errors do not count).
"""

from __future__ import annotations

import csv
import functools
import json
import random
import re
import statistics
import time
from pathlib import Path

from ..attribution import LEX, find_sources
from ..claims import (LABELS, WEASEL_CATEGORIES, classify_claim, claims_signal, explain_claim, hedge_cues,
                      is_weasel)
from ..document import Document
from . import labelled_sets
from .metrics import binary_metrics, format_confusion, multiclass_metrics

# read from the data folder (pages/aeb is optional: its pages are skipped when absent)
DATA_FILES = ("claims/sentences-dev.csv", "claims/conll2010-wiki-weasel-sample.csv", "claims/claimbuster-test.json")


def _fmt(m: dict) -> str:
    return (f"n={m['n']}  accuracy {m['accuracy']:.3f}  precision {m['precision']:.3f}  "
            f"recall {m['recall']:.3f}  F1 {m['f1']:.3f}  (tp {m['tp']} fp {m['fp']} fn {m['fn']} tn {m['tn']})")


def eval_conll(path: Path, echo=print) -> dict:
    """The shipped weasel reading (no fitting) on all rows, plus eval-only 5-fold CV figures.

    The first CV figure answers "how far does choosing cues on this sample get?": on four folds it
    keeps the cue patterns of data/claims.json "weasel" (and the vague-source finder) whose
    precision there is >= 0.6, and scores "any kept cue" on the fifth. The second (`learned_cv`)
    fits a logistic regression over our rule cues and word n-grams per fold. Nothing either
    chooses or fits is shipped: the licence allows evaluation only.
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
    out = {**m, "cv_cue_selection": cv}
    # The protocol for anything trained on the sample: 5-fold CV, the model refit per fold
    # and thrown away (the licence allows evaluation only, so nothing fitted here is written out).
    learned = learned_cv(sentences, y_true)
    if learned is None:
        echo("  eval-only learned CV skipped: scikit-learn is not installed (a training-only dependency: "
             "pip install -e '.[dev]')")
        return out
    echo("  eval-only 5-fold CV, logistic regression over rule cues + word n-grams, fit per fold, not shipped "
         f"(licence): {_fmt(learned)}")
    echo(f"    fold F1 {' '.join(f'{f:.3f}' for f in learned['fold_f1'])} (mean {learned['mean_f1']:.3f}); "
         f"C / threshold chosen per fold by inner 3-fold CV on the training folds: "
         f"{', '.join(f'{c:g}/{t:.2f}' for c, t in zip(learned['C'], learned['threshold']))}")
    # The file lists articles in order (a title line, then a few of its sentences; the last ~1,200
    # rows are uncertain sentences without titles, still in article order), so a random split puts
    # sentences of one article on both sides and the n-grams can learn the article's topic.
    # Keeping 20-row blocks together keeps (almost) every article on one side.
    blocks = learned_cv(sentences, y_true, groups=[i // 20 for i in range(len(sentences))])
    echo(f"    same, 20-row blocks (~ whole articles) kept in one fold: {_fmt(blocks)}")
    return {**out, "cv_learned": learned, "cv_learned_blocked": blocks}


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
    fold_of = cv_folds(y, _duplicate_groups(sentences), folds)
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


def _duplicate_groups(sentences: list[str], groups: list | None = None) -> list:
    """Each row's group (default: itself), except that a sentence repeated in the sample joins the
    group of its first copy: a copy in train and one in test would be a leak."""
    groups = list(range(len(sentences))) if groups is None else list(groups)
    first: dict[str, int] = {}
    return [groups[first.setdefault(" ".join(s.lower().split()), i)] for i, s in enumerate(sentences)]


def cv_folds(y: list[int], groups: list | None = None, folds: int = 5, seed: int = 0) -> list[int]:
    """The fold (0..folds-1) of each row: stratified, seeded, and a group never split across folds.

    `groups` (default: each row its own) keeps e.g. an article's sentences together. Groups,
    largest first and shuffled within a size, go greedily to the fold that has the least so far
    of the classes they bring.
    """
    if groups is None:
        groups = list(range(len(y)))
    members: dict = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)
    totals = [max(1, len(y) - sum(y)), max(1, sum(y))]
    counts = [[0, 0] for _ in range(folds)]
    keys = list(members)
    random.Random(seed).shuffle(keys)
    keys.sort(key=lambda g: -len(members[g]))  # stable: equal sizes keep the seeded order
    fold_of = [0] * len(y)
    for g in keys:
        pos = sum(y[i] for i in members[g])
        neg = len(members[g]) - pos

        def load(f):  # the fold's share of the classes this group brings, weighted by how many it brings
            return neg * (counts[f][0] + neg) / totals[0] + pos * (counts[f][1] + pos) / totals[1]

        best = min(range(folds), key=lambda f: (load(f), sum(counts[f]), f))
        counts[best][0] += neg
        counts[best][1] += pos
        for i in members[g]:
            fold_of[i] = best
    return fold_of


_WORD_RE = re.compile(r"[\w']+")
_END_RE = re.compile(r"[.!?\"')\]:;]\s*$")


@functools.lru_cache(maxsize=8192)  # eval_conll runs the CV twice over the same sentences
def _rule_tokens(sentence: str) -> str:
    """Our rule outputs as tokens: each cue's kind and words, with the words around it.

    The shipped rule fires on any cue; what decides weasel or not is usually the context: "some
    critics" vs "some of the land", "most often" vs "most adults". So each cue also gives
    cue+next word, cue+next two words and previous word+cue (START at the sentence start).
    """
    if len(sentence.split()) < 4:
        return "SHORT"
    tokens = []
    for h in hedge_cues(sentence):
        cue = "_".join(h.cue.lower().split())
        after = _WORD_RE.findall(sentence[h.end:].lower())[:2]
        before = _WORD_RE.findall(sentence[:h.start].lower())[-1:] or ["START"]
        tokens += [f"kind:{h.kind}", f"cue:{cue}", f"before:{before[0]}_{cue}"]
        tokens += [f"after:{cue}_{after[0]}", f"after2:{cue}_{'_'.join(after)}"] if after else [f"after:{cue}_END"]
    if any(src.kind == "vague" for src in find_sources(sentence)):
        tokens.append("vague_source")
    tokens.append("is_weasel" if tokens else "no_cue")
    if not _END_RE.search(sentence):
        tokens.append("no_end_punct")  # a heading or fragment, not a statement
    return " ".join(tokens)


def learned_cv(sentences: list[str], y: list[int], groups: list | None = None, folds: int = 5, seed: int = 0,
               Cs: tuple[float, ...] = (1.0, 4.0, 16.0), views: tuple[str, ...] = ("rules", "words")) -> dict | None:
    """Eval-only CV of a logistic regression over our rule cues (+ word/char n-grams); None without scikit-learn.

    Each outer fold fits the vectorizers and the model on the other folds only, and picks C and
    the decision threshold by an inner 3-fold CV on those training folds (never on the test fold).
    Nothing fitted here leaves the function.
    """
    try:  # training-only dependencies, imported here so the rest of the eval runs without them
        import sklearn  # noqa: F401
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    # one BLAS thread: idle BLAS threads spinning next to liblinear made this 3x slower on 2 cores
    with threadpool_limits(1):
        return _learned_cv(sentences, list(y), groups, folds, seed, Cs, views)


def _learned_cv(sentences, y_arr, groups, folds, seed, Cs, views) -> dict:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = {"rules": [_rule_tokens(s) for s in sentences], "words": sentences, "chars": sentences}
    groups = _duplicate_groups(sentences, groups)

    def vectorizer(view):
        if view == "rules":
            return CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True)
        if view == "words":
            return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True)

    def features(train, test):
        pairs = []
        for view in views:
            v = vectorizer(view)  # fit on the training rows only
            pairs.append((v.fit_transform([docs[view][i] for i in train]), v.transform([docs[view][i] for i in test])))
        return hstack([a for a, _ in pairs]).tocsr(), hstack([b for _, b in pairs]).tocsr()

    def probabilities(train, test, C_values):
        x_train, x_test = features(train, test)
        labels = [y_arr[i] for i in train]
        models = {C: LogisticRegression(C=C, solver="liblinear", random_state=seed) for C in C_values}
        return {C: m.fit(x_train, labels).predict_proba(x_test)[:, 1] for C, m in models.items()}

    def f1(truth, pred):
        return binary_metrics(truth, pred)["f1"]

    thresholds = [round(0.3 + 0.05 * k, 2) for k in range(7)]  # 0.30 .. 0.60
    fold_of = cv_folds(y_arr, groups, folds, seed)
    y_pred = [0] * len(y_arr)
    chosen_C, chosen_t, fold_f1 = [], [], []
    for fold in range(folds):
        train = [i for i in range(len(y_arr)) if fold_of[i] != fold]
        test = [i for i in range(len(y_arr)) if fold_of[i] == fold]
        # inner CV on the training rows (groups kept whole) to pick C and the threshold
        inner_of = cv_folds([y_arr[i] for i in train], [groups[i] for i in train], 3, seed + 1)
        oof = {C: [0.0] * len(train) for C in Cs}
        for k in range(3):
            a = [j for j in range(len(train)) if inner_of[j] != k]
            b = [j for j in range(len(train)) if inner_of[j] == k]
            for C, p in probabilities([train[j] for j in a], [train[j] for j in b], Cs).items():
                for j, pj in zip(b, p):
                    oof[C][j] = pj
        truth = [y_arr[i] for i in train]
        _, C, t = max((f1(truth, [int(p >= t) for p in oof[C]]), C, t) for C in Cs for t in thresholds)
        p = probabilities(train, test, [C])[C]
        for i, pi in zip(test, p):
            y_pred[i] = int(pi >= t)
        chosen_C.append(C)
        chosen_t.append(t)
        fold_f1.append(f1([y_arr[i] for i in test], [y_pred[i] for i in test]))
    return {**binary_metrics(y_arr, y_pred), "fold_f1": fold_f1, "mean_f1": statistics.fmean(fold_f1),
            "C": chosen_C, "threshold": chosen_t, "views": list(views)}


def eval_claimbuster(path: Path, echo=print) -> dict:
    rows = json.loads(path.read_text(encoding="utf-8"))
    y_true = [int(r["label"]) for r in rows]
    y_pred = [int(classify_claim(r["text"]) != "not_claim") for r in rows]
    m = binary_metrics(y_true, y_pred)
    echo(f"ClaimBuster {path.name} (class 1 = check-worthy claim; detector = label != not_claim): {_fmt(m)}")
    echo("  target F1 (class 1) >= 0.70")
    return m


def eval_sentences(path: Path, echo=print, kind: str = "dev set", show_errors: bool = True) -> dict:
    """A hand-labelled set in the sentences-dev format (id, sentence, label, note). A held-out set
    (show_errors=False) reports figures only, never its misclassified sentences."""
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
    echo(f"{path.name} ({kind}, four labels), n={m['n']}:")
    echo(format_confusion(m["confusion"]))
    for label in LABELS:
        c = m["per_class"][label]
        echo(f"  {label:<13} P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}  (n={c['support']})")
    echo(f"  macro-F1 {m['macro_f1']:.3f} (target >= 0.75); accuracy {m['accuracy']:.3f}")
    echo(f"  problem (vague|unattributed) vs ok: {_fmt(pb)}  (target F1 >= 0.85)")
    for e in errors[:15] if show_errors else ():
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
    from ..language import reads_as_english_prose

    truth = json.loads((pages_dir / "ground-truth.json").read_text(encoding="utf-8"))
    documents = _documents_from_truth if source == "truth" else _documents_from_html
    results = []
    signal_seconds = 0.0
    skipped_language = 0
    for i, (page_id, url, doc) in enumerate(documents(pages_dir, truth), 1):
        if not reads_as_english_prose(doc.text):
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


def run(data_dir: Path, echo=print, extra=(), held_out=()) -> dict:
    data_dir = Path(data_dir)
    claims_dir = data_dir / "claims"
    out: dict = {}
    echo("== unattributed claims ==")
    out["sentences_dev"] = eval_sentences(claims_dir / "sentences-dev.csv", echo)
    echo("")
    for key, path, heading, show_errors in labelled_sets(extra, held_out):
        out[key] = eval_sentences(path, echo, heading, show_errors)
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
