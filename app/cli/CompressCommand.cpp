#include "CliCommon.h"
#include "Commands.h"

#include "common/UserError.h"
#include "compress/Compressor.h"
#include "compress/Export.h"
#include "compress/PackedArtifact.h"
#include "data/Dataset.h"
#include "eval/Evaluator.h"
#include "eval/Latency.h"
#include "model/Model.h"
#include "report/ToJson.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace compresslab::cli {

namespace {

// Turns the method flags into the same JSON a --config file holds, so both paths validate identically.
QJsonObject configFromFlags(const QCommandLineParser &p)
{
    QJsonObject json;
    QJsonObject quantize;
    if (p.isSet(u"bits"_s)) {
        bool isNumber = false;
        const int bits = p.value(u"bits"_s).toInt(&isNumber);
        quantize.insert(u"bits"_s, isNumber ? QJsonValue(bits) : QJsonValue(p.value(u"bits"_s)));
    }
    if (p.isSet(u"granularity"_s))
        quantize.insert(u"granularity"_s, p.value(u"granularity"_s));
    if (p.isSet(u"group-size"_s))
        quantize.insert(u"group_size"_s, p.value(u"group-size"_s).toInt());
    if (p.isSet(u"group-fallback"_s))
        quantize.insert(u"group_fallback"_s, u"channel"_s);
    if (p.isSet(u"symmetric"_s) || p.isSet(u"asymmetric"_s))
        quantize.insert(u"symmetric"_s, !p.isSet(u"asymmetric"_s));
    if (p.isSet(u"method"_s))
        quantize.insert(u"method"_s, p.value(u"method"_s));
    if (!quantize.isEmpty())
        json.insert(u"quantize"_s, quantize);
    QJsonObject prune;
    if (p.isSet(u"sparsity"_s))
        prune.insert(u"sparsity"_s, p.value(u"sparsity"_s).toDouble());
    if (p.isSet(u"pruning"_s))
        prune.insert(u"pattern"_s, p.value(u"pruning"_s));
    if (p.isSet(u"global"_s))
        prune.insert(u"scope"_s, u"global"_s);
    if (!prune.isEmpty())
        json.insert(u"prune"_s, prune);
    if (p.isSet(u"rank-ratio"_s))
        json.insert(u"low_rank"_s, QJsonObject{{u"rank_ratio"_s, p.value(u"rank-ratio"_s).toDouble()}});
    else if (p.isSet(u"energy"_s))
        json.insert(u"low_rank"_s, QJsonObject{{u"energy"_s, p.value(u"energy"_s).toDouble()}});
    if (p.isSet(u"codebook-bits"_s))
        json.insert(u"codebook"_s, QJsonObject{{u"bits"_s, p.value(u"codebook-bits"_s).toInt()}});
    if (p.isSet(u"modules"_s))
        json.insert(u"modules"_s, QJsonArray::fromStringList(p.value(u"modules"_s).split(u',', Qt::SkipEmptyParts)));
    if (p.isSet(u"skip"_s)) {
        QJsonObject layers;
        for (const QString &layer : p.values(u"skip"_s))
            layers.insert(layer, QJsonObject{{u"skip"_s, true}});
        json.insert(u"layers"_s, layers);
    }
    if (p.isSet(u"order"_s))
        json.insert(u"steps"_s, QJsonArray::fromStringList(p.value(u"order"_s).split(u',', Qt::SkipEmptyParts)));
    if (p.isSet(u"int8-kernels"_s))
        json.insert(u"int8_kernels"_s, true);
    if (p.isSet(u"int8-engine"_s))
        json.insert(u"int8_engine"_s, p.value(u"int8-engine"_s));
    return json;
}

QString metricLine(const EvalResult &before, const EvalResult &after)
{
    QStringList parts;
    for (const Metric &m : before.metrics) {
        if (m.key == "loss"_L1)
            continue;
        const double a = after.value(m.key);
        parts << u"%1 %2 → %3 (%4%5)"_s.arg(m.label).arg(m.value, 0, 'f', 3).arg(a, 0, 'f', 3).arg(a >= m.value ? u"+"_s : QString())
                     .arg(a - m.value, 0, 'f', 3);
    }
    return parts.join(u", "_s);
}

} // namespace

int runCompress(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"compress"_s, u"Compress a copy of a model; print exact size accounting, measured metrics and latency."_s);
    p.addPositionalArgument(u"MODEL"_s, u"TorchScript file (.pt); never modified."_s);
    p.addOptions({
        {u"config"_s, u"Compression configuration (JSON, see docs/compression.md)."_s, u"FILE"_s},
        {u"bits"_s, u"Quantize weights to B bits (2-8), or fp16 / bf16."_s, u"B"_s},
        {u"granularity"_s, u"Quantization scales per tensor, channel (default) or group."_s, u"G"_s},
        {u"group-size"_s, u"Values per scale with --granularity group (default 128)."_s, u"N"_s},
        {u"group-fallback"_s, u"Layers whose inputs the group size does not divide use per-channel scales."_s},
        {u"symmetric"_s, u"Symmetric quantization (default)."_s},
        {u"asymmetric"_s, u"Asymmetric quantization with zero-points."_s},
        {u"method"_s, u"rtn (round to nearest, default) or gptq (needs --data)."_s, u"M"_s},
        {u"sparsity"_s, u"Prune this fraction of weights (0-0.99)."_s, u"S"_s},
        {u"pruning"_s, u"unstructured (default), structured, or N:M such as 2:4."_s, u"P"_s},
        {u"global"_s, u"Unstructured pruning with one threshold across layers."_s},
        {u"rank-ratio"_s, u"Low-rank factorisation keeping this fraction of the rank."_s, u"R"_s},
        {u"energy"_s, u"Low-rank factorisation keeping this share of the spectrum's energy."_s, u"E"_s},
        {u"codebook-bits"_s, u"Weight sharing: a k-means codebook of 2^K values per layer."_s, u"K"_s},
        {u"modules"_s, u"Layer types to compress (default Linear,Conv,Embedding)."_s, u"LIST"_s},
        {u"skip"_s, u"Leave this layer (module path) uncompressed; repeatable."_s, u"LAYER"_s},
        {u"order"_s, u"Step order, e.g. prune,quantize (default prune,low_rank,quantize,codebook)."_s, u"STEPS"_s},
        {u"int8-kernels"_s, u"Run Linear layers with int8 kernels (quantized::linear_dynamic)."_s},
        {u"int8-engine"_s, u"Kernels for --int8-kernels: onednn (default; batches) or qnnpack (single rows)."_s, u"E"_s},
        {u"data"_s, u"Dataset: measure metrics before and after (and calibrate GPTQ)."_s, u"DATA"_s},
        {u"limit"_s, u"Evaluate only the first N samples."_s, u"N"_s},
        {u"out"_s, u"Write the exports and a report into this folder."_s, u"DIR"_s},
        {u"dry-run"_s, u"Only the size accounting: no evaluation, no latency, no files."_s},
        jsonOption(),
    });
    if (int rc = parseOrExit(p, args, io, 1, 1); rc >= 0)
        return rc;
    const QStringList methodFlags{u"bits"_s, u"granularity"_s, u"group-size"_s, u"group-fallback"_s, u"symmetric"_s, u"asymmetric"_s, u"method"_s,
                                  u"sparsity"_s, u"pruning"_s, u"global"_s, u"rank-ratio"_s, u"energy"_s, u"codebook-bits"_s,
                                  u"modules"_s, u"skip"_s, u"order"_s, u"int8-kernels"_s, u"int8-engine"_s};
    bool anyFlag = false;
    for (const QString &f : methodFlags)
        anyFlag = anyFlag || p.isSet(f);
    if (p.isSet(u"config"_s) && anyFlag) {
        io.err << "compresslab-cli compress: give either --config or method flags, not both\n";
        return ExitUsage;
    }
    if (!p.isSet(u"config"_s) && !anyFlag) {
        io.err << "compresslab-cli compress: say what to do: --config FILE, or flags such as --bits 4 (see --help)\n";
        return ExitUsage;
    }
    EvalParams evalParams;
    if (!intOption(p, u"limit"_s, 1, &evalParams.limit, io))
        return ExitUsage;

    const CompressionConfig config = p.isSet(u"config"_s) ? loadCompressionConfig(p.value(u"config"_s))
                                                           : parseCompressionConfig(configFromFlags(p));
    const QString modelPath = p.positionalArguments().at(1);
    const auto model = Model::load(modelPath);
    std::shared_ptr<Dataset> data;
    if (p.isSet(u"data"_s))
        data = Dataset::load(p.value(u"data"_s));
    if (config.quantize.method == QuantMethod::Gptq && !data)
        throw UserError(u"GPTQ calibrates on data: add --data DATA"_s);

    // Measure the original first, then compress the loaded model itself: this process needs no second copy.
    const bool dryRun = p.isSet(u"dry-run"_s);
    std::optional<EvalResult> before, after, afterInt8;
    std::optional<LatencyResult> latencyBefore, latencyAfter;
    const bool timeIt = !dryRun && (model->metadata().inputShape.size() > 0 || data);
    if (!dryRun && data) {
        StderrProgress evalProgress(u"evaluating original"_s);
        before = evaluate(*model, *data, evalParams, std::ref(evalProgress));
        evalProgress.finish();
    }
    LatencyParams lp;
    if (timeIt)
        latencyBefore = measureLatency(*model, lp, data.get());
    const QString modelName = model->displayName();
    StderrProgress progress(u"compressing"_s);
    const CompressionResult result = compressModel(*model, config, data.get(), std::ref(progress), ModelUse::Consume);
    progress.finish();
    const CompressionReport &report = result.report;

    QJsonObject json{{u"model"_s, model->path()}, {u"dry_run"_s, dryRun}, {u"size"_s, toJson(report)}};
    if (before) {
        StderrProgress evalProgress(u"evaluating compressed"_s);
        after = evaluate(*result.model, *data, evalParams, std::ref(evalProgress));
        QJsonObject metrics{{u"original"_s, toJson(*before)}, {u"compressed"_s, toJson(*after)}};
        if (result.int8Model) {
            afterInt8 = evaluate(*result.int8Model, *data, evalParams, std::ref(evalProgress));
            metrics.insert(u"compressed_int8_kernels"_s, toJson(*afterInt8));
        }
        evalProgress.finish();
        json.insert(u"metrics"_s, metrics);
    }
    if (timeIt) {
        // The deployable form is timed: int8 kernels when asked for, else the dequantized fp32 copy.
        const Model &timed = result.int8Model ? *result.int8Model : *result.model;
        latencyAfter = measureLatency(timed, lp, data.get());
        json.insert(u"latency"_s, QJsonObject{{u"original"_s, toJson(*latencyBefore)}, {u"compressed"_s, toJson(*latencyAfter)},
                                              {u"weights"_s, result.int8Model ? u"int8 kernels (quantized::linear_dynamic)"_s
                                                                              : u"dequantized fp32: the compressed copy runs the same fp32 kernels"_s}});
    }
    QJsonArray exported;
    if (!dryRun && p.isSet(u"out"_s)) {
        const QString dir = p.value(u"out"_s);
        QDir().mkpath(dir);
        const QString dequantized = dir + u"/model-dequantized.pt"_s;
        saveTorchScript(*result.model, dequantized, modelPath);
        exported.push_back(QJsonObject{{u"path"_s, dequantized}, {u"format"_s, u"torchscript-dequantized"_s}});
        const QString packed = dir + u"/model-packed.safetensors"_s;
        const PackedFileInfo info = writePackedArtifact(result, packed, modelPath);
        exported.push_back(QJsonObject{{u"path"_s, packed}, {u"format"_s, u"compresslab-packed"_s}, {u"file_bytes"_s, double(info.fileBytes)},
                                       {u"data_bytes"_s, double(info.dataBytes)}, {u"header_bytes"_s, double(info.headerBytes)},
                                       {u"accounted_bytes"_s, double(report.deployedBytes)}});
        if (result.int8Model) {
            const QString int8 = dir + u"/model-int8.pt"_s;
            saveTorchScript(*result.int8Model, int8, modelPath);
            exported.push_back(QJsonObject{{u"path"_s, int8}, {u"format"_s, u"torchscript-int8"_s}});
        }
        json.insert(u"exports"_s, exported);
        const QString reportPath = dir + u"/report.json"_s;
        QFile f(reportPath);
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0)
            throw UserError(u"cannot write %1: %2"_s.arg(reportPath, f.errorString()));
    }

    if (p.isSet(u"json"_s)) {
        printJson(io, json);
        return ExitOk;
    }
    io.out << modelName << ": " << config.describe() << "\n\n";
    io.out << u"%1 %2 %3 %4 %5 %6\n"_s.arg(u"layer"_s, -30).arg(u"encoding"_s, -44).arg(u"bits/w"_s, 7).arg(u"fp32"_s, 10)
                  .arg(u"deployed"_s, 10).arg(u"rel.err"_s, 8);
    for (const LayerReport &l : report.layers) {
        io.out << u"%1 %2 %3 %4 %5 %6\n"_s.arg(l.path.left(30), -30).arg(l.encoding.left(44), -44).arg(l.effectiveBits, 7, 'f', 2)
                      .arg(formatBytes(l.originalBytes), 10).arg(formatBytes(l.deployedBytes), 10).arg(l.relativeError, 8, 'f', 4);
        if (!l.note.isEmpty())
            io.out << "    note: " << l.note << "\n";
    }
    io.out << u"\nmodel size (exact): %1 → %2, %3× smaller; %4 effective bits per compressed weight; compressed in %5 s\n"_s
                  .arg(formatBytes(report.originalBytes), formatBytes(report.deployedBytes))
                  .arg(report.reduction(), 0, 'f', 2).arg(report.effectiveBits, 0, 'f', 3).arg(report.seconds, 0, 'f', 2);
    for (const QString &n : report.notes)
        io.out << "note: " << n << "\n";
    if (before && after)
        io.out << "metrics on " << data->info().name << " (measured, " << after->samples << " samples): " << metricLine(*before, *after) << "\n";
    if (before && afterInt8)
        io.out << "  with int8 kernels (measured): " << metricLine(*before, *afterInt8) << "\n";
    if (latencyBefore && latencyAfter)
        io.out << u"latency batch 1 (measured): %1 ms → %2 ms median; %3\n"_s.arg(latencyBefore->medianMs, 0, 'f', 3)
                      .arg(latencyAfter->medianMs, 0, 'f', 3).arg(latencyAfter->runtime.describe())
               << (result.int8Model ? "  (the compressed copy runs int8 kernels for its Linear layers)\n"
                                    : "  (the compressed copy holds dequantized fp32 weights and runs the same fp32 kernels)\n");
    for (const QJsonValue &e : exported) {
        const QJsonObject o = e.toObject();
        io.out << "wrote " << o.value("path"_L1).toString();
        if (o.contains("file_bytes"_L1))
            io.out << u" (%1; accounted %2, header %3)"_s.arg(formatBytes(qint64(o.value("file_bytes"_L1).toDouble())),
                                                        formatBytes(qint64(o.value("accounted_bytes"_L1).toDouble())),
                                                        formatBytes(qint64(o.value("header_bytes"_L1).toDouble())));
        io.out << "\n";
    }
    return ExitOk;
}

} // namespace compresslab::cli
