#pragma once
// Core-internal: one forward pass of a TorchScript model with errors turned into user messages.
#include "model/ModelImpl.h"
#include "runtime/RuntimeInfo.h"

namespace compresslab {

// Runs module.forward(input) and returns the logits (the first element if the model returns a tuple).
// Throws UserError("the dataset does not fit the model: ...") when LibTorch rejects the input.
torch::Tensor runForward(torch::jit::Module &module, const torch::Tensor &input);

// configureRuntime for running `model`: the engine its metadata records, and a label whose int8 engine is
// the one its packed weights really run (they keep the kernels they were packed for as the file loaded).
RuntimeInfo configureRuntimeFor(const Model &model, int threads);

} // namespace compresslab
