#!/usr/bin/env bash
# Installs ONNX Runtime for comparing exported models (tools/onnx/export_onnx.py): the npm package
# onnxruntime-node, whose tarball already holds the Linux x64 CPU library (libonnxruntime.so.1, ~113 MB
# download). --ignore-scripts skips its postinstall, which would only fetch CUDA/TensorRT providers.
# Into ~/.cache/compresslab/onnxruntime (or $COMPRESSLAB_ONNXRUNTIME_DIR); does nothing when present.
set -euo pipefail
version=1.30.0
dir=${COMPRESSLAB_ONNXRUNTIME_DIR:-$HOME/.cache/compresslab/onnxruntime}
if [ -f "$dir/node_modules/onnxruntime-node/package.json" ] &&
   grep -q "\"version\": \"$version\"" "$dir/node_modules/onnxruntime-node/package.json"; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm is needed (apt-get install npm)" >&2; exit 1; }
mkdir -p "$dir"
echo "Installing onnxruntime-node $version into $dir"
npm install --prefix "$dir" --ignore-scripts --no-audit --no-fund "onnxruntime-node@$version" >/dev/null
