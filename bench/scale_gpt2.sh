#!/usr/bin/env bash
# Scale check: inspect + 4-bit round-to-nearest of every Linear layer of a 124 M-parameter
# GPT-2-small-shaped model, timed, with peak memory (max RSS) against the fp32 model size.
# usage: bench/scale_gpt2.sh [build/bin/compresslab-cli]
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-build/bin/compresslab-cli}
model=${TMPDIR:-/tmp}/compresslab-gpt2-small.pt
[ -f "$model" ] || /usr/bin/python3 bench/make_gpt2_small.py "$model"
fp32_mb=$(stat -c %s "$model" | awk '{printf "%.1f", $1/1e6}')
echo "model file: $fp32_mb MB"
run() { /usr/bin/time -f "%e s wall, max RSS %M kB" "$@" 2>&1 >/dev/null | tail -1; }
echo "load + inspect only:        $(run "$cli" inspect "$model" --json)"
echo "load + inspect + int4 RTN:  $(run "$cli" compress "$model" --bits 4 --modules Linear --dry-run --json)"
# Compression's own share, from the report the CLI prints (time inside compressModel).
"$cli" compress "$model" --bits 4 --modules Linear --dry-run --json | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
w = r["size"]["compressed_weights"]; s = r["size"].get("compress_seconds")
print(f"quantized {w} weights ({w*4/1e6:.0f} MB fp32)" + (f" in {s:.2f} s: {w*4/1e6/s:.0f} MB/s" if s else ""))'
