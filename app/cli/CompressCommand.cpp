#include "CliCommon.h"
#include "Commands.h"

#include "common/UserError.h"
#include "common/AtomicFile.h"
#include "experiment/RecordedRun.h"
#include "history/History.h"
#include "model/ModelSummary.h"
#include "report/ToJson.h"

#include <QFile>
#include <QFileInfo>
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
        {u"dry-run"_s, u"Only the size accounting: no evaluation, no latency, no files, no history entry."_s},
        {u"tag"_s, u"Tag the experiment in the history; repeatable."_s, u"TAG"_s},
        {u"note"_s, u"A note to keep with the experiment in the history."_s, u"TEXT"_s},
        jsonOption(),
    });
    addHistoryOptions(p, true);
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
    CompressionRunParams params;
    if (!intOption(p, u"limit"_s, 1, &params.eval.limit, io))
        return ExitUsage;
    params.config = p.isSet(u"config"_s) ? loadCompressionConfig(p.value(u"config"_s)) : parseCompressionConfig(configFromFlags(p));
    params.modelPath = p.positionalArguments().at(1);
    params.dataPath = p.value(u"data"_s);
    params.dryRun = p.isSet(u"dry-run"_s);
    params.outDir = p.value(u"out"_s);
    if (params.config.quantize.method == QuantMethod::Gptq && params.dataPath.isEmpty())
        throw UserError(u"GPTQ calibrates on data: add --data DATA"_s);

    const auto history = params.dryRun ? nullptr : openHistory(p, io, true);
    RecordOptions options;
    options.tags = p.values(u"tag"_s);
    options.notes = p.value(u"note"_s);
    StageProgress progress = [bar = std::make_shared<std::optional<StderrProgress>>(), last = std::make_shared<QString>()](
                                 const QString &stage, qint64 done, qint64 total) mutable {
        if (stage != *last) {
            if (*bar)
                (*bar)->finish();
            bar->emplace(stage);
            *last = stage;
        }
        return (**bar)(done, total);
    };
    const RecordedRun recorded = runAndRecord(params, history.get(), progress, options);
    const CompressionRun &run = recorded.run;
    const CompressionReport &report = run.report;

    QJsonObject json{{u"model"_s, QFileInfo(params.modelPath).absoluteFilePath()}, {u"dry_run"_s, params.dryRun}, {u"size"_s, toJson(report)}};
    if (run.before && run.after) {
        QJsonObject metrics{{u"original"_s, toJson(*run.before)}, {u"compressed"_s, toJson(*run.after)}};
        if (run.afterInt8)
            metrics.insert(u"compressed_int8_kernels"_s, toJson(*run.afterInt8));
        json.insert(u"metrics"_s, metrics);
    }
    if (run.latencyBefore && run.latencyAfter)
        json.insert(u"latency"_s, QJsonObject{{u"original"_s, toJson(*run.latencyBefore)}, {u"compressed"_s, toJson(*run.latencyAfter)},
                                              {u"weights"_s, run.int8Kernels ? u"int8 kernels (quantized::linear_dynamic)"_s
                                                                             : u"dequantized fp32: the compressed copy runs the same fp32 kernels"_s}});
    QJsonArray exported;
    for (const ExportedFile &e : run.exports) {
        QJsonObject o{{u"path"_s, e.path}, {u"format"_s, e.format}, {u"file_bytes"_s, double(e.fileBytes)}};
        if (e.accountedBytes > 0) {
            o.insert(u"accounted_bytes"_s, double(e.accountedBytes));
            o.insert(u"header_bytes"_s, double(e.headerBytes));
        }
        exported.push_back(o);
    }
    if (!run.exports.isEmpty()) {
        json.insert(u"exports"_s, exported);
        const QString reportPath = params.outDir + u"/report.json"_s;
        writeAtomically(reportPath, [&](const QString &temp) {
            QFile f(temp);
            if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0)
                throw UserError(u"cannot write %1: %2"_s.arg(reportPath, f.errorString()));
        });
    }
    if (recorded.experimentId)
        json.insert(u"experiment_id"_s, double(recorded.experimentId));
    if (history)
        json.insert(u"history"_s, history->path());
    if (!recorded.historyProblem.isEmpty())
        json.insert(u"history_problem"_s, recorded.historyProblem);

    printRecorded(io, recorded, history.get());
    if (p.isSet(u"json"_s)) {
        printJson(io, json);
        return ExitOk;
    }
    io.out << run.modelName << ": " << params.config.describe() << "\n\n";
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
    if (run.before && run.after)
        io.out << "metrics on " << run.datasetName << " (measured, " << run.after->samples << " samples): " << metricLine(*run.before, *run.after) << "\n";
    if (run.before && run.afterInt8)
        io.out << "  with int8 kernels (measured): " << metricLine(*run.before, *run.afterInt8) << "\n";
    if (run.latencyBefore && run.latencyAfter)
        io.out << u"latency batch 1 (measured): %1 ms → %2 ms median; %3\n"_s.arg(run.latencyBefore->medianMs, 0, 'f', 3)
                      .arg(run.latencyAfter->medianMs, 0, 'f', 3).arg(run.latencyAfter->runtime.describe())
               << (run.int8Kernels ? "  (the compressed copy runs int8 kernels for its Linear layers)\n"
                                    : "  (the compressed copy holds dequantized fp32 weights and runs the same fp32 kernels)\n");
    for (const ExportedFile &e : run.exports) {
        io.out << "wrote " << e.path;
        if (e.accountedBytes > 0)
            io.out << u" (%1; accounted %2, header %3)"_s.arg(formatBytes(e.fileBytes), formatBytes(e.accountedBytes), formatBytes(e.headerBytes));
        io.out << "\n";
    }
    return ExitOk;
}

} // namespace compresslab::cli
