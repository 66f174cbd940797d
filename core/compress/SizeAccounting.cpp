#include "compress/SizeAccounting.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

qint64 SizeBreakdown::bytes() const { return qint64(std::ceil(totalBits() / 8.0)); }

SizeBreakdown &SizeBreakdown::operator+=(const SizeBreakdown &o)
{
    valueBits += o.valueBits;
    scaleBits += o.scaleBits;
    zeroBits += o.zeroBits;
    indexBits += o.indexBits;
    codebookBits += o.codebookBits;
    return *this;
}

MatrixSize storedSize(const StoredMatrix &m)
{
    MatrixSize out;
    SizeBreakdown &s = out.breakdown;
    const double numel = double(m.rows * m.cols);
    const double bits = double(m.bits);
    if (m.kind == StoredMatrix::Kind::Int) {
        const double groups = numel / double(m.groupSize);
        s.scaleBits = groups * 16; // fp16 scales
        if (!m.symmetric)
            s.zeroBits = groups * bits;
    }
    if (m.kind == StoredMatrix::Kind::Codebook)
        s.codebookBits = std::pow(2.0, bits) * 16; // fp16 centroids

    if (!m.mask.defined()) {
        s.valueBits = numel * bits;
        return out;
    }
    const double nnz = double(m.mask.sum().item<int64_t>());
    if (m.nmN > 0) {
        s.valueBits = nnz * bits;
        s.indexBits = nnz * std::ceil(std::log2(double(m.nmM)));
        out.sparseEncoding = u"%1:%2 (%3-bit positions)"_s.arg(m.nmN).arg(m.nmM).arg(std::ceil(std::log2(double(m.nmM))));
        return out;
    }
    if (m.rowStructured) {
        s.valueBits = nnz * bits;
        s.indexBits = double(m.rows);
        out.sparseEncoding = u"pruned rows dropped (row bitmap)"_s;
        return out;
    }
    const double dense = numel * bits;
    const double bitmap = numel + nnz * bits;
    // A codebook has no index that means "exactly zero" (its values are k-means centroids), so pruned
    // positions need the bitmap even where dense indices would be smaller.
    if (bitmap < dense || m.kind == StoredMatrix::Kind::Codebook) {
        s.valueBits = nnz * bits;
        s.indexBits = numel;
        out.sparseEncoding = u"bitmap-sparse"_s;
    } else {
        s.valueBits = dense;
        out.sparseEncoding = u"dense"_s;
        out.note = u"zeros stored densely: at %1% sparsity a 1-bit-per-weight bitmap would cost more"_s
                       .arg(100.0 * (1 - nnz / std::max(1.0, numel)), 0, 'f', 0);
    }
    return out;
}

} // namespace compresslab
