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


def int8_layers(int8_module, weights):
    """The layers of `weights` ({path: fp32 array}) that the int8 model runs as int8, in path order.

    Layers that read the same input (an attention block's q, k and v) share one packed weight, stacked by
    rows in the order its attribute name lists them (`_int8_<path>__<path>...`); each gets its own rows back."""
    names = {int8_attribute(p): p for p in weights}
    unpack = torch.ops.quantized.linear_unpack
    layers, unknown = [], []
    for name in sorted(_int8_attribute_names(int8_module)):
        paths = _paths_of(name, names)
        if paths is None:
            unknown.append(name)
            continue
        if not hasattr(int8_module, name):
            continue
        weight, _bias = unpack(getattr(int8_module, name))
        values, scales, zeros, axis = _int8_parts(paths, weight)
        rows = [weights[p].shape[0] for p in paths]
        if sum(rows) != values.shape[0]:
            raise ExportError("%s: the int8 weight has %d rows, but the layers it stacks have %d"
                              % (", ".join(paths), values.shape[0], sum(rows)))
        if len(paths) > 1 and axis is None:
            raise ExportError("%s: a stacked int8 weight must be quantized per channel" % ", ".join(paths))
        start = 0
        for path, n in zip(paths, rows):
            if axis is None:
                layers.append(Int8Layer(path, values.copy(), scales, zeros, axis))
            else:
                layers.append(Int8Layer(path, values[start:start + n].copy(), scales[start:start + n],
                                        zeros[start:start + n], axis))
            start += n
    if unknown:
        raise ExportError("the int8 model has int8 weights (%s) for layers the dequantized model does not have: "
                          "are the two files from the same export?" % ", ".join(unknown))
    return sorted(layers, key=lambda layer: layer.path)


def _paths_of(name, names):
    """The layer paths an int8 attribute holds: one, or several joined by "__"; None if any is unknown."""
    if name in names:
        return [names[name]]
    parts = name[len("_int8_"):].split("__")
    paths = [names.get("_int8_" + part) for part in parts]
    return paths if len(parts) > 1 and all(paths) else None


def _int8_parts(paths, weight):
    label = ", ".join(paths)
    scheme = weight.qscheme()
    if scheme in (torch.per_channel_affine, torch.per_channel_symmetric):
        if weight.q_per_channel_axis() != 0:
            raise ExportError("%s: int8 weight quantized along axis %d, expected 0" % (label, weight.q_per_channel_axis()))
        scales = weight.q_per_channel_scales().double().numpy()
        zeros = weight.q_per_channel_zero_points().numpy().astype(np.int64)
        axis = 0
    elif scheme in (torch.per_tensor_affine, torch.per_tensor_symmetric):
        scales = np.array([weight.q_scale()], dtype=np.float64)
        zeros = np.array([weight.q_zero_point()], dtype=np.int64)
        axis = None
    else:
        raise ExportError("%s: int8 weight has the unsupported scheme %s" % (label, scheme))
    if weight.dtype != torch.qint8:
        raise ExportError("%s: the engine's weight is %s, not qint8" % (label, weight.dtype))
    return weight.int_repr().numpy(), scales, zeros, axis


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
