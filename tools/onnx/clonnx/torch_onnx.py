"""torch.onnx export of the dequantized TorchScript model, with the repairs its graphs need."""
import contextlib
import io
import re
import warnings

import onnx
import torch
from onnx import TensorProto, helper

from .errors import ExportError

OPSET = 17  # the newest opset python3-onnx 1.12 knows; LayerNormalization is a single op from 17 on

# Ops defined for floating-point inputs only; torch.onnx 1.13 feeds some of them int64 (see repair_integer_inputs).
FLOAT_ONLY_OPS = {"Sqrt", "Exp", "Log", "Reciprocal", "Erf", "Tanh", "Sigmoid", "Sin", "Cos"}
INTEGER_TYPES = {TensorProto.INT8, TensorProto.INT16, TensorProto.INT32, TensorProto.INT64, TensorProto.UINT8,
                 TensorProto.UINT16, TensorProto.UINT32, TensorProto.UINT64}


def dynamic_axes(example, output):
    """Batch is dynamic always; the sequence too for token models (int64 [N, T] in, [N, T, ...] out)."""
    axes_in, axes_out = {0: "batch"}, {0: "batch"}
    if example.dtype == torch.int64 and example.dim() == 2:
        axes_in[1] = "sequence"
        if output.dim() == 3 and output.shape[1] == example.shape[1]:
            axes_out[1] = "sequence"
    return {"input": axes_in, "logits": axes_out}


def export(module, example):
    """The fp32 ONNX model (ModelProto) of a TorchScript module, for inputs shaped like `example`."""
    with torch.no_grad():
        try:
            output = module(example)
        except Exception as e:  # TorchScript raises RuntimeError with its interpreter's stack
            raise ExportError("the model fails on the example input %s %s: %s"
                              % (list(example.shape), example.dtype, str(e).strip().splitlines()[-1]))
    if not isinstance(output, torch.Tensor):
        raise ExportError("the model returns %s, not one tensor; only single-output models are exported"
                          % type(output).__name__)
    buffer = io.BytesIO()
    # torch.onnx prints diagnostics for scripted modules (e.g. "no signature found"); they are not errors.
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        try:
            torch.onnx.export(module, (example,), buffer, input_names=["input"], output_names=["logits"],
                              opset_version=OPSET, dynamic_axes=dynamic_axes(example, output),
                              do_constant_folding=True)
        except Exception as e:
            raise ExportError("torch.onnx cannot export this model: %s" % _exporter_reason(e))
    model = onnx.load_from_string(buffer.getvalue())
    repair_integer_inputs(model)
    return model


def _exporter_reason(error):
    text = str(error).strip()
    # Name the operator when torch says which one (UnsupportedOperatorError, SymbolicValueError, ...).
    match = re.search(r"operator '?([\w:.]+)'?", text) or re.search(r"\b(aten::\w+|prim::\w+|quantized::\w+)", text)
    first = text.splitlines()[0] if text else type(error).__name__
    first = first.split(" Please feel free to request support")[0]  # torch's boilerplate after the reason
    if match and match.group(1) not in first:
        return "operator %s: %s" % (match.group(1), first)
    return first


def _types(model):
    inferred = onnx.shape_inference.infer_shapes(model)
    types = {}
    for v in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        types[v.name] = v.type.tensor_type.elem_type
    for init in inferred.graph.initializer:
        types[init.name] = init.data_type
    return types


def repair_integer_inputs(model):
    """torch.onnx 1.13 exports TorchScript's `math.sqrt(int)` (e.g. sqrt of a head size) as Sqrt on int64,
    which ONNX forbids. TorchScript computes it in double, so a Cast to double goes in front; this is only
    done where every consumer of the result is a Cast, so no other node sees a changed type."""
    graph = model.graph
    types = _types(model)
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    repaired = []
    for index, node in enumerate(list(graph.node)):
        if node.op_type not in FLOAT_ONLY_OPS or types.get(node.input[0]) not in INTEGER_TYPES:
            continue
        users = consumers.get(node.output[0], [])
        if not users or any(u.op_type != "Cast" for u in users):
            raise ExportError("torch.onnx produced %s on an integer tensor (node %s) and it cannot be repaired"
                              % (node.op_type, node.name))
        cast_out = node.input[0] + "_as_double"
        repaired.append((node, helper.make_node("Cast", [node.input[0]], [cast_out], to=TensorProto.DOUBLE,
                                                name=node.name + "_input_as_double")))
    for node, cast in repaired:
        node.input[0] = cast.output[0]
        graph.node.insert(list(graph.node).index(node), cast)
    return len(repaired)
