"""Outputs of the TorchScript models and the metrics of docs/formats.md, for comparing with ONNX Runtime."""
import numpy as np
import torch

from .errors import ExportError


def torch_outputs(module, inputs, batch):
    outputs = []
    with torch.no_grad():
        for first in range(0, inputs.shape[0], batch):
            try:
                outputs.append(module(torch.from_numpy(np.array(inputs[first:first + batch]))).numpy())
            except Exception as e:  # TorchScript raises RuntimeError with its interpreter's stack
                raise ExportError("the TorchScript model fails on inputs %s %s: %s"
                                  % (list(inputs.shape), inputs.dtype, str(e).strip().splitlines()[-1]))
    return np.concatenate(outputs)


def metrics(task, logits, targets, mask):
    """Accuracy for classifiers; loss, perplexity and next-token accuracy for language models (float64)."""
    if task == "classification":
        return {"accuracy": 100.0 * float(np.mean(logits.argmax(-1) == targets))}
    counted = mask if mask is not None else np.ones(targets.shape, dtype=bool)
    logits = logits.astype(np.float64)
    shifted = logits - logits.max(-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    target_log_probs = np.take_along_axis(log_probs, targets[..., None], -1)[..., 0]
    loss = float(-(target_log_probs[counted]).sum() / counted.sum())
    return {"loss": loss, "perplexity": float(np.exp(loss)),
            "token_accuracy": 100.0 * float((logits.argmax(-1) == targets)[counted].mean())}


def compare(reference, candidate):
    """How far ONNX Runtime's logits are from TorchScript's, and how often the arg-max agrees."""
    diff = np.abs(reference.astype(np.float64) - candidate.astype(np.float64))
    return {"max_abs_logit_difference": float(diff.max()), "mean_abs_logit_difference": float(diff.mean()),
            "argmax_agreement": 100.0 * float(np.mean(reference.argmax(-1) == candidate.argmax(-1)))}
