#pragma once
// Core-internal: one forward pass of a TorchScript model with errors turned into user messages.
#include "model/ModelImpl.h"

namespace compresslab {

// Runs module.forward(input) and returns the logits (the first element if the model returns a tuple).
// Throws UserError("the dataset does not fit the model: ...") when LibTorch rejects the input.
torch::Tensor runForward(torch::jit::Module &module, const torch::Tensor &input);

} // namespace compresslab
