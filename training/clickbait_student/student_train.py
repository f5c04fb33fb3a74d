"""Step 3: the student, and the export of the shipped arrays.

A trainable static model: an embedding table initialised from the model2vec table (PCA to --dims),
pooled over the headline's WordPiece tokens (mean, max and log length), then a small MLP
(129 -> 64 -> 1, sigmoid), trained by MSE against
* Webis-17 train split: (1 - kd_webis) * truthMean + kd_webis * teacher score;
* knowledge distillation: the teacher's scores of the Chakraborty train-part headlines (weight --kd;
  news-pairs-dev headlines excluded; its labels unused, its test split never read).
The epoch with the lowest Webis hold-out MSE is kept; rows never seen in training are pruned
(--prune), then the runtime arrays are exported as a plain npz (no pickles):
vocab (tokens in id order), rowmap (id -> row, -1 pruned), emb (float16), W1, b1, w2, b2, pool.
evaluate_export.py scores the export through the shipped runtime (heuristics.clickbait), so its
figures are those of the arrays (evaluate_export.py, in the project venv). ~15 s per epoch on one thread.

    python training/clickbait_student/student_train.py --out heuristics/data/clickbait_student.npz
"""

from __future__ import annotations

import argparse
import time

import common as c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    c.add_common_args(ap)
    ap.add_argument("--init", default=None, help="model2vec table (default WORK/m2v_teacher_256.npz)")
    ap.add_argument("--teacher", default=None, help="teacher scores (default WORK/teacher_scores.npz)")
    ap.add_argument("--dims", type=int, default=64)
    ap.add_argument("--pool", default="meanmaxlen", help="mean, plus 'max' and/or 'len' if named")
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--kd", type=float, default=1.0, help="weight of the teacher-scored Chakraborty headlines")
    ap.add_argument("--kd-webis", type=float, default=0.5, help="share of the teacher score in the Webis target")
    ap.add_argument("--news-kd", type=float, default=0.0,
                    help="weight of the teacher-scored news pairs (training/data, their training part); "
                         "needs teacher scores from finetune.py --news")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr-emb", type=float, default=5e-4)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--no-prune", action="store_true", help="keep table rows never seen in training")
    ap.add_argument("--out", default=None, help="exported npz (default WORK/clickbait_student.npz)")
    args = ap.parse_args()

    import numpy as np
    import torch
    import torch.nn as nn
    from sklearn.decomposition import PCA

    WordPiece = c.wordpiece().WordPiece  # the shipped tokenizer (heuristics/wordpiece.py)

    torch.set_num_threads(1)
    c.seed_everything()
    init = np.load(args.init or args.work / "m2v_teacher_256.npz")
    vocab = [str(t) for t in init["vocab"]]
    E = init["emb"].astype(np.float32)
    if args.dims < E.shape[1]:
        E = PCA(args.dims, random_state=c.SEED).fit_transform(E).astype(np.float32)
    E = E / np.linalg.norm(E, axis=1).mean()  # one global rescale
    tok = WordPiece(vocab)
    unk = tok.unknown_id
    (Xt, _, mt), (Xh, yh, mh) = c.webis_split(args.data)
    T = np.load(args.teacher or args.work / "teacher_scores.npz")
    texts, target, weight = list(Xt), list((1 - args.kd_webis) * mt + args.kd_webis * T["tr"]), [1.0] * len(Xt)
    pairs = set(c.news_pairs(args.data)[0])
    extra = [(h, float(s)) for h, s in zip(c.chakraborty_train(args.data), T["chak"]) if h not in pairs]
    texts += [h for h, _ in extra]
    target += [s for _, s in extra]
    weight += [args.kd] * len(extra)
    if args.news_kd > 0:
        news = list(zip(c.news_train()[0], T["news"]))
        texts += [h for h, _ in news]
        target += [float(s) for _, s in news]
        weight += [args.news_kd] * len(news)
    ids = [[i for i in tok.ids(x) if i != unk] or [unk] for x in texts]
    hold_ids = [[i for i in tok.ids(x) if i != unk] or [unk] for x in Xh]
    print(f"training texts: {len(Xt)} Webis + {len(extra)} teacher-scored Chakraborty; hold-out {len(Xh)}", flush=True)

    class Student(nn.Module):
        def __init__(self):
            super().__init__()
            self.e = nn.Embedding.from_pretrained(torch.tensor(E), freeze=False)
            k = args.dims * (2 if "max" in args.pool else 1) + (1 if "len" in args.pool else 0)
            self.l1 = nn.Linear(k, args.hidden)
            self.l2 = nn.Linear(args.hidden, 1)

        def forward(self, x, mask):
            e = self.e(x)
            mm = mask.unsqueeze(-1)
            n = mm.sum(1)
            feats = [(e * mm).sum(1) / n]
            if "max" in args.pool:
                feats.append((e + (mm - 1) * 1e4).max(1).values)
            if "len" in args.pool:
                feats.append(torch.log1p(n) - 2.5)
            return torch.sigmoid(self.l2(torch.relu(self.l1(torch.cat(feats, 1)))).squeeze(-1))

    def batch(seqs):
        n = max(len(s) for s in seqs)
        x = torch.zeros(len(seqs), n, dtype=torch.long)
        mask = torch.zeros(len(seqs), n)
        for i, s in enumerate(seqs):
            x[i, :len(s)] = torch.tensor(s)
            mask[i, :len(s)] = 1
        return x, mask

    model = Student()
    opt = torch.optim.Adam([{"params": model.e.parameters(), "lr": args.lr_emb},
                            {"params": list(model.l1.parameters()) + list(model.l2.parameters()), "lr": args.lr}])
    tg = torch.tensor(target, dtype=torch.float32)
    wt = torch.tensor(weight, dtype=torch.float32)

    def predict(seqs):
        model.eval()
        with torch.no_grad():
            out = np.concatenate([model(*batch(seqs[i:i + 1024])).numpy() for i in range(0, len(seqs), 1024)])
        model.train()
        return out

    best, best_state = float("inf"), None
    for ep in range(args.epochs):
        order = np.random.permutation(len(ids))
        t0 = time.time()
        for i in range(0, len(order), args.batch):
            j = order[i:i + args.batch]
            x, mask = batch([ids[q] for q in j])
            loss = (wt[j] * (model(x, mask) - tg[j]) ** 2).sum() / wt[j].sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        s = predict(hold_ids)
        mse = float(((s - mh) ** 2).mean())
        print(f"epoch {ep} hold-out MSE {mse:.4f} F1@.5 {c.f1(yh, (s >= .5).astype(int)):.3f} {time.time() - t0:.0f}s",
              flush=True)
        if mse < best:
            best, best_state = mse, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)

    # ---- export: plain arrays (float16 table, float32 head) ----
    emb = model.e.weight.detach().numpy()
    rowmap = np.arange(len(vocab), dtype=np.int32)
    if not args.no_prune:  # rows never seen in training text: their ids map to -1, dropped at runtime
        keep = np.array(sorted({i for s in ids for i in s} | {unk}))
        rowmap[:] = -1
        rowmap[keep] = np.arange(len(keep), dtype=np.int32)
        emb = emb[keep]
    out = args.out or args.work / "clickbait_student.npz"
    np.savez_compressed(out, vocab=np.array(vocab), rowmap=rowmap, emb=emb.astype(np.float16),
                        W1=model.l1.weight.detach().numpy().T.astype(np.float32),
                        b1=model.l1.bias.detach().numpy().astype(np.float32),
                        w2=model.l2.weight.detach().numpy()[0].astype(np.float32),
                        b2=np.float32(model.l2.bias.detach().numpy()[0]), pool=np.array(args.pool))

    print(f"wrote {out} (best hold-out MSE in training {best:.4f}); score it through the shipped runtime with\n"
          f"  python training/clickbait_student/evaluate_export.py {out}")

if __name__ == "__main__":
    main()
