"""Reads CompressLab datasets and packed artifacts (safetensors) with numpy only."""
import json
import struct

import numpy as np

from .errors import ExportError

NUMPY_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32,
                "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def read_header(path):
    """Returns (header dict without __metadata__, metadata dict, offset of the data buffer)."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
            if len(head) < 8:
                raise ExportError("%s is not a safetensors file (shorter than 8 bytes)" % path)
            (n,) = struct.unpack("<Q", head)
            if n < 2 or n > 100 * 1024 * 1024:
                raise ExportError("%s is not a safetensors file (header length %d)" % (path, n))
            header = json.loads(f.read(n))
    except OSError as e:
        raise ExportError("cannot read %s: %s" % (path, e.strerror))
    except (ValueError, UnicodeDecodeError):
        raise ExportError("%s is not a safetensors file (its header is not JSON)" % path)
    if not isinstance(header, dict):
        raise ExportError("%s is not a safetensors file (its header is not a JSON object)" % path)
    meta = header.pop("__metadata__", {}) or {}
    return header, meta, 8 + n


def read_tensors(path, names=None):
    """Returns ({name: array}, metadata); only `names` when given."""
    header, meta, start = read_header(path)
    out = {}
    with open(path, "rb") as f:
        for name, h in header.items():
            if names is not None and name not in names:
                continue
            try:
                dtype = NUMPY_DTYPES[h["dtype"]]
                begin, end = h["data_offsets"]
                shape = [int(d) for d in h["shape"]]
            except (KeyError, TypeError, ValueError):
                raise ExportError("%s: tensor %s has an unsupported or damaged description" % (path, name))
            f.seek(start + begin)
            data = f.read(end - begin)
            count = int(np.prod(shape)) if shape else 1
            if len(data) != end - begin or count * np.dtype(dtype).itemsize != end - begin:
                raise ExportError("%s: tensor %s is damaged (its bytes do not match its shape)" % (path, name))
            out[name] = np.frombuffer(data, dtype=dtype).reshape(shape)
    return out, meta


def read_dataset(path):
    """A CompressLab dataset: (inputs, targets, mask or None, task)."""
    tensors, meta = read_tensors(path, {"inputs", "targets", "mask"})
    if "inputs" not in tensors or "targets" not in tensors:
        raise ExportError("%s is not a CompressLab dataset (it needs 'inputs' and 'targets')" % path)
    inputs, targets = tensors["inputs"], tensors["targets"]
    if inputs.shape[0] != targets.shape[0] or inputs.shape[0] == 0:
        raise ExportError("%s: 'inputs' and 'targets' must hold the same number of samples (> 0)" % path)
    task = meta.get("task") or ("classification" if targets.ndim == 1 else "language-modeling")
    mask = tensors.get("mask")
    return inputs, targets.astype(np.int64), (mask.astype(bool) if mask is not None else None), task
