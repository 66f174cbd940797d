#pragma once
// Core-internal: GPTQ (Frantar et al., 2022) error-correcting quantization. Columns are quantized one
// at a time; each column's rounding error is spread onto the not-yet-quantized columns through the
// inverse Hessian H = 2 X^T X of the layer's calibration inputs, so the layer's *outputs* stay close.
#include "compress/Quantize.h"

namespace compresslab {

// `matrix` [rows, cols], `hessian` [cols, cols] (float64). Same grid and storage as quantizeMatrix, so
// the result packs and accounts identically. Group scales are fixed when a group's first column is reached.
QuantizedMatrix gptqQuantize(const torch::Tensor &matrix, const torch::Tensor &hessian, int bits, int64_t groupSize,
                             bool symmetric, double dampening, const torch::Tensor &mask = {});

} // namespace compresslab
