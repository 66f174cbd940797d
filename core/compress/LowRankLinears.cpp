#include "compress/LowRankLinears.h"

#include "compress/CompressionArtifacts.h"
#include "compress/GraphTools.h"
#include "compress/Quantize.h"
#include "model/ModelImpl.h"


#include <QSet>

#include <unordered_map>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// The float values a stored factor stands for: kept for float kinds, rebuilt from codes otherwise
// (the same arithmetic the packed loader and the compressor used, so the product is bit-identical).
torch::Tensor storedValues(const StoredMatrix &m)
{
    torch::Tensor v;
    switch (m.kind) {
    case StoredMatrix::Kind::Int:
        v = dequantizeCodes(m.codes, m.scales, m.zeros, m.bits, m.groupSize, m.symmetric).reshape({m.rows, m.cols});
        break;
    case StoredMatrix::Kind::Codebook:
        v = m.centroids.to(torch::kFloat).index_select(0, m.codes.reshape({-1}).to(torch::kLong)).reshape({m.rows, m.cols});
        break;
    default:
        v = m.values;
    }
    if (v.defined() && m.mask.defined())
        v = v * m.mask.to(torch::kFloat);
    return v;
}

void collectGetAttrs(torch::jit::Block *block, const QString &path, std::vector<torch::jit::Value *> &out)
{
    for (torch::jit::Node *node : block->nodes()) {
        if (node->kind() == c10::prim::GetAttr && attributePath(node->output()) == path)
            out.push_back(node->output());
        for (torch::jit::Block *inner : node->blocks())
            collectGetAttrs(inner, path, out);
    }
}

// The weight `path.weight` is read once in the whole graph, as the weight of this very call.
bool readOnlyBy(torch::jit::Graph &graph, const LinearCall &call)
{
    std::vector<torch::jit::Value *> reads;
    collectGetAttrs(graph.block(), call.modulePath + u".weight"_s, reads);
    size_t uses = 0;
    for (torch::jit::Value *v : reads)
        uses += v->uses().size();
    return uses == 1 && call.node->input(1)->uses().size() == 1;
}

// A Linear-shaped module (weight, optional bias) of one type shared by every factor.
torch::jit::Module factorModule(std::shared_ptr<torch::jit::Module> &prototype, const torch::Tensor &weight, const c10::IValue &bias)
{
    torch::jit::Module m = prototype ? torch::jit::Module(prototype->_ivalue()->compilation_unit(), prototype->type())
                                     : torch::jit::Module("__torch__.compresslab.LowRankFactor");
    if (!m.hasattr("training"))
        m.register_attribute("training", c10::BoolType::get(), false);
    m.register_parameter("weight", weight, false);
    m.register_attribute("bias", c10::OptionalType::create(c10::TensorType::get()), bias, /*is_param=*/true);
    if (!prototype)
        prototype = std::make_shared<torch::jit::Module>(m);
    return m;
}

} // namespace

QString lowRankFactorName(const QString &layerPath, const QString &role)
{
    return u"lowrank_"_s + QString(layerPath).replace(u'.', u'_') + u'_' + role;
}

LowRankRealisation realiseLowRank(const Model &dense, const CompressionArtifacts &artifacts)
{
    LowRankRealisation result;
    torch::NoGradGuard noGrad;
    Model::Impl &source = dense.impl();
    torch::jit::Module inner;
    {
        std::lock_guard<std::mutex> lock(source.runMutex);
        inner = source.module.clone(/*inplace=*/true); // new types, same tensors (tied stay tied)
    }
    inner.eval();
    const QHash<QString, torch::jit::Module> modules = modulesByPath(inner);

    // How many slots hold each storage: a weight shared with another tensor (a tied embedding) must stay.
    std::unordered_map<const void *, int> slotsOf;
    for (const auto &p : inner.named_parameters(true))
        ++slotsOf[p.value.storage().unsafeGetStorageImpl()];
    for (const auto &b : inner.named_buffers(true))
        ++slotsOf[b.value.storage().unsafeGetStorageImpl()];

    auto graph = inlinedForward(inner);
    std::map<QString, torch::jit::Node *> callOf;
    for (const LinearCall &c : findLinearCalls(*graph))
        callOf[c.modulePath] = callOf.count(c.modulePath) ? nullptr : c.node; // null: called more than once

    struct Plan {
        LinearCall call;
        torch::Tensor left, right;
    };
    std::vector<Plan> plans;
    QSet<QString> lowRank;
    for (const CompressedLayer &layer : artifacts.layers) {
        if (layer.matrices.size() == 2 && !layer.skipped)
            lowRank.insert(layer.path);
    }
    for (const CompressedLayer &layer : artifacts.layers) {
        auto keepDense = [&](const QString &why) {
            result.notes << u"%1: low-rank runs as the product left·right: %2"_s.arg(layer.path, why);
        };
        if (lowRank.contains(layer.tiedTo)) { // shares a low-rank weight (stored once, with the owner)
            keepDense(u"its weight is tied to %1"_s.arg(layer.tiedTo));
            continue;
        }
        if (!lowRank.contains(layer.path))
            continue;
        if (!layer.type.contains("Linear"_L1) || !modules.contains(layer.path)) {
            keepDense(u"only Linear layers become two Linear layers"_s);
            continue;
        }
        const torch::Tensor weight = modules.value(layer.path).attr("weight").toTensor();
        if (weight.dim() != 2) {
            keepDense(u"its weight is not 2-D"_s);
            continue;
        }
        if (slotsOf[weight.storage().unsafeGetStorageImpl()] > 1) {
            keepDense(u"its weight is shared with another tensor (tied weights)"_s);
            continue;
        }
        const auto found = callOf.find(layer.path);
        if (found == callOf.end() || !found->second) {
            keepDense(found == callOf.end() ? u"forward does not call it as one aten::linear"_s : u"forward calls it more than once"_s);
            continue;
        }
        const LinearCall call{found->second, layer.path};
        if (!readOnlyBy(*graph, call)) {
            keepDense(u"its weight is read by more than its one linear call"_s);
            continue;
        }
        const bool noBias = call.node->input(2)->type()->kind() == c10::TypeKind::NoneType;
        if (attributePath(call.node->input(2)) != layer.path + u".bias"_s && !(noBias && !modules.value(layer.path).hasattr("bias"))) {
            keepDense(u"its linear call adds a bias that is not its own"_s);
            continue;
        }
        const torch::Tensor left = storedValues(layer.matrices[0]), right = storedValues(layer.matrices[1]);
        if (!left.defined() || !right.defined()) {
            keepDense(u"its factors were not kept"_s);
            continue;
        }
        const int64_t out = weight.size(0), in = weight.size(1), rank = right.size(0);
        if (rank * (in + out) >= in * out) {
            keepDense(u"rank %1 factors (%2 weights) are no smaller than the %3×%4 weight"_s.arg(rank).arg(rank * (in + out)).arg(out).arg(in));
            continue;
        }
        // The dense weight must still be the product (a model trained further without its factors is not).
        const double scale = std::max(weight.abs().max().item<double>(), 1e-30);
        if ((torch::mm(left, right) - weight).abs().max().item<double>() > 1e-5 * scale) {
            keepDense(u"its weight no longer equals the product of its factors"_s);
            continue;
        }
        if (inner.hasattr(lowRankFactorName(layer.path, u"left"_s).toStdString())) {
            keepDense(u"its factor name is taken"_s);
            continue;
        }
        plans.push_back({call, left.contiguous().clone(), right.contiguous().clone()});
    }
    if (plans.empty())
        return result;

    // A new root owns the model as `model` and the factors as submodules; its forward is the rewritten graph.
    torch::jit::Module root("__torch__.compresslab.LowRankModel");
    root.register_module("model", inner);
    std::shared_ptr<torch::jit::Module> prototype;
    for (const Plan &p : plans) {
        // The bias goes with the second factor: each factor is a whole Linear (the int8 rewrite reads module biases).
        const torch::jit::Module linear = modules.value(p.call.modulePath);
        const c10::IValue bias = linear.hasattr("bias") ? linear.attr("bias") : c10::IValue();
        root.register_module(lowRankFactorName(p.call.modulePath, u"right"_s).toStdString(), factorModule(prototype, p.right, c10::IValue()));
        root.register_module(lowRankFactorName(p.call.modulePath, u"left"_s).toStdString(), factorModule(prototype, p.left, bias.isTensor() ? bias : c10::IValue()));
    }
    torch::jit::Value *newSelf = rerootUnder(*graph, root);
    for (const Plan &p : plans) {
        torch::jit::Node *node = p.call.node;
        torch::jit::WithInsertPoint guard(node);
        auto linearOf = [&](torch::jit::Value *x, const QString &role) {
            torch::jit::Value *factor = graph->insertGetAttr(newSelf, lowRankFactorName(p.call.modulePath, role).toStdString());
            return graph->insert(c10::aten::linear, {x, graph->insertGetAttr(factor, "weight"), graph->insertGetAttr(factor, "bias")});
        };
        torch::jit::Value *y = linearOf(linearOf(node->input(0), u"right"_s), u"left"_s);
        node->output()->replaceAllUsesWith(y);
        node->destroy();
        result.realised << p.call.modulePath;
    }
    std::vector<torch::jit::Module> replaced; // their dense weights: the file holds the factors only
    for (const QString &path : result.realised)
        replaced.push_back(modules.value(path));
    installRewrittenForward(root, graph, replaced);
    result.model = deriveModel(dense, root, dense.displayName() + u" [low-rank as two Linear layers]"_s);
    return result;
}

} // namespace compresslab
