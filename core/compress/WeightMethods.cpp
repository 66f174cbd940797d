#include "compress/WeightMethods.h"

#include <cmath>

namespace compresslab {

torch::Tensor magnitudeMask(const torch::Tensor &matrix, double sparsity)
{
    const int64_t n = matrix.numel();
    const int64_t keep = n - int64_t(std::llround(sparsity * double(n)));
    auto mask = torch::zeros({n}, torch::kBool);
    if (keep > 0) {
        const auto index = std::get<1>(matrix.abs().reshape({-1}).topk(keep, 0, true, true));
        mask.index_fill_(0, index, true);
    }
    return mask.reshape(matrix.sizes());
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
