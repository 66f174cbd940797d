#!/usr/bin/python3
"""Batch-1 latency of the zoo models, fp32 and int8 kernels, under several ways of idle-thread waiting.

Each setting is an environment for `compresslab-cli latency` (whose launcher keeps a policy the caller set):
passive (threads sleep at once), the app's default (short spins, core/runtime/ThreadWaiting.h), active
(spin without end), and libgomp's own default. Settings are interleaved per round; prints the median of the
rounds' medians and each setting's ratio to passive (below 1 = faster).
usage: bench/thread_waiting.py [--rounds 3] [--cli build/bin/compresslab-cli]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ZOO = os.environ.get("COMPRESSLAB_ZOO_DIR", os.path.expanduser("~/.cache/compresslab/zoo"))
MODELS = ("fashion-cnn", "brown-gpt", "spam-transformer")
SETTINGS = {
    "passive": {"OMP_WAIT_POLICY": "PASSIVE", "OPENBLAS_THREAD_TIMEOUT": "4"},
    "app default (short spins)": {},
    "active": {"OMP_WAIT_POLICY": "ACTIVE"},
}
CHOSEN = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OPENBLAS_THREAD_TIMEOUT")


def latency(cli, model_file, data, extra_env):
    env = {k: v for k, v in os.environ.items() if k not in CHOSEN}
    env.update(extra_env)
    out = subprocess.run([cli, "latency", model_file, "--data", data, "--runs", "200", "--json"],
                         env=env, capture_output=True, text=True, check=True)
    r = json.loads(out.stdout)
    return r["median_ms"], r["runtime"]["omp_wait_policy"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cli", default="build/bin/compresslab-cli")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="thread-waiting-")
    files = {}
    for m in MODELS:
        model, data = f"{ZOO}/{m}/model.pt", f"{ZOO}/{m}/eval.safetensors"
        subprocess.run([args.cli, "compress", model, "--bits", "8", "--int8-kernels", "--out", f"{work}/{m}",
                        "--no-history", "--data", data, "--limit", "8"], capture_output=True, check=True)
        files[m] = (data, {"fp32": model, "int8": f"{work}/{m}/model-int8.pt"})
    runs, ran = {}, {}
    for _ in range(args.rounds):
        for m, (data, forms) in files.items():
            for form, f in forms.items():
                for s, env in SETTINGS.items():
                    ms, policy = latency(args.cli, f, data, env)
                    runs.setdefault((m, form, s), []).append(ms)
                    ran[s] = policy
    for s in SETTINGS:
        print(f"{s}: OpenMP waiting {ran[s]}")
    print(f"\n{'model':17s} {'form':5s} " + " ".join(f"{s[:26]:>28s}" for s in SETTINGS))
    for m, (_, forms) in files.items():
        for form in forms:
            base = statistics.median(runs[(m, form, "passive")])
            cells = []
            for s in SETTINGS:
                v = statistics.median(runs[(m, form, s)])
                cells.append(f"{v:8.3f} ms ({v / base:4.2f}x)")
            print(f"{m:17s} {form:5s} " + " ".join(f"{c:>28s}" for c in cells))
    for m in files:
        for s in SETTINGS:
            fp, i8 = statistics.median(runs[(m, "fp32", s)]), statistics.median(runs[(m, "int8", s)])
            print(f"{m:17s} {s:28s} int8 speed-up over fp32: {fp / i8:4.2f}x")


if __name__ == "__main__":
    sys.exit(main())
