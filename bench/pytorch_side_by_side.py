#!/usr/bin/python3
"""CompressLab against plain PyTorch (Debian python3-torch, the same 1.13.1 as our LibTorch), in one run:

1. int8: our exported int8 model (compresslab-cli compress --bits 8 --int8-kernels) against
   torch.ao.quantization.quantize_dynamic({nn.Linear}, qint8) and the fp32 model. All three are timed
   by the same loop in this process with the same engine and thread count, taking turns; ratios are printed.
2. magnitude pruning: ours (compresslab-cli compress --sparsity S, Linear+Conv, per layer) against
   torch.nn.utils.prune.l1_unstructured at the same sparsity: metric, and the bytes each one stores.

usage: bench/pytorch_side_by_side.py [--models brown-gpt,...] [--threads 2] [--limit 64] [--rounds 20]
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
# Keep freed memory for reuse, as CompressLab's worker does (core/runtime/ProcessSetup.h), so that all three
# forms run with the same allocator; glibc reads these at start-up, so the script restarts itself once.
if not ({"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"} & set(os.environ)) and os.environ.get("COMPRESSLAB_ALLOCATOR") != "default":
    os.environ.update(MALLOC_MMAP_THRESHOLD_=str(32 << 20), MALLOC_TRIM_THRESHOLD_=str(256 << 20))
    os.execv(sys.executable, [sys.executable] + sys.argv)

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


def interleaved_latency_ms(models, x, rounds, runs=8, warmup=5):
    """Median latency of each model over `rounds` rounds of `runs` runs, the models taking turns within each
    round: a slow spell of this shared machine then falls on all of them, not on one. Also the median of
    each round's own ratios against the first model."""
    times = {label: [] for label in models}
    per_round = {label: [] for label in models}
    with torch.no_grad():
        for model in models.values():
            for _ in range(warmup):
                model(x)
        for _ in range(rounds):
            for label, model in models.items():
                round_times = []
                for _ in range(runs):
                    t = time.perf_counter()
                    model(x)
                    round_times.append((time.perf_counter() - t) * 1e3)
                times[label] += round_times
                per_round[label].append(statistics.median(round_times))
    first = next(iter(models))
    ratios = {label: statistics.median(a / b for a, b in zip(per_round[first], per_round[label])) for label in models}
    return {label: statistics.median(t) for label, t in times.items()}, ratios


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
          f"metric on the first {ARGS.limit} eval samples; latency = median of {ARGS.rounds} interleaved rounds of 8 runs "
          f"(batch 16: {max(1, ARGS.rounds // 2)} rounds)")
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
        models = {"fp32 TorchScript": scripted, "PyTorch quantize_dynamic": theirs, "CompressLab int8": ours}
        b1, speedup = interleaved_latency_ms(models, data["inputs"][:1], ARGS.rounds)
        b16, _ = interleaved_latency_ms(models, data["inputs"][:16], max(1, ARGS.rounds // 2))
        for label, model in models.items():
            print(f"| {label} | {metric(model, task, data, batch):.3f} | {b1[label]:.3f} | {b16[label]:.3f} |", flush=True)
        ours_b1, theirs_b1, fp32_b1 = b1["CompressLab int8"], b1["PyTorch quantize_dynamic"], b1["fp32 TorchScript"]
        print(f"\nratios at batch 1: ours/theirs = {ours_b1 / theirs_b1:.2f} (goal <= 1), fp32/ours = {fp32_b1 / ours_b1:.2f} (speed-up; "
              f"median of the {ARGS.rounds} rounds' own ratios {speedup['CompressLab int8']:.2f})")

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
    ap.add_argument("--rounds", type=int, default=20, help="interleaved timing rounds of 8 runs per model")
    ARGS = ap.parse_args()
    main()
