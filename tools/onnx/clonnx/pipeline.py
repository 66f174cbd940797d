"""The export: fp32 ONNX, QDQ ONNX where the engine chose int8, checks, and the comparison with TorchScript."""
import json
import os
import time

import numpy as np
import onnx
import torch

from . import atomic, evaluate, packed, qdq, runtime, torchscript, torch_onnx
from .errors import ExportError
from .safetensors_io import read_dataset
from .sources import output_paths


def _example(meta, dataset):
    """A two-sample example input: from the dataset, else from compresslab.json's input.shape/dtype."""
    if dataset is not None:
        return torch.from_numpy(np.array(dataset[0][:2]))
    spec = meta.get("input") or {}
    shape, dtype = spec.get("shape"), spec.get("dtype", "float32")
    if not isinstance(shape, list) or not shape or not all(isinstance(d, int) and d > 0 for d in shape):
        raise ExportError("the model's compresslab.json gives no input.shape; pass a dataset with --data")
    shape = [2] + shape[1:]
    generator = torch.Generator().manual_seed(0)
    if dtype in ("int64", "int32"):
        vocabulary = len(meta.get("vocabulary") or []) or 2
        return torch.randint(0, vocabulary, shape, generator=generator, dtype=getattr(torch, dtype))
    if dtype != "float32":
        raise ExportError("input.dtype %s is not supported (float32, int64, int32)" % dtype)
    return torch.rand(shape, generator=generator)


def _check(model, what):
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as e:  # ValidationError / InferenceError, multi-line
        raise ExportError("onnx.checker rejects the %s model: %s" % (what, str(e).strip().splitlines()[0]))


def _save(model, path):
    atomic.write_bytes(path, model.SerializeToString())
    return {"path": path, "bytes": os.path.getsize(path)}


def run(sources, progress, compare=True, runtime_dir=None, limit=None, batch=32, activations="dynamic"):
    paths = output_paths(sources)
    report = {"inputs": {"dequantized": sources.dequantized, "int8": sources.int8, "packed": sources.packed,
                         "data": sources.data},
              "versions": {"torch": torch.__version__, "onnx": onnx.__version__, "opset": torch_onnx.OPSET}}
    progress(5, "loading " + os.path.basename(sources.dequantized))
    module, meta = torchscript.load(sources.dequantized)
    dataset = read_dataset(sources.data) if sources.data else None
    if dataset is not None and limit:
        dataset = tuple(None if a is None else a[:limit] for a in dataset[:3]) + (dataset[3],)
    example = _example(meta, dataset)

    progress(15, "exporting the fp32 model with torch.onnx")
    fp32 = torch_onnx.export(module, example)
    fp32.doc_string = "CompressLab: %s (dequantized weights, fp32)" % os.path.basename(sources.dequantized)
    _check(fp32, "fp32")
    report["fp32"] = _save(fp32, paths["model.onnx"])

    int8_module, layers = None, []
    if sources.int8:
        progress(35, "reading the int8 model's layers")
        int8_module, _ = torchscript.load(sources.int8)
        weights = torchscript.linear_weights(module)
        layers = torchscript.int8_layers(int8_module, weights)
    if layers:
        progress(40, "writing %d int8 layer(s) as QDQ" % len(layers))
        qdq_model, summary = qdq.rewrite(fp32, layers, weights, activations)
        qdq_model.doc_string = ("CompressLab: %s; weights of %d layer(s) int8 as the int8 engine chose them, "
                                "their inputs %s" % (os.path.basename(sources.dequantized), len(layers),
                                                     "quantized dynamically (uint8 per run)" if activations == "dynamic"
                                                     else "fp32"))
        _check(qdq_model, "QDQ")
        _verify_int8(qdq_model, layers)
        report["qdq"] = _save(qdq_model, paths["model-qdq.onnx"])
        report["qdq"]["int8_layers"] = summary
        report["qdq"]["activations"] = activations
        if sources.packed:
            report["qdq"]["packed_artifact_cross_check"] = packed.cross_check(sources.packed, layers)
    else:
        reason = ("no int8 model (model-int8.pt) was given" if not sources.int8
                  else "the int8 model runs no layer with int8 kernels")
        report["qdq"] = {"skipped": reason}

    if compare:
        report["comparison"] = _compare(sources, paths, module, int8_module, bool(layers), example, dataset,
                                        meta, progress, runtime_dir, batch)
    progress(98, "writing " + os.path.basename(paths["onnx-report.json"]))
    atomic.write_bytes(paths["onnx-report.json"], (json.dumps(report, indent=1) + "\n").encode("utf-8"))
    report["report"] = paths["onnx-report.json"]
    return report


def _verify_int8(model, layers):
    """The int8 initializers read back equal the engine's values (the rewrite's own guard)."""
    stored = qdq.int8_initializers(model)
    for layer in layers:
        found = {name: stored.get(layer.path + name) for name in (".weight_quantized", ".weight_transposed_quantized")}
        as_stored = [v if name == ".weight_quantized" else v.T for name, v in found.items() if v is not None]
        if not as_stored or not all(np.array_equal(v, layer.values) for v in as_stored):
            raise ExportError("layer %s: the QDQ model's int8 weight differs from the engine's" % layer.path)


def _compare(sources, paths, module, int8_module, has_qdq, example, dataset, meta, progress, runtime_dir, batch):
    info, reason = runtime.probe(runtime_dir or runtime.default_dir())
    if info is None:
        return {"skipped": reason}
    result = {"runtime": "%s %s" % (info["runtime"], info["version"])}
    if dataset is not None:
        inputs, targets, mask, task = dataset
        result["data"] = {"path": sources.data, "samples": int(inputs.shape[0]), "task": task}
    else:
        inputs, targets, mask, task = example.numpy(), None, None, meta.get("task")
        result["data"] = {"example_input": list(example.shape)}
    runs = [("fp32", paths["model.onnx"], module, os.path.basename(sources.dequantized))]
    if has_qdq:
        runs.append(("qdq", paths["model-qdq.onnx"], int8_module, os.path.basename(sources.int8)))
    step = 50
    for name, onnx_path, reference_module, reference_name in runs:
        progress(step, "running %s with LibTorch" % reference_name)
        reference = evaluate.torch_outputs(reference_module, inputs, batch)
        progress(step + 10, "running %s with ONNX Runtime" % os.path.basename(onnx_path))
        started = time.monotonic()
        candidate, _ = runtime.run(info, onnx_path, inputs, batch)
        entry = {"reference": reference_name, "onnx_runtime_seconds": round(time.monotonic() - started, 3)}
        entry.update(evaluate.compare(reference, candidate))
        if targets is not None:
            entry["metrics_torchscript"] = evaluate.metrics(task, reference, targets, mask)
            entry["metrics_onnx"] = evaluate.metrics(task, candidate, targets, mask)
        if name == "qdq":
            # With fp32 activations the QDQ model is closest to the dequantized model: show that distance too.
            dequantized = evaluate.torch_outputs(module, inputs, batch)
            entry["vs_dequantized_torchscript"] = evaluate.compare(dequantized, candidate)
        result[name] = entry
        step += 20
    if example.dtype == torch.int64 and example.dim() == 2 and example.shape[1] > 1:
        # The sequence axis is dynamic: a shorter sequence must give what TorchScript gives.
        short = example[:, : max(1, example.shape[1] // 2)].numpy()
        candidate, _ = runtime.run(info, paths["model.onnx"], short, batch)
        result["shorter_sequence"] = {"shape": list(short.shape),
                                      **evaluate.compare(evaluate.torch_outputs(module, short, batch), candidate)}
    return result
