#pragma once
// Core-internal: little-endian bit packing of small unsigned codes (value i occupies bits
// [i*b, (i+1)*b) of the stream), vectorised with Torch. Used by the packed artifact.
#include <torch/types.h>

namespace compresslab {

torch::Tensor packBits(const torch::Tensor &codes, int bits);          // uint8 codes < 2^bits -> uint8 bytes
torch::Tensor unpackBits(const torch::Tensor &bytes, int bits, int64_t count); // inverse, first `count` codes

} // namespace compresslab
