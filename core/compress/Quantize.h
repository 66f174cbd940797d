#pragma once
// Core-internal: the vectorised weight quantizer (same definition as QuantizeReference.h).
#include <torch/types.h>

namespace compresslab {

struct QuantizedMatrix {
    torch::Tensor dequantized; // float32, the input's shape
    torch::Tensor codes;       // uint8, the input's shape
    torch::Tensor scales;      // float32 (fp16-representable), [groups]
    torch::Tensor zeros;       // uint8 [groups], undefined when symmetric
};

// `matrix` is [rows, cols] float32; groupSize divides cols, or equals rows*cols (one group per tensor).
QuantizedMatrix quantizeMatrix(const torch::Tensor &matrix, int bits, int64_t groupSize, bool symmetric);

// Dequantizes stored codes again (the packed artifact's loader uses this): bit-exact with quantizeMatrix.
torch::Tensor dequantizeCodes(const torch::Tensor &codes, const torch::Tensor &scales, const torch::Tensor &zeros,
                              int bits, int64_t groupSize, bool symmetric);

} // namespace compresslab
