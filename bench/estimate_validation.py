#!/usr/bin/python3
"""Estimated vs measured latency on "This computer", for every zoo model and several configurations.

The estimate comes from `compresslab-cli estimate --device "This computer"` (the calibrated roofline);
the measurement from `compresslab-cli compress --json` (batch 1, the deployable form: int8 kernels when
asked for, else dequantized fp32), repeated REPEATS times, taking turns over the rows, because this shared 2-core machine is noisy.
Prints the error of the estimate against the median of the measured medians and against the best run.
usage: bench/estimate_validation.py [build/bin/compresslab-cli]
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

CLI = sys.argv[1] if len(sys.argv) > 1 else "build/bin/compresslab-cli"
ZOO = os.path.expanduser("~/.cache/compresslab/zoo")
REPEATS = 5
CONFIGS = {
    "fp16 weights (runs fp32)": {"quantize": {"bits": "fp16"}},  # dequantized here: the fp32 graph, as loaded
    "int4 group-128 (dequantized)": {"quantize": {"bits": 4, "granularity": "group", "group_size": 128, "group_fallback": "channel"}},
    "int8 kernels": {"quantize": {"bits": 8}, "int8_kernels": True},
    "structured 50% (MLP shrunk)": {"prune": {"sparsity": 0.5, "pattern": "structured"}},
}


def run(args):
    out = subprocess.run([CLI] + args, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main():
    # Estimates first; then REPEATS rounds of measurements taking turns over every row, so that a slow spell
    # of this shared machine falls on all rows rather than on one.
    rows, configs = [], []
    for model in ("fashion-cnn", "brown-gpt", "spam-transformer"):
        path, data = f"{ZOO}/{model}/model.pt", f"{ZOO}/{model}/eval.safetensors"
        for name, config in CONFIGS.items():
            f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
            json.dump(config, f)
            f.close()
            configs.append(f.name)
            try:
                est = run(["estimate", path, "--config", f.name, "--device", "This computer", "--data", data, "--json"])
            except subprocess.CalledProcessError as e:
                print(f"{model} / {name}: {e.stderr.strip()}", file=sys.stderr)
                continue
            rows.append({"model": model, "name": name, "path": path, "data": data, "config": f.name,
                         "estimate": est["estimates"][0]["latency_ms"], "medians": [], "mins": []})
    for _ in range(REPEATS):
        for row in rows:
            r = run(["compress", row["path"], "--config", row["config"], "--data", row["data"], "--limit", "16", "--no-history", "--json"])
            row["medians"].append(r["latency"]["compressed"]["median_ms"])
            row["mins"].append(r["latency"]["compressed"]["min_ms"])
    for name in configs:
        os.unlink(name)
    results = []
    for row in rows:
        e, m, b = row["estimate"], statistics.median(row["medians"]), min(row["mins"])
        results.append((row["model"], row["name"], e, m, b))
        print(f"{row['model']:17s} {row['name']:30s} estimated {e:8.3f} ms   measured median {m:8.3f} ms ({100 * (e - m) / m:+6.1f} %)"
              f"   best {b:8.3f} ms ({100 * (e - b) / b:+6.1f} %)", flush=True)
    rows = results
    within = sum(1 for r in rows if abs(r[2] - r[3]) / r[3] <= 0.25)
    print(f"\n{within} of {len(rows)} estimates within ±25 % of the measured median; "
          f"mean absolute error {statistics.mean(abs(r[2] - r[3]) / r[3] for r in rows) * 100:.1f} %")


if __name__ == "__main__":
    main()
