"""spam-transformer: small transformer-encoder spam/ham classifier (SpamAssassin)."""
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

import blocks
import common
import data_spam

NAME = "spam-transformer"
SEED = 2024
SEQ_LEN = data_spam.SEQ_LEN
VOCAB = 8000
D_MODEL, N_LAYER, N_HEAD, HIDDEN = 64, 2, 2, 256  # 2 heads: the H*T*T score tensors dominate CPU time
EPOCHS, BATCH, LR = 2, 32, 2e-3
TRAIN_CAP = 8000


class SpamTransformer(nn.Module):
    def __init__(self, vocab_size: int):
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, D_MODEL)
        self.pos_emb = nn.Embedding(SEQ_LEN, D_MODEL)
        self.blocks = nn.ModuleList([blocks.Block(D_MODEL, N_HEAD, HIDDEN) for _ in range(N_LAYER)])
        self.ln_f = nn.LayerNorm(D_MODEL)
        self.classifier = nn.Linear(D_MODEL, 2)
        blocks.init_weights(self)

    def forward(self, ids):
        # ids int64 [N,T], T <= 256, 0 = padding -> logits [N,2] (ham, spam)
        pad = ids == 0
        pos = torch.arange(ids.size(1), device=ids.device)
        x = self.tok_emb(ids) + self.pos_emb(pos).unsqueeze(0)
        key_mask = pad.unsqueeze(1).unsqueeze(2)  # [N,1,1,T]: nobody attends to padding
        for block in self.blocks:
            x = block(x, key_mask)
        x = self.ln_f(x)
        keep = (~pad).unsqueeze(-1).to(x.dtype)  # masked mean over real tokens
        pooled = (x * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        return self.classifier(pooled)


def train(model, x, y, name):
    n = x.shape[0]
    steps_per_epoch = math.ceil(n / BATCH)
    total = EPOCHS * steps_per_epoch
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 50) * 0.5 * (1 + math.cos(math.pi * min(s, total) / total)))
    gen = torch.Generator().manual_seed(SEED)
    model.train()
    timer, running = common.Timer(), None
    for epoch in range(EPOCHS):
        perm = torch.randperm(n, generator=gen)
        for step in range(steps_per_epoch):
            idx = perm[step * BATCH:(step + 1) * BATCH]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
            if (step + 1) % 25 == 0 or step + 1 == steps_per_epoch:
                common.log(name, "epoch %d/%d step %d/%d loss %.3f (%.0fs)"
                           % (epoch + 1, EPOCHS, step + 1, steps_per_epoch, running, timer()))


def build(model_dir, downloads_dir):
    common.seed_everything(SEED)
    name = NAME
    items = data_spam.load(downloads_dir, name)
    train_items, eval_items = data_spam.split(items)
    train_items = train_items[:TRAIN_CAP]
    vocab = data_spam.make_vocab(train_items, VOCAB)
    xtr, ytr = data_spam.encode(train_items, vocab)
    xev, yev = data_spam.encode(eval_items, vocab)
    common.log(name, "train %d (spam %d), eval %d (spam %d), vocabulary %d"
               % (len(ytr), int(ytr.sum()), len(yev), int(yev.sum()), len(vocab)))

    model = SpamTransformer(len(vocab))
    timer = common.Timer()
    train(model, xtr, ytr, name)
    train_seconds = timer()

    meta = {"schema": 1, "name": name, "task": "classification",
            "description": "2-block transformer encoder classifying e-mails (subject + body words) as ham or spam.",
            "input": {"shape": [1, SEQ_LEN], "dtype": "int64",
                      "description": "word ids (0 = padding, 1 = unknown), first 256 words of subject + body, zero-padded"},
            "labels": data_spam.LABELS, "vocabulary": vocab, "tokenizer": "word",
            "tokenizer_pattern": data_spam.TOKEN_PATTERN,
            "license": data_spam.LICENSE, "source": data_spam.SOURCE}
    model_path = os.path.join(model_dir, "model.pt")
    common.export_model(model, meta, model_path)

    sets = {"eval": (xev, yev), "train": (xtr, ytr)}
    for split, (xs, ys) in sets.items():
        common.save_safetensors(
            os.path.join(model_dir, "%s.safetensors" % split), [("inputs", xs), ("targets", ys)],
            common.dataset_metadata("%s-%s" % (name, split), split, "classification", data_spam.SOURCE))
    return {"meta": meta, "model_path": model_path, "eval": sets["eval"], "batch_size": 64,
            "metric": common.eval_classification, "train_samples": len(ytr),
            "train_seconds": train_seconds, "seed": SEED,
            "architecture": "tok_emb(%d x %d) + pos_emb(%d), %d pre-LN encoder blocks (%d heads, MLP %d, GELU), "
                            "ln_f, masked mean pool, classifier Linear(%d->2)"
                            % (len(vocab), D_MODEL, SEQ_LEN, N_LAYER, N_HEAD, HIDDEN, D_MODEL),
            "training": "%d epochs, batch %d, AdamW lr %g warmup 50 cosine; 80/20 split by md5(group/id) after dedup"
                        % (EPOCHS, BATCH, LR)}
