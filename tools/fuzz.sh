#!/usr/bin/env bash
# Fuzzes the parsers of untrusted files with libFuzzer under ASan + UBSan (see docs/fuzzing.md).
#   tools/fuzz.sh [SECONDS_PER_TARGET]     default 30; CI runs tools/fuzz.sh 15 (~100 s with a cold build, 2 cores)
# Installs clang and libFuzzer if missing (Debian 12, as root), builds tests/fuzz into build-fuzz/,
# writes seed corpora into build-fuzz/corpus/<target>/ (kept between runs, so coverage accumulates),
# runs each target for SECONDS_PER_TARGET and prints its executions, coverage and verdict.
# Exits 1 if any target found a crash; the inputs are in build-fuzz/artifacts/<target>/.
# Environment: FUZZ_BUILD_DIR (build-fuzz), FUZZ_TARGETS (all four, space-separated), FUZZ_TORCH=0 to
# skip fuzz_dataset and LibTorch, FUZZ_RSS_LIMIT_MB (2048), COMPRESSLAB_ZOO_DIR (the zoo, for seeds).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "usage: tools/fuzz.sh [SECONDS_PER_TARGET]" >&2; exit 2; }
build=${FUZZ_BUILD_DIR:-build-fuzz}
torch=${FUZZ_TORCH:-1}
rss_limit=${FUZZ_RSS_LIMIT_MB:-2048}
targets=(${FUZZ_TARGETS:-safetensors zip_precheck dataset device_profile})
[ "$torch" = 1 ] || targets=("${targets[@]/dataset/}")

say() { printf '\n==> %s\n' "$*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# libFuzzer for Debian 12's clang 14 is libclang_rt.fuzzer-x86_64.a in libclang-rt-14-dev, which clang-14
# only recommends: install it explicitly.
packages=(clang-14 libclang-rt-14-dev cmake ninja-build qt6-base-dev python3)
[ "$torch" = 1 ] && packages+=(libtorch-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing ${missing[*]}"
  [ "$(id -u)" = 0 ] || { echo "run as root to install: ${missing[*]}" >&2; exit 1; }
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

say "Building the fuzz targets ($build/)"
t0=$(now)
with_torch=$([ "$torch" = 1 ] && echo ON || echo OFF)
if [ ! -f "$build/build.ninja" ] || ! grep -q "^FUZZ_WITH_TORCH:BOOL=$with_torch\$" "$build/CMakeCache.txt"; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S tests/fuzz -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DFUZZ_WITH_TORCH="$with_torch" \
        "${launcher[@]}" >/dev/null
fi
cmake --build "$build" -j "$(nproc)"
t1=$(now)
build_seconds=$(elapsed "$t0" "$t1")

say "Preparing the seed corpora ($build/corpus/)"
seed_args=(--devices resources/devices/builtin.json)
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  if /usr/bin/python3 tests/fixtures/make_fixtures.py "$build/fixtures" >"$build/fixtures.log" 2>&1; then
    seed_args+=(--fixtures "$build/fixtures")
  else
    echo "  the test fixtures failed to build (see $build/fixtures.log): synthetic seeds only"
  fi
else
  echo "  python3-torch is missing: no seeds from the test fixtures (synthetic seeds only)"
fi
zoo=${COMPRESSLAB_ZOO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/compresslab/zoo}
[ -d "$zoo" ] && seed_args+=(--zoo "$zoo")
/usr/bin/python3 tests/fuzz/make_seeds.py "$build/corpus" "${seed_args[@]}"
t2=$(now)

# UBSan reports abort (the targets are built with -fno-sanitize-recover); ask for stack traces.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
crashed=()
rows=()
for t in "${targets[@]}"; do
  [ -n "$t" ] || continue
  say "Fuzzing $t for ${seconds} s"
  bin=$build/fuzz_$t
  [ -x "$bin" ] || { echo "no target fuzz_$t (known: safetensors zip_precheck dataset device_profile)" >&2; exit 2; }
  corpus=$build/corpus/$t
  artifacts=$build/artifacts/$t
  log=$build/logs/$t.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  dict=tests/fuzz/$t.dict
  [ "$t" = dataset ] && dict=tests/fuzz/safetensors.dict
  before=$(ls "$artifacts" | wc -l)
  status=0
  "$bin" -max_total_time="$seconds" -rss_limit_mb="$rss_limit" -timeout=10 -dict="$dict" -print_final_stats=1 \
         -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || status=$?
  final_stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
  field() { local v; v=$(sed -n "s/.* $1: \([^ ]*\).*/\1/p" <<<"$last"); echo "${v:--}"; }
  after=$(ls "$artifacts" | wc -l)
  verdict="no crash"
  if [ "$status" != 0 ] || [ "$after" != "$before" ]; then
    verdict="CRASH (exit $status)"
    crashed+=("$t")
    grep -m3 -E 'ERROR: |runtime error|accepted input breaks|SUMMARY' "$log" | sed 's/^/  /' || true
    for a in $(ls -t "$artifacts" | head -3); do
      echo "  input: $artifacts/$a    reproduce: $bin $artifacts/$a"
    done
  fi
  rows+=("$(printf '%-22s %12s %9s %6s %7s %12s  %s' "fuzz_$t" "$(final_stat number_of_executed_units)" \
           "$(final_stat average_exec_per_sec)" "$(field cov)" "$(field ft)" "$(field corp)" "$verdict")")
  echo "  ${rows[-1]}"
done
t3=$(now)

say "Summary: $seconds s per target (build ${build_seconds} s, seeds $(elapsed "$t1" "$t2") s, fuzzing $(elapsed "$t2" "$t3") s)"
printf '%-22s %12s %9s %6s %7s %12s  %s\n' target executions exec/s cov ft corpus result
printf '%s\n' "${rows[@]}"
echo "logs: $build/logs/"
if [ ${#crashed[@]} -gt 0 ]; then
  echo "crashes in: ${crashed[*]} (inputs in $build/artifacts/)" >&2
  exit 1
fi
