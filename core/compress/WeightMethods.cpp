#include "compress/WeightMethods.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace compresslab {

namespace {

// A magnitude's order key: for non-negative floats the bit pattern orders like the value; NaN sorts last
// (it is kept, and the NaN check that follows names the layer).
uint32_t magnitudeKey(float x)
{
    const float a = std::fabs(x);
    if (std::isnan(a))
        return 0xFFFFFFFFu;
    uint32_t key;
    std::memcpy(&key, &a, sizeof key);
    return key;
}

struct Threshold {
    uint32_t key = 0;     // entries below it are dropped, above it kept
    int64_t tiesKept = 0; // of the entries equal to it, this many (the first by position) are kept
};

// The drop-th smallest magnitude by radix selection: a histogram of the keys' high 16 bits finds its bucket,
// a second of the low 16 bits inside that bucket finds it exactly. Two linear passes instead of a sort
// (topk of half a layer dominated the live point's time).
Threshold magnitudeThreshold(const float *v, int64_t n, int64_t drop)
{
    std::vector<int64_t> histogram(1 << 16, 0);
    for (int64_t i = 0; i < n; ++i)
        ++histogram[magnitudeKey(v[i]) >> 16];
    int64_t below = 0;
    uint32_t high = 0;
    while (below + histogram[high] < drop)
        below += histogram[high++];
    std::fill(histogram.begin(), histogram.end(), 0);
    for (int64_t i = 0; i < n; ++i) {
        const uint32_t key = magnitudeKey(v[i]);
        if ((key >> 16) == high)
            ++histogram[key & 0xFFFFu];
    }
    uint32_t low = 0;
    while (below + histogram[low] < drop)
        below += histogram[low++];
    return {(high << 16) | low, histogram[low] - (drop - below)};
}

} // namespace

torch::Tensor pruneByMagnitudeInPlace(torch::Tensor &matrix, double sparsity, double *prunedSquared)
{
    TORCH_CHECK(matrix.scalar_type() == torch::kFloat && matrix.is_contiguous(), "pruneByMagnitudeInPlace needs contiguous float32");
    const int64_t n = matrix.numel();
    const int64_t drop = std::clamp<int64_t>(std::llround(sparsity * double(n)), 0, n);
    auto mask = torch::ones(matrix.sizes(), torch::kBool);
    double squared = 0;
    if (drop > 0) {
        float *v = matrix.data_ptr<float>();
        bool *keep = mask.data_ptr<bool>();
        const Threshold t = drop == n ? Threshold{0xFFFFFFFFu, 0} : magnitudeThreshold(v, n, drop);
        // Below the threshold: dropped, without a branch (half the entries go each way: a branch would
        // mispredict on every other one). Equal to it: the first tiesKept stay, the rest go.
        int64_t ties = 0;
        for (int64_t i = 0; i < n; ++i) {
            const uint32_t key = magnitudeKey(v[i]);
            const bool below = key < t.key || drop == n;
            ties += key == t.key;
            keep[i] = !below;
            squared += below ? double(v[i]) * double(v[i]) : 0.0;
            v[i] = below ? 0.0f : v[i];
        }
        for (int64_t i = 0, seen = 0; drop != n && ties > t.tiesKept && i < n; ++i) {
            if (magnitudeKey(v[i]) == t.key && seen++ >= t.tiesKept) {
                keep[i] = false;
                squared += double(v[i]) * double(v[i]);
                v[i] = 0.0f;
            }
        }
    }
    if (prunedSquared)
        *prunedSquared = squared;
    return mask;
}

torch::Tensor magnitudeMask(const torch::Tensor &matrix, double sparsity)
{
    torch::Tensor copy = matrix.detach().to(torch::kFloat).contiguous().clone();
    return pruneByMagnitudeInPlace(copy, sparsity, nullptr);
}

std::vector<torch::Tensor> globalMagnitudeMasks(const std::vector<torch::Tensor> &matrices, double sparsity)
{
    std::vector<torch::Tensor> flat;
    for (const auto &m : matrices)
        flat.push_back(m.reshape({-1}));
    const auto all = torch::cat(flat);
    const auto mask = magnitudeMask(all, sparsity);
    std::vector<torch::Tensor> out;
    int64_t offset = 0;
    for (const auto &m : matrices) {
        out.push_back(mask.narrow(0, offset, m.numel()).reshape(m.sizes()).clone());
        offset += m.numel();
    }
    return out;
}

torch::Tensor nmMask(const torch::Tensor &matrix, int n, int m)
{
    const auto groups = matrix.abs().reshape({-1, m});
    const auto index = std::get<1>(groups.topk(n, 1, true, true));
    return torch::zeros_like(groups, torch::kBool).scatter_(1, index, true).reshape(matrix.sizes());
}

torch::Tensor rowNorms(const torch::Tensor &matrix, int norm)
{
    const auto rows = matrix.reshape({matrix.size(0), -1});
    return norm == 1 ? rows.abs().sum(1) : rows.pow(2).sum(1).sqrt();
}

Codebook kmeansCodebook(const torch::Tensor &matrix, int bits, int iterations, const torch::Tensor &mask)
{
    const int64_t k = int64_t(1) << bits;
    const auto flat = matrix.reshape({-1});
    const auto kept = mask.defined() ? flat.masked_select(mask.reshape({-1})) : flat;
    Codebook out;
    if (kept.numel() == 0) {
        out.centroids = torch::zeros({k});
        out.values = torch::zeros_like(matrix);
        out.indices = torch::zeros(matrix.sizes(), torch::kByte);
        return out;
    }
    auto centroids = torch::linspace(kept.min().item<float>(), kept.max().item<float>(), k);
    for (int it = 0; it < iterations; ++it) {
        // 1-D nearest centroid: centroids stay sorted, so bucketize on the midpoints assigns in O(n log k).
        const auto mid = (centroids.slice(0, 1) + centroids.slice(0, 0, k - 1)) / 2;
        const auto assign = torch::bucketize(kept, mid);
        const auto sums = torch::zeros({k}).index_add_(0, assign, kept);
        const auto counts = torch::zeros({k}).index_add_(0, assign, torch::ones_like(kept));
        const auto updated = torch::where(counts > 0, sums / counts.clamp_min(1), centroids);
        const bool converged = torch::equal(updated, centroids);
        centroids = std::get<0>(updated.sort());
        if (converged)
            break;
    }
    centroids = centroids.to(torch::kHalf).to(torch::kFloat); // stored as fp16 in the artifact
    const auto mid = (centroids.slice(0, 1) + centroids.slice(0, 0, k - 1)) / 2;
    const auto assign = torch::bucketize(flat, mid);
    auto values = centroids.index_select(0, assign);
    if (mask.defined())
        values = values * mask.reshape({-1}).to(torch::kFloat);
    out.values = values.reshape(matrix.sizes());
    out.indices = assign.to(torch::kByte).reshape(matrix.sizes());
    out.centroids = centroids;
    return out;
}

LowRankFactors lowRankFactors(const torch::Tensor &matrix, double rankRatio, double energy)
{
    const auto m2 = matrix.reshape({matrix.size(0), -1}).to(torch::kDouble); // double: stable truncation
    auto [u, s, vh] = torch::linalg_svd(m2, /*full_matrices=*/false);
    const int64_t full = s.size(0);
    const auto s2 = s.pow(2);
    const double total = s2.sum().item<double>();
    int64_t r = full;
    if (rankRatio > 0) {
        r = std::max<int64_t>(1, int64_t(std::ceil(rankRatio * double(full))));
    } else if (total > 0) {
        const auto cumulative = s2.cumsum(0) / total;
        r = std::min<int64_t>(full, (cumulative < energy).sum().item<int64_t>() + 1);
    }
    LowRankFactors f;
    f.rank = r;
    f.energyKept = total > 0 ? s2.slice(0, 0, r).sum().item<double>() / total : 1.0;
    f.left = (u.slice(1, 0, r) * s.slice(0, 0, r)).to(torch::kFloat);
    f.right = vh.slice(0, 0, r).to(torch::kFloat);
    return f;
}

} // namespace compresslab
