#include "device/Calibration.h"

#include "common/AtomicFile.h"
#include "common/Median.h"
#include "common/UserError.h"
#include "compress/Int8Ops.h"
#include "device/BlockProbe.h"
#include "device/DeviceCatalog.h"
#include "experiment/Environment.h"
#include "runtime/RuntimeInfo.h"

#include <torch/csrc/jit/api/compilation_unit.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <tuple>
#include <vector>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// Times f repeatedly within the budget (at least 3 runs, warm-up excluded); returns the best or the median run.
// Bandwidth is a property of the hardware: its best run. Kernels are timed by their median: the estimate is
// compared with median latencies, and with threads that sleep between calls the best run is the rare one that
// found the other thread awake (best-of made every estimate 25-60 % low).
enum class Pick { Best, Median };

template <class F>
double timedSeconds(double budget, Pick pick, F &&f)
{
    f(); // warm-up
    std::vector<double> times;
    double spent = 0;
    while ((spent < budget || times.size() < 3) && times.size() < 10000) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        times.push_back(s);
        spent += s;
    }
    if (pick == Pick::Best)
        return *std::min_element(times.begin(), times.end());
    return medianOf(std::move(times));
}

// The largest data or unified cache of CPU 0, from sysfs ("32768K"); 0 when the kernel does not say.
double lastLevelCacheBytes()
{
    double largest = 0;
    const QDir caches(u"/sys/devices/system/cpu/cpu0/cache"_s);
    for (const QString &index : caches.entryList({u"index*"_s}, QDir::Dirs)) {
        QFile type(caches.filePath(index + u"/type"_s)), size(caches.filePath(index + u"/size"_s));
        if (!type.open(QIODevice::ReadOnly) || !size.open(QIODevice::ReadOnly) || type.readAll().trimmed() == "Instruction")
            continue;
        QByteArray text = size.readAll().trimmed();
        double unit = 1;
        if (text.endsWith('K'))
            unit = 1024;
        else if (text.endsWith('M'))
            unit = 1024 * 1024;
        if (unit > 1)
            text.chop(1);
        largest = std::max(largest, text.toDouble() * unit);
    }
    return largest;
}

constexpr int kGridRounds = 3; // rounds over each GEMM grid, a median per cell (calibrateThisComputer)

double memAvailableBytes()
{
    QFile f(u"/proc/meminfo"_s);
    if (f.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.startsWith("MemAvailable:"))
                return line.mid(13).trimmed().split(' ').first().toDouble() * 1024;
        }
    }
    return 0;
}

// Back to back, split operators find the OpenMP threads awake (they spin briefly: runtime/ThreadWaiting.h).
// In a model they alternate with OpenBLAS GEMMs, during which those threads fall asleep: a loop of
// mm -> relu -> layer_norm (both split at 256 x 192) takes longer than the three ops' own loops. The difference
// per split op is the wake-up a model pays (measured 8-12 us here with short spins, ~0 in the plain loops).
double wakeAfterGemmSeconds(double budget)
{
    auto cu = torch::jit::compile(R"JIT(
def gemms(x, w):
    for _ in range(32):
        x = torch.mm(x, w)
    return x
def relus(x):
    for _ in range(32):
        x = torch.relu(x)
    return x
def norms(x):
    for _ in range(32):
        x = torch.layer_norm(x, [192])
    return x
def alternating(x, w):
    for _ in range(32):
        x = torch.layer_norm(torch.relu(torch.mm(x, w)), [192])
    return x
)JIT");
    const auto x = torch::randn({256, 192});
    const auto w = torch::randn({192, 192}) * 0.07; // keeps the chained products near unit scale
    auto perIteration = [&](const char *name, std::vector<c10::IValue> args) {
        return timedSeconds(budget / 8, Pick::Median, [&] { cu->get_function(name)(args); }) / 32;
    };
    // The difference of two similar times is noisy (one calibration in five gave 0 or half the others): the
    // median of five interleaved rounds.
    std::vector<double> wakes;
    for (int round = 0; round < 5; ++round) {
        const double parts = perIteration("gemms", {x, w}) + perIteration("relus", {x}) + perIteration("norms", {x});
        wakes.push_back(std::max(0.0, perIteration("alternating", {x, w}) - parts) / 2);
    }
    return medianOf(std::move(wakes));
}

// Operators timed one by one: a small CNN's convolutions, pools and batch norms cost mostly a fixed amount
// per call (im2col, parallel regions), not their arithmetic, and a transformer's softmax, gelu, layer norm and
// masked fill each run at their own rate. Each is timed at a tiny shape and at a zoo-sized one, called
// directly (a TorchScript loop of identical calls would be folded to one). The two points give a fixed
// cost per call and a rate for the work beyond it (multiply-adds for convolutions, input elements else).
QJsonObject fixedAndRate(double tinySeconds, double tinyWork, double largeSeconds, double largeWork)
{
    const double rate = largeSeconds > tinySeconds ? (largeWork - tinyWork) / (largeSeconds - tinySeconds) : largeWork / largeSeconds;
    return {{u"fixed_us"_s, std::max(0.0, tinySeconds - tinyWork / rate) * 1e6}, {u"per_second"_s, rate}};
}

QJsonObject operatorCosts(double budget)
{
    auto perCall = [&](auto &&op) {
        return timedSeconds(budget / 6, Pick::Median, [&] {
                   for (int i = 0; i < 16; ++i)
                       op();
               }) / 16;
    };
    auto conv = [&](int64_t in, int64_t out, int64_t side) {
        const auto x = torch::randn({1, in, side, side}), w = torch::randn({out, in, 3, 3}), b = torch::randn({out});
        return perCall([&] { torch::conv2d(x, w, b, 1, 1); });
    };
    auto pool = [&](int64_t channels, int64_t side) {
        const auto x = torch::randn({1, channels, side, side});
        return perCall([&] { torch::max_pool2d(x, {2, 2}); });
    };
    auto norm = [&](int64_t channels, int64_t side) {
        const auto x = torch::randn({1, channels, side, side}), c = torch::rand({channels}) + 0.5;
        return perCall([&] { torch::batch_norm(x, c, c - 0.5, c - 1.0, c, false, 0.1, 1e-5, true); });
    };
    auto flops = [](int64_t in, int64_t out, int64_t side) { return 2.0 * double(side * side * in * 9 * out); };
    // A transformer's element-wise work, each kind at its own rate (softmax and narrow layer norms run at half
    // the rate of gelu here), at one row and at an attention-sized tensor (131 k elements).
    using RowOp = torch::Tensor (*)(const torch::Tensor &x, const torch::Tensor &mask);
    auto rows = [&](int64_t n, int64_t width, RowOp op) {
        const auto x = torch::randn({n, width});
        const auto mask = torch::ones({n, width}).triu(1) > 0; // a causal mask: random bits would mispredict every branch
        return perCall([&] { op(x, mask); });
    };
    QJsonObject costs{{u"conv2d"_s, fixedAndRate(conv(4, 4, 8), flops(4, 4, 8), conv(32, 64, 14), flops(32, 64, 14))},
                      {u"max_pool2d"_s, fixedAndRate(pool(4, 8), 4 * 64, pool(32, 28), 32 * 784)},
                      {u"batch_norm"_s, fixedAndRate(norm(4, 8), 4 * 64, norm(32, 28), 32 * 784)}};
    // Layer norms over rows of 128 (a transformer's width); the others over 256 x 512, as attention scores.
    const RowOp layerNorm = [](const torch::Tensor &x, const torch::Tensor &) { return torch::layer_norm(x, {x.size(-1)}); };
    costs.insert(u"layer_norm"_s, fixedAndRate(rows(1, 128, layerNorm), 128, rows(1024, 128, layerNorm), 1024 * 128));
    const std::pair<QString, RowOp> wide[]{
        {u"softmax"_s, [](const torch::Tensor &x, const torch::Tensor &) { return torch::softmax(x, -1); }},
        {u"gelu"_s, [](const torch::Tensor &x, const torch::Tensor &) { return torch::gelu(x); }},
        {u"masked_fill"_s, [](const torch::Tensor &x, const torch::Tensor &mask) { return x.masked_fill(mask, -1e9); }}};
    for (const auto &[kind, op] : wide)
        costs.insert(kind, fixedAndRate(rows(1, 256, op), 256, rows(256, 512, op), 256 * 512));
    return costs;
}

constexpr int kStepsPerPass = 6;

DeviceProfile calibrateOnce(const CalibrationParams &params, const std::function<void()> &next)
{
    torch::NoGradGuard noGrad;
    const RuntimeInfo rt = configureRuntime(params.threads);
    const double budget = params.secondsPerProbe;
    DeviceProfile p;
    p.name = QString::fromLatin1(DeviceCatalog::kThisComputer);
    p.origin = DeviceProfile::Origin::Measured;
    p.deviceClass = u"this machine, CPU inference with the app's own kernels"_s;
    QJsonObject cal{{u"measured_at"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}, {u"environment"_s, captureEnvironment()}};

    // Memory bandwidth: a copy reads and writes every byte; 128 MB is far beyond any cache.
    {
        const auto src = torch::rand({32 * 1024 * 1024});
        auto dst = torch::empty_like(src);
        const double s = timedSeconds(budget, Pick::Best, [&] { dst.copy_(src); });
        p.bandwidthGBs = 2.0 * double(src.nbytes()) / s / 1e9;
        p.bandwidthEfficiency = 1.0; // measured with the copy kernels themselves
        p.sources.insert(u"bandwidth_gbs"_s, u"measured: best of repeated 128 MB tensor copies (read + write)"_s);
    }
    // Weights streamed by one row: a Linear layer's weight far beyond the last-level cache, as one token of a
    // large language model reads every weight once. OpenBLAS's matrix-vector product does not stream at copy
    // speed (GPT-2-small-shaped, fp32, one token: about 12 GB/s, estimated 53-58 % fast at the copy's rate).
    {
        const auto weight = torch::randn({4096, 4096}); // 64 MB
        const auto x = torch::randn({1, 4096});
        const double s = timedSeconds(budget, Pick::Median, [&] { torch::linear(x, weight); });
        cal.insert(u"weight_stream_gbs"_s, double(weight.nbytes()) / s / 1e9);
        cal.insert(u"last_level_cache_bytes"_s, lastLevelCacheBytes());
        p.sources.insert(u"weight_stream_gbs"_s, u"measured: median one-row product with a 64 MB fp32 weight (48 MB int8 on each "
                                                 "engine), used for models larger than the last-level cache"_s);
    }
    next();
    // GEMM throughput by shape: a batch-1 layer is a 1-row GEMM and an attention head a 16-deep one, both far
    // from the peak of a large square GEMM. Measured on a grid of rows x inner dimension (512 outputs).
    const int64_t n = 512;
    QJsonObject fp32Grid, int8Grids;
    double fp32Peak = 0, int8Peak = 0;
    QString int8Engine;
    const QVector<int64_t> rowsGrid{1, 8, 64, 512}, innerGrid{16, 64, 512};
    // int8 up to 4096 inputs: a classifier's flattened features (fashion-cnn's fc1 has 3136) would otherwise be
    // charged at the 512-input rate, which at one row is mostly an int8 call's fixed cost.
    const QVector<int64_t> int8InnerGrid{16, 64, 512, 4096};
    // Each grid is measured in rounds over all its cells, and each cell's median kept: on this shared machine
    // GEMM throughput changes by up to 2x for a second or so, and a spell then falls on every cell once.
    std::map<std::pair<int64_t, int64_t>, std::vector<double>> fp32Seconds;
    for (int round = 0; round < kGridRounds; ++round) {
        for (int64_t k : innerGrid) {
            const auto weight = torch::randn({n, k});
            const auto bias = torch::randn({n});
            for (int64_t m : rowsGrid) {
                const auto x = torch::randn({m, k});
                fp32Seconds[{k, m}].push_back(timedSeconds(budget / 6 / kGridRounds, Pick::Median, [&] { torch::linear(x, weight, bias); }));
            }
        }
    }
    for (int64_t k : innerGrid) {
        QJsonObject byRows;
        for (int64_t m : rowsGrid) {
            const double gops = 2.0 * double(m * k * n) / medianOf(fp32Seconds[{k, m}]) / 1e9;
            byRows.insert(QString::number(m), gops);
            fp32Peak = std::max(fp32Peak, gops);
        }
        fp32Grid.insert(QString::number(k), byRows);
    }
    next();
    // int8: quantized::linear_dynamic as the int8 export runs it, on each engine; the faster one counts.
    // Each int8 call also has a fixed cost (quantizing the input, several parallel regions): measured again
    // with 64 outputs, so that the estimate can scale a call's time by its own width (affine in outputs).
    QJsonObject int8NarrowGrids, int8Streams;
    constexpr int64_t kNarrow = 64;
    for (const QString &engine : {u"onednn"_s, u"qnnpack"_s}) {
        QJsonObject grid, narrowGrid;
        double enginePeak = 0;
        try {
            const auto packing = lockInt8Packing();
            configureRuntime(params.threads, engine);
            std::map<std::tuple<int64_t, int64_t, int64_t>, std::vector<double>> int8Seconds;
            for (int round = 0; round < kGridRounds; ++round) {
                for (int64_t k : int8InnerGrid) {
                    for (int64_t outputs : {n, kNarrow}) {
                        const c10::IValue packed = prepackInt8Linear(torch::randn({outputs, k}), torch::randn({outputs}));
                        for (int64_t m : rowsGrid) {
                            const auto x = torch::randn({m, k});
                            int8Seconds[{k, outputs, m}].push_back(
                                timedSeconds(budget / 24 / kGridRounds, Pick::Median, [&] { runInt8Linear(x, packed); }));
                        }
                    }
                }
            }
            for (int64_t k : int8InnerGrid) {
                QJsonObject byRows, narrowByRows;
                for (int64_t outputs : {n, kNarrow}) {
                    for (int64_t m : rowsGrid) {
                        const double gops = 2.0 * double(m * k * outputs) / medianOf(int8Seconds[{k, outputs, m}]) / 1e9;
                        (outputs == n ? byRows : narrowByRows).insert(QString::number(m), gops);
                        if (outputs == n)
                            enginePeak = std::max(enginePeak, gops);
                    }
                }
                grid.insert(QString::number(k), byRows);
                narrowGrid.insert(QString::number(k), narrowByRows);
            }
            // int8 weights streamed by one row beyond the last-level cache (48 MB packed), as for fp32 above.
            const int64_t streamOutputs = 12288, streamInputs = 4096;
            const c10::IValue big = prepackInt8Linear(torch::randn({streamOutputs, streamInputs}), c10::nullopt);
            const auto row = torch::randn({1, streamInputs});
            const double s = timedSeconds(budget / 2, Pick::Median, [&] { runInt8Linear(row, big); });
            int8Streams.insert(engine, double(streamOutputs * streamInputs) / s / 1e9);
        } catch (const std::exception &) {
            continue; // the engine is not in this LibTorch build
        }
        int8Grids.insert(engine, grid);
        int8NarrowGrids.insert(engine, narrowGrid);
        if (enginePeak > int8Peak) {
            int8Peak = enginePeak;
            int8Engine = engine;
        }
    }
    next();
    p.peakGops.insert(u"fp32"_s, fp32Peak);
    p.peakGops.insert(u"int8"_s, int8Peak > 0 ? int8Peak : fp32Peak);
    p.computeEfficiency = 1.0;
    p.kernels = {u"fp32"_s};
    if (int8Peak > 0)
        p.kernels << u"int8"_s; // fp16 and int4 have no CPU kernels in this LibTorch: such weights run dequantized
    cal.insert(u"fp32_gops"_s, fp32Grid);
    cal.insert(u"int8_gops"_s, int8Grids);
    cal.insert(u"int8_gops_64_outputs"_s, int8NarrowGrids);
    cal.insert(u"int8_weight_stream_gbs"_s, int8Streams);
    cal.insert(u"int8_engine"_s, int8Engine);
    configureRuntime(params.threads);

    // Element-wise work that is not memory-bound on a CPU (exp, erf, normalising): softmax, gelu and
    // layer_norm over 64 k elements, as elements per second.
    {
        const auto x = torch::randn({256, 256});
        const double s = timedSeconds(budget, Pick::Median, [&] {
            torch::softmax(x, -1);
            torch::gelu(x);
            torch::layer_norm(x, {256});
        });
        cal.insert(u"elementwise_per_second"_s, 3.0 * double(x.numel()) / s);
    }
    // Per-operator costs inside a TorchScript forward, from a loop of 64 relu calls: on one element (the
    // fixed dispatch cost), on 16 k elements (cache bandwidth), and just below and above the size at which
    // ATen splits an op across threads (32 k elements): with passive OpenMP waiting, waking the other
    // threads costs tens of microseconds per op, the largest per-op cost of small models on this machine.
    {
        auto cu = torch::jit::compile(R"JIT(
def chain(x):
    for _ in range(64):
        x = torch.relu(x)
    return x
)JIT");
        auto perCall = [&](int64_t n) {
            const auto x = torch::randn({n});
            return timedSeconds(budget / 4, Pick::Median, [&] { cu->run_method("chain", x); }) / 64;
        };
        const double one = perCall(1), small = perCall(16384), below = perCall(32768), above = perCall(65536);
        p.opOverheadUs = one * 1e6;
        p.sources.insert(u"op_overhead_us"_s, u"measured: a TorchScript loop of 64 relu calls on one element"_s);
        cal.insert(u"cache_bandwidth_gbs"_s, 2.0 * 16384 * 4 / std::max(1e-9, small - one) / 1e9);
        cal.insert(u"parallel_grain"_s, 32768);
        cal.insert(u"parallel_op_overhead_us"_s, std::max({0.0, above - 2 * below, wakeAfterGemmSeconds(budget / 4)}) * 1e6);
    }
    cal.insert(u"op_costs"_s, operatorCosts(budget));
    // Last: the block probe estimates itself from everything above.
    p.calibration = cal;
    cal.insert(u"transformer_block"_s, probeTransformerBlock(p, budget * 2));
    next();
    p.memoryBytes = memAvailableBytes();
    p.sources.insert(u"memory_bytes"_s, u"measured: MemAvailable from /proc/meminfo"_s);
    p.powerW = 15.0 * rt.threads / 2;
    p.sources.insert(u"power_w"_s, u"assumption: about 7.5 W per busy core (not measurable here: no RAPL counters read)"_s);
    p.sources.insert(u"peak_gops"_s, u"measured: the best GOPS of fp32 torch::linear and int8 quantized::linear_dynamic (512x512 weights, 1-512 rows)"_s);
    p.calibration = cal;
    next();
    return p;
}

// Every number the passes measured, as the median over the passes; anything else as the first pass has it.
QJsonValue medianJson(const std::vector<QJsonValue> &passes)
{
    const QJsonValue &first = passes.front();
    if (first.isDouble()) {
        std::vector<double> values;
        for (const QJsonValue &v : passes)
            if (v.isDouble())
                values.push_back(v.toDouble());
        return medianOf(values);
    }
    if (!first.isObject())
        return first;
    QJsonObject out;
    const QJsonObject o = first.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        std::vector<QJsonValue> each;
        for (const QJsonValue &v : passes)
            each.push_back(v.toObject().value(it.key()));
        out.insert(it.key(), medianJson(each));
    }
    return out;
}

} // namespace

DeviceProfile calibrateThisComputer(const CalibrationParams &params, const ProgressCallback &progress)
{
    // This machine's speed comes in phases (a conv2d probe measured at half rate one calibration in four):
    // each figure is the median of several whole passes, so a phase that hits one pass does not decide it.
    const int passes = std::max(1, params.passes);
    int step = 0;
    const auto next = [&] {
        if (!reportProgress(progress, ++step, qint64(passes) * kStepsPerPass))
            throw Cancelled();
    };
    std::vector<DeviceProfile> runs;
    for (int i = 0; i < passes; ++i)
        runs.push_back(calibrateOnce(params, next));
    return combineCalibrationPasses(runs);
}

DeviceProfile combineCalibrationPasses(const std::vector<DeviceProfile> &runs)
{
    if (runs.empty())
        throw UserError(u"no calibration pass to combine"_s);
    DeviceProfile p = runs.front();
    auto median = [&](auto field) {
        std::vector<double> values;
        for (const DeviceProfile &r : runs)
            values.push_back(field(r));
        return medianOf(values);
    };
    p.bandwidthGBs = median([](const DeviceProfile &r) { return r.bandwidthGBs; });
    p.opOverheadUs = median([](const DeviceProfile &r) { return r.opOverheadUs; });
    p.memoryBytes = median([](const DeviceProfile &r) { return r.memoryBytes; });
    for (auto it = p.peakGops.begin(); it != p.peakGops.end(); ++it)
        it.value() = median([&](const DeviceProfile &r) { return r.peakGops.value(it.key()); });
    std::vector<QJsonValue> calibrations;
    QMap<QString, int> engineVotes;
    for (const DeviceProfile &r : runs) {
        calibrations.push_back(r.calibration);
        ++engineVotes[r.calibration.value("int8_engine"_L1).toString()];
    }
    p.calibration = medianJson(calibrations).toObject();
    // An operator's fixed cost and rate are one fit: both from the pass whose rate is the median.
    QJsonObject opCosts = p.calibration.value("op_costs"_L1).toObject();
    for (auto it = opCosts.begin(); it != opCosts.end(); ++it) {
        std::vector<std::pair<double, QJsonObject>> byRate;
        for (const DeviceProfile &r : runs) {
            const QJsonObject cost = r.calibration.value("op_costs"_L1).toObject().value(it.key()).toObject();
            byRate.push_back({cost.value("per_second"_L1).toDouble(), cost});
        }
        std::sort(byRate.begin(), byRate.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        it.value() = byRate[byRate.size() / 2].second;
    }
    if (!opCosts.isEmpty())
        p.calibration.insert(u"op_costs"_s, opCosts);
    // The block's extra follows its median times, so the three numbers shown agree with each other.
    if (QJsonObject block = p.calibration.value("transformer_block"_L1).toObject(); !block.isEmpty()) {
        block.insert(u"extra_us_per_block"_s,
                     std::max(0.0, block.value("measured_ms"_L1).toDouble() - block.value("estimated_ms"_L1).toDouble()) * 1e3);
        p.calibration.insert(u"transformer_block"_s, block);
    }
    // The int8 engine most passes found faster (its grids are medians like every other figure).
    p.calibration.insert(u"int8_engine"_s, std::max_element(engineVotes.begin(), engineVotes.end()).key());
    p.calibration.insert(u"passes"_s, int(runs.size()));
    p.sources.insert(u"calibration"_s, u"measured: each figure the median of %1 passes"_s.arg(runs.size()));
    return p;
}

DeviceProfile calibrateAndSave(const CalibrationParams &params, const ProgressCallback &progress)
{
    const DeviceProfile p = calibrateThisComputer(params, progress);
    const QString path = DeviceCatalog::calibrationPath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    writeAtomically(path, [&](const QString &temp) {
        QFile f(temp);
        const QByteArray bytes = QJsonDocument(toJson(p)).toJson();
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.flush())
            throw UserError(u"cannot write %1: %2"_s.arg(path, f.errorString()));
    });
    return p;
}

} // namespace compresslab

