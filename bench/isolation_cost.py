#!/usr/bin/python3
"""What the isolated worker costs: compresslab-cli inspect and eval on the zoo models with isolation
(the default) and with COMPRESSLAB_ISOLATION=off, interleaved, medians of wall time. Also the
workbench's probe before it opens a model (inspect --json --run). Figures go to docs/reliability.md.

usage: bench/isolation_cost.py [--cli build/bin/compresslab-cli] [--runs 7]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ZOO = os.environ.get("COMPRESSLAB_ZOO_DIR", os.path.expanduser("~/.cache/compresslab/zoo"))


def wall(cli, args, isolated):
    env = dict(os.environ)  # the launcher sets the thread waiting for both paths
    if not isolated:
        env["COMPRESSLAB_ISOLATION"] = "off"
    start = time.perf_counter()
    r = subprocess.run([cli] + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {r.stderr.strip()}")
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/bin/compresslab-cli")
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    print(f"measured on this machine, median of {a.runs} interleaved runs (wall seconds)")
    print(f"{'model':18} {'command':22} {'isolated':>9} {'in-process':>11} {'extra':>8} {'ratio':>6}")
    for name in ("fashion-cnn", "brown-gpt", "spam-transformer"):
        model = f"{ZOO}/{name}/model.pt"
        for label, args in (("inspect", ["inspect", model]),
                            ("probe (inspect --run)", ["inspect", "--json", "--run", "--allow-nonfinite", model]),
                            ("eval (full set)", ["eval", model, "--data", f"{ZOO}/{name}/eval.safetensors"])):
            on, off = [], []
            for _ in range(a.runs):
                on.append(wall(a.cli, args, True))
                off.append(wall(a.cli, args, False))
            m_on, m_off = statistics.median(on), statistics.median(off)
            print(f"{name:18} {label:22} {m_on:9.3f} {m_off:11.3f} {1000 * (m_on - m_off):+6.0f}ms {m_on / m_off:6.3f}")


if __name__ == "__main__":
    main()
