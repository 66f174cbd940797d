#!/usr/bin/python3
"""Writes a GPT-2-small-shaped TorchScript model with random weights (124 M parameters: 12 blocks,
d=768, 12 heads, MLP 3072, vocab 50257, context 1024, tied head) for the scale benchmark.

usage: bench/make_gpt2_small.py OUT.pt [TOKENS]
TOKENS (default 64) is the input length the metadata declares: the workload latency and the int8 engine
choice ("int8_engine": "auto") are measured on. 1 is one token at a time, as in generation.
"""
import json
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "zoo"))
import blocks  # noqa: E402  (the zoo's transformer block: nn.Linear q/k/v/out, fc1/fc2)


class Gpt2Small(nn.Module):
    def __init__(self, vocab=50257, ctx=1024, d=768, layers=12, heads=12):
        super().__init__()
        self.tok_emb = nn.Embedding(vocab, d)
        self.pos_emb = nn.Embedding(ctx, d)
        self.blocks = nn.ModuleList([blocks.Block(d, heads, 4 * d) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.tok_emb.weight

    def forward(self, ids):
        t = ids.size(1)
        x = self.tok_emb(ids) + self.pos_emb(torch.arange(t)).unsqueeze(0)
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        for block in self.blocks:
            x = block(x, causal)
        return self.lm_head(self.ln_f(x))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Gpt2Small().eval()
    params = sum(p.numel() for p in model.parameters())
    meta = {"schema": 1, "name": "gpt2-small-shaped (random)", "task": "language-modeling",
            "input": {"shape": [1, int(sys.argv[2]) if len(sys.argv) > 2 else 64], "dtype": "int64"}}
    torch.jit.save(torch.jit.script(model), sys.argv[1], _extra_files={"compresslab.json": json.dumps(meta)})
    print(f"{sys.argv[1]}: {params} parameters, {os.path.getsize(sys.argv[1]) / 1e6:.1f} MB")
