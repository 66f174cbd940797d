#pragma once
// Core-internal: the int8 Linear kernels the int8 export runs (quantized::linear_prepack and
// quantized::linear_dynamic), called boxed so no private ATen headers are needed. Shared by the graph
// rewrite and the calibration of "This computer".
#include <QString>

#include <torch/script.h>

namespace compresslab {

// Symmetric per-channel int8 weights, packed for the quantized engine in force now.
c10::IValue prepackInt8Linear(const torch::Tensor &weight, const c10::optional<torch::Tensor> &bias);
// y = x W^T + b with dynamically quantized activations.
torch::Tensor runInt8Linear(const torch::Tensor &x, const c10::IValue &packed);
// The engine a packed weight runs on ("onednn", "qnnpack", "fbgemm"), or "" for any other value. Packed
// weights keep the kernels they were packed for, whatever engine is in force when they run.
QString packedEngineOf(const c10::IValue &value);

} // namespace compresslab
