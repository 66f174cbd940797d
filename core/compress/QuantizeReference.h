#pragma once
// The plain, loop-by-loop definition of weight quantization (llama.cpp's `_ref` kernels are the
// model): slow, obvious, and what the fast Torch path in Quantize.cpp is tested against.
//
// A row-major [rows, cols] matrix is split into groups of `groupSize` consecutive values along each
// row (groupSize = cols: per output channel; groupSize = rows*cols with rows folded: per tensor).
// Symmetric: d = (signed value of largest magnitude) / -2^(b-1), rounded to fp16; q = clamp(round(x/d),
//   -2^(b-1), 2^(b-1)-1); x' = q*d. The extreme value lands exactly on -2^(b-1): all 2^b levels used.
// Asymmetric: lo = min(x, 0), hi = max(x, 0); s = (hi-lo)/(2^b-1), rounded to fp16; z = clamp(round(-lo/s),
//   0, 2^b-1); q = clamp(round(x/s)+z, 0, 2^b-1); x' = (q-z)*s. Zero is always exactly representable,
//   so pruned weights stay zero.
#include <cstdint>
#include <vector>

namespace compresslab {

struct QuantizeReferenceResult {
    std::vector<float> dequantized; // rows*cols
    std::vector<uint8_t> codes;     // unsigned codes 0..2^b-1 (symmetric codes are offset by 2^(b-1))
    std::vector<float> scales;      // one per group, fp16-representable
    std::vector<uint8_t> zeros;     // one per group (asymmetric only)
};

QuantizeReferenceResult quantizeReference(const std::vector<float> &values, int64_t rows, int64_t cols, int bits,
                                          int64_t groupSize, bool symmetric);

float roundToHalf(float v); // the fp16 value nearest to v, as float

} // namespace compresslab
