#pragma once
// Core-internal: runs low-rank Linear layers as two smaller Linear layers. The compressed model keeps each
// low-rank weight as the dense product left·right (what distillation and the weight views read); this
// rewrite builds a second model whose forward graph calls linear(linear(x, right), left, bias) with the
// factors as parameters, so its file is smaller and a row costs r·(in+out) multiply-adds instead of in·out.
#include <QStringList>
#include <memory>

namespace compresslab {

class Model;
struct CompressionArtifacts;

struct LowRankRealisation {
    std::shared_ptr<Model> model; // null when no layer could be realised
    QStringList realised;         // module paths (of `dense`) now running two Linear layers
    QStringList notes;            // one per low-rank layer left as the dense product, with the reason
};

// The root of the result owns `dense` as `model` and each realised layer's factors as Linear-shaped
// submodules `lowrank_<path>_right` ([r, in], applied first, no bias) and `lowrank_<path>_left` ([out, r],
// the layer's bias), each a `weight` and `bias` like a Linear (so the int8 rewrite converts them too).
// Only `forward` is rewritten; other methods of the model still read the (dropped) dense weights.
// A layer is left dense (with a note) when it is not a 2-D Linear weight read by exactly one aten::linear
// call of forward, when its storage is shared with another tensor (tied weights), when the factors are
// no smaller than the weight, or when the weight no longer equals the factors' product.
LowRankRealisation realiseLowRank(const Model &dense, const CompressionArtifacts &artifacts);

// Module name of a realised layer's factor ("right" or "left") in the realised model's root.
QString lowRankFactorName(const QString &layerPath, const QString &role);

} // namespace compresslab
