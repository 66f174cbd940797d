"""ONNX Runtime through node: the npm package onnxruntime-node (its Linux x64 CPU library ships inside the
package; tools/onnx/install_runtime.sh puts it in ~/.cache/compresslab/onnxruntime)."""
import json
import os
import shutil
import subprocess
import tempfile

from .errors import ExportError

RUNNER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ort_run.js")
INPUT_TYPES = ("float32", "int64", "int32", "uint8")  # what ort_run.js feeds; numpy's names for them


def default_dir():
    return os.environ.get("COMPRESSLAB_ONNXRUNTIME_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "compresslab", "onnxruntime")


def probe(directory):
    """(info dict, None) when ONNX Runtime runs here, else (None, the reason)."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        return None, "node is not installed (apt-get install nodejs), so onnxruntime-node cannot run"
    if not os.path.isdir(os.path.join(directory, "node_modules", "onnxruntime-node")):
        return None, "onnxruntime-node is not installed in %s (run tools/onnx/install_runtime.sh)" % directory
    try:
        r = subprocess.run([node, RUNNER, "--probe", directory], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None, "onnxruntime-node did not answer within 60 s"
    if r.returncode != 0:
        return None, (r.stderr.strip().splitlines() or ["onnxruntime-node failed to load"])[-1]
    info = json.loads(r.stdout)
    info["node_path"] = node
    info["directory"] = directory
    return info, None


def run(info, model_path, inputs, batch, optimized_path=None):
    """The model's first output for `inputs` (numpy, first dimension = samples), run in batches of `batch`."""
    import numpy as np  # here, so that --probe answers even without numpy

    dtype = str(inputs.dtype)
    if dtype not in INPUT_TYPES:
        raise ExportError("inputs of dtype %s cannot be fed to ONNX Runtime" % inputs.dtype)
    with tempfile.TemporaryDirectory(prefix="compresslab-onnx-") as tmp:
        inputs_file, outputs_file = os.path.join(tmp, "inputs.bin"), os.path.join(tmp, "outputs.bin")
        np.ascontiguousarray(inputs).tofile(inputs_file)
        args = [info["node_path"], RUNNER, info["directory"], model_path, inputs_file, dtype,
                json.dumps(list(inputs.shape)), str(batch), outputs_file]
        if optimized_path:
            args.append(optimized_path)
        r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            reason = (r.stderr.strip().splitlines() or ["exit code %d" % r.returncode])[-1]
            raise ExportError("ONNX Runtime could not run %s: %s" % (os.path.basename(model_path), reason))
        result = json.loads(r.stdout)
        outputs = np.fromfile(outputs_file, dtype=np.float32).reshape(result["output_shape"])
    return outputs, result["seconds"]
