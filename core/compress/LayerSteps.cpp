#include "compress/LayerSteps.h"

#include "common/UserError.h"
#include "compress/FusedQuantize.h"
#include "compress/Gptq.h"
#include "compress/SizeAccounting.h"
#include "compress/WeightMethods.h"

#include <atomic>
#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

int64_t largestDivisorAtMost(int64_t n, int64_t limit)
{
    for (int64_t d = std::min(n, limit); d > 1; --d) {
        if (n % d == 0)
            return d;
    }
    return 1;
}

UserError nanWeightsError(const QString &path)
{
    return UserError(u"layer %1 has NaN or Inf weights; compressing would spread them. Fix the model, or skip "
                     "the layer with \"layers\": {\"%1\": {\"skip\": true}}"_s.arg(path));
}

void storeQuantized(StoredMatrix &m, const QuantizedMatrix &q, int bits, int64_t groupSize, bool symmetric)
{
    m.kind = StoredMatrix::Kind::Int;
    m.bits = bits;
    m.groupSize = groupSize;
    m.symmetric = symmetric;
    m.values = q.dequantized; // undefined from the in-place path: the values are in the parameter
    m.codes = q.codes;
    m.scales = q.scales;
    m.zeros = q.zeros;
}

// The code that dequantizes to exactly zero (so pruning after quantization keeps the codes consistent).
torch::Tensor zeroCodes(const StoredMatrix &m)
{
    if (m.symmetric)
        return torch::full(m.codes.sizes(), 1 << (m.bits - 1), torch::kByte);
    return m.zeros.repeat_interleave(m.groupSize).reshape(m.codes.sizes());
}

QString encodingOf(const StoredMatrix &m)
{
    QString e;
    switch (m.kind) {
    case StoredMatrix::Kind::Float32: e = u"fp32"_s; break;
    case StoredMatrix::Kind::Float16: e = u"fp16"_s; break;
    case StoredMatrix::Kind::BFloat16: e = u"bf16"_s; break;
    case StoredMatrix::Kind::Int:
        e = u"int%1 %2 %3"_s.arg(m.bits).arg(m.groupSize == m.rows * m.cols ? u"per-tensor"_s
                                             : m.groupSize == m.cols ? u"per-channel"_s
                                                                               : u"group-%1"_s.arg(m.groupSize))
                .arg(m.symmetric ? u"sym"_s : u"asym"_s);
        break;
    case StoredMatrix::Kind::Codebook: e = u"codebook %1-bit"_s.arg(m.bits); break;
    }
    return e;
}

LayerReport baseReport(const LayerWork &w)
{
    LayerReport r;
    r.path = w.layer.path;
    r.type = w.layer.type;
    for (int64_t d : w.originalShape)
        r.shape.push_back(d);
    r.weights = w.originalWeights;
    r.originalBytes = r.weights * qint64(w.parameter.element_size());
    r.skipped = w.layer.skipped;
    r.tiedTo = w.layer.tiedTo;
    return r;
}

// Sizes and encodings of a finished layer; releases what export does not need (integer and codebook
// values are restored from their codes).
void accountLayer(LayerReport &r, CompressedLayer &layer, const CompressionConfig &config)
{
    QStringList encodings;
    for (StoredMatrix &m : layer.matrices) {
        const MatrixSize size = storedSize(m);
        r.size += size.breakdown;
        encodings << encodingOf(m) + (size.sparseEncoding.isEmpty() ? QString() : u", "_s + size.sparseEncoding);
        if (!size.note.isEmpty())
            r.note = size.note;
        if (m.kind == StoredMatrix::Kind::Int || m.kind == StoredMatrix::Kind::Codebook)
            m.values = torch::Tensor();
    }
    if (layer.matrices.size() == 2)
        encodings = QStringList{u"low-rank r=%1: %2"_s.arg(layer.matrices[0].cols).arg(encodings.join(u" + "_s))};
    r.encoding = encodings.join(u"; "_s);
    r.deployedBytes = r.size.bytes();
    r.effectiveBits = r.size.totalBits() / double(std::max<qint64>(1, r.weights));
    if (config.prune.method == PruneMethod::Structured && config.has(Step::Prune) && r.note.isEmpty())
        r.note = u"structured: pruned rows are not stored (row bitmap), but the layer keeps its shape "
                 "(no single layer reads its outputs channel for channel, e.g. a residual add or the model's output, "
                 "or an earlier step left a mask or low-rank factors)"_s;
}

} // namespace

bool groupSizeMustDivide(const CompressionConfig &config)
{
    const QuantizeSettings &q = config.quantize;
    return config.has(Step::Quantize) && q.format == QuantFormat::Int && q.granularity == Granularity::Group && !q.groupFallbackToChannel;
}

int64_t resolveGroupSize(const QuantizeSettings &q, const torch::Tensor &matrix, const QString &path)
{
    const int64_t cols = matrix.size(1);
    switch (q.granularity) {
    case Granularity::Tensor:
        return matrix.numel();
    case Granularity::Channel:
        return cols;
    case Granularity::Group:
        if (cols % q.groupSize != 0 && q.groupFallbackToChannel)
            return cols;
        if (cols % q.groupSize != 0)
            throw UserError(u"group size %1 does not divide the %2 inputs per output of layer %3 (a divisor such as %4 "
                            "would; or per-channel, or \"group_fallback\": \"channel\" for such layers)"_s.arg(q.groupSize).arg(cols).arg(path)
                                .arg(largestDivisorAtMost(cols, q.groupSize)));
        return q.groupSize;
    }
    return cols;
}

void applyMask(StoredMatrix &m, const torch::Tensor &mask)
{
    m.mask = m.mask.defined() ? (m.mask & mask) : mask;
    m.values = m.values * m.mask.to(torch::kFloat);
    if (m.kind == StoredMatrix::Kind::Int)
        m.codes = torch::where(m.mask, m.codes, zeroCodes(m));
    if (m.kind == StoredMatrix::Kind::Codebook) // index of the centroid nearest zero
        m.codes = torch::where(m.mask, m.codes, m.centroids.abs().argmin().to(torch::kByte).expand_as(m.codes));
}

// Removes the rows not in `kept` from the layer (weight and bias) and the matching inputs from its
// consumer, as new smaller parameters in the copy: the compressed model is really smaller and faster.
static void realiseRowRemoval(LayerWork &w, const torch::Tensor &kept)
{
    StoredMatrix &m = w.layer.matrices[0];
    const int64_t rowsBefore = m.rows;
    const double before = w.original.pow(2).sum().item<double>();
    w.original = w.original.index_select(0, kept); // no longer a view of the parameter
    w.droppedNormSquared += before - w.original.pow(2).sum().item<double>();
    m.values = m.values.index_select(0, kept);
    m.rows = m.values.size(0);
    // Quantized or clustered first: the kept rows keep their codes and scales (one per row, or per group of a
    // row); a per-tensor scale stays the layer's one scale, over fewer values.
    if (m.codes.defined())
        m.codes = m.codes.index_select(0, kept);
    if (m.kind == StoredMatrix::Kind::Int) {
        if (m.groupSize >= rowsBefore * m.cols) {
            m.groupSize = m.rows * m.cols;
        } else {
            m.scales = m.scales.reshape({rowsBefore, -1}).index_select(0, kept).reshape({-1});
            if (m.zeros.defined())
                m.zeros = m.zeros.reshape({rowsBefore, -1}).index_select(0, kept).reshape({-1});
        }
    }
    std::vector<int64_t> shape = w.layer.shape;
    shape[0] = m.rows;
    w.parameter = w.parameter.detach().index_select(0, kept).clone();
    w.module.register_parameter("weight", w.parameter, false);
    w.layer.shape = shape;
    if (w.module.hasattr("bias") && w.module.attr("bias").isTensor()) {
        const torch::Tensor bias = w.module.attr("bias").toTensor();
        w.removedOtherBytes += (bias.numel() - m.rows) * qint64(bias.element_size());
        w.module.register_parameter("bias", bias.detach().index_select(0, kept).clone(), false);
    }
    // Channels the layers between lose with our rows: BatchNorm's affine parameters and running statistics.
    for (torch::jit::Module &bn : w.perChannelModules) {
        for (const char *name : {"weight", "bias", "running_mean", "running_var"}) {
            if (!bn.hasattr(name) || !bn.attr(name).isTensor() || bn.attr(name).toTensor().size(0) != rowsBefore)
                continue;
            const torch::Tensor t = bn.attr(name).toTensor().detach();
            w.removedOtherBytes += (rowsBefore - m.rows) * qint64(t.element_size());
            bn.setattr(name, t.index_select(0, kept).clone()); // setattr: a buffer stays a buffer
        }
    }
    // The consumer's inputs for our row j: input j, or after a flatten the run j*S .. j*S+S-1.
    const int64_t s = w.columnsPerChannel;
    const torch::Tensor columns = s == 1 ? kept : (kept.unsqueeze(1) * s + torch::arange(s)).reshape({-1});
    const torch::Tensor consumerBefore = w.consumerModule.attr("weight").toTensor().detach();
    const torch::Tensor consumerWeight = consumerBefore.index_select(1, columns).clone();
    w.consumerModule.register_parameter("weight", consumerWeight, false);
    if (w.consumerWork) {
        LayerWork &c = *w.consumerWork;
        c.parameter = consumerWeight;
        c.layer.shape = consumerWeight.sizes().vec();
        c.inputKeep = c.inputKeep.defined() ? c.inputKeep.index_select(0, columns) : columns;
        c.realisedNote = u"%1 of its %2 inputs removed with the rows of the layer before it"_s
                             .arg(consumerBefore.size(1) - consumerWeight.size(1)).arg(consumerBefore.size(1));
    }
    // A consumer that is not itself compressed is counted at its stored size: credit what it lost here.
    if (!w.consumerWork || w.consumerWork->layer.skipped)
        w.removedOtherBytes += (consumerBefore.numel() - consumerWeight.numel()) * qint64(consumerWeight.element_size());
    w.realisedNote = u"structured: %1 of %2 rows removed; the tensors are smaller"_s.arg(rowsBefore - m.rows).arg(rowsBefore);
}

// Removing rows leaves the consumer fewer inputs; a quantization group size that no longer divides them
// would fail on the consumer, so such rows stay in place (row bitmap) and the note says why. Empty: no clash.
static QString consumerGroupClash(const LayerWork &w, const CompressionConfig &config, int64_t keptRows)
{
    const QuantizeSettings &q = config.quantize;
    if (!groupSizeMustDivide(config) || !w.consumerWork || w.consumerWork->layer.skipped)
        return {};
    const torch::Tensor weight = w.consumerModule.attr("weight").toTensor();
    const int64_t perInput = weight.numel() / (weight.size(0) * weight.size(1)); // a convolution's kernel positions
    const int64_t inputs = keptRows * w.columnsPerChannel * perInput;
    if (inputs % q.groupSize == 0)
        return {};
    return u"structured: pruned rows are not stored (row bitmap), but the layer keeps its shape: removing them would leave "
           "%1 with %2 inputs per output, which group size %3 does not divide (\"group_fallback\": \"channel\" allows it)"_s
        .arg(w.consumerWork->layer.path).arg(inputs).arg(q.groupSize);
}

// A 2-D view of the weight to work on (steps never write in place; the parameter is overwritten only
// in finishLayer, after the error against it is measured), checked for NaN/Inf.
void startLayer(LayerWork &w)
{
    const torch::Tensor &weight = w.parameter;
    w.original = weight.detach().reshape({weight.size(0), -1}).to(torch::kFloat);
    if (!torch::isfinite(w.original).all().item<bool>())
        throw nanWeightsError(w.layer.path);
    StoredMatrix stored;
    stored.values = w.original; // steps never write in place: they replace `values`
    stored.rows = w.original.size(0);
    stored.cols = w.original.size(1);
    w.layer.matrices = {stored};
}

void applyStep(Step step, LayerWork &w, const CompressionConfig &config, const std::map<QString, torch::Tensor> &hessians)
{
    QVector<StoredMatrix> &mats = w.layer.matrices;
    switch (step) {
    case Step::Prune: {
        const double sparsity = w.override && w.override->sparsity ? *w.override->sparsity : config.prune.sparsity;
        StoredMatrix &m = mats[0];
        if (config.prune.method == PruneMethod::SemiStructured) {
            if (m.cols % config.prune.m != 0)
                throw UserError(u"%1:%2 pruning needs the inputs per output of layer %3 (%4) to be a multiple of %2; "
                                "skip the layer or choose another pattern"_s.arg(config.prune.n).arg(config.prune.m)
                                    .arg(w.layer.path).arg(m.cols));
            applyMask(m, nmMask(m.values, config.prune.n, config.prune.m));
            m.nmN = config.prune.n;
            m.nmM = config.prune.m;
        } else if (config.prune.method == PruneMethod::Structured) {
            if (w.headsRemoved)
                break; // done before the layers' own steps: whole heads left this layer
            const auto norms = rowNorms(m.values, config.prune.norm);
            const int64_t keep = std::max<int64_t>(1, m.rows - int64_t(std::llround(sparsity * double(m.rows))));
            const auto kept = std::get<1>(norms.topk(keep));
            if (w.hasConsumer && mats.size() == 1 && !m.mask.defined()) {
                const QString clash = consumerGroupClash(w, config, keep);
                if (clash.isEmpty()) {
                    realiseRowRemoval(w, std::get<0>(kept.sort()));
                    break;
                }
                w.realisedNote = clash;
            }
            const auto rowMask = torch::zeros({m.rows}, torch::kBool).index_fill_(0, kept, true);
            applyMask(m, rowMask.unsqueeze(1).expand_as(m.values).clone());
            m.rowStructured = true;
        } else if (config.prune.scope == PruneScope::Layer || (w.override && w.override->sparsity)) {
            applyMask(m, magnitudeMask(m.values, sparsity)); // the global threshold was applied by the caller
        }
        break;
    }
    case Step::LowRank: {
        const LowRankFactors f = lowRankFactors(mats[0].values, config.lowRank.rankRatio, config.lowRank.energy);
        StoredMatrix left, right;
        left.role = u"left"_s;
        left.values = f.left;
        right.role = u"right"_s;
        right.values = f.right;
        for (StoredMatrix *m : {&left, &right}) {
            m->rows = m->values.size(0);
            m->cols = m->values.size(1);
        }
        mats = {left, right};
        break;
    }
    case Step::Quantize: {
        for (StoredMatrix &m : mats) {
            if (config.quantize.format != QuantFormat::Int) {
                const auto half = config.quantize.format == QuantFormat::Float16 ? torch::kHalf : torch::kBFloat16;
                m.values = m.values.to(half).to(torch::kFloat);
                m.kind = config.quantize.format == QuantFormat::Float16 ? StoredMatrix::Kind::Float16 : StoredMatrix::Kind::BFloat16;
                m.bits = 16;
                continue;
            }
            const int bits = w.override && w.override->bits ? *w.override->bits : config.quantize.bits;
            const int64_t groupSize = resolveGroupSize(config.quantize, m.values, w.layer.path);
            const auto h = hessians.find(w.layer.path);
            // A consumer of a shrunk layer lost input columns: its Hessian loses the same rows and columns.
            const torch::Tensor hessian = h == hessians.end() ? torch::Tensor()
                : w.inputKeep.defined() ? h->second.index_select(0, w.inputKeep).index_select(1, w.inputKeep) : h->second;
            const QuantizedMatrix q = (hessian.defined() && mats.size() == 1)
                ? gptqQuantize(m.values, hessian, bits, groupSize, config.quantize.symmetric, config.quantize.dampening, m.mask)
                : quantizeMatrix(m.values, bits, groupSize, config.quantize.symmetric);
            storeQuantized(m, q, bits, groupSize, config.quantize.symmetric);
            if (m.mask.defined()) // zero is on the grid; keep pruned entries' codes pointing at it
                applyMask(m, m.mask);
        }
        break;
    }
    case Step::Codebook: {
        for (StoredMatrix &m : mats) {
            const Codebook cb = kmeansCodebook(m.values, config.codebook.bits, config.codebook.iterations, m.mask);
            m.kind = StoredMatrix::Kind::Codebook;
            m.bits = config.codebook.bits;
            m.values = cb.values;
            m.codes = cb.indices;
            m.centroids = cb.centroids;
        }
        break;
    }
    }
}

// Writes the effective weight into the copy (in place, so tied weights stay tied) and reports it.
LayerReport finishLayer(LayerWork &w, const CompressionConfig &config)
{
    LayerReport r = baseReport(w);
    r.note = w.realisedNote;
    if (w.layer.skipped || !w.layer.tiedTo.isEmpty()) {
        r.deployedBytes = w.layer.tiedTo.isEmpty() ? qint64(w.parameter.numel()) * qint64(w.parameter.element_size()) : 0;
        r.effectiveBits = w.layer.tiedTo.isEmpty() ? 32 : 0;
        r.encoding = w.layer.tiedTo.isEmpty() ? u"fp32 (skipped)"_s : u"tied to %1 (stored once)"_s.arg(w.layer.tiedTo);
        return r;
    }
    const torch::Tensor effective = effectiveWeight(w.layer);
    const auto flat = effective.reshape({effective.size(0), -1});
    // Error and sparsity in row chunks: no full-size temporaries for large layers.
    double errorSquared = 0, normSquared = 0;
    int64_t zeros = 0;
    const int64_t chunk = std::max<int64_t>(1, (int64_t(1) << 22) / std::max<int64_t>(1, flat.size(1)));
    for (int64_t row = 0; row < flat.size(0); row += chunk) {
        const int64_t n = std::min(chunk, flat.size(0) - row);
        const auto a = flat.narrow(0, row, n), b = w.original.narrow(0, row, n);
        errorSquared += (a - b).pow(2).sum().item<double>();
        normSquared += b.pow(2).sum().item<double>();
        zeros += (a == 0).sum().item<int64_t>();
    }
    errorSquared += w.droppedNormSquared; // removed rows are error too, against the full original
    normSquared += w.droppedNormSquared;
    r.relativeError = normSquared > 0 ? std::sqrt(errorSquared / normSquared) : 0;
    r.sparsity = double(zeros) / double(std::max<int64_t>(1, flat.numel()));
    w.original = torch::Tensor(); // a view of the parameter, about to be overwritten
    w.parameter.copy_(effective.to(w.parameter.dtype()));
    accountLayer(r, w.layer, config);
    return r;
}

namespace {

// Per-layer unstructured magnitude pruning, the pattern the sparsity slider gives by default.
bool isLayerMagnitudePrune(const LayerWork &w, const CompressionConfig &config)
{
    return config.prune.method == PruneMethod::Unstructured &&
           (config.prune.scope == PruneScope::Layer || (w.override && w.override->sparsity));
}

std::atomic<bool> fusedPathEnabled{true};

} // namespace

void setFusedPathEnabled(bool enabled) { fusedPathEnabled = enabled; }

// The common cases need none of the general machinery: RTN integer quantization, per channel or group, of a
// float32 weight, alone or after per-layer magnitude pruning. One fused pass (FusedQuantize.h) quantizes it in
// place; pruned entries are zeroed first, and zero is on every grid that saw them, so the result is bit-exact
// with the general path (applyMask, quantizeMatrix, applyMask) at a third of its time.
bool fusedEligible(const LayerWork &w, const CompressionConfig &config)
{
    const bool steps = config.steps == QList<Step>{Step::Quantize} ||
                       (config.steps == QList<Step>{Step::Prune, Step::Quantize} && isLayerMagnitudePrune(w, config));
    return fusedPathEnabled && steps && config.quantize.format == QuantFormat::Int &&
           config.quantize.method == QuantMethod::RoundToNearest && config.quantize.granularity != Granularity::Tensor &&
           w.parameter.scalar_type() == torch::kFloat && w.parameter.is_contiguous() && !w.layer.skipped &&
           w.layer.tiedTo.isEmpty();
}

LayerReport fusedLayer(LayerWork &w, const CompressionConfig &config)
{
    LayerReport r = baseReport(w);
    torch::Tensor view = w.parameter.detach().reshape({w.parameter.size(0), -1}); // writes land in the parameter
    torch::Tensor mask;
    double prunedSquared = 0; // the pruned weights' share of the error, against the unpruned original
    if (config.has(Step::Prune)) {
        const double sparsity = w.override && w.override->sparsity ? *w.override->sparsity : config.prune.sparsity;
        mask = pruneByMagnitudeInPlace(view, sparsity, &prunedSquared);
    }
    const int bits = w.override && w.override->bits ? *w.override->bits : config.quantize.bits;
    const int64_t groupSize = resolveGroupSize(config.quantize, view, w.layer.path);
    FusedQuantStats stats;
    const QuantizedMatrix q = quantizeInPlace(view, bits, groupSize, config.quantize.symmetric, &stats);
    if (!stats.finite || !std::isfinite(prunedSquared))
        throw nanWeightsError(w.layer.path);
    StoredMatrix m;
    m.rows = view.size(0);
    m.cols = view.size(1);
    storeQuantized(m, q, bits, groupSize, config.quantize.symmetric);
    if (mask.defined())
        m.mask = mask; // pruned entries quantized to the zero code already; the mask is what the storage accounts
    w.layer.matrices = {m};
    const double errorSquared = stats.errorSquared + prunedSquared, normSquared = stats.normSquared + prunedSquared;
    r.relativeError = normSquared > 0 ? std::sqrt(errorSquared / normSquared) : 0;
    r.sparsity = double(stats.zeros) / double(std::max<int64_t>(1, view.numel()));
    accountLayer(r, w.layer, config);
    return r;
}

torch::Tensor effectiveWeight(const CompressedLayer &layer)
{
    const torch::Tensor w = layer.matrices.size() == 2 ? torch::mm(layer.matrices[0].values, layer.matrices[1].values)
                                                       : layer.matrices[0].values;
    return w.reshape(layer.shape);
}


} // namespace compresslab
