#include "compress/Gptq.h"

namespace compresslab {

namespace {

// Quantizes one column with fixed per-row scales (and zero-points): the grid of quantizeMatrix.
void quantizeColumn(const torch::Tensor &w, const torch::Tensor &scale, const torch::Tensor &zero, int64_t levels,
                    bool symmetric, torch::Tensor &deq, torch::Tensor &code)
{
    const auto safe = torch::where(scale == 0, torch::ones_like(scale), scale);
    if (symmetric) {
        auto q = torch::where(scale == 0, torch::zeros_like(w), torch::round(w / safe)).clamp(-(levels / 2), levels / 2 - 1);
        deq = q * scale;
        code = q + float(levels / 2);
    } else {
        auto q = torch::where(scale == 0, zero, torch::round(w / safe) + zero).clamp(0, levels - 1);
        deq = (q - zero) * scale;
        code = q;
    }
}

} // namespace

QuantizedMatrix gptqQuantize(const torch::Tensor &matrix, const torch::Tensor &hessian, int bits, int64_t groupSize,
                             bool symmetric, double dampening, const torch::Tensor &mask)
{
    const int64_t rows = matrix.size(0), cols = matrix.size(1);
    const int64_t levels = int64_t(1) << bits;
    auto W = matrix.to(torch::kFloat).clone();
    auto H = hessian.to(torch::kDouble).clone();
    // Inputs that never fire carry no information: fix their diagonal and drop their weights' influence.
    const auto dead = H.diagonal() == 0;
    H.diagonal().masked_fill_(dead, 1.0);
    W.index_put_({torch::indexing::Slice(), dead}, 0.0f);
    const double damp = dampening * H.diagonal().mean().item<double>();
    H.diagonal().add_(damp);
    torch::Tensor hinv;
    for (int attempt = 0; attempt < 4 && !hinv.defined(); ++attempt) {
        try {
            const auto L = torch::linalg_cholesky(H);
            hinv = torch::linalg_cholesky(torch::cholesky_inverse(L), /*upper=*/true).to(torch::kFloat);
        } catch (const std::exception &) {
            H.diagonal().add_(damp * 10); // not positive definite yet: damp harder
        }
    }
    if (!hinv.defined())
        return quantizeMatrix(matrix, bits, groupSize, symmetric);

    const bool perTensor = groupSize == rows * cols;
    const bool grouped = !perTensor && groupSize < cols;
    const int64_t block = grouped ? groupSize : std::min<int64_t>(128, cols);
    auto Q = torch::zeros_like(W);
    auto codes = torch::zeros({rows, cols}, torch::kFloat);
    std::vector<torch::Tensor> scaleList, zeroList;
    torch::Tensor scale, zero;
    auto setScales = [&](const torch::Tensor &region) {
        // The grid of a region (a group, a row or the whole matrix) from its current values.
        const int64_t gs = region.numel() / (perTensor ? 1 : rows);
        const QuantizedMatrix q = quantizeMatrix(region.contiguous(), bits, perTensor ? region.numel() : gs, symmetric);
        scale = perTensor ? q.scales.expand({rows}) : q.scales;
        zero = symmetric ? torch::zeros({rows}) : (perTensor ? q.zeros.to(torch::kFloat).expand({rows}) : q.zeros.to(torch::kFloat));
        scaleList.push_back(q.scales);
        if (!symmetric)
            zeroList.push_back(q.zeros);
    };
    if (!grouped)
        setScales(W);

    for (int64_t i1 = 0; i1 < cols; i1 += block) {
        const int64_t i2 = std::min(i1 + block, cols), count = i2 - i1;
        auto W1 = W.slice(1, i1, i2).clone();
        auto Err1 = torch::zeros_like(W1);
        const auto Hinv1 = hinv.slice(0, i1, i2).slice(1, i1, i2);
        if (grouped)
            setScales(W1); // the block is exactly one group
        for (int64_t i = 0; i < count; ++i) {
            const auto w = W1.select(1, i);
            torch::Tensor deq, code;
            quantizeColumn(w, scale, zero, levels, symmetric, deq, code);
            if (mask.defined()) {
                const auto keep = mask.select(1, i1 + i);
                deq = deq * keep.to(torch::kFloat);
            }
            Q.select(1, i1 + i).copy_(deq);
            codes.select(1, i1 + i).copy_(code);
            const auto err = (w - deq) / Hinv1[i][i];
            W1.slice(1, i).sub_(torch::outer(err, Hinv1[i].slice(0, i)));
            Err1.select(1, i).copy_(err);
        }
        if (i2 < cols)
            W.slice(1, i2).sub_(torch::mm(Err1, hinv.slice(0, i1, i2).slice(1, i2)));
    }

    QuantizedMatrix out;
    out.dequantized = Q;
    out.codes = codes.to(torch::kByte);
    // quantizeMatrix orders group scales row-major ([rows, cols/groupSize]); blocks produced them column-major.
    out.scales = grouped ? torch::stack(scaleList, 1).reshape({-1}) : scaleList.front();
    if (!symmetric)
        out.zeros = grouped ? torch::stack(zeroList, 1).reshape({-1}) : zeroList.front();
    return out;
}

} // namespace compresslab
