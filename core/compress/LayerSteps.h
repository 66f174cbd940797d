#pragma once
// Core-internal: one layer's way through the compression pipeline. Compressor.cpp decides which layers
// and in which order; these functions do the work on one layer: start (a 2-D view of its weight), apply
// each step, then finish (write the effective weight into the copy, measure its error, account its size).
#include "compress/CompressionArtifacts.h"
#include "compress/CompressionReport.h"

#include <torch/script.h>

#include <map>

namespace compresslab {

struct LayerWork {
    CompressedLayer layer;
    torch::Tensor original;     // 2-D float32 view of the original weight
    torch::Tensor parameter;    // the weight tensor inside the copy (written at the end)
    const LayerOverride *override = nullptr;
    torch::jit::Module module;  // the layer's module inside the copy
    int64_t originalWeights = 0; // elements of the weight as loaded (before any shrinking)
    std::vector<int64_t> originalShape; // for the report; layer.shape follows realised shrinking
    // Structured pruning realised as smaller tensors: the Linear or Conv that consumes this layer's outputs
    // (its inputs shrink with our rows), and what the shrinking removed.
    torch::jit::Module consumerModule;
    LayerWork *consumerWork = nullptr; // set when the consumer is itself being compressed
    bool hasConsumer = false;
    bool headsRemoved = false;  // an attention projection whose structured pruning removed whole heads (AttentionHeads.h)
    int64_t columnsPerChannel = 1; // consumer inputs per output of this layer (a flattened channel's positions)
    std::vector<torch::jit::Module> perChannelModules; // BatchNorm between the two: loses the same entries
    torch::Tensor inputKeep;    // as a consumer: the input columns kept (to slice a GPTQ Hessian)
    double droppedNormSquared = 0; // energy of removed rows, counted as error
    qint64 removedOtherBytes = 0;  // bias entries removed with the rows
    QString realisedNote;
};

// The values per scale for this layer, or a UserError naming a divisor when the group does not divide.
int64_t resolveGroupSize(const QuantizeSettings &q, const torch::Tensor &matrix, const QString &path);
// Whether a quantized layer's inputs must stay a multiple of the group size (groups, no per-channel fallback):
// structured pruning then removes no rows that would leave a consumer with inputs the size does not divide.
bool groupSizeMustDivide(const CompressionConfig &config);
void startLayer(LayerWork &w);
void applyStep(Step step, LayerWork &w, const CompressionConfig &config, const std::map<QString, torch::Tensor> &hessians);
// Applies a mask to a matrix (and keeps its codes pointing at the value zero).
void applyMask(StoredMatrix &m, const torch::Tensor &mask);
LayerReport finishLayer(LayerWork &w, const CompressionConfig &config);
// The one-pass path for RTN quantization, alone or after per-layer magnitude pruning (FusedQuantize.h):
// replaces start/apply/finish.
bool fusedEligible(const LayerWork &w, const CompressionConfig &config);
// Tests turn the fused path off to hold it to the general one on the same configuration.
void setFusedPathEnabled(bool enabled);
LayerReport fusedLayer(LayerWork &w, const CompressionConfig &config);

} // namespace compresslab
