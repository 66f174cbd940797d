"""Finds the files one export reads: a `compresslab-cli compress --out` folder, or single files."""
import json
import os

from .errors import ExportError

DEQUANTIZED, INT8, PACKED, REPORT = "model-dequantized.pt", "model-int8.pt", "model-packed.safetensors", "report.json"


class Sources:
    def __init__(self):
        self.dequantized = None  # TorchScript with the compressed values in fp32 (required)
        self.int8 = None         # TorchScript with quantized::linear_dynamic layers (for the QDQ model)
        self.packed = None       # packed artifact (cross-check of the int8 values)
        self.data = None         # dataset for the comparison
        self.out = None          # output folder

    def inputs(self):
        return [p for p in (self.dequantized, self.int8, self.packed, self.data) if p]


def _existing(path, what):
    if not os.path.exists(path):
        raise ExportError("%s %s does not exist" % (what, path))
    if not os.path.isfile(path):
        raise ExportError("%s %s is not a file" % (what, path))
    return path


def resolve(source, int8=None, packed=None, data=None, out=None):
    s = Sources()
    report = {}
    if os.path.isdir(source):
        s.dequantized = os.path.join(source, DEQUANTIZED)
        if not os.path.isfile(s.dequantized):
            raise ExportError("%s holds no %s: is it a folder written by `compresslab-cli compress --out`?"
                              % (source, DEQUANTIZED))
        for attr, name in (("int8", INT8), ("packed", PACKED)):
            if os.path.isfile(os.path.join(source, name)):
                setattr(s, attr, os.path.join(source, name))
        if os.path.isfile(os.path.join(source, REPORT)):
            try:
                with open(os.path.join(source, REPORT), encoding="utf-8") as f:
                    report = json.load(f)
            except (OSError, ValueError):
                report = {}  # the report only helps find the dataset
        s.out = source
    else:
        s.dequantized = _existing(source, "model")
        s.out = os.path.dirname(os.path.abspath(source))
    if int8:
        s.int8 = _existing(int8, "int8 model")
    if packed:
        s.packed = _existing(packed, "packed artifact")
    if data:
        s.data = _existing(data, "dataset")
    else:
        measured = (report.get("metrics") or {}).get("compressed") if isinstance(report, dict) else None
        candidate = measured.get("data") if isinstance(measured, dict) else None
        if isinstance(candidate, str) and os.path.isfile(candidate):
            s.data = candidate  # the dataset `compress --data` measured this export on
    if out:
        s.out = out
    if not os.path.isdir(s.out):
        raise ExportError("output folder %s does not exist" % s.out)
    return s


def output_paths(sources):
    paths = {name: os.path.join(sources.out, name) for name in ("model.onnx", "model-qdq.onnx", "onnx-report.json")}
    inputs = {os.path.realpath(p) for p in sources.inputs()}
    for path in paths.values():
        if os.path.realpath(path) in inputs:
            raise ExportError("refusing to write %s: it is one of the input files" % path)
    return paths
