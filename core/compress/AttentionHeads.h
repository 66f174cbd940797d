#pragma once
// Core-internal: structured pruning of whole attention heads, where the model makes them identifiable: a
// module with an int attribute `n_head` and Linear children q_proj, k_proj, v_proj (outputs in n_head equal
// slices, one per head) and out_proj (reading the heads concatenated), each called once. Removing head h
// slices its rows from q/k/v (weights and biases) and its columns from out_proj, and lowers n_head; this is
// only sound when forward derives the head width from the tensors, so every removal is checked by running
// the model (tools/zoo/blocks.py is written that way).
#include "compress/CompressionConfig.h"
#include "compress/LayerSteps.h"

#include <torch/script.h>

#include <QStringList>
#include <QVector>
#include <vector>

namespace compresslab {

struct AttentionBlock {
    QString path;                 // "blocks.0.attn"
    QString q, k, v, out;         // module paths of its projections
    int64_t heads = 0;            // n_head
    int64_t width = 0;            // features per head
};

std::vector<AttentionBlock> findAttentionBlocks(const torch::jit::Module &root);

// The heads structured pruning keeps (ascending): the largest by the norm of their q/k/v rows and out_proj
// columns together (L1, or squared L2), at least one.
torch::Tensor keptHeads(const AttentionBlock &block, const torch::jit::Module &root, double sparsity, int norm);

// Rows of q/k/v (or columns of out_proj) that belong to `heads`.
torch::Tensor headUnits(const torch::Tensor &heads, int64_t width);

// Removes heads from every attention block whose four projections are all in `work` (active, not tied),
// when structured pruning is the first step, and updates their LayerWork (smaller parameters, the removed
// energy as error, the Prune step done). Checks the result on `input` against the model with the removed
// heads' out_proj columns zeroed; without an input, or when they differ, nothing is removed. Returns notes.
QStringList removeAttentionHeads(torch::jit::Module &copy, QVector<LayerWork> &work, const CompressionConfig &config,
                                 const torch::Tensor &input);

} // namespace compresslab
