#include "device/Estimator.h"

#include <QHash>
#include <QSet>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// Linear interpolation of y over log(x) on sorted points, clamped at the ends.
double interpolateLog(QVector<std::pair<double, double>> points, double x)
{
    if (points.isEmpty())
        return 0;
    std::sort(points.begin(), points.end());
    if (x <= points.first().first)
        return points.first().second;
    for (qsizetype i = 1; i < points.size(); ++i) {
        if (x <= points[i].first) {
            const double t = std::log(x / points[i - 1].first) / std::log(points[i].first / points[i - 1].first);
            return points[i - 1].second + t * (points[i].second - points[i - 1].second);
        }
    }
    return points.last().second;
}

// Measured profiles carry GEMM throughput on a grid of inner dimension x rows; interpolate both in log space.
double measuredGops(const QJsonObject &grid, double rows, double inner)
{
    QVector<std::pair<double, double>> byInner;
    for (auto it = grid.begin(); it != grid.end(); ++it) {
        QVector<std::pair<double, double>> byRows;
        const QJsonObject r = it.value().toObject();
        for (auto jt = r.begin(); jt != r.end(); ++jt)
            byRows.push_back({jt.key().toDouble(), jt.value().toDouble()});
        byInner.push_back({it.key().toDouble(), interpolateLog(byRows, rows)});
    }
    return interpolateLog(byInner, inner);
}

// Element-wise work a CPU does at a compute-bound element rate, not at memory bandwidth: transcendentals,
// normalisations and pooling windows.
bool runsAtElementRate(const QString &kind)
{
    static const QSet<QString> ops{u"aten::softmax"_s, u"aten::log_softmax"_s, u"aten::gelu"_s, u"aten::layer_norm"_s, u"aten::tanh"_s,
                                   u"aten::sigmoid"_s, u"aten::silu"_s, u"aten::exp"_s, u"aten::erf"_s, u"aten::masked_fill"_s,
                                   u"aten::batch_norm"_s, u"aten::group_norm"_s, u"aten::max_pool2d"_s, u"aten::avg_pool2d"_s,
                                   u"aten::adaptive_avg_pool2d"_s, u"aten::max_pool1d"_s};
    return ops.contains(kind);
}

bool splitsAlways(const QString &kind)
{
    static const QSet<QString> ops{u"aten::conv2d"_s, u"aten::conv1d"_s, u"aten::_convolution"_s, u"aten::bmm"_s, u"aten::matmul"_s};
    return ops.contains(kind);
}

// The calibration's timed cost of an operator kind ("This computer"): a fixed cost per call and a rate.
QJsonObject timedOpCost(const QJsonObject &calibration, const QString &kind)
{
    static const QHash<QString, QString> timedAs{{u"aten::conv2d"_s, u"conv2d"_s}, {u"aten::conv1d"_s, u"conv2d"_s},
                                                 {u"aten::_convolution"_s, u"conv2d"_s}, {u"aten::max_pool2d"_s, u"max_pool2d"_s},
                                                 {u"aten::avg_pool2d"_s, u"max_pool2d"_s}, {u"aten::max_pool1d"_s, u"max_pool2d"_s},
                                                 {u"aten::adaptive_avg_pool2d"_s, u"max_pool2d"_s}, {u"aten::batch_norm"_s, u"batch_norm"_s},
                                                 {u"aten::layer_norm"_s, u"layer_norm"_s}, {u"aten::softmax"_s, u"softmax"_s},
                                                 {u"aten::log_softmax"_s, u"softmax"_s}, {u"aten::gelu"_s, u"gelu"_s},
                                                 {u"aten::masked_fill"_s, u"masked_fill"_s}};
    const auto it = timedAs.constFind(kind);
    return it == timedAs.constEnd() ? QJsonObject() : calibration.value("op_costs"_L1).toObject().value(*it).toObject();
}

// Pools and batch norms: in a CNN they come right after a convolution (or each other).
bool followsConvolution(const QString &kind)
{
    static const QSet<QString> ops{u"aten::max_pool2d"_s, u"aten::avg_pool2d"_s, u"aten::max_pool1d"_s, u"aten::adaptive_avg_pool2d"_s,
                                   u"aten::batch_norm"_s};
    return ops.contains(kind);
}

struct Estimator {
    const EstimateInput &in;
    const DeviceProfile &dev;
    bool asApp;                          // "This computer": what CompressLab itself runs
    QHash<QString, const LayerReport *> layers;

    // The engine the int8 kernels run on: the one the compression chose (or was told), when the calibration
    // timed it; else the one the calibration found faster.
    QString int8Engine() const
    {
        const QJsonObject grids = dev.calibration.value("int8_gops"_L1).toObject();
        if (in.report && grids.contains(in.report->int8Engine.engine))
            return in.report->int8Engine.engine;
        return dev.calibration.value("int8_engine"_L1).toString();
    }

    double gops(const QString &precision, double rows, double inner) const
    {
        if (asApp) {
            const QJsonObject cal = dev.calibration;
            const QJsonObject grid = precision == "int8"_L1
                ? cal.value("int8_gops"_L1).toObject().value(int8Engine()).toObject()
                : cal.value("fp32_gops"_L1).toObject();
            if (const double g = measuredGops(grid, std::max(1.0, rows), std::max(1.0, inner)); g > 0)
                return g;
        }
        return dev.effectiveGops(precision);
    }

    // Milliseconds of an int8 Linear call here: affine in its outputs between the grids measured at 64 and
    // 512 outputs (a fixed cost per call plus a share per output), so narrow layers are not charged as if
    // the 512-wide grid's fixed cost shrank with them. 0 when the calibration predates the 64-output grid.
    double int8LinearMs(double rows, double inner, double outputs) const
    {
        const QJsonObject cal = dev.calibration;
        const QString engine = int8Engine();
        const QJsonObject wide = cal.value("int8_gops"_L1).toObject().value(engine).toObject();
        const QJsonObject narrow = cal.value("int8_gops_64_outputs"_L1).toObject().value(engine).toObject();
        rows = std::max(1.0, rows);
        inner = std::max(1.0, inner);
        const double gWide = measuredGops(wide, rows, inner), gNarrow = measuredGops(narrow, rows, inner);
        if (gWide <= 0 || gNarrow <= 0)
            return 0;
        const double msAt = 2.0 * rows * inner / 1e6; // x outputs / GOPS = ms
        const double tWide = msAt * 512 / gWide, tNarrow = msAt * 64 / gNarrow;
        return std::max(tNarrow, tNarrow + (tWide - tNarrow) * (outputs - 64) / (512 - 64));
    }

    // Bytes of the weight as it is read by the kernel, and the precision it computes in.
    std::pair<double, QString> weightAs(const WorkloadOp &op) const
    {
        const LayerReport *l = layers.value(op.layer, nullptr);
        const bool compressed = l && !l->skipped;
        if (asApp) {
            // Here, compressed weights are dequantized to fp32, except Linear layers with int8 kernels.
            if (compressed && in.int8Kernels && op.kind == "aten::linear"_L1)
                return {op.weightBytes / 4.0, u"int8"_s};
            return {op.weightBytes, u"fp32"_s};
        }
        if (!compressed)
            return {op.weightBytes, u"fp32"_s};
        const double share = l->originalBytes > 0 ? double(l->deployedBytes) / double(l->originalBytes) : 1.0;
        return {op.weightBytes * share, dev.computePrecision(l->effectiveBits)};
    }

    DeviceEstimate run(const Workload &w, double *tokenMs) const
    {
        DeviceEstimate e;
        const double elementRate = asApp ? dev.calibration.value("elementwise_per_second"_L1).toDouble() : 0;
        const double cacheBw = dev.calibration.value("cache_bandwidth_gbs"_L1).toDouble() * 1e9;
        const double parallelGrain = asApp ? dev.calibration.value("parallel_grain"_L1).toDouble() : 0;
        const double parallelOverheadMs = dev.calibration.value("parallel_op_overhead_us"_L1).toDouble() / 1e3;
        const double extraMsPerBlock = dev.calibration.value("transformer_block"_L1).toObject().value("extra_us_per_block"_L1).toDouble() / 1e3;
        bool afterScores = false; // a matmul of activations (q·kᵀ) came after the last Linear: a softmax now is attention's
        constexpr double kCacheBytes = 1 << 20;
        const double bw = dev.effectiveBandwidthBytesPerSecond();
        // Here, the weights of a model that overflows the last-level cache stream at the rate a one-row product
        // read them in the calibration (fp32, and int8 on the engine in use), not at copy speed; the zoo's
        // models fit the cache and read faster.
        double modelWeightBytes = 0;
        for (const WorkloadOp &op : w.ops)
            modelWeightBytes += op.layer.isEmpty() ? op.weightBytes : weightAs(op).first;
        const double cacheSize = dev.calibration.value("last_level_cache_bytes"_L1).toDouble();
        const bool weightsStream = asApp && cacheSize > 0 && modelWeightBytes > cacheSize;
        const double fp32StreamBw = dev.calibration.value("weight_stream_gbs"_L1).toDouble() * 1e9;
        const double int8StreamBw = dev.calibration.value("int8_weight_stream_gbs"_L1).toObject().value(int8Engine()).toDouble() * 1e9;
        auto weightBandwidth = [&](const QString &precision) {
            const double streamed = !weightsStream ? 0 : precision == "fp32"_L1 ? fp32StreamBw : precision == "int8"_L1 ? int8StreamBw : 0;
            return streamed > 0 ? streamed : bw;
        };
        QHash<QString, LayerEstimate> byLayer;
        QStringList order;
        // Here, int8 Linear layers reading one input run as one call on their stacked weights: each pays its
        // share (by outputs) of that call's time.
        QHash<int, double> stackedOutputs;
        QHash<QString, int> callsPerLayer;
        for (const WorkloadOp &op : w.ops)
            ++callsPerLayer[op.layer];
        auto outputsOf = [](const WorkloadOp &op) { return op.flops / (2 * op.gemmRows * op.gemmInner); };
        auto stacks = [&](const WorkloadOp &op) {
            return asApp && op.sharedInput >= 0 && !op.layer.isEmpty() && callsPerLayer.value(op.layer) == 1 &&
                   op.flops > 0 && op.gemmRows > 0 && op.gemmInner > 0 && weightAs(op).second == "int8"_L1;
        };
        for (const WorkloadOp &op : w.ops) {
            if (stacks(op))
                stackedOutputs[op.sharedInput] += outputsOf(op);
        }
        for (const WorkloadOp &op : w.ops) {
            const auto [weightBytes, precision] = op.layer.isEmpty() ? std::pair{op.weightBytes, u"fp32"_s} : weightAs(op);
            double activation = op.activationBytes;
            if (precision == "fp16"_L1)
                activation /= 2;
            // Small activations stay in cache; weights stream from DRAM unless the whole model fits the cache.
            const double activationBw = asApp && activation < kCacheBytes && cacheBw > 0 ? cacheBw : bw;
            const double memMs = (weightBytes / weightBandwidth(precision) + activation / activationBw) * 1e3;
            // Here, int8 calls are timed by their own width; everything else (and an older calibration) by rate.
            double computeMs = 0;
            if (stacks(op)) {
                const double stacked = stackedOutputs.value(op.sharedInput);
                computeMs = int8LinearMs(op.gemmRows, op.gemmInner, stacked) * outputsOf(op) / stacked;
            } else if (asApp && precision == "int8"_L1 && op.flops > 0 && op.gemmRows > 0 && op.gemmInner > 0) {
                computeMs = int8LinearMs(op.gemmRows, op.gemmInner, outputsOf(op));
            }
            if (computeMs == 0 && op.flops > 0)
                computeMs = op.flops / (gops(precision, op.gemmRows, op.gemmInner) * 1e9) * 1e3;
            // Transcendental, normalising and pooling work runs at the measured element rate here.
            if (op.flops == 0 && elementRate > 0 && runsAtElementRate(op.kind))
                computeMs = op.outputElements / elementRate * 1e3;
            double overhead = dev.opOverheadUs / 1e3 * (op.isView ? 0.5 : 1.0);
            // Here, convolutions, pools, norms, softmax, gelu and masked fill cost what the calibration timed them
            // at: a fixed cost per call plus their work (multiply-adds, or input elements) at its rate, on top of dispatch.
            // A timed pool or batch norm follows a convolution, whose im2col just woke the OpenMP threads: no
            // wake-up on top. A convolution's own GEMM (OpenBLAS), and a softmax or norm after a Linear, still
            // wake threads, as the other split ops do.
            bool awake = false;
            if (const QJsonObject timed = asApp ? timedOpCost(dev.calibration, op.kind) : QJsonObject();
                timed.value("per_second"_L1).toDouble() > 0) {
                const double work = op.flops > 0 ? op.flops : std::max(0.0, op.activationBytes / 4 - op.outputElements);
                computeMs = timed.value("fixed_us"_L1).toDouble() / 1e3 + work / timed.value("per_second"_L1).toDouble() * 1e3;
                awake = followsConvolution(op.kind);
            }
            // An op split across threads pays for waking them: element-wise ops above ATen's grain size, and
            // convolutions, batched matmuls, norms, pools and softmax always (they split by channel or batch).
            if (parallelGrain > 0 && !op.isView && !awake
                && ((op.flops == 0 && op.outputElements > parallelGrain) || runsAtElementRate(op.kind) || splitsAlways(op.kind)))
                overhead += parallelOverheadMs;
            // Here, each attention block also costs what the calibration's transformer block took beyond its
            // estimate (BlockProbe.h), charged at its softmax over scores; a classifier's final softmax is not one.
            if (op.kind == "aten::linear"_L1 || op.kind == "aten::addmm"_L1)
                afterScores = false;
            else if ((op.kind == "aten::matmul"_L1 || op.kind == "aten::bmm"_L1) && op.weightBytes == 0)
                afterScores = true;
            // Not for one decoding step: the probe timed 192 tokens, not one.
            double inBlockMs = 0;
            if (asApp && op.kind == "aten::softmax"_L1 && afterScores && !tokenMs) {
                inBlockMs = extraMsPerBlock;
                afterScores = false; // once per block
            }
            const double ms = std::max(memMs, computeMs) + overhead + inBlockMs;
            e.latencyMs += ms;
            e.overheadMs += overhead;
            ++e.operators;
            const QString key = op.layer.isEmpty() ? u"(other operators)"_s : op.layer;
            if (!byLayer.contains(key)) {
                order << key;
                byLayer.insert(key, LayerEstimate{key, precision});
            }
            LayerEstimate &l = byLayer[key];
            l.weightBytes += weightBytes;
            l.flops += op.flops;
            l.ms += ms;
            l.computeBound = l.computeBound || computeMs > memMs;
        }
        for (const QString &k : order)
            e.layers.push_back(byLayer.value(k));
        std::sort(e.layers.begin(), e.layers.end(), [](const LayerEstimate &a, const LayerEstimate &b) { return a.ms > b.ms; });
        if (tokenMs)
            *tokenMs = e.latencyMs;
        return e;
    }
};

} // namespace

DeviceEstimate estimateOnDevice(const EstimateInput &in, const DeviceProfile &dev)
{
    Estimator est{in, dev, dev.origin == DeviceProfile::Origin::Measured, {}};
    if (in.report)
        for (const LayerReport &l : in.report->layers)
            est.layers.insert(l.path, &l);
    DeviceEstimate e = est.run(*in.workload, nullptr);
    if (in.tokenWorkload) {
        double token = 0;
        est.run(*in.tokenWorkload, &token);
        e.tokenMs = token;
    }
    e.device = dev.name;
    e.inputShape = in.workload->inputShape;
    e.deployment = est.asApp ? (in.int8Kernels ? u"as CompressLab runs it here: Linear layers on int8 kernels (quantized::linear_dynamic), the rest fp32"_s
                                               : u"as CompressLab runs it here: compressed weights dequantized to fp32"_s)
                             : u"native kernels: packed weights read as stored, computed in the narrowest precision with kernels (%1)"_s
                                   .arg(dev.kernels.join(u", "_s));
    // Memory as deployed: here, dequantized copies are fp32; elsewhere, the packed size.
    e.weightBytes = in.report ? (est.asApp && !in.int8Kernels ? double(in.report->originalBytes) : double(in.report->deployedBytes)) : in.modelBytes;
    e.peakActivationBytes = in.workload->peakActivationBytes;
    e.marginBytes = dev.memoryBytes - e.memoryBytes();
    e.fits = e.marginBytes >= 0;
    e.energyMj = e.latencyMs / 1e3 * dev.powerW * 1e3;
    return e;
}

} // namespace compresslab
