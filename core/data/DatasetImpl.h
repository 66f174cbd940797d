#pragma once
// Core-internal: the tensors of a Dataset.
#include "data/Dataset.h"

#include <torch/types.h>

namespace compresslab {

struct Dataset::Impl {
    DatasetInfo info;
    torch::Tensor inputs;  // [N, ...] as stored (float or int64)
    torch::Tensor targets; // int64, [N] or [N, T]
    torch::Tensor mask;    // bool like targets, or undefined
};

} // namespace compresslab
