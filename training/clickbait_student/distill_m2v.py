"""Step 2: model2vec distillation of the fine-tuned teacher's encoder into a static token table
(one vector per WordPiece token, PCA to --dims). Writes WORK/m2v_teacher_<dims>.npz (vocab in id
order, emb float32). `--base` distils the untuned MiniLM instead (a baseline). ~5 min on 2 threads.

    python training/clickbait_student/distill_m2v.py [--dims 256] [--work /tmp/clickbait_student]
"""

from __future__ import annotations

import argparse
import os
import time

import common as c
from finetune import model_path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    c.add_common_args(ap)
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--base", action="store_true", help="distil the untuned all-MiniLM-L6-v2 (baseline)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    os.environ["HF_HUB_OFFLINE"] = "1"
    import numpy as np
    import torch
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(args.threads)
    c.seed_everything()
    tok = AutoTokenizer.from_pretrained(model_path())
    enc = AutoModel.from_pretrained(model_path())
    tag = "base" if args.base else "teacher"
    if not args.base:
        state = torch.load(args.work / "teacher.pt")
        enc.load_state_dict({k[4:]: v for k, v in state.items() if k.startswith("enc.")}, strict=False)
    t0 = time.time()
    m2v = distill_from_model(enc, tok, pca_dims=args.dims, quantize_to="float32")
    vocab = m2v.tokenizer.get_vocab()
    tokens = sorted(vocab, key=vocab.get)
    emb = np.asarray(m2v.embedding, dtype=np.float32)
    out = args.work / f"m2v_{tag}_{args.dims}.npz"
    np.savez(out, vocab=np.array(tokens), emb=emb)
    print(f"wrote {out}: {emb.shape[0]} tokens x {emb.shape[1]} dims in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
