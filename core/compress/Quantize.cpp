#include "compress/Quantize.h"

namespace compresslab {

namespace {
constexpr int64_t kChunkElements = int64_t(1) << 22; // 16 MB of fp32 temporaries at a time
}

QuantizedMatrix quantizeMatrix(const torch::Tensor &matrix, int bits, int64_t groupSize, bool symmetric)
{
    // Large matrices go in row chunks (groups never cross rows unless per-tensor): the temporaries of
    // one chunk stay in cache and peak memory stays near the output's size.
    const int64_t rows = matrix.dim() == 2 ? matrix.size(0) : 1, cols = matrix.numel() / std::max<int64_t>(1, rows);
    if (matrix.dim() == 2 && matrix.numel() > kChunkElements && groupSize <= cols && cols % groupSize == 0) {
        const int64_t chunkRows = std::max<int64_t>(1, kChunkElements / cols);
        QuantizedMatrix out;
        out.dequantized = torch::empty_like(matrix, torch::kFloat);
        out.codes = torch::empty(matrix.sizes(), torch::kByte);
        std::vector<torch::Tensor> scales, zeros;
        for (int64_t r = 0; r < rows; r += chunkRows) {
            const int64_t n = std::min(chunkRows, rows - r);
            QuantizedMatrix part = quantizeMatrix(matrix.narrow(0, r, n), bits, groupSize, symmetric);
            out.dequantized.narrow(0, r, n).copy_(part.dequantized);
            out.codes.narrow(0, r, n).copy_(part.codes);
            scales.push_back(part.scales);
            if (!symmetric)
                zeros.push_back(part.zeros);
        }
        out.scales = torch::cat(scales, 0);
        if (!symmetric)
            out.zeros = torch::cat(zeros, 0);
        return out;
    }
    const auto x = matrix.contiguous().to(torch::kFloat).reshape({-1, groupSize});
    const int64_t levels = int64_t(1) << bits;
    QuantizedMatrix out;
    if (symmetric) {
        // The signed value of largest magnitude in each group (first one on ties, as in the reference).
        const auto index = x.abs().argmax(1, /*keepdim=*/true);
        const auto extreme = x.gather(1, index);
        const auto d = (extreme / float(-(levels / 2))).to(torch::kHalf).to(torch::kFloat);
        const auto safe = torch::where(d == 0, torch::ones_like(d), d);
        auto q = torch::where(d == 0, torch::zeros_like(x), torch::round(x / safe));
        q = q.clamp(-(levels / 2), levels / 2 - 1);
        out.dequantized = (q * d).reshape(matrix.sizes());
        out.codes = (q + float(levels / 2)).to(torch::kByte).reshape(matrix.sizes());
        out.scales = d.reshape({-1});
        return out;
    }
    const auto lo = std::get<0>(x.min(1, true)).clamp_max(0);
    const auto hi = std::get<0>(x.max(1, true)).clamp_min(0);
    const auto s = ((hi - lo) / float(levels - 1)).to(torch::kHalf).to(torch::kFloat);
    const auto safe = torch::where(s == 0, torch::ones_like(s), s);
    const auto z = torch::where(s == 0, torch::zeros_like(s), torch::round(-lo / safe)).clamp(0, levels - 1);
    auto q = torch::where(s == 0, z.expand_as(x), torch::round(x / safe) + z).clamp(0, levels - 1);
    out.dequantized = ((q - z) * s).reshape(matrix.sizes());
    out.codes = q.to(torch::kByte).reshape(matrix.sizes());
    out.scales = s.reshape({-1});
    out.zeros = z.to(torch::kByte).reshape({-1});
    return out;
}

torch::Tensor dequantizeCodes(const torch::Tensor &codes, const torch::Tensor &scales, const torch::Tensor &zeros,
                              int bits, int64_t groupSize, bool symmetric)
{
    const int64_t levels = int64_t(1) << bits;
    const auto q = codes.to(torch::kFloat).reshape({-1, groupSize});
    const auto s = scales.to(torch::kFloat).reshape({-1, 1});
    if (symmetric)
        return ((q - float(levels / 2)) * s).reshape(codes.sizes());
    const auto z = zeros.to(torch::kFloat).reshape({-1, 1});
    return ((q - z) * s).reshape(codes.sizes());
}

} // namespace compresslab
