"""Derives the QDQ model from the fp32 ONNX export: the weights of the layers the engine ran as int8 become
int8 initializers feeding DequantizeLinear, with the engine's own integer values, scales and zero-points."""
import copy

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from .errors import ExportError


def _weight_uses(graph):
    """(node, input index, initializer name, orientation) for every Gemm/MatMul weight that is an initializer.
    Orientation "rows": the initializer is [out, in] (Gemm transB=1); "cols": it is [in, out] (MatMul, Gemm)."""
    initializers = {i.name for i in graph.initializer}
    uses = []
    for node in graph.node:
        if node.op_type not in ("MatMul", "Gemm") or len(node.input) < 2 or node.input[1] not in initializers:
            continue
        trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0) if node.op_type == "Gemm" else 0
        uses.append((node, 1, node.input[1], "rows" if trans_b else "cols"))
    return uses


ACTIVATIONS = ("dynamic", "fp32")


def rewrite(fp32_model, layers, fp32_weights, activations="dynamic"):
    """A new ModelProto; `layers` are torchscript.Int8Layer, `fp32_weights` {path: the dequantized weight}.
    activations "dynamic": each int8 layer's input goes through DynamicQuantizeLinear -> DequantizeLinear
    (uint8, one scale per run), as quantized::linear_dynamic quantizes it per batch; "fp32": left as is.
    A weight is found by value (bit-equal, transposed for MatMul): torch.onnx renames and transposes
    initializers when it folds constants, so names cannot be trusted."""
    model = copy.deepcopy(fp32_model)
    graph = model.graph
    arrays = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    uses = _weight_uses(graph)
    claimed = set()
    dq_nodes, new_initializers, summary = [], [], []
    for layer in layers:
        weight = fp32_weights[layer.path]
        matched = []
        for use in uses:
            node, index, name, orientation = use
            value = arrays[name]
            candidate = value if orientation == "rows" else value.T
            if id(node) in claimed or candidate.shape != weight.shape or candidate.dtype != weight.dtype:
                continue
            if np.array_equal(candidate, weight):
                matched.append(use)
        if not matched:
            raise ExportError("layer %s: its weight is not a MatMul/Gemm weight of the ONNX graph "
                              "(torch.onnx changed it, or the files are not from one export)" % layer.path)
        for orientation in sorted({m[3] for m in matched}):
            dq_output = _add_dequantize(layer, orientation, dq_nodes, new_initializers)
            for node, index, _name, o in matched:
                if o == orientation:
                    node.input[index] = dq_output
                    claimed.add(id(node))
                    if activations == "dynamic":
                        _quantize_input_dynamically(graph, node)
        summary.append({"layer": layer.path, "weight_shape": list(weight.shape),
                        "per": "channel" if layer.axis is not None else "tensor",
                        "onnx_nodes": sorted({m[0].name or m[0].op_type for m in matched})})
    # Drop fp32 weights nothing reads any more (a tied weight still read by a Gather stays).
    still_read = {name for node in graph.node for name in node.input}
    kept = [i for i in graph.initializer if i.name in still_read]
    del graph.initializer[:]
    graph.initializer.extend(kept + new_initializers)
    # DequantizeLinear reads only initializers, so putting it first keeps the graph topologically sorted.
    nodes = dq_nodes + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    return model, summary


def _quantize_input_dynamically(graph, node):
    base = (node.name or node.output[0]).strip("/").replace("/", ".") + ".input"
    names = [base + suffix for suffix in ("_quantized", "_scale", "_zero_point", "_dequantized")]
    quantize = helper.make_node("DynamicQuantizeLinear", [node.input[0]], names[:3], name=base + "_DynamicQuantizeLinear")
    dequantize = helper.make_node("DequantizeLinear", names[:3], [names[3]], name=base + "_DequantizeLinear")
    node.input[0] = names[3]
    position = list(graph.node).index(node)
    graph.node.insert(position, dequantize)
    graph.node.insert(position, quantize)


def _add_dequantize(layer, orientation, dq_nodes, initializers):
    base = layer.path + (".weight" if orientation == "rows" else ".weight_transposed")
    values = layer.values if orientation == "rows" else np.ascontiguousarray(layer.values.T)
    scales = layer.scales.astype(np.float32)
    if not np.array_equal(scales.astype(np.float64), layer.scales):
        # quantized::linear_dynamic multiplies by the float32 scale; a double that float32 cannot hold is a surprise.
        raise ExportError("layer %s: an int8 scale is not a float32 value" % layer.path)
    zero_points = layer.zero_points.astype(np.int8)
    if layer.axis is None:
        scales, zero_points, axis = scales.reshape([]), zero_points.reshape([]), None
    else:
        axis = 0 if orientation == "rows" else 1
    names = (base + "_quantized", base + "_scale", base + "_zero_point")
    initializers.append(numpy_helper.from_array(values.astype(np.int8), names[0]))
    initializers.append(numpy_helper.from_array(scales, names[1]))
    initializers.append(numpy_helper.from_array(zero_points, names[2]))
    output = base + "_dequantized"
    attrs = {} if axis is None else {"axis": axis}
    dq_nodes.append(helper.make_node("DequantizeLinear", list(names), [output], name=base + "_DequantizeLinear", **attrs))
    return output


def int8_initializers(model):
    """{initializer name: array} of the int8 weights in a QDQ model (used by the checks and the tests)."""
    return {i.name: numpy_helper.to_array(i) for i in model.graph.initializer if i.data_type == TensorProto.INT8
            and i.name.endswith("_quantized")}
