#pragma once
// One serialisable description of a compression: which methods, in which order, with which settings,
// and per-layer overrides. The CLI, the GUI and the history all use this (docs/compression.md).
#include <QJsonObject>
#include <QMap>
#include <QStringList>
#include <optional>

namespace compresslab {

enum class QuantFormat { Int, Float16, BFloat16 };
enum class Granularity { Tensor, Channel, Group };
enum class QuantMethod { RoundToNearest, Gptq };
enum class PruneMethod { Unstructured, Structured, SemiStructured };
enum class PruneScope { Layer, Global };

struct QuantizeSettings {
    QuantFormat format = QuantFormat::Int;
    int bits = 8;                       // 2..8 for QuantFormat::Int
    Granularity granularity = Granularity::Channel;
    int groupSize = 128;                // with Granularity::Group: must divide the row length...
    bool groupFallbackToChannel = false; // ...or, if set, such layers fall back to per-channel scales
    bool symmetric = true;
    QuantMethod method = QuantMethod::RoundToNearest;
    int calibrationSamples = 128;       // GPTQ: samples of the calibration set used for the Hessian
    double dampening = 0.01;            // GPTQ: fraction of mean(diag H) added to the diagonal
};

struct PruneSettings {
    double sparsity = 0.5;              // fraction of weights (or neurons) removed, 0..0.99
    PruneMethod method = PruneMethod::Unstructured;
    PruneScope scope = PruneScope::Layer;
    int n = 2, m = 4;                   // N:M semi-structured: keep n of every m
    int norm = 2;                       // structured: rank neurons by L1 or L2 norm
};

struct LowRankSettings {
    double rankRatio = 0;               // keep this fraction of the full rank (0: use energy)
    double energy = 0;                  // or: the smallest rank keeping this share of sum(s^2)
};

struct CodebookSettings {
    int bits = 4;                       // 2^bits shared values per layer
    int iterations = 20;                // k-means (Lloyd) iterations
};

struct LayerOverride {
    bool skip = false;
    std::optional<int> bits;            // integer bits for this layer
    std::optional<double> sparsity;
};

enum class Step { Prune, LowRank, Quantize, Codebook };

struct CompressionConfig {
    QList<Step> steps;                  // applied in this order
    QuantizeSettings quantize;
    PruneSettings prune;
    LowRankSettings lowRank;
    CodebookSettings codebook;
    QStringList moduleTypes{QStringLiteral("Linear"), QStringLiteral("Conv"), QStringLiteral("Embedding")};
    QMap<QString, LayerOverride> layers; // module path or wildcard pattern ("blocks.*.attn.*") -> override
    bool int8Kernels = false;           // export Linear layers as quantized::linear_dynamic
    QString int8Engine = QStringLiteral("auto"); // "auto" (both timed at export), "onednn" or "qnnpack"

    bool has(Step s) const { return steps.contains(s); }
    QString describe() const;           // "prune 50% unstructured → int4 group-128 sym RTN"
};

// Parses and validates; throws UserError naming the key for unknown keys, bad types and values out of range.
CompressionConfig parseCompressionConfig(const QJsonObject &json);
CompressionConfig loadCompressionConfig(const QString &path);
QJsonObject toJson(const CompressionConfig &config);
// Checks ranges and combinations (e.g. GPTQ needs integer bits); throws UserError.
void validate(const CompressionConfig &config);

} // namespace compresslab
