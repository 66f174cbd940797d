#include "analysis/WeightHistogram.h"

#include "common/UserError.h"
#include "compress/AttentionHeads.h"
#include "compress/CompressionArtifacts.h"
#include "compress/Compressor.h"
#include "compress/GraphTools.h"
#include "compress/WeightMethods.h"
#include "model/ModelImpl.h"

#include <QElapsedTimer>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

bool compressibleType(const QString &type)
{
    return type.contains("Linear"_L1) || type.startsWith("Conv"_L1) || type.startsWith("Embedding"_L1);
}

// The same selection rule as the compressor's (Compressor.cpp).
bool typeSelected(const QString &type, const QStringList &selected)
{
    return (selected.contains("Linear"_L1) && type.contains("Linear"_L1)) ||
           (selected.contains("Conv"_L1) && type.startsWith("Conv"_L1)) ||
           (selected.contains("Embedding"_L1) && type.startsWith("Embedding"_L1));
}

// The override the compressor applies to `path`: an exact key first, else the first matching wildcard.
LayerOverride resolveOverride(const CompressionConfig &config, const QString &path)
{
    auto exact = config.layers.constFind(path);
    if (exact != config.layers.constEnd())
        return exact.value();
    for (auto it = config.layers.constBegin(); it != config.layers.constEnd(); ++it) {
        const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(it.key(), QRegularExpression::UnanchoredWildcardConversion));
        if (QRegularExpression(u"^(?:"_s + re.pattern() + u")$"_s).match(path).hasMatch())
            return it.value();
    }
    return {};
}

const ModuleNode *findModule(const ModelSummary &summary, const QString &path)
{
    for (const ModuleNode &m : summary.modules) {
        if (m.path == path)
            return &m;
    }
    return nullptr;
}

const TensorRecord *findWeight(const ModelSummary &summary, const QString &module)
{
    for (const TensorRecord &t : summary.tensors) {
        if (t.module == module && t.name == "weight"_L1)
            return &t;
    }
    return nullptr;
}

// The layers sharing `path`'s weight storage (itself included): the compressor compresses the first of
// them and the others follow, so all of them take part in the run.
QStringList tieGroup(const ModelSummary &summary, const QString &path)
{
    const TensorRecord *own = findWeight(summary, path);
    if (!own)
        return {path};
    const QString storage = own->sharedWith.isEmpty() ? own->path : own->sharedWith;
    QStringList group;
    for (const TensorRecord &t : summary.tensors) {
        if (t.name == "weight"_L1 && (t.path == storage || t.sharedWith == storage))
            group << t.module;
    }
    return group.isEmpty() ? QStringList{path} : group;
}

torch::Tensor weightOf(const torch::jit::Module &root, const QString &path)
{
    const auto modules = modulesByPath(root);
    const auto m = modules.value(path);
    return m.attr("weight").toTensor().detach();
}

torch::Tensor keptInputs(const Model &model, const CompressionConfig &config, const std::map<QString, ChannelChain> &chains,
                         const QString &path, int64_t cols);

// The rows structured pruning kept in `path` (ascending), exactly as LayerSteps chose them: the largest-norm
// rows of the weight as the layer saw it, i.e. without the inputs its producer's pruning had already removed
// (realised shrinking only happens when pruning comes first).
torch::Tensor keptRows(const Model &model, const CompressionConfig &config, const std::map<QString, ChannelChain> &chains,
                       const QString &path)
{
    const torch::Tensor w = weightOf(model.impl().module, path);
    torch::Tensor matrix = w.reshape({w.size(0), -1}).to(torch::kFloat);
    if (const torch::Tensor inputs = keptInputs(model, config, chains, path, matrix.size(1)); inputs.defined())
        matrix = matrix.index_select(1, inputs);
    const LayerOverride o = resolveOverride(config, path);
    const double sparsity = o.sparsity ? *o.sparsity : config.prune.sparsity;
    const int64_t rows = matrix.size(0);
    const int64_t keep = std::max<int64_t>(1, rows - int64_t(std::llround(sparsity * double(rows))));
    const torch::Tensor kept = std::get<1>(rowNorms(matrix, config.prune.norm).topk(keep));
    return std::get<0>(kept.sort());
}

// The columns of `path`'s 2-D weight (of `cols` columns) left by its producer's realised pruning: the kept
// rows' inputs, a run of cols / producer rows per row (a flattened channel, or a kernel's positions).
// Undefined when no layer feeds it that way or the producer is not pruned.
torch::Tensor keptInputs(const Model &model, const CompressionConfig &config, const std::map<QString, ChannelChain> &chains,
                         const QString &path, int64_t cols)
{
    for (const auto &[producer, chain] : chains) {
        const ModuleNode *node = findModule(model.summary(), producer);
        if (chain.consumer != path || !node || !typeSelected(node->type, config.moduleTypes) || resolveOverride(config, producer).skip)
            continue;
        const int64_t producerRows = weightOf(model.impl().module, producer).size(0);
        const int64_t inputs = weightOf(model.impl().module, path).size(1);
        if (chain.flattened ? inputs % producerRows != 0 : inputs != producerRows)
            continue; // the compressor does not shrink such a chain either (Compressor.cpp)
        const int64_t s = cols / producerRows;
        return (keptRows(model, config, chains, producer).unsqueeze(1) * s + torch::arange(s)).reshape({-1});
    }
    return {};
}

// Realised structured pruning made the tensor smaller: puts its values back where they were, zeros in
// the removed rows/columns (which is what the smaller layer computes).
torch::Tensor expandRealised(const Model &model, const CompressionConfig &config, const QString &path,
                             const torch::Tensor &after2d, int64_t rows, int64_t cols)
{
    const std::map<QString, ChannelChain> chains = findChannelChains(inlinedForward(model.impl().module));
    torch::Tensor rowIndex = torch::arange(rows), colIndex = torch::arange(cols);
    // An attention projection lost whole heads: rows of q/k/v, columns of out_proj.
    for (const AttentionBlock &b : findAttentionBlocks(model.impl().module)) {
        if (path != b.q && path != b.k && path != b.v && path != b.out)
            continue;
        const LayerOverride o = resolveOverride(config, b.q);
        const torch::Tensor units = headUnits(keptHeads(b, model.impl().module, o.sparsity ? *o.sparsity : config.prune.sparsity,
                                                        config.prune.norm), b.width);
        (path == b.out ? colIndex : rowIndex) = units;
    }
    if (after2d.size(0) != rows && rowIndex.size(0) == rows)
        rowIndex = keptRows(model, config, chains, path);
    if (after2d.size(1) != cols && colIndex.size(0) == cols) {
        colIndex = keptInputs(model, config, chains, path, cols);
        if (!colIndex.defined())
            throw UserError(u"cannot tell which inputs of %1 structured pruning removed"_s.arg(path));
    }
    if (rowIndex.size(0) != after2d.size(0) || colIndex.size(0) != after2d.size(1))
        throw UserError(u"cannot match the pruned weight of %1 to the original"_s.arg(path));
    torch::Tensor partial = torch::zeros({after2d.size(0), cols});
    partial.index_copy_(1, colIndex, after2d);
    torch::Tensor full = torch::zeros({rows, cols});
    full.index_copy_(0, rowIndex, partial);
    return full;
}

void fillGrid(WeightHistogram &h, const CompressedLayer &stored, qint64 wantedGroup)
{
    if (stored.matrices.isEmpty()) {
        h.noGridReason = WeightNoGridReason::Unchanged;
        return;
    }
    if (stored.matrices.size() == 2) {
        h.noGridReason = WeightNoGridReason::LowRank;
        return;
    }
    const StoredMatrix &m = stored.matrices[0];
    switch (m.kind) {
    case StoredMatrix::Kind::Float32:
        h.noGridReason = WeightNoGridReason::NotQuantized;
        return;
    case StoredMatrix::Kind::Float16:
    case StoredMatrix::Kind::BFloat16:
        h.noGridReason = WeightNoGridReason::HalfFloat;
        h.bits = 16;
        return;
    case StoredMatrix::Kind::Codebook: {
        h.gridKind = WeightGridKind::Codebook;
        h.bits = m.bits;
        h.gridCount = 1;
        h.gridGroup = 0;
        h.groupSize = m.rows * m.cols;
        const torch::Tensor c = m.centroids.to(torch::kFloat).contiguous();
        for (int64_t i = 0; i < c.numel(); ++i)
            h.gridLevels << double(c.data_ptr<float>()[i]);
        break;
    }
    case StoredMatrix::Kind::Int: {
        h.gridKind = WeightGridKind::Integer;
        h.bits = m.bits;
        h.groupSize = m.groupSize;
        h.groupUnit = m.groupSize == m.rows * m.cols ? WeightGroupUnit::Tensor
                      : m.groupSize == m.cols       ? WeightGroupUnit::Channel
                                                    : WeightGroupUnit::Group;
        const torch::Tensor scales = m.scales.to(torch::kFloat).contiguous();
        h.gridCount = scales.numel();
        if (wantedGroup >= h.gridCount)
            throw UserError(u"layer %1 has %2 scale groups; there is no group %3"_s.arg(h.layer).arg(h.gridCount).arg(wantedGroup));
        // The widest range is the largest |scale| (range = |scale| * (levels - 1) either way).
        h.gridGroup = wantedGroup >= 0 ? wantedGroup : scales.abs().argmax().item<int64_t>();
        h.gridWidest = wantedGroup < 0;
        const float scale = scales.data_ptr<float>()[h.gridGroup];
        const int levels = 1 << m.bits;
        // The same float arithmetic as Quantize.cpp's dequantization: q * d, or (q - z) * s.
        if (m.symmetric) {
            for (int q = -(levels / 2); q <= levels / 2 - 1; ++q)
                h.gridLevels << double(float(q) * scale);
        } else {
            const float zero = float(m.zeros.to(torch::kFloat).contiguous().data_ptr<float>()[h.gridGroup]);
            for (int q = 0; q < levels; ++q)
                h.gridLevels << double((float(q) - zero) * scale);
        }
        break;
    }
    }
    std::sort(h.gridLevels.begin(), h.gridLevels.end());
}

qint64 distinctValues(const torch::Tensor &flat)
{
    std::vector<float> v(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
    std::sort(v.begin(), v.end());
    return qint64(std::unique(v.begin(), v.end()) - v.begin()); // -0 and 0 count once
}

void fillBins(WeightHistogram &h, const torch::Tensor &before, const torch::Tensor &after, int bins)
{
    double lo = INFINITY, hi = -INFINITY;
    for (const torch::Tensor &t : {before, after}) {
        const auto finite = t.masked_select(torch::isfinite(t));
        if (finite.numel() > 0) {
            lo = std::min(lo, finite.min().item<double>());
            hi = std::max(hi, finite.max().item<double>());
        }
    }
    for (double level : h.gridLevels) {
        lo = std::min(lo, level);
        hi = std::max(hi, level);
    }
    if (!std::isfinite(lo)) // nothing finite to show
        lo = hi = 0;
    if (hi - lo <= 0) { // one value: a bin around it
        const double pad = std::max(0.5, std::abs(lo) * 0.01);
        lo -= pad;
        hi += pad;
    }
    const double width = (hi - lo) / bins;
    h.binEdges.resize(bins + 1);
    for (int i = 0; i <= bins; ++i)
        h.binEdges[i] = lo + width * i;
    h.binEdges[bins] = hi;
    auto count = [&](const torch::Tensor &t, QVector<double> &out) {
        out.fill(0, bins);
        const float *v = t.data_ptr<float>();
        for (int64_t i = 0; i < t.numel(); ++i) {
            if (!std::isfinite(v[i]))
                continue;
            const int bin = std::clamp(int(std::floor((double(v[i]) - lo) / width)), 0, bins - 1);
            out[bin] += 1;
        }
    };
    count(before, h.before);
    count(after, h.after);
}

} // namespace

bool isHistogramLayer(const ModelSummary &summary, const QString &path)
{
    const ModuleNode *node = findModule(summary, path);
    const TensorRecord *weight = node ? findWeight(summary, path) : nullptr;
    return node && compressibleType(node->type) && weight && weight->shape.size() >= 2 &&
           (weight->dtype.startsWith("float"_L1) || weight->dtype == "bfloat16"_L1);
}

QString largestLinearLayer(const ModelSummary &summary)
{
    QString best;
    qint64 most = -1;
    for (const ModuleNode &m : summary.modules) {
        const TensorRecord *weight = findWeight(summary, m.path);
        if (m.type.contains("Linear"_L1) && isHistogramLayer(summary, m.path) && weight->numel > most) {
            most = weight->numel;
            best = m.path;
        }
    }
    return best;
}

WeightHistogram computeWeightHistogram(const Model &model, const CompressionConfig &config, const WeightHistogramParams &params,
                                       const Dataset *calibration, const ProgressCallback &progress)
{
    QElapsedTimer clock;
    clock.start();
    if (params.bins < 1)
        throw UserError(u"a histogram needs at least one bin"_s);
    const ModelSummary &summary = model.summary();
    const ModuleNode *node = findModule(summary, params.layer);
    if (!node)
        throw UserError(u"the model has no module %1"_s.arg(params.layer));
    if (!compressibleType(node->type))
        throw UserError(u"%1 is a %2, which is not compressed; pick a Linear, Conv or Embedding layer"_s.arg(params.layer, node->type));
    torch::NoGradGuard noGrad;
    const auto modules = modulesByPath(model.impl().module);
    const torch::jit::Module module = modules.value(params.layer);
    if (!module.hasattr("weight") || !module.attr("weight").isTensor())
        throw UserError(u"%1 has no weight tensor to compress"_s.arg(params.layer));
    const torch::Tensor weight = module.attr("weight").toTensor().detach();
    if (weight.dim() < 2 || !weight.is_floating_point())
        throw UserError(u"the weight of %1 is not a floating-point tensor of 2 or more dimensions; it is not compressed"_s.arg(params.layer));

    WeightHistogram h;
    h.layer = params.layer;
    h.type = node->type;
    for (int64_t d : weight.sizes())
        h.shape << qint64(d);
    h.configSummary = config.describe();
    h.weights = weight.numel();
    h.encoding = u"fp32"_s;
    if (h.weights == 0) {
        h.state = WeightHistogramState::Empty;
        h.seconds = double(clock.nsecsElapsed()) / 1e9;
        return h;
    }
    if (config.steps.isEmpty())
        h.state = WeightHistogramState::NoCompression;
    else if (!typeSelected(node->type, config.moduleTypes))
        h.state = WeightHistogramState::TypeNotSelected;
    else if (resolveOverride(config, params.layer).skip)
        h.state = WeightHistogramState::Skipped;

    const int64_t rows = weight.size(0), cols = weight.numel() / rows;
    const torch::Tensor before = weight.reshape({rows, cols}).to(torch::kFloat).contiguous();
    torch::Tensor after = before;
    if (h.state == WeightHistogramState::Compressed) {
        CompressionConfig run = config;
        run.int8Kernels = false; // the int8 copy holds the same values; not needed here
        // Global magnitude pruning and realised structured pruning couple layers: the whole model runs.
        // Otherwise only this layer (and those tied to it) does, the others skipped.
        const bool coupled = config.has(Step::Prune) && (config.prune.method == PruneMethod::Structured ||
                                                         (config.prune.method == PruneMethod::Unstructured &&
                                                          config.prune.scope == PruneScope::Global));
        if (!coupled) {
            run.layers.clear();
            LayerOverride skip;
            skip.skip = true;
            run.layers.insert(u"*"_s, skip);
            for (const QString &p : tieGroup(summary, params.layer))
                run.layers.insert(p, resolveOverride(config, p));
        }
        const CompressionResult result = compressModel(model, run, calibration, progress);
        QString storedAs = params.layer;
        for (const LayerReport &r : result.report.layers) {
            if (r.path == params.layer) {
                h.encoding = r.encoding;
                h.tiedTo = r.tiedTo;
                storedAs = r.tiedTo.isEmpty() ? r.path : r.tiedTo;
            }
        }
        const torch::Tensor compressed = weightOf(result.model->impl().module, params.layer);
        const torch::Tensor after2d = compressed.reshape({compressed.size(0), -1}).to(torch::kFloat);
        after = after2d.sizes() == before.sizes() ? after2d.contiguous()
                                                  : expandRealised(model, config, params.layer, after2d, rows, cols);
        h.removedWeights = h.weights - after2d.numel();
        h.prunedZeros = h.removedWeights;
        for (const CompressedLayer &stored : result.artifacts->layers) {
            if (stored.path != storedAs)
                continue;
            if (stored.matrices.size() == 1 && stored.matrices[0].mask.defined())
                h.prunedZeros += stored.matrices[0].mask.numel() - stored.matrices[0].mask.sum().item<int64_t>();
            fillGrid(h, stored, params.group);
        }
    }
    fillBins(h, before.reshape({-1}), after.reshape({-1}), params.bins);
    const torch::Tensor error = (after - before).abs().to(torch::kDouble);
    h.minAbsError = error.min().item<double>();
    h.maxAbsError = error.max().item<double>();
    h.meanAbsError = error.mean().item<double>();
    h.zerosBefore = (before == 0).sum().item<int64_t>();
    h.zerosAfter = (after == 0).sum().item<int64_t>();
    h.distinctBefore = distinctValues(before.reshape({-1}));
    h.distinctAfter = distinctValues(after.reshape({-1}));
    h.seconds = double(clock.nsecsElapsed()) / 1e9;
    return h;
}

} // namespace compresslab
