#!/usr/bin/python3
"""CompressLab against plain PyTorch (Debian python3-torch, the same 1.13.1 as our LibTorch), in one run:

1. int8: our exported int8 model (compresslab-cli compress --bits 8 --int8-kernels) against
   torch.ao.quantization.quantize_dynamic({nn.Linear}, qint8) and the fp32 model. All three are timed
   by the same loop in this process with the same engine and thread count; ratios are printed.
2. magnitude pruning: ours (compresslab-cli compress --sparsity S, Linear+Conv, per layer) against
   torch.nn.utils.prune.l1_unstructured at the same sparsity: metric, and the bytes each one stores.

usage: bench/pytorch_side_by_side.py [--models brown-gpt,...] [--threads 2] [--limit 64]
"""
import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

# Wait as CompressLab's programs do (core/runtime/ThreadWaiting.h), unless the caller chose: libgomp and
# OpenBLAS read these when torch loads them.
if "OMP_WAIT_POLICY" not in os.environ:
    os.environ.update(OMP_WAIT_POLICY="PASSIVE", GOMP_SPINCOUNT=os.environ.get("GOMP_SPINCOUNT", "1000"))
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "15")

import torch  # noqa: E402
import torch.nn as nn
import torch.nn.utils.prune as prune

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools", "zoo"))
import common  # noqa: E402
import brown_gpt, fashion_cnn, spam_transformer  # noqa: E402,E401

CLASSES = {"fashion-cnn": lambda sd: fashion_cnn.FashionCNN(),
           "brown-gpt": lambda sd: brown_gpt.BrownGPT(sd["tok_emb.weight"].shape[0]),
           "spam-transformer": lambda sd: spam_transformer.SpamTransformer(sd["tok_emb.weight"].shape[0])}


def cli(args):
    p = subprocess.run([ARGS.cli] + args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(p.stderr)
    return json.loads(p.stdout) if "--json" in args else p.stdout


def latency_ms(model, x, runs=40, warmup=5):
    with torch.no_grad():
        for _ in range(warmup):
            model(x)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def metric(model, task, data, batch):
    x, y = data["inputs"][:ARGS.limit], data["targets"][:ARGS.limit]
    with torch.no_grad():
        if task == "classification":
            return common.eval_classification(model, x, y, batch)["accuracy"]
        return common.eval_language_model(model, x, y, batch)["perplexity"]


def state_bytes(model):
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.getbuffer().nbytes


def main():
    torch.set_num_threads(ARGS.threads)
    torch.backends.quantized.engine = ARGS.engine
    zoo = {m["name"]: m for m in cli(["zoo", "list", "--json"])["models"]}
    print(f"threads {ARGS.threads}, quantized engine {ARGS.engine}, torch {torch.__version__}; "
          f"metric on the first {ARGS.limit} eval samples; latency = median of 40 runs")
    for name in ARGS.models.split(","):
        m = zoo[name]
        if not m["built"]:
            print(f"{name}: not built, skipped")
            continue
        task = m["task"]
        data, _ = common.load_safetensors(m["eval"])
        batch = 16 if task == "language-modeling" else 64
        scripted = torch.jit.load(m["model"]).eval()
        sd = scripted.state_dict()
        eager = CLASSES[name](sd)
        eager.load_state_dict(sd)
        eager.eval()
        out = tempfile.mkdtemp(prefix="cl-bench-")
        cli(["compress", m["model"], "--bits", "8", "--int8-kernels", "--modules", "Linear", "--out", out])
        ours = torch.jit.load(os.path.join(out, "model-int8.pt")).eval()
        theirs = torch.ao.quantization.quantize_dynamic(eager, {nn.Linear}, dtype=torch.qint8)

        print(f"\n## {name} ({task})\n")
        print("| model | metric | latency b1 (ms) | latency b16 (ms) |")
        print("|---|---|---|---|")
        rows = {}
        for label, model in [("fp32 TorchScript", scripted), ("PyTorch quantize_dynamic", theirs), ("CompressLab int8", ours)]:
            b1 = latency_ms(model, data["inputs"][:1])
            b16 = latency_ms(model, data["inputs"][:16])
            rows[label] = (b1, b16)
            print(f"| {label} | {metric(model, task, data, batch):.3f} | {b1:.3f} | {b16:.3f} |", flush=True)
        ours_b1, theirs_b1, fp32_b1 = rows["CompressLab int8"][0], rows["PyTorch quantize_dynamic"][0], rows["fp32 TorchScript"][0]
        print(f"\nratios at batch 1: ours/theirs = {ours_b1 / theirs_b1:.2f} (goal <= 1), fp32/ours = {fp32_b1 / ours_b1:.2f} (speed-up)")

        # Magnitude pruning, 50% per layer of Linear and Conv weights.
        s = ARGS.sparsity
        pruned = CLASSES[name](sd)
        pruned.load_state_dict(sd)
        pruned.eval()
        for module in pruned.modules():
            if isinstance(module, (nn.Linear, nn.Conv2d)) and not (name == "brown-gpt" and module is pruned.lm_head):
                prune.l1_unstructured(module, "weight", amount=s)
        theirs_metric = metric(pruned, task, data, batch)
        theirs_bytes = state_bytes(pruned)
        # Same layers on both sides: brown-gpt's lm_head is tied to the embedding, so neither prunes it.
        skip = ["--skip", "lm_head"] if name == "brown-gpt" else []
        ours_json = cli(["compress", m["model"], "--sparsity", str(s), "--modules", "Linear,Conv", "--data", m["eval"],
                         "--limit", str(ARGS.limit), "--json"] + skip)
        ours_metric = ours_json["metrics"]["compressed"]["metrics"]["accuracy" if task == "classification" else "perplexity"]
        print(f"\n| {int(s * 100)}% magnitude pruning | metric | stored bytes |")
        print("|---|---|---|")
        print(f"| original | {metric(eager, task, data, batch):.3f} | {state_bytes(eager)} |")
        print(f"| torch.nn.utils.prune (state_dict: weight_orig + mask) | {theirs_metric:.3f} | {theirs_bytes} |")
        print(f"| CompressLab (exact deployed size) | {ours_metric:.3f} | {int(ours_json['size']['deployed_bytes'])} |", flush=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(HERE, "..", "build", "bin", "compresslab-cli"))
    ap.add_argument("--models", default="brown-gpt,fashion-cnn,spam-transformer")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--engine", default="onednn")
    ap.add_argument("--limit", type=int, default=64)
    ap.add_argument("--sparsity", type=float, default=0.5)
    ARGS = ap.parse_args()
    main()
