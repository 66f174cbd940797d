#pragma once
// Core-internal: finding a model's Linear calls in its inlined TorchScript graph. Calibration capture
// and kernel rewriting both start here: after Inline, every nn.Linear is an aten::linear node whose
// weight comes from a chain of prim::GetAttr on `self`, which names the module.
#include <torch/csrc/jit/ir/ir.h>
#include <torch/script.h>

#include <QString>
#include <QStringList>
#include <map>
#include <vector>

namespace compresslab {

struct LinearCall {
    torch::jit::Node *node; // aten::linear(input, weight, bias)
    QString modulePath;     // "blocks.0.mlp.fc1"
};

// "fc1.weight" for a value read as self.fc1.weight; empty when it is not an attribute chain of self.
QString attributePath(torch::jit::Value *value);

// A copy of the module's forward graph with every method call inlined.
std::shared_ptr<torch::jit::Graph> inlinedForward(const torch::jit::Module &module);

// Makes `graph` (a forward of the module that `root` owns as its submodule `model`) the forward of `root`:
// its self becomes root's, and every former use of self reads root.model. Returns the new self.
torch::jit::Value *rerootUnder(torch::jit::Graph &graph, const torch::jit::Module &root);

// Finishes a rewrite begun with rerootUnder: `graph` (dead code removed) becomes root's forward, each module in
// `replaced` loses its `weight` (the graph no longer reads it, so the file holds only what runs), root is in eval.
void installRewrittenForward(torch::jit::Module &root, const std::shared_ptr<torch::jit::Graph> &graph,
                             const std::vector<torch::jit::Module> &replaced);

// Makes the graph return (original output, values...) as one tuple, so one run also yields intermediates.
void alsoReturn(torch::jit::Graph &graph, const std::vector<torch::jit::Value *> &values);

// aten::linear nodes in the top-level block whose weight is a module attribute.
std::vector<LinearCall> findLinearCalls(torch::jit::Graph &graph);

// How a producer layer's outputs reach the one layer that consumes them, with nothing else reading them:
// dropping the producer's output feature/channel j then drops exactly the consumer's inputs for j.
struct ChannelChain {
    QString consumer;        // module path of the Linear or Conv reading the producer's outputs
    QStringList perChannel;  // BatchNorm modules on the way: their weight, bias and statistics lose entry j too
    bool flattened = false;  // conv -> flatten(x, 1) -> Linear: channel j is a run of the consumer's columns
};

// Producer -> consumer chains of layers called once: Linear -> element-wise activations -> Linear (an MLP),
// and ungrouped Conv -> BatchNorm / activations / pooling -> Conv, or -> flatten(x, 1) -> Linear (a CNN's
// head). Shape checks on the way (dim(), size() inside a check block) do not break a chain; anything
// else does (a residual add, a reshape, a second reader), so nothing unsound shrinks. Constant-folds `graph`
// (pass a copy, as inlinedForward gives).
std::map<QString, ChannelChain> findChannelChains(std::shared_ptr<torch::jit::Graph> graph);

} // namespace compresslab
