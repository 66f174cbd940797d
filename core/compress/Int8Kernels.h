#pragma once
// Core-internal: turns the Linear layers of a (compressed) model into real int8 kernels. The inlined
// forward graph is rewritten so each aten::linear becomes quantized::linear_dynamic on a weight
// prepacked for the selected engine (onednn or qnnpack); activations are quantized per batch at run
// time. The result saves and loads as ordinary TorchScript, so its latency is measured, not assumed.
#include <QStringList>
#include <memory>

namespace compresslab {

class Model;

struct Int8Conversion {
    std::shared_ptr<Model> model; // runs int8 kernels for the converted layers
    QStringList converted;        // module paths now on int8 kernels
    QStringList skipped;          // Linear layers left in fp32, with the reason in `notes`
    QStringList notes;
};

// `layers` limits the conversion to these module paths (empty: every Linear found in the graph).
// Weights go to int8 per output channel, symmetric: exactly the grid of the engine's int8 per-channel
// quantization, so a model already quantized that way keeps its values.
// `engine` selects the kernels the weights are packed for ("onednn" or "qnnpack"); it is recorded in the
// result's metadata so evaluation and latency run it on that engine.
// Layers that read the same input (an attention block's q, k and v) run as one call on their stacked
// weights, with bit-identical outputs; `fuseSameInput` false keeps one call per layer (for comparison).
Int8Conversion convertLinearsToInt8(const Model &model, const QStringList &layers = {}, const QString &engine = QStringLiteral("onednn"),
                                    bool fuseSameInput = true);

// The engine the model's int8 weights were packed for: "onednn", "qnnpack", "mixed", or "" when it has
// none. A file's packed weights are packed again as it loads, for the engine then in force (Model::load
// sets the one its metadata records), so this is what its int8 layers really run.
QString packedInt8Engine(const Model &model);

} // namespace compresslab
