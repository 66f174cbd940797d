#!/usr/bin/python3
"""Compression quality on the demo zoo: runs `compresslab-cli compress --json` for a grid of configurations
on every built zoo model and prints a Markdown table (metric before/after, exact deployed size).

usage: bench/zoo_quality.py [--cli build/bin/compresslab-cli] [--models fashion-cnn,brown-gpt,...] [--limit N]
All numbers are measured on this machine; sizes are exact accounting (see docs/compression.md).
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (label, flags). Group-128 falls back to per-channel where 128 does not divide a layer's inputs.
CONFIGS = [
    ("int8 per-channel", ["--bits", "8"]),
    ("int4 group-128", ["--bits", "4", "--granularity", "group", "--group-size", "128", "--group-fallback"]),
    ("int4 per-channel", ["--bits", "4"]),
    ("int3 per-channel RTN", ["--bits", "3"]),
    ("int3 per-channel GPTQ", ["--bits", "3", "--method", "gptq"]),
    ("int3 group-128 RTN", ["--bits", "3", "--granularity", "group", "--group-size", "128", "--group-fallback"]),
    ("int3 group-128 GPTQ", ["--bits", "3", "--granularity", "group", "--group-size", "128", "--group-fallback", "--method", "gptq"]),
    ("50% unstructured", ["--sparsity", "0.5"]),
    ("2:4 + int8", ["--pruning", "2:4", "--bits", "8"]),
    ("codebook 4-bit", ["--codebook-bits", "4"]),
    ("low-rank 50% + int8", ["--rank-ratio", "0.5", "--bits", "8"]),
]
PRIMARY = {"classification": ("accuracy", "%"), "language-modeling": ("perplexity", "")}


def run(cli, args):
    p = subprocess.run([cli] + args, capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "failed"
    return json.loads(p.stdout), None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(HERE, "..", "build", "bin", "compresslab-cli"))
    ap.add_argument("--models", default="fashion-cnn,brown-gpt,spam-transformer")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--configs", default="", help="comma-separated labels to run (default: all)")
    a = ap.parse_args()
    wanted = set(filter(None, a.configs.split(",")))
    zoo, err = run(a.cli, ["zoo", "list", "--json"])
    if err:
        sys.exit(err)
    for m in zoo["models"]:
        if m["name"] not in a.models.split(",") or not m["built"]:
            continue
        metric, unit = PRIMARY[m["task"]]
        print(f"\n### {m['name']}\n")
        print(f"| configuration | {metric} before | after | change | relative | deployed size | × smaller | bits/weight |")
        print("|---|---|---|---|---|---|---|---|")
        for label, flags in CONFIGS:
            if wanted and label not in wanted:
                continue
            args = ["compress", m["model"], "--data", m["eval"], "--json"] + flags
            if a.limit:
                args += ["--limit", str(a.limit)]
            out, err = run(a.cli, args)
            if err:
                print(f"| {label} | — | — | — | — | — | — | {err} |")
                continue
            before = out["metrics"]["original"]["metrics"][metric]
            after = out["metrics"]["compressed"]["metrics"][metric]
            size = out["size"]
            rel = (after - before) / before * 100
            print(f"| {label} | {before:.3f}{unit} | {after:.3f}{unit} | {after - before:+.3f} | {rel:+.2f}% | "
                  f"{size['deployed_bytes'] / 1e3:.1f} kB | {size['reduction']:.2f} | {size['effective_bits']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
