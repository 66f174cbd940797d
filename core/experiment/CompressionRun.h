#pragma once
// One compression experiment end to end, the same for the CLI, the GUI and re-runs from the history:
// measure the original, compress a copy, measure the copy, write the exports. Every number it returns
// is measured on this machine, with the kernels recorded in its RuntimeInfo.
#include "compress/CompressionReport.h"
#include "device/Estimator.h"
#include "eval/EvalResult.h"
#include "eval/Latency.h"

#include <functional>
#include <optional>

namespace compresslab {

struct CompressionRunParams {
    QString modelPath;
    QString dataPath;        // empty: size accounting and latency only
    CompressionConfig config;
    EvalParams eval;         // eval.threads also sets the threads of latency and compression
    bool measureLatency = true;
    bool dryRun = false;     // size accounting only: no evaluation, no latency, no files
    QString outDir;          // empty: no exports
    QVector<DeviceProfile> devices; // estimate the original and the result on these (labelled estimated)
};

struct ExportedFile {
    QString path;
    QString format;          // "torchscript-dequantized", "torchscript-lowrank", "torchscript-int8", "compresslab-packed"
    qint64 fileBytes = 0;
    qint64 accountedBytes = 0; // the packed artifact's accounted size (0 for the others)
    qint64 headerBytes = 0;
};

struct CompressionRun {
    QString modelName;
    qint64 modelParameters = 0;
    qint64 modelBytes = 0;
    qint64 datasetSamples = 0;
    QString datasetName;
    CompressionReport report;
    std::optional<EvalResult> before, after, afterInt8;
    std::optional<LatencyResult> latencyBefore, latencyAfter;
    bool int8Kernels = false; // the timed copy ran int8 kernels (else dequantized fp32)
    QVector<ExportedFile> exports;
    QVector<DeviceProfile> devices;          // as used for the estimates
    QVector<DeviceEstimate> estimates;       // the compressed model, one per device
    QVector<DeviceEstimate> baselineEstimates; // the original model, one per device
};

// Progress of a stage ("evaluating original", "compressing", ...); returning false cancels (Cancelled).
using StageProgress = std::function<bool(const QString &stage, qint64 done, qint64 total)>;

// Called once the model and dataset loaded, before the long work: where the history starts its record.
using LoadedCallback = std::function<void(const CompressionRun &loaded)>;

// Writes a compressed model's exports into `outDir`: dequantized TorchScript, the packed artifact (when it
// has artifacts) and the int8-kernel TorchScript (when it has one). Atomic; never over `inputPath`.
struct CompressionResult;
QVector<ExportedFile> writeExports(const CompressionResult &result, const QString &outDir, const QString &inputPath);

// Throws UserError for bad input (the model file is never modified), Cancelled when progress says stop.
CompressionRun runCompression(const CompressionRunParams &params, const StageProgress &progress = {},
                              const LoadedCallback &loaded = {});

} // namespace compresslab
