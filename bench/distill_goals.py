#!/usr/bin/python3
"""The distillation goals of docs/distillation.md, measured on the demo zoo with `compresslab-cli distill --json`:

1. brown-gpt pruned 50 % and quantized to 4 bits: how much of the lost perplexity a run of at most 5 minutes wins back;
2. fashion-cnn at 2 bits: the distance to the uncompressed model's accuracy after distillation;
3. the same run twice: identical final metrics;
4. soft targets vs hard labels only (alpha 0) at equal steps, on both models.

usage: bench/distill_goals.py [--cli build/bin/compresslab-cli] [--threads T]
Every metric is measured on this machine on the full evaluation set; times are wall clock on this machine.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ZOO = os.environ.get("COMPRESSLAB_ZOO_DIR", os.path.expanduser("~/.cache/compresslab/zoo"))

BROWN = ["--sparsity", "0.5", "--bits", "4", "--granularity", "group", "--group-size", "64",
         "--steps", "100", "--batch", "16", "--lr", "1e-3", "--warmup", "10"]
FASHION = ["--bits", "2", "--steps", "600", "--batch", "64", "--lr", "1e-3", "--warmup", "30",
           "--eval-every", "200", "--eval-limit", "2000"]


def distill(cli, model, extra, threads):
    base = os.path.join(ZOO, model)
    args = [cli, "distill", f"{base}/model.pt", "--data", f"{base}/train.safetensors", "--eval", f"{base}/eval.safetensors",
            "--json", "--no-history", "--threads", str(threads)] + extra
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {p.stderr.strip().splitlines()[-1]}")
    return json.loads(p.stdout)


def metric(result, who, key):
    return result["metrics"][who]["metrics"][key]


def row(label, r, key):
    t, b, a = metric(r, "teacher", key), metric(r, "student_before", key), metric(r, "student_after", key)
    rec = r.get("recovered")
    print(f"| {label} | {t:.3f} | {b:.3f} | {a:.3f} | {'' if rec is None else f'{rec * 100:.1f} %'} | "
          f"{r['steps']} | {r['seconds']:.0f} s |")
    return t, b, a


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(HERE, "..", "build", "bin", "compresslab-cli"))
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    for model in ("brown-gpt", "fashion-cnn"):
        if not os.path.exists(os.path.join(ZOO, model, "train.safetensors")):
            sys.exit(f"{model} is not built: run compresslab-cli zoo build")

    sys.stdout.reconfigure(line_buffering=True)
    print("| run | teacher | student before | after distillation | recovered | steps | training time |")
    print("|---|---|---|---|---|---|---|")
    brown = distill(args.cli, "brown-gpt", BROWN, args.threads)
    _, b_before, b_after = row("brown-gpt 50 % + int4 g64, perplexity", brown, "perplexity")
    brown_hard = distill(args.cli, "brown-gpt", BROWN + ["--alpha", "0"], args.threads)
    row("  same, hard labels only (alpha 0)", brown_hard, "perplexity")
    fashion = distill(args.cli, "fashion-cnn", FASHION, args.threads)
    f_teacher, _, f_after = row("fashion-cnn int2 per-channel, accuracy %", fashion, "accuracy")
    fashion_again = distill(args.cli, "fashion-cnn", FASHION, args.threads)
    row("  same seed again", fashion_again, "accuracy")
    fashion_hard = distill(args.cli, "fashion-cnn", FASHION + ["--alpha", "0"], args.threads)
    row("  same, hard labels only (alpha 0)", fashion_hard, "accuracy")
    fashion_scales = distill(args.cli, "fashion-cnn", FASHION + ["--learn-scales"], args.threads)
    row("  same, scales learned too", fashion_scales, "accuracy")

    print()
    print(f"- brown-gpt: recovered {brown['recovered'] * 100:.1f} % of the lost perplexity in {brown['seconds']:.0f} s "
          f"(goal: >= 50 % in <= 300 s): {'met' if brown['recovered'] >= 0.5 and brown['seconds'] <= 300 else 'NOT met'}")
    gap = f_teacher - f_after
    print(f"- fashion-cnn int2: {gap:.2f} points below the teacher (goal: <= 2): {'met' if gap <= 2 else 'NOT met'}")
    same = fashion["metrics"]["student_after"]["metrics"] == fashion_again["metrics"]["student_after"]["metrics"]
    print(f"- same seed twice: final metrics {'identical' if same else 'DIFFERENT'}")
    soft_b = metric(brown, "student_after", "perplexity") < metric(brown_hard, "student_after", "perplexity")
    soft_f = metric(fashion, "student_after", "accuracy") > metric(fashion_hard, "student_after", "accuracy")
    print(f"- soft targets beat hard labels only: brown-gpt {'yes' if soft_b else 'no'}, fashion-cnn {'yes' if soft_f else 'no'}")


if __name__ == "__main__":
    main()
