#pragma once
// Core-internal: the one-pass fast path for the most common case (round-to-nearest integer quantization
// of an unpruned layer). Each group is read once to find its range and once to quantize; the
// dequantized values are written back in place, and error, zeros and NaN/Inf are counted on the way.
// Same per-group arithmetic as QuantizeReference.cpp (and so bit-exact with quantizeMatrix), run in
// parallel over groups. About 10 Torch passes become 2 reads and 2 writes per weight.
#include "compress/Quantize.h"

namespace compresslab {

struct FusedQuantStats {
    double errorSquared = 0; // sum (x' - x)^2
    double normSquared = 0;  // sum x^2
    int64_t zeros = 0;       // x' == 0
    bool finite = true;      // every x was finite (if not, the matrix was left unchanged)
};

// `matrix`: float32, contiguous, [rows, cols]; groupSize divides cols. Overwrites `matrix` with the
// dequantized values and returns the codes, scales and zero-points (`dequantized` stays undefined).
QuantizedMatrix quantizeInPlace(torch::Tensor &matrix, int bits, int64_t groupSize, bool symmetric, FusedQuantStats *stats);

} // namespace compresslab
