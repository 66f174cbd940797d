"""Transformer building blocks shared by brown-gpt and spam-transformer.

Written so the C++ compression engine can find and shrink the parts:
plain nn.Linear projections (q_proj/k_proj/v_proj/out_proj, fc1/fc2),
nn.LayerNorm, and a *mutable* int attribute `n_head` (not Final, so it is not
baked into the TorchScript graph). head_dim and the MLP width are derived from
the weight shapes at run time, so removing heads = slicing q/k/v rows,
out_proj columns and setting n_head; shrinking the MLP = slicing fc1 rows /
fc2 columns.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        self.n_head = n_head
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, x, mask: torch.Tensor):
        # x [B,T,D]; mask bool, broadcastable to [B,H,T,T], True = may NOT attend.
        b, t = x.size(0), x.size(1)
        q = self.q_proj(x)
        hd = q.size(-1) // self.n_head
        # Scale q (T*D elements) rather than the scores (H*T*T elements).
        q = (q * (1.0 / math.sqrt(hd))).view(b, t, self.n_head, hd).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.n_head, hd).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.n_head, hd).transpose(1, 2)
        att = torch.matmul(q, k.transpose(-2, -1))
        # Large finite negative instead of -inf: a fully masked row (empty
        # message) yields a uniform softmax rather than NaN.
        att = att.masked_fill(mask, -1e9)
        y = torch.matmul(F.softmax(att, dim=-1), v)
        y = y.transpose(1, 2).reshape(b, t, self.n_head * hd)
        return self.out_proj(y)


class MLP(nn.Module):
    def __init__(self, d_model: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(d_model, hidden)
        self.fc2 = nn.Linear(hidden, d_model)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    # Pre-LayerNorm residual block: x + attn(ln1(x)), x + mlp(ln2(x)).
    def __init__(self, d_model: int, n_head: int, hidden: int):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = Attention(d_model, n_head)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = MLP(d_model, hidden)

    def forward(self, x, mask: torch.Tensor):
        x = x + self.attn(self.ln1(x), mask)
        return x + self.mlp(self.ln2(x))


def init_weights(module, std=0.02):
    # GPT-2 style init: small normal weights, zero biases, unit LayerNorm.
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, std)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)
