#!/usr/bin/env bash
# One entry point for the two README commands, on Debian 12 as root:
#   tools/setup.sh run   install what is missing, build, prepare the demo models once, open the workbench
#   tools/setup.sh test  install what is missing, build, run every test through ctest
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
[ "$mode" = run ] || [ "$mode" = test ] || { echo "usage: tools/setup.sh run|test" >&2; exit 1; }

say() { printf '\n==> %s\n' "$*"; }

# Debian packages the build, the tests and the zoo need; only missing ones are installed.
packages=(cmake ninja-build g++ pkg-config
          qt6-base-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqcustomplot-dev qt6-translations-l10n
          libtorch-dev libopenblas0-pthread libsqlite3-dev
          python3-torch python3-numpy python3-onnx python3-pil)
[ "$mode" = run ] && packages+=(dataset-fashion-mnist xvfb xauth)
# The package checks: validators of the desktop entry, AppStream metainfo and man pages.
[ "$mode" = test ] && packages+=(desktop-file-utils appstream groff-base debootstrap)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
! command -v npm >/dev/null && missing+=(npm) # zoo downloads (run), ONNX Runtime (test)
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing ${missing[*]}"
  [ "$(id -u)" = 0 ] || { echo "run as root to install: ${missing[*]}" >&2; exit 1; }
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# LibTorch uses whichever libblas.so.3 the alternatives system selects; the reference BLAS is ~40x slower.
blas_link=/etc/alternatives/libblas.so.3-x86_64-linux-gnu
if ! readlink -f "$blas_link" 2>/dev/null | grep -q openblas; then
  say "Selecting OpenBLAS for libblas.so.3"
  update-alternatives --set libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
fi

say "Building (build/)"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
cmake --build build -j "$(nproc)"

if [ "$mode" = test ]; then
  say "Installing ONNX Runtime for the ONNX export tests (npm, cached)"
  bash tools/onnx/install_runtime.sh || echo "ONNX Runtime is not installed: the ONNX comparison tests will skip"
  say "Running the tests"
  ctest --test-dir build --output-on-failure -j "$(nproc)"
  # A short bounded fuzz of the parsers of untrusted files (ASan + UBSan; docs/fuzzing.md).
  say "Fuzzing the file parsers, 15 s per target"
  bash tools/fuzz.sh 15
  # The .deb, installed into a clean Debian 12 root and used there (packaging/README.md; ~1 min once cached).
  if [ "$(id -u)" = 0 ]; then
    say "Building the .deb and installing it into a clean Debian 12 root"
    bash packaging/install_test.sh
  else
    say "Skipping the package install test: it needs root (debootstrap, chroot)"
  fi
  exit 0
fi

say "Preparing the demo models (trained here once, then cached; a few minutes)"
build/bin/compresslab-cli zoo build
model=$(build/bin/compresslab-cli zoo path fashion-cnn)/model.pt

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  say "Opening CompressLab on fashion-cnn"
  exec build/bin/compresslab "$model"
fi
# No display (a server or a container): show that the window works by saving a screenshot of it.
shot=build/compresslab-window.png
say "No display found: saving a screenshot of the window to $shot instead"
xvfb-run -a -s "-screen 0 1400x900x24" build/bin/compresslab --evaluate --screenshot "$shot" "$model"
echo "Saved $shot. On a desktop, run: build/bin/compresslab \"$model\""
