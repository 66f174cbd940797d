"""brown-gpt: small character-level GPT trained on the Brown corpus."""
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import blocks
import common
import data_brown

NAME = "brown-gpt"
SEED = 4321
CTX = 128            # context length T
D_MODEL, N_LAYER, N_HEAD, HIDDEN = 192, 4, 4, 768  # head_dim 48
BATCH = 16
STEPS = 800          # fixed step count (not a time limit) so rebuilds are identical
LR, WARMUP, MIN_LR_FRAC = 2e-3, 100, 0.1
EVAL_WINDOWS, TRAIN_WINDOWS = 256, 4096
UNK = "<unk>"


class BrownGPT(nn.Module):
    def __init__(self, vocab_size: int):
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, D_MODEL)
        self.pos_emb = nn.Embedding(CTX, D_MODEL)
        self.blocks = nn.ModuleList([blocks.Block(D_MODEL, N_HEAD, HIDDEN) for _ in range(N_LAYER)])
        self.ln_f = nn.LayerNorm(D_MODEL)
        self.lm_head = nn.Linear(D_MODEL, vocab_size, bias=False)
        blocks.init_weights(self)
        self.lm_head.weight = self.tok_emb.weight  # weight tying: one shared Parameter

    def forward(self, ids):
        # ids int64 [N,T], T <= 128 -> logits [N,T,V]
        t = ids.size(1)
        pos = torch.arange(t, device=ids.device)
        x = self.tok_emb(ids) + self.pos_emb(pos).unsqueeze(0)
        # Causal mask: position i may not attend to j > i.
        causal = torch.ones(t, t, dtype=torch.bool, device=ids.device).triu(1)
        for block in self.blocks:
            x = block(x, causal)
        return self.lm_head(self.ln_f(x))


def make_vocab(text):
    # id 0 = unknown; then every character of the training text, sorted.
    return [UNK] + sorted(set(text))


def encode(text, vocab):
    lut = np.zeros(256, dtype=np.int64)  # Brown is pure ASCII; others -> 0
    for i, ch in enumerate(vocab[1:], start=1):
        lut[ord(ch)] = i
    return torch.from_numpy(lut[np.frombuffer(text.encode("latin-1", "replace"), dtype=np.uint8)])


def windows(stream, max_count):
    """Non-overlapping (T+1)-char windows spread evenly over the whole stream."""
    avail = stream.numel() // (CTX + 1)
    count = min(max_count, avail)
    starts = torch.tensor([(i * avail // count) * (CTX + 1) for i in range(count)])
    w = torch.stack([stream[s:s + CTX + 1] for s in starts.tolist()])
    return w[:, :-1].contiguous(), w[:, 1:].contiguous()


def lr_at(step):
    if step < WARMUP:
        return LR * (step + 1) / WARMUP
    p = (step - WARMUP) / max(1, STEPS - WARMUP)
    return LR * (MIN_LR_FRAC + (1 - MIN_LR_FRAC) * 0.5 * (1 + math.cos(math.pi * p)))


def train(model, stream, name):
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=LR, betas=(0.9, 0.99))
    gen = torch.Generator().manual_seed(SEED)
    offs = torch.arange(CTX + 1)
    model.train()
    timer, running = common.Timer(), None
    for step in range(STEPS):
        starts = torch.randint(0, stream.numel() - CTX - 1, (BATCH,), generator=gen)
        w = stream[starts[:, None] + offs]
        logits = model(w[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), w[:, 1:].reshape(-1))
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        if (step + 1) % 50 == 0 or step + 1 == STEPS:
            el = timer()
            common.log(name, "step %d/%d loss %.3f lr %.2e (%.0fs, ~%.0fs left)"
                       % (step + 1, STEPS, running, lr_at(step), el, el / (step + 1) * (STEPS - step - 1)))


def build(model_dir, downloads_dir):
    common.seed_everything(SEED)
    name = NAME
    train_text, held_text = data_brown.load(downloads_dir, name)
    vocab = make_vocab(train_text)
    train_stream, held_stream = encode(train_text, vocab), encode(held_text, vocab)
    common.log(name, "%d train chars, %d held-out chars, vocabulary %d"
               % (train_stream.numel(), held_stream.numel(), len(vocab)))

    model = BrownGPT(len(vocab))
    common.log(name, "%d parameters" % common.count_parameters(model))
    timer = common.Timer()
    train(model, train_stream, name)
    train_seconds = timer()

    meta = {"schema": 1, "name": name, "task": "language-modeling",
            "description": "Character-level GPT (4 pre-LN decoder blocks, tied embeddings) trained on the Brown corpus.",
            "input": {"shape": [1, CTX], "dtype": "int64",
                      "description": "character ids (index into vocabulary, 0 = unknown), up to 128 positions"},
            "vocabulary": vocab, "tokenizer": "char",
            "license": data_brown.LICENSE, "source": data_brown.SOURCE}
    model_path = os.path.join(model_dir, "model.pt")
    common.export_model(model, meta, model_path)

    sets = {"eval": windows(held_stream, EVAL_WINDOWS), "train": windows(train_stream, TRAIN_WINDOWS)}
    for split, (xs, ys) in sets.items():
        common.save_safetensors(
            os.path.join(model_dir, "%s.safetensors" % split), [("inputs", xs), ("targets", ys)],
            common.dataset_metadata("%s-%s" % (name, split), split, "language-modeling",
                                    data_brown.SOURCE))
    return {"meta": meta, "model_path": model_path, "eval": sets["eval"], "batch_size": 16,
            "metric": common.eval_language_model, "train_samples": sets["train"][0].shape[0],
            "train_seconds": train_seconds, "seed": SEED,
            "architecture": "char GPT: tok_emb(%d x %d) + pos_emb(%d), %d pre-LN blocks (%d heads, MLP %d, GELU), "
                            "ln_f, lm_head tied to tok_emb" % (len(vocab), D_MODEL, CTX, N_LAYER, N_HEAD, HIDDEN),
            "training": "%d steps x batch %d x %d chars, AdamW lr %g warmup %d cosine, every 10th Brown file held out"
                        % (STEPS, BATCH, CTX, LR, WARMUP)}
