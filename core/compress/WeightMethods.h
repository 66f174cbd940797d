#pragma once
// Core-internal: the per-matrix building blocks of the compression pipeline. Each works on a 2-D
// float32 matrix [rows = output channels, cols = inputs] and returns new tensors; nothing in place.
#include <torch/types.h>

#include <vector>

namespace compresslab {

// Keeps the largest-magnitude (1 - sparsity) share of the entries; of equal magnitudes at the threshold,
// the first by position are kept. NaN counts as the largest.
torch::Tensor magnitudeMask(const torch::Tensor &matrix, double sparsity);
// The same selection, done in place on a contiguous float32 matrix: dropped entries become 0. Returns the
// mask; `prunedSquared`, if given, receives the sum of the dropped entries' squares (their error).
torch::Tensor pruneByMagnitudeInPlace(torch::Tensor &matrix, double sparsity, double *prunedSquared);
// One threshold across several matrices: removes the `sparsity` share of all their entries together.
std::vector<torch::Tensor> globalMagnitudeMasks(const std::vector<torch::Tensor> &matrices, double sparsity);
// Keeps the n largest of every m consecutive entries along each row; cols must be divisible by m.
torch::Tensor nmMask(const torch::Tensor &matrix, int n, int m);
// Row (output neuron) norms, L1 or L2.
torch::Tensor rowNorms(const torch::Tensor &matrix, int norm);

struct Codebook {
    torch::Tensor values;    // the clustered matrix, float32
    torch::Tensor indices;   // uint8 index into centroids, same shape
    torch::Tensor centroids; // float32 (fp16-representable), 2^bits entries
};
// 1-D k-means (Lloyd) with linear initialisation between min and max (Han et al., Deep Compression,
// found it best at keeping the rare large weights). Entries where `mask` is false stay exactly zero.
Codebook kmeansCodebook(const torch::Tensor &matrix, int bits, int iterations, const torch::Tensor &mask = {});

struct LowRankFactors {
    torch::Tensor left;  // [rows, r] = U_r * diag(S_r)
    torch::Tensor right; // [r, cols] = Vh_r
    int64_t rank = 0;
    double energyKept = 0; // sum of kept s^2 / sum of all s^2
};
// Truncated SVD by rank ratio (of min(rows, cols)) or, if ratio is 0, by retained energy.
LowRankFactors lowRankFactors(const torch::Tensor &matrix, double rankRatio, double energy);

} // namespace compresslab
