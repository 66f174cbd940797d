#include "compress/Int8Kernels.h"

#include "common/UserError.h"
#include "compress/GraphTools.h"
#include "compress/Int8Ops.h"
#include "model/ModelImpl.h"
#include "runtime/RuntimeInfo.h"

#include <ATen/core/dispatch/Dispatcher.h>
#include <torch/csrc/jit/ir/alias_analysis.h>

#include <QSet>

#include <algorithm>
#include <map>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QString attributeName(const QString &path)
{
    return u"_int8_"_s + QString(path).replace(u'.', u'_');
}

// A path that reads back unambiguously from a "__"-joined name: no "__" or edge "_" after '.' -> '_'.
bool joinsCleanly(const QString &path)
{
    const QString part = QString(path).replace(u'.', u'_');
    return !part.contains(u"__"_s) && !part.startsWith(u'_') && !part.endsWith(u'_');
}

// One packed weight for several layers: their paths joined by "__" (tools/onnx reads them back).
QString fusedAttributeName(const QStringList &paths)
{
    QStringList parts;
    for (const QString &p : paths)
        parts << QString(p).replace(u'.', u'_');
    return u"_int8_"_s + parts.join(u"__"_s);
}

struct Int8Layer {
    const LinearCall *call;
    torch::Tensor weight;
    c10::optional<torch::Tensor> bias;
};

// Layers that read the same input in the same block (an attention block's q, k and v) run as one call
// on their stacked weights: each int8 call pays a fixed cost (quantizing the input, waking the threads;
// three 192-wide calls took 2.2x one 576-wide call here). Rows are quantized one by one and the input once
// per call either way, so the fused call's outputs are bit-identical to the separate calls'. An input
// something writes to in place is left alone: a later member could read another value than the first.
std::vector<std::vector<int>> sameInputGroups(const std::vector<Int8Layer> &layers, const torch::jit::AliasDb &aliases)
{
    QHash<QString, int> callsPerModule;
    for (const Int8Layer &l : layers)
        ++callsPerModule[l.call->modulePath];
    std::vector<std::vector<int>> groups;
    QHash<torch::jit::Value *, int> groupOfInput;
    for (int i = 0; i < int(layers.size()); ++i) {
        const Int8Layer &l = layers[size_t(i)];
        if (callsPerModule.value(l.call->modulePath) != 1 || !joinsCleanly(l.call->modulePath)) // called twice: its own packed weight
            continue;
        torch::jit::Value *input = l.call->node->input(0);
        if (aliases.hasWriters(input))
            continue;
        const auto found = groupOfInput.constFind(input);
        if (found != groupOfInput.cend() && layers[size_t(groups[size_t(*found)].front())].weight.size(1) == l.weight.size(1)) {
            groups[size_t(*found)].push_back(i);
        } else if (found == groupOfInput.cend()) {
            groupOfInput.insert(input, int(groups.size()));
            groups.push_back({i});
        }
    }
    groups.erase(std::remove_if(groups.begin(), groups.end(), [](const std::vector<int> &g) { return g.size() < 2; }), groups.end());
    return groups;
}

c10::optional<torch::Tensor> stackedBias(const std::vector<Int8Layer> &layers, const std::vector<int> &group)
{
    bool any = false;
    std::vector<torch::Tensor> parts;
    for (int i : group) {
        const Int8Layer &l = layers[size_t(i)];
        any = any || l.bias.has_value();
        parts.push_back(l.bias ? l.bias->detach().to(torch::kFloat) : torch::zeros({l.weight.size(0)}));
    }
    return any ? c10::optional<torch::Tensor>(torch::cat(parts)) : c10::nullopt;
}

} // namespace

Int8Conversion convertLinearsToInt8(const Model &model, const QStringList &layers, const QString &engine, bool fuseSameInput)
{
    const auto packing = lockInt8Packing(); // prepacking is engine-specific, and the engine is the process's
    configureRuntime(at::get_num_threads(), engine); // the caller's thread count stays
    Model::Impl &source = model.impl();
    torch::NoGradGuard noGrad;
    torch::jit::Module inner;
    {
        std::lock_guard<std::mutex> lock(source.runMutex);
        // New class types (the rewrite never touches the source's), same tensors: clone() without
        // `inplace` copies every tensor separately and would untie tied weights.
        inner = source.module.clone(/*inplace=*/true);
    }
    inner.eval();
    auto graph = inlinedForward(inner);
    const std::vector<LinearCall> calls = findLinearCalls(*graph);

    // A new root owns the original as `model`; its forward is the rewritten graph.
    torch::jit::Module root("__torch__.compresslab.Int8Model");
    root.register_module("model", inner);
    torch::jit::Value *newSelf = rerootUnder(*graph, root);

    Int8Conversion result;
    const QHash<QString, torch::jit::Module> modules = modulesByPath(inner);
    std::vector<Int8Layer> candidates;
    for (const LinearCall &call : calls) {
        if (!layers.isEmpty() && !layers.contains(call.modulePath))
            continue;
        const torch::jit::Module linear = modules.value(call.modulePath);
        const torch::Tensor weight = linear.attr("weight").toTensor();
        if (weight.dim() != 2) {
            result.skipped << call.modulePath;
            result.notes << u"%1: weight is not 2-D; left in fp32"_s.arg(call.modulePath);
            continue;
        }
        c10::optional<torch::Tensor> bias;
        if (linear.hasattr("bias") && linear.attr("bias").isTensor())
            bias = linear.attr("bias").toTensor();
        candidates.push_back({&call, weight, bias});
    }

    // Packed weights: one per same-input group, then one per remaining layer.
    std::map<const LinearCall *, std::pair<QString, std::pair<int64_t, int64_t>>> fusedSlice; // attribute, rows
    const torch::jit::AliasDb aliases(graph);
    QSet<QString> stackedNames;
    for (const std::vector<int> &group : fuseSameInput ? sameInputGroups(candidates, aliases) : std::vector<std::vector<int>>{}) {
        QStringList paths;
        std::vector<torch::Tensor> weights;
        for (int i : group) {
            paths << candidates[size_t(i)].call->modulePath;
            weights.push_back(candidates[size_t(i)].weight);
        }
        c10::IValue packed;
        try {
            packed = prepackInt8Linear(torch::cat(weights), stackedBias(candidates, group));
        } catch (const std::exception &) {
            continue; // each layer is tried on its own below, with its own reason
        }
        const QString name = fusedAttributeName(paths);
        root.register_attribute(name.toStdString(), packed.type(), packed);
        stackedNames.insert(name);
        int64_t row = 0;
        for (int i : group) {
            const int64_t rows = candidates[size_t(i)].weight.size(0);
            fusedSlice[candidates[size_t(i)].call] = {name, {row, row + rows}};
            row += rows;
        }
        result.converted << paths;
        result.notes << u"int8 kernels: %1 read the same input and run as one call on their stacked weights"_s.arg(paths.join(u", "_s));
    }
    for (const Int8Layer &l : candidates) {
        if (fusedSlice.count(l.call))
            continue;
        const QString name = attributeName(l.call->modulePath);
        if (stackedNames.contains(name)) { // "a._b" and the stack of "a" and "b" would share a name
            result.skipped << l.call->modulePath;
            result.notes << u"%1: its int8 weight's name is taken by a stack of other layers; left in fp32"_s.arg(l.call->modulePath);
            continue;
        }
        if (root.hasattr(name.toStdString()))
            continue; // a layer called twice shares one packed weight
        c10::IValue packed;
        try {
            packed = prepackInt8Linear(l.weight, l.bias);
        } catch (const std::exception &e) {
            result.skipped << l.call->modulePath;
            result.notes << u"%1: the int8 engine refused it (%2); left in fp32"_s.arg(l.call->modulePath,
                                                                                     QString::fromStdString(e.what()).section(u'\n', 0, 0));
            continue;
        }
        root.register_attribute(name.toStdString(), packed.type(), packed);
        result.converted << l.call->modulePath;
    }
    // Rewrite the calls (a second pass: all attributes exist on the root type now). A fused group's call
    // goes where its first member was (the input is defined there; every member follows in the same block).
    QHash<QString, torch::jit::Value *> fusedOutput;
    const auto linearDynamic = c10::Symbol::fromQualString("quantized::linear_dynamic");
    for (const LinearCall &call : calls) {
        if (!result.converted.contains(call.modulePath))
            continue;
        torch::jit::Value *y = nullptr;
        const auto slice = fusedSlice.find(&call);
        if (slice == fusedSlice.end()) {
            torch::jit::WithInsertPoint guard(call.node);
            torch::jit::Value *packed = graph->insertGetAttr(newSelf, attributeName(call.modulePath).toStdString());
            y = graph->insert(linearDynamic, {call.node->input(0), packed});
        } else {
            const auto &[name, rows] = slice->second;
            torch::jit::Value *&stacked = fusedOutput[name];
            if (!stacked) {
                torch::jit::WithInsertPoint guard(call.node);
                stacked = graph->insert(linearDynamic, {call.node->input(0), graph->insertGetAttr(newSelf, name.toStdString())});
            }
            // Contiguous, as the separate call's output was: a slice is a strided view, and a later
            // view() that merges its last dimension would fail on it.
            torch::jit::WithInsertPoint guard(call.node);
            y = graph->insert(c10::aten::contiguous, {graph->insert(c10::aten::slice, {stacked, int64_t(-1), rows.first, rows.second, int64_t(1)})});
        }
        call.node->output()->replaceAllUsesWith(y);
        call.node->destroy();
    }
    std::vector<torch::jit::Module> replaced; // their fp32 weights: the file holds int8 only
    for (const QString &path : result.converted)
        replaced.push_back(modules.value(path));
    installRewrittenForward(root, graph, replaced);

    result.model = deriveModel(model, root, model.displayName().contains("int8 kernels"_L1) ? model.displayName()
                                                                                          : model.displayName() + u" [int8 kernels]"_s);
    result.model->impl().metadata.int8Engine = engine;
    if (result.converted.isEmpty())
        result.notes << u"no Linear layer could run int8 kernels; the model is unchanged"_s;
    return result;
}

QString packedInt8Engine(const Model &model)
{
    QSet<QString> engines;
    for (const auto &module : model.impl().module.modules()) {
        for (const auto &attribute : module.named_attributes(/*recurse=*/false)) {
            if (const QString engine = packedEngineOf(attribute.value); !engine.isEmpty())
                engines.insert(engine);
        }
    }
    return engines.size() > 1 ? u"mixed"_s : engines.isEmpty() ? QString() : *engines.begin();
}

} // namespace compresslab
