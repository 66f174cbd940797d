#include "compress/AttentionHeads.h"

#include "compress/GraphTools.h"
#include "compress/LayerSteps.h"
#include "eval/ModelRunner.h"
#include "model/ModelImpl.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <map>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

torch::Tensor weightOf(const QHash<QString, torch::jit::Module> &modules, const QString &path)
{
    const torch::jit::Module m = modules.value(path);
    return m.hasattr("weight") && m.attr("weight").isTensor() ? m.attr("weight").toTensor().detach() : torch::Tensor();
}

LayerWork *workFor(QVector<LayerWork> &work, const QString &path)
{
    for (LayerWork &w : work) {
        if (w.layer.path == path && !w.layer.skipped && w.layer.tiedTo.isEmpty())
            return &w;
    }
    return nullptr;
}

// What realising one block's head removal changes, and what it was before (to undo it).
struct HeadPlan {
    AttentionBlock block;
    LayerWork *q = nullptr, *k = nullptr, *v = nullptr, *out = nullptr;
    torch::Tensor heads, units; // kept heads, and their rows of q/k/v (columns of out_proj)
    std::map<std::pair<QString, std::string>, torch::Tensor> before;
};

} // namespace

std::vector<AttentionBlock> findAttentionBlocks(const torch::jit::Module &root)
{
    const QHash<QString, torch::jit::Module> modules = modulesByPath(root);
    std::map<QString, int> calls;
    for (const LinearCall &c : findLinearCalls(*inlinedForward(root)))
        ++calls[c.modulePath];
    std::vector<AttentionBlock> blocks;
    for (auto it = modules.begin(); it != modules.end(); ++it) {
        if (!it.value().hasattr("n_head") || !it.value().attr("n_head").isInt())
            continue;
        const QString prefix = it.key().isEmpty() ? QString() : it.key() + u'.';
        AttentionBlock b{it.key(), prefix + u"q_proj"_s, prefix + u"k_proj"_s, prefix + u"v_proj"_s, prefix + u"out_proj"_s,
                         it.value().attr("n_head").toInt(), 0};
        const torch::Tensor q = weightOf(modules, b.q), k = weightOf(modules, b.k), v = weightOf(modules, b.v), out = weightOf(modules, b.out);
        const bool calledOnce = calls[b.q] == 1 && calls[b.k] == 1 && calls[b.v] == 1 && calls[b.out] == 1;
        if (!calledOnce || b.heads < 2 || !q.defined() || !k.defined() || !v.defined() || !out.defined() || q.dim() != 2 ||
            k.sizes() != q.sizes() || v.sizes() != q.sizes() || out.dim() != 2 || out.size(1) != q.size(0) || q.size(0) % b.heads != 0)
            continue;
        b.width = q.size(0) / b.heads;
        blocks.push_back(b);
    }
    std::sort(blocks.begin(), blocks.end(), [](const AttentionBlock &a, const AttentionBlock &b) { return a.path < b.path; });
    return blocks;
}

torch::Tensor keptHeads(const AttentionBlock &block, const torch::jit::Module &root, double sparsity, int norm)
{
    const QHash<QString, torch::jit::Module> modules = modulesByPath(root);
    auto perUnit = [&](const torch::Tensor &m) { return norm == 1 ? m.abs().sum(1) : m.pow(2).sum(1); };
    auto weight = [&](const QString &path) { return weightOf(modules, path).to(torch::kFloat); };
    const torch::Tensor score = (perUnit(weight(block.q)) + perUnit(weight(block.k)) + perUnit(weight(block.v)) + perUnit(weight(block.out).t()))
                                    .reshape({block.heads, block.width})
                                    .sum(1);
    const int64_t keep = std::max<int64_t>(1, block.heads - int64_t(std::llround(sparsity * double(block.heads))));
    return std::get<0>(std::get<1>(score.topk(keep)).sort());
}

torch::Tensor headUnits(const torch::Tensor &heads, int64_t width)
{
    return (heads.unsqueeze(1) * width + torch::arange(width)).reshape({-1});
}

QStringList removeAttentionHeads(torch::jit::Module &copy, QVector<LayerWork> &work, const CompressionConfig &config,
                                 const torch::Tensor &input)
{
    // Whole heads leave before any step, whatever the order: the kept heads' q/k/v rows are quantized or
    // clustered row by row either way, and out_proj is then compressed over the inputs it keeps.
    if (!config.has(Step::Prune) || config.prune.method != PruneMethod::Structured)
        return {};
    std::vector<HeadPlan> plans;
    QStringList clashes;
    for (const AttentionBlock &b : findAttentionBlocks(copy)) {
        HeadPlan p{b, workFor(work, b.q), workFor(work, b.k), workFor(work, b.v), workFor(work, b.out), {}, {}, {}};
        if (!p.q || !p.k || !p.v || !p.out)
            continue;
        const double sparsity = p.q->override && p.q->override->sparsity ? *p.q->override->sparsity : config.prune.sparsity;
        p.heads = keptHeads(b, copy, sparsity, config.prune.norm);
        if (p.heads.size(0) == b.heads)
            continue;
        p.units = headUnits(p.heads, b.width);
        // out_proj keeps one input per kept unit: a group size that no longer divides them would fail there.
        const int64_t groupSize = config.quantize.groupSize;
        if (groupSizeMustDivide(config) && !p.out->layer.skipped && p.units.size(0) % groupSize != 0) {
            clashes << u"%1: attention heads not removed: out_proj would keep %2 inputs, which group size %3 does not divide "
                       "(\"group_fallback\": \"channel\" allows it); their rows are pruned in place"_s
                           .arg(b.path).arg(p.units.size(0)).arg(groupSize);
            continue;
        }
        plans.push_back(p);
    }
    if (plans.empty())
        return clashes;
    if (!input.defined())
        return {u"attention heads: not removed (no example input to check the rewrite on; give a dataset); their rows are pruned in place"_s};

    QHash<QString, torch::jit::Module> modules = modulesByPath(copy);
    auto set = [&](HeadPlan &p, const QString &path, const char *name, const torch::Tensor &t) {
        torch::jit::Module m = modules.value(path);
        p.before.emplace(std::pair{path, std::string(name)}, m.attr(name).toTensor());
        m.register_parameter(name, t, false);
    };
    auto undo = [&] {
        for (HeadPlan &p : plans) {
            for (const auto &[key, t] : p.before)
                modules.value(key.first).register_parameter(key.second, t, false);
            p.before.clear();
            modules.value(p.block.path).setattr("n_head", p.block.heads);
        }
    };
    torch::NoGradGuard noGrad;
    torch::Tensor reference, realised;
    try {
        // What removing the heads must compute: the model with those heads' out_proj columns zeroed.
        for (HeadPlan &p : plans) {
            const torch::Tensor w = weightOf(modules, p.block.out);
            set(p, p.block.out, "weight", w * torch::zeros({w.size(1)}, w.options()).index_fill_(0, p.units, 1.0));
        }
        reference = runForward(copy, input).clone();
        undo();
        for (HeadPlan &p : plans) {
            for (const QString &path : {p.block.q, p.block.k, p.block.v}) {
                set(p, path, "weight", weightOf(modules, path).index_select(0, p.units).clone());
                const torch::jit::Module m = modules.value(path);
                if (m.hasattr("bias") && m.attr("bias").isTensor())
                    set(p, path, "bias", m.attr("bias").toTensor().detach().index_select(0, p.units).clone());
            }
            set(p, p.block.out, "weight", weightOf(modules, p.block.out).index_select(1, p.units).clone());
            modules.value(p.block.path).setattr("n_head", p.heads.size(0));
        }
        realised = runForward(copy, input);
    } catch (const std::exception &) {
        undo();
        return {u"attention heads: not removed (the model did not run with fewer heads); their rows are pruned in place"_s};
    }
    const double scale = reference.abs().max().item<double>();
    if (realised.sizes() != reference.sizes() || !torch::allclose(realised, reference, 1e-4, 1e-5 * std::max(1.0, scale))) {
        undo();
        return {u"attention heads: not removed (the model's forward does not follow n_head: checked on the example input); "
                "their rows are pruned in place"_s};
    }

    QStringList notes = clashes;
    for (HeadPlan &p : plans) {
        const int64_t removed = p.block.heads - p.heads.size(0);
        const QString note = u"attention: %1 of %2 heads removed (n_head %2 → %3); the tensors are smaller"_s
                                 .arg(removed).arg(p.block.heads).arg(p.heads.size(0));
        for (LayerWork *w : {p.q, p.k, p.v, p.out}) {
            const torch::Tensor before = p.before.at({w->layer.path, "weight"});
            const torch::Tensor after = modules.value(w->layer.path).attr("weight").toTensor();
            w->droppedNormSquared += before.pow(2).sum().item<double>() - after.pow(2).sum().item<double>();
            w->parameter = after;
            w->layer.shape = after.sizes().vec();
            w->headsRemoved = true;
            w->realisedNote = note;
            const auto bias = p.before.find({w->layer.path, "bias"});
            if (bias != p.before.end())
                w->removedOtherBytes += (bias->second.numel() - p.units.size(0)) * qint64(bias->second.element_size());
        }
        p.out->inputKeep = p.units; // GPTQ: out_proj's Hessian loses the same rows and columns
        notes << u"%1: %2 of %3 attention heads removed%4"_s.arg(p.block.path).arg(removed).arg(p.block.heads)
                     .arg(config.steps.first() == Step::Prune ? QString() : u" (before the other steps, whatever their order)"_s);
    }
    return notes;
}

} // namespace compresslab
