"""Train the clickbait headline model shipped as heuristics/data/clickbait_model.json.

    python training/train_clickbait.py [--data ../shared/data] [--out heuristics/data/clickbait_model.json]

Reads the data by path (never copies it), seeded and deterministic:
* Webis-Clickbait-17 train (clickbait/webis17-train.csv): soft labels — each tweet counts as
  clickbait with weight truthMean and as not-clickbait with weight 1 - truthMean, so the model's
  probability estimates the judges' mean (the challenge's MSE measure). Same topics in both classes.
* Chakraborty 2016 (clickbait/chakraborty2016.csv) *minus its test split* (sha256 % 5 == 0), at a
  lower weight: BuzzFeed-style lifestyle vs hard news, i.e. topic-confounded, which is why the
  features mask topic (names, places, numbers and every word outside a style vocabulary become
  shapes) — the model can learn "This … Will Make You …" but not "North Korea".
* The project's own news pairs (training/data/news-pairs-train.csv, see its README): the same
  invented event written sober and as clickbait, so the news register is learned without topic;
  hard labels at weight --news-weight (chosen with the rest by the Webis hold-out, below), a
  seeded 20% of the pairs held out to report accuracy on.
The Webis-17 test subset and the Chakraborty test split are never read here.
Cue families (clickbait_cues.json, quote-aware) are features: `cue:`/`cue2:`/`ncue:`/`sober:`, fitted
jointly with the n-grams. Model selection (C) by MSE on a seeded 15% hold-out of Webis train; on the
same hold-out one global Platt calibration (bias, model_scale, student_scale) is fitted, the student
being heuristics/data/clickbait_student.npz (training/clickbait_student/). The hold-out is the one the
student, its MiniLM teacher and its distillation never trained on: the last 15% (round(0.85 n)) of
the rows after random.Random(17).shuffle; the masked model is fitted on the other 85%. The cue boosts are a
documented prior (see clickbait_cues.json) whose strength `cue_scale` is the smallest of --cue-scales
meeting news-pairs-dev (dev set) >= --pairs-min and the seed headline >= --seed-min; the calibration
is refitted on the hold-out with that prior in place. Also written: `common_words` (for the
shouting cue). --no-student gives the combination without the student (student_scale 0).
Deterministic: about two minutes on two cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from heuristics import clickbait  # noqa: E402
from heuristics.eval.clickbait import chakraborty_is_test  # noqa: E402
from heuristics.eval.metrics import binary_metrics  # noqa: E402
from heuristics.resources import load_json  # noqa: E402

SEED = 17


def webis_split(n: int) -> tuple[list[int], list[int]]:
    """(fit rows in their shuffled order, hold-out rows sorted) of Webis-17 train: the seeded
    shuffle's last 15% is the hold-out (the student's too: training/clickbait_student/common.py)."""
    order = list(range(n))
    random.Random(SEED).shuffle(order)
    cut = int(round(0.85 * n))
    return order[:cut], sorted(order[cut:])


def pair_split(rows: list[dict], seed: int) -> tuple[list[int], list[int]]:
    """(fit, validation) row indices of the news pairs: a seeded fifth of the pair ids validates,
    so both headlines of a pair are on the same side."""
    pair_ids = sorted({r["pair_id"] for r in rows})
    random.Random(seed).shuffle(pair_ids)
    held = set(pair_ids[:len(pair_ids) // 5])
    return ([i for i, r in enumerate(rows) if r["pair_id"] not in held],
            [i for i, r in enumerate(rows) if r["pair_id"] in held])


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def build_vocabulary(texts: list[str], min_df: int, lower_share: float) -> list[str]:
    """Seed style words + cue words + frequent words that are (nearly) always written in lower
    case mid-headline, i.e. common words, not names."""
    cues = load_json("clickbait_cues.json")
    vocab = {w.lower() for w in cues["model_vocabulary_seed"]["words"]}
    for fam in cues["families"].values():
        for phrase in fam.get("words", []):
            for w in phrase.rstrip("*").replace("-", " ").split():
                vocab.add(w.lower())
    if min_df > 0:
        df, lower = Counter(), Counter()
        for text in texts:
            toks = clickbait._TOKEN_RE.findall(clickbait.model_text(text))
            seen = set()
            for i, tok in enumerate(toks):
                if not tok[0].isalpha():
                    continue
                low = tok.lower()
                if low not in seen:
                    df[low] += 1
                    seen.add(low)
                if i > 0:
                    lower[low] += tok.islower()
        for w, n in df.items():
            if n >= min_df and lower[w] >= lower_share * n:
                vocab.add(w)
    return sorted(vocab)


def build_common_words(texts: list[str], min_count: int = 2, lower_share: float = 0.7) -> list[str]:
    """English words common enough to be written in lower case mid-headline (so "CANCELLED" in
    capitals is shouting while "VIZZION" or "KLOOK" is a name): counted only in headlines that are
    not in Title Case, where a capital marks a name."""
    lower, total = Counter(), Counter()
    for text in texts:
        toks = [t for t in clickbait._TOKEN_RE.findall(clickbait.model_text(text)) if t[0].isalpha()]
        long = [t for t in toks if len(t) >= 4]
        if not long or sum(t[0].isupper() for t in long) / len(long) >= 0.5:
            continue
        for tok in toks[1:]:
            if len(tok) < 3 or tok.isupper():
                continue
            low = tok.lower()
            total[low] += 1
            lower[low] += tok.islower()
    return sorted(w for w, n in total.items() if lower[w] >= min_count and lower[w] >= lower_share * n)


def featurize(texts: list[str], vocab: frozenset[str], groups: frozenset[str]) -> tuple[list[list[str]], np.ndarray]:
    """Feature rows (cue families as features, quote-aware) and each text's cue log-odds (the
    documented cue prior of clickbait_cues.json, see --cue-scale)."""
    rows, boosts = [], []
    for text in texts:
        text = (text or "").strip()[:clickbait.MAX_HEADLINE_CHARS]
        cues = clickbait.find_cues(text)
        counts: dict[str, int] = {}
        for fam, *_ in cues:
            counts[fam] = counts.get(fam, 0) + 1
        boost, sober = clickbait.cue_logit(text, cues)
        rows.append(clickbait.model_features(text, counts, vocab, groups, sober=sober))
        boosts.append(boost)
    return rows, np.array(boosts)


def platt(Z: np.ndarray, y_soft: np.ndarray, offset: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """One global calibration s = Z @ a + b (+ offset, fixed) of the learned log-odds (columns of Z:
    the masked model, the student), fitted by soft-target log-loss on the hold-out."""
    from scipy.optimize import minimize

    Z = Z.reshape(len(Z), -1)
    off = np.zeros(len(Z)) if offset is None else offset

    def loss(theta):
        s = Z @ theta[:-1] + theta[-1] + off
        p = 1 / (1 + np.exp(-s))
        g = p - y_soft
        return float(np.sum(np.logaddexp(0, s) - y_soft * s)), np.append(g @ Z, g.sum())

    res = minimize(loss, np.append(np.ones(Z.shape[1]), 0.0), jac=True, method="L-BFGS-B")
    return res.x[:-1], float(res.x[-1])


def student_terms(texts: list[str], center: float = 0.0) -> np.ndarray:
    """The student's log-odds minus `center` (0 where it cannot judge), as heuristics.clickbait adds them."""
    out = []
    for text in texts:
        z = clickbait.student_raw_logit((text or "").strip()[:clickbait.MAX_HEADLINE_CHARS])
        out.append(0.0 if z is None else z - center)
    return np.array(out)


def f1_at_half(p: np.ndarray, labels: np.ndarray) -> float:
    return binary_metrics(labels.tolist(), (p >= 0.5).astype(int).tolist())["f1"]


def to_matrix(rows: list[list[str]], index: dict[str, int]) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for feats in rows:
        ids = sorted({index[f] for f in feats if f in index})
        indices.extend(ids)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(index)))


def fit(X, y_soft, chak_X, chak_y, chak_weight: float, C: float, news=None) -> LogisticRegression:
    """Webis rows with soft labels, plus Chakraborty rows and the project's news pairs (`news`:
    (X, y, weight)), each at its own weight."""
    n = X.shape[0]
    Xs = [X, X]
    ys = [np.ones(n), np.zeros(n)]
    ws = [y_soft, 1 - y_soft]
    for extra_X, extra_y, weight in ((chak_X, chak_y, chak_weight), news or (None, None, 0)):
        if extra_X is not None and weight > 0:
            Xs.append(extra_X)
            ys.append(extra_y)
            ws.append(np.full(extra_X.shape[0], weight))
    model = LogisticRegression(C=C, max_iter=2000, solver="lbfgs")
    model.fit(sparse.vstack(Xs).tocsr(), np.concatenate(ys), sample_weight=np.concatenate(ws))
    return model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "heuristics" / "data" / "clickbait_model.json")
    ap.add_argument("--min-df", type=int, default=20,
                    help="frequent lower-case words kept in the vocabulary (0 = style words only)")
    ap.add_argument("--lower-share", type=float, default=0.9)
    ap.add_argument("--groups", nargs="*", default=["len", "cuecount"],
                    help="extra feature groups: len (length bucket), suffix, capfw (Capitalised Short "
                         "Words; off by default: Title Case is house style at many news sites)")
    ap.add_argument("--feature-min-df", type=int, default=3)
    ap.add_argument("--C", type=float, nargs="+", default=[0.03, 0.1, 0.3])
    ap.add_argument("--news-pairs", type=Path, default=ROOT / "training" / "data" / "news-pairs-train.csv",
                    help="the project's own news headline pairs (training/data/README.md)")
    ap.add_argument("--news-weight", type=float, nargs="+", default=[0.0, 0.5, 1.0, 2.0],
                    help="weights tried for the news pairs")
    ap.add_argument("--chak-min", type=float, default=0.89,
                    help="Chakraborty validation accuracy (15%% of its train part) a setting must keep (about 1 point below "
                         "round 2; Chakraborty is topic-confounded, Webis the closer benchmark): among those, the lowest Webis hold-out MSE wins")
    ap.add_argument("--chak-weight", type=float, nargs="+", default=[0.0, 0.05, 0.1, 0.2],
                    help="weight of the Chakraborty train part; kept small: its clickbait class is lifestyle "
                         "('How to…', '15 Tips…'), and more weight makes the signal flag ordinary service "
                         "journalism on real news sites")
    ap.add_argument("--cue-scales", type=float, nargs="+", default=[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
                    help="candidate weights of the cue prior (clickbait_cues.json boosts, in log-odds) added to the "
                         "calibrated model; the smallest one that meets --pairs-min and --seed-min is kept")
    ap.add_argument("--prior-shift", type=float, default=0.0,
                    help="log-odds added to the calibrated intercept (label shift from tweets to article headlines)")
    ap.add_argument("--pairs-min", type=float, default=0.90, help="news-pairs-dev accuracy the cue prior must reach")
    ap.add_argument("--seed-min", type=float, default=0.5, help="score the seed headline (alone) must reach")
    ap.add_argument("--student-scales", type=float, nargs="+", default=[0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0],
                    help="fixed student scales tried (largest first) when the fitted one falls below --chak-min")
    ap.add_argument("--reader-offsets", type=float, nargs="+",
                    default=[round(0.05 * i, 2) for i in range(0, 17)],
                    help="log-odds offsets tried for the student read alone (selected by hold-out MSE)")
    ap.add_argument("--reader-cap", type=float, default=0.45,
                    help="the most the student read alone may score when it names no words")
    ap.add_argument("--no-student", action="store_true",
                    help="leave the student (clickbait_student.npz) out of the combination (student_scale 0)")
    args = ap.parse_args()
    t0 = time.time()
    webis = read_csv(args.data / "clickbait" / "webis17-train.csv")
    chak = [r for r in read_csv(args.data / "clickbait" / "chakraborty2016.csv")
            if not chakraborty_is_test(r["headline"])]
    print(f"webis17-train: {len(webis)} rows; chakraborty train part: {len(chak)} rows "
          f"(test split excluded)")
    fit_order, hold_idx = webis_split(len(webis))
    fit_idx = sorted(fit_order)

    texts = [r["text"] for r in webis]
    common = build_common_words(texts + [r["headline"] for r in chak])
    clickbait._COMMON_WORDS = frozenset(common)  # the caps cue (a model feature) reads it
    print(f"common words (lower case mid-headline, for the shouting cue): {len(common)}")
    vocab = build_vocabulary([texts[i] for i in fit_idx], args.min_df, args.lower_share)
    vset = frozenset(vocab)
    print(f"vocabulary: {len(vocab)} words (min_df={args.min_df}); everything else is masked")

    groups = frozenset(args.groups)
    rows, boost = featurize(texts, vset, groups)
    # a source indicator absorbs Chakraborty's 50% base rate and its own headline conventions;
    # it is never set when scoring, so the shipped intercept stays the Webis one
    chak_rows = [f + ["src:chak"] for f in featurize([r["headline"] for r in chak], vset, groups)[0]]
    # the project's news pairs (same event, sober and baity): a seeded 20% of the pairs validates
    news = read_csv(args.news_pairs)
    news_rows, news_boost = featurize([r["headline"] for r in news], vset, groups)
    news_rows = [f + ["src:news"] for f in news_rows]
    nfit, nval = pair_split(news, SEED + 2)
    df = Counter()
    for feats in [rows[i] for i in fit_idx] + chak_rows + [news_rows[i] for i in nfit]:
        df.update(set(feats))
    names = sorted(f for f, n in df.items() if n >= args.feature_min_df)
    index = {f: i for i, f in enumerate(names)}
    print(f"features: {len(names)} (df >= {args.feature_min_df})  [{time.time() - t0:.1f}s]")

    X = to_matrix(rows, index)
    y_soft = np.array([float(r["truthMean"]) for r in webis])
    y_label = np.array([int(r["label"]) for r in webis])
    CX = to_matrix(chak_rows, index)
    cy = np.array([int(r["clickbait"]) for r in chak], dtype=float)
    NX = to_matrix(news_rows, index)
    ny = np.array([int(r["label"]) for r in news], dtype=float)
    NXv = to_matrix([[f for f in news_rows[i] if f != "src:news"] for i in nval], index)
    print(f"news pairs: {len(news)} rows ({len(nfit)} fit, {len(nval)} validation)")

    # news-pairs-dev (a dev set) and the seed: for the strength of the cue prior (see --cue-scales)
    pairs = read_csv(args.data / "clickbait" / "news-pairs-dev.csv")
    seed_head = "North Korea\u2019s Shocking Deal: 25,000 Workers for Russian Drone Aid!"
    prow, pboost = featurize([r["headline"] for r in pairs] + [seed_head], vset, groups)
    PX = to_matrix(prow, index)
    nwords = np.array([clickbait.n_words(r["headline"]) for r in pairs] + [9])
    py = np.array([int(r["label"]) for r in pairs])
    # a seeded 15% of the Chakraborty *train part* validates (its test split is never read)
    corder = list(range(len(chak)))
    random.Random(SEED + 1).shuffle(corder)
    ccut = int(0.15 * len(corder))
    cval, cfit = sorted(corder[:ccut]), sorted(corder[ccut:])
    cval_boost = featurize([chak[i]["headline"] for i in cval], vset, groups)[1]
    CXv = to_matrix([[f for f in chak_rows[i] if f != "src:chak"] for i in cval], index)

    # the student's log-odds, centred on its median over the Webis-train fit part (0 = a typical
    # headline; 0 too where it cannot judge), capped at 0 for titles of < 3 words as in clickbait.py
    if args.no_student:
        st_webis, st_pairs, st_cval, center = np.zeros(len(webis)), np.zeros(len(nwords)), np.zeros(len(cval)), 0.0
    else:
        raw = student_terms(texts)
        center = float(np.median(raw[fit_idx]))
        st_webis = raw - center
        st_pairs = student_terms([r["headline"] for r in pairs] + [seed_head], center)
        st_pairs = np.where(nwords < 3, np.minimum(st_pairs, 0.0), st_pairs)
        st_cval = student_terms([chak[i]["headline"] for i in cval], center)
        print(f"student: centre {center:+.3f} (median log-odds on the Webis fit part)  [{time.time() - t0:.1f}s]")

    def calibrate(m, webis_rows=hold_idx):
        """Platt on the hold-out, then the smallest cue scale meeting the pairs/seed floors (the
        calibration refitted with that prior in place). The student's scale is fitted with the
        rest unless the result falls below the Chakraborty floor (--chak-min, on its validation
        part): then the largest of --student-scales that keeps it, fixed, the rest refitted.
        a = (model_scale, student_scale). Returns (a, b, L, hold-out MSE, F1, news-pairs accuracy,
        seed score, Chakraborty validation accuracy)."""
        z_hold = np.c_[m.decision_function(X[webis_rows]), st_webis[webis_rows]]
        pz = m.decision_function(PX)
        pz = np.c_[np.where(nwords < 3, np.minimum(pz, 0.0), pz), st_pairs]
        cz = np.c_[m.decision_function(CXv), st_cval]
        candidates = [0.0] if args.no_student else [None, *sorted(args.student_scales, reverse=True)]
        for S in candidates:
            chosen = None
            for L in args.cue_scales:
                if S is None:
                    a, b = platt(z_hold, y_soft[webis_rows], L * boost[webis_rows])
                else:
                    a, b = platt(z_hold[:, :1], y_soft[webis_rows], L * boost[webis_rows] + S * z_hold[:, 1])
                    a = np.append(a, S)
                b += args.prior_shift
                s = pz @ a + b + L * pboost
                acc = float(np.mean((s[:-1] >= 0) == py))
                chosen = (a, b, L, acc, float(1 / (1 + np.exp(-s[-1]))))
                if acc >= args.pairs_min and s[-1] >= np.log(args.seed_min / (1 - args.seed_min)):
                    break
            a, b, L, acc, seed_p = chosen
            cacc = float(np.mean(((cz @ a + b + L * cval_boost) >= 0) == (cy[cval] == 1)))
            if cacc >= args.chak_min:
                break
        p = 1 / (1 + np.exp(-(z_hold @ a + b + L * boost[webis_rows])))
        mse = float(np.mean((p - y_soft[webis_rows]) ** 2))
        return a, b, L, mse, f1_at_half(p, y_label[webis_rows]), acc, seed_p, cacc

    st_nval = np.zeros(len(nval)) if args.no_student else student_terms([news[i]["headline"] for i in nval], center)

    def news_accuracy(m, a, b, L):
        s = np.c_[m.decision_function(NXv), st_nval] @ a + b + L * news_boost[nval]
        return float(np.mean((s >= 0) == (ny[nval] == 1)))

    best = None
    for nw in args.news_weight:
        for cw in args.chak_weight:
            for C in args.C:
                m = fit(X[fit_idx], y_soft[fit_idx], CX[cfit], cy[cfit], cw, C, (NX[nfit], ny[nfit], nw))
                a, b, L, mse, f1, pacc, seed_p, cacc = calibrate(m)
                nacc = news_accuracy(m, a, b, L)
                ok = cacc >= args.chak_min
                print(f"  news={nw:<4} chak_weight={cw:<4} C={C:<5} a={a[0]:.3f} student={a[1]:.3f} b={b:+.3f} cue scale={L:.2f} | Webis hold-out "
                      f"MSE={mse:.4f} F1={f1:.3f} | Chakraborty validation acc={cacc:.3f}{'' if ok else ' (below --chak-min)'}"
                      f" | news-pairs-dev acc={pacc:.3f} news validation acc={nacc:.3f} seed={seed_p:.3f}")
                key = (not ok, mse - 0.05 * f1)  # Webis MSE first (F1 breaks near-ties), Chakraborty floor
                if best is None or key < best[0]:
                    best = (key, cw, C, nw)
    _, cw, C, nw = best
    print(f"selected news weight={nw} chak_weight={cw} C={C}; refitting on all of Webis train + Chakraborty "
          f"train part + news pairs (calibration and cue scale from the hold-out fit)")
    m_sel = fit(X[fit_idx], y_soft[fit_idx], CX, cy, cw, C, (NX[nfit], ny[nfit], nw))
    a_cal, b_cal, scale, mse, f1, pacc, seed_p, cacc = calibrate(m_sel)
    print(f"calibration: model_scale={a_cal[0]:.4f} student_scale={a_cal[1]:.4f} bias={b_cal:+.4f} cue_scale={scale} | "
          f"Webis hold-out MSE={mse:.4f} F1={f1:.3f} Chakraborty validation acc={cacc:.3f}")
    st_hold = st_webis[hold_idx]
    sp = 1 / (1 + np.exp(-(st_hold + center)))
    reader_offset = None
    if not args.no_student:
        print(f"student alone on the hold-out: MSE={np.mean((sp - y_soft[hold_idx]) ** 2):.4f}")
        # the score is max(combination, student read alone lowered by an offset): pick the offset
        # by hold-out MSE (clickbait.student_reader); titles of < 3 words and texts the student
        # cannot judge get no second reader, as at run time
        p_comb = 1 / (1 + np.exp(-(np.c_[m_sel.decision_function(X[hold_idx]), st_hold] @ a_cal + b_cal
                                   + scale * boost[hold_idx])))
        heads = [texts[i].strip()[:clickbait.MAX_HEADLINE_CHARS] for i in hold_idx]
        raw_hold = [clickbait.student_raw_logit(h) if clickbait.n_words(h) >= 3 else None for h in heads]
        # alone, the reader flags only what it can explain: the runtime rule itself
        # (clickbait.reader_probability), with leave-one-word-out computed once per headline
        explained = [z is not None and bool(clickbait.student_evidence(h, 1)) for h, z in zip(heads, raw_hold)]

        def reader(off):
            return np.array([clickbait.reader_probability(z, lambda e=e: e, off, args.reader_cap)
                             for z, e in zip(raw_hold, explained)])

        scores = {}
        for off in args.reader_offsets:
            final = np.maximum(p_comb, reader(off))
            scores[off] = float(np.mean((final - y_soft[hold_idx]) ** 2))
        reader_offset = min(scores, key=lambda o: (round(scores[o], 5), o))
        final = np.maximum(p_comb, reader(reader_offset))
        print("student reader offset, hold-out MSE of max(combination, reader): "
              + ", ".join(f"{o:.2f}: {v:.5f}" for o, v in scores.items()))
        print(f"selected offset {reader_offset}: Webis hold-out MSE={scores[reader_offset]:.4f} "
              f"F1={f1_at_half(final, y_label[hold_idx]):.3f}")
    # how much would Webis alone give the cue prior? (fitted weight on the hold-out)
    from sklearn.linear_model import LogisticRegression as _LR
    z_hold = m_sel.decision_function(X[hold_idx])
    Zb = np.c_[z_hold, st_hold, boost[hold_idx]]
    nh = len(hold_idx)
    lr3 = _LR(C=1e6, max_iter=1000).fit(np.vstack([Zb, Zb]), np.concatenate([np.ones(nh), np.zeros(nh)]),
                                        sample_weight=np.concatenate([y_soft[hold_idx], 1 - y_soft[hold_idx]]))
    print(f"Webis hold-out alone would give the cue prior weight {lr3.coef_[0][-1]:+.3f} (its judges do not "
          f"see '!', 'Shocking', CAPS as clickbait); kept {scale}: news-pairs-dev acc={pacc:.3f} seed={seed_p:.3f}")
    m = fit(X, y_soft, CX, cy, cw, C, (NX, ny, nw))
    print(f"cue scale {scale}")
    weights = {f: round(float(w), 4) for f, w in zip(names, m.coef_[0])
               if abs(w) >= 1e-3 and not f.startswith("src:")}
    model = {
        "_doc": ("Logistic model over masked headline n-grams (heuristics/clickbait.py: model_features). "
                 "Written by training/train_clickbait.py; do not edit by hand. Words outside `vocabulary` are "
                 "masked to their shape, so weights describe style, not topic."),
        "trained": {"webis17_train_rows": len(webis), "chakraborty_train_rows": len(chak),
                    "news_pairs_rows": len(news), "news_weight": nw,
                    "chak_weight": cw, "C": C, "seed": SEED, "pairs_min": args.pairs_min, "seed_min": args.seed_min, "chak_min": args.chak_min, "min_df": args.min_df,
                    "feature_min_df": args.feature_min_df, "feature_groups": sorted(groups)},
        "title_case_threshold": 0.7,
        "combine": {"_doc": "score log-odds = bias + model_scale * model log-odds + student_scale * (student "
                            "log-odds - student_center) + cue_scale * cue boosts (clickbait_cues.json). "
                            "bias/model_scale/student_scale: Platt calibration fitted on the Webis-train hold-out "
                            "(the last 15% after the seeded shuffle, never seen by the student or its teacher); student_scale "
                            "fitted too unless that drops the Chakraborty validation below chak_min: then the largest "
                            "of --student-scales that keeps it (the rest refitted); "
                            "student_center: the student's median log-odds on the rest of Webis train; cue_scale: "
                            "smallest prior strength meeting news-pairs-dev >= pairs_min and the seed >= seed_min "
                            "(train_clickbait.py). A title of < min_words_for_model words: model log-odds and "
                            "student term capped at 0. The final score is max(that, sigmoid(student log-odds - "
                            "student_reader_offset)), the offset chosen by Webis hold-out MSE (null: no second reader); "
                            "alone it reaches 0.5 only when leave-one-word-out names words, else reader_unexplained_cap.",
                    "bias": round(b_cal, 4), "model_scale": round(float(a_cal[0]), 4),
                    "student_scale": round(float(a_cal[1]), 4), "student_center": round(center, 4),
                    "cue_scale": scale, "model_cap": 30.0, "min_words_for_model": 3,
                    "student_reader_offset": reader_offset, "reader_unexplained_cap": args.reader_cap},
        "common_words": common,
        "use_boosts": True,
        "feature_groups": sorted(groups),
        "intercept": round(float(m.intercept_[0]), 4),
        "vocabulary": vocab,
        "weights": dict(sorted(weights.items())),
    }
    write_model(args.out, model, t0)


def write_model(path: Path, model: dict, t0: float) -> None:
    """The model as plain JSON (one key per line, deterministic), and its strongest weights."""
    path.write_text(json.dumps(model, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    weights = model["weights"]
    top = sorted(weights.items(), key=lambda kv: kv[1])
    print("most sober features:", ", ".join(f"{k} {v:+.2f}" for k, v in top[:12]))
    print("most clickbait features:", ", ".join(f"{k} {v:+.2f}" for k, v in top[-12:][::-1]))
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB, {len(weights)} weights) "
          f"in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
