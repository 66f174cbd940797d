"""Loads CompressLab's TorchScript files: the dequantized model, its metadata and the int8 model's layers."""
import json
import zipfile

import numpy as np
import torch

from .errors import ExportError


def load(path):
    """Returns (module in eval mode, compresslab.json metadata dict or {})."""
    try:
        if not zipfile.is_zipfile(path):
            raise ExportError("%s is not a TorchScript model (not a ZIP archive written by torch.jit.save)" % path)
    except OSError as e:
        raise ExportError("cannot read %s: %s" % (path, e.strerror))
    extra = {"compresslab.json": ""}
    try:
        module = torch.jit.load(path, map_location="cpu", _extra_files=extra)
    except Exception as e:  # torch raises RuntimeError or ValueError with multi-line text
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ExportError("%s is not a TorchScript model torch can load: %s" % (path, first))
    module.eval()
    try:
        meta = json.loads(extra["compresslab.json"]) if extra["compresslab.json"] else {}
    except ValueError:
        meta = {}  # as the app does: metadata that is not JSON is ignored
    return module, meta if isinstance(meta, dict) else {}


def linear_weights(module):
    """{module path: fp32 weight array} for every module with a 2-D `weight` tensor."""
    out = {}
    for path, sub in module.named_modules():
        weight = getattr(sub, "weight", None) if path else None
        if isinstance(weight, torch.Tensor) and weight.dim() == 2 and weight.dtype == torch.float32:
            out[path] = weight.detach().numpy()
    return out


def int8_attribute(path):
    # The name core/compress/Int8Kernels.cpp gives the prepacked weight of the layer at `path`.
    return "_int8_" + path.replace(".", "_")


class Int8Layer:
    """One Linear layer the engine runs with quantized::linear_dynamic, as the engine prepacked it."""

    def __init__(self, path, values, scales, zero_points, axis):
        self.path = path
        self.values = values            # int8 [out, in], bit-identical to the engine's weight
        self.scales = scales            # float64 [out] (per channel) or [1] (per tensor)
        self.zero_points = zero_points  # int64, same shape as scales
        self.axis = axis                # 0 per output channel, None per tensor


def int8_layers(int8_module, candidate_paths):
    """The layers of `candidate_paths` that the int8 model runs as int8, in path order."""
    layers = []
    names = {int8_attribute(p): p for p in candidate_paths}
    unpack = torch.ops.quantized.linear_unpack
    for name, path in sorted(names.items(), key=lambda item: item[1]):
        if not hasattr(int8_module, name):
            continue
        weight, _bias = unpack(getattr(int8_module, name))
        scheme = weight.qscheme()
        if scheme in (torch.per_channel_affine, torch.per_channel_symmetric):
            if weight.q_per_channel_axis() != 0:
                raise ExportError("%s: int8 weight quantized along axis %d, expected 0" % (path, weight.q_per_channel_axis()))
            scales = weight.q_per_channel_scales().double().numpy()
            zeros = weight.q_per_channel_zero_points().numpy().astype(np.int64)
            axis = 0
        elif scheme in (torch.per_tensor_affine, torch.per_tensor_symmetric):
            scales = np.array([weight.q_scale()], dtype=np.float64)
            zeros = np.array([weight.q_zero_point()], dtype=np.int64)
            axis = None
        else:
            raise ExportError("%s: int8 weight has the unsupported scheme %s" % (path, scheme))
        if weight.dtype != torch.qint8:
            raise ExportError("%s: the engine's weight is %s, not qint8" % (path, weight.dtype))
        layers.append(Int8Layer(path, weight.int_repr().numpy().copy(), scales, zeros, axis))
    unknown = sorted(a for a in _int8_attribute_names(int8_module) if a not in names)
    if unknown:
        raise ExportError("the int8 model has int8 weights (%s) for layers the dequantized model does not have: "
                          "are the two files from the same export?" % ", ".join(unknown))
    return layers


def _int8_attribute_names(module):
    # A ScriptModule has no public attribute listing; its class type's code names every attribute it reads.
    code = module.code
    return {word for word in _words(code) if word.startswith("_int8_")}


def _words(text):
    word = []
    for ch in text:
        if ch.isalnum() or ch == "_":
            word.append(ch)
        elif word:
            yield "".join(word)
            word = []
    if word:
        yield "".join(word)
