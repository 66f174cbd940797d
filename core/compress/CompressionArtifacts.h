#pragma once
// Core-internal: what the pipeline stores per layer, with the packed codes, scales, zero-points,
// codebooks and masks needed to write the packed artifact and to restore the model from it.
#include "compress/CompressionConfig.h"

#include <torch/types.h>

#include <QVector>

namespace compresslab {

struct StoredMatrix {
    enum class Kind { Float32, Float16, BFloat16, Int, Codebook };
    QString role = QStringLiteral("weight"); // "weight", or "left"/"right" for low-rank factors
    int64_t rows = 0, cols = 0;              // the matrix's shape (values may be released after use)
    torch::Tensor values;                    // effective float32 values [rows, cols]; kept for float kinds only
    torch::Tensor mask;                      // bool, or undefined when dense
    int nmN = 0, nmM = 0;                    // set when the mask is N:M
    bool rowStructured = false;              // the mask removes whole rows (structured pruning)
    Kind kind = Kind::Float32;
    int bits = 32;                           // bits per stored value (index bits for a codebook)
    int64_t groupSize = 0;                   // Int: values per scale
    bool symmetric = true;
    torch::Tensor codes;                     // Int: uint8 codes; Codebook: uint8 indices
    torch::Tensor scales;                    // Int: float32 (fp16-representable), one per group
    torch::Tensor zeros;                     // Int asymmetric: uint8, one per group
    torch::Tensor centroids;                 // Codebook: float32 (fp16-representable)
};

struct CompressedLayer {
    QString path;
    QString type;
    std::vector<int64_t> shape; // the original weight's shape
    QVector<StoredMatrix> matrices;
    QString tiedTo;             // another layer's path when the weight is shared
    bool skipped = false;
};

struct CompressionArtifacts {
    CompressionConfig config;
    QVector<CompressedLayer> layers;
};

// Effective weight of a layer: the single matrix, or left @ right for low-rank factors, in the original shape.
torch::Tensor effectiveWeight(const CompressedLayer &layer);

} // namespace compresslab
