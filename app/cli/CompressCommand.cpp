#include "CliCommon.h"
#include "Commands.h"
#include "MethodOptions.h"

#include "common/UserError.h"
#include "experiment/RecordedRun.h"
#include "history/History.h"
#include "model/ModelSummary.h"
#include "report/ToJson.h"

#include <QFileInfo>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace compresslab::cli {

namespace {

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
        {u"data"_s, u"Dataset: measure metrics before and after (and calibrate GPTQ)."_s, u"DATA"_s},
        {u"limit"_s, u"Evaluate only the first N samples."_s, u"N"_s},
        {u"out"_s, u"Write the exports and a report into this folder."_s, u"DIR"_s},
        {u"dry-run"_s, u"Only the size accounting: no evaluation, no latency, no files, no history entry."_s},
        {u"tag"_s, u"Tag the experiment in the history; repeatable."_s, u"TAG"_s},
        {u"note"_s, u"A note to keep with the experiment in the history."_s, u"TEXT"_s},
        jsonOption(),
    });
    addMethodOptions(p);
    addDeviceOptions(p);
    addHistoryOptions(p, true);
    if (int rc = parseOrExit(p, args, io, 1, 1); rc >= 0)
        return rc;
    std::optional<CompressionConfig> config;
    if (int rc = configFromOptions(p, u"compress"_s, true, io, config); rc >= 0)
        return rc;
    CompressionRunParams params;
    if (!intOption(p, u"limit"_s, 1, &params.eval.limit, io))
        return ExitUsage;
    params.config = *config;
    params.modelPath = p.positionalArguments().at(1);
    params.dataPath = p.value(u"data"_s);
    params.dryRun = p.isSet(u"dry-run"_s);
    params.outDir = p.value(u"out"_s);
    if (params.config.quantize.method == QuantMethod::Gptq && params.dataPath.isEmpty())
        throw UserError(u"GPTQ calibrates on data: add --data DATA"_s);

    params.devices = selectedDevices(p, io);
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
    if (!run.exports.isEmpty()) {
        json.insert(u"exports"_s, exportsJson(run.exports));
        writeReport(params.outDir, json);
    }
    if (!run.estimates.isEmpty()) {
        QJsonArray estimates;
        for (qsizetype i = 0; i < run.estimates.size(); ++i) {
            const DeviceEstimate &e = run.estimates.at(i), &b = run.baselineEstimates.at(i);
            QJsonObject o{{u"kind"_s, u"estimated"_s}, {u"device"_s, e.device}, {u"deployment"_s, e.deployment}, {u"latency_ms"_s, e.latencyMs},
                          {u"original_latency_ms"_s, b.latencyMs}, {u"memory_bytes"_s, e.memoryBytes()}, {u"original_memory_bytes"_s, b.memoryBytes()},
                          {u"fits"_s, e.fits}, {u"margin_bytes"_s, e.marginBytes}, {u"energy_mj"_s, e.energyMj}};
            if (e.tokenMs >= 0)
                o.insert(u"token_ms"_s, e.tokenMs);
            estimates.push_back(o);
        }
        json.insert(u"estimates"_s, estimates);
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
    for (qsizetype i = 0; i < run.estimates.size(); ++i) {
        const DeviceEstimate &e = run.estimates.at(i), &b = run.baselineEstimates.at(i);
        io.out << u"on %1 (estimated): %2 ms → %3 ms per inference%4, memory %5 → %6 (%7), %8 mJ\n"_s.arg(e.device)
                      .arg(b.latencyMs, 0, 'f', 3).arg(e.latencyMs, 0, 'f', 3)
                      .arg(e.tokenMs >= 0 ? u", %1 ms per token"_s.arg(e.tokenMs, 0, 'f', 3) : QString())
                      .arg(formatBytes(qint64(b.memoryBytes())), formatBytes(qint64(e.memoryBytes())))
                      .arg(e.fits ? u"fits"_s : u"does NOT fit"_s).arg(e.energyMj, 0, 'f', 3);
    }
    for (const ExportedFile &e : run.exports) {
        io.out << "wrote " << e.path;
        if (e.accountedBytes > 0)
            io.out << u" (%1; accounted %2, header %3)"_s.arg(formatBytes(e.fileBytes), formatBytes(e.accountedBytes), formatBytes(e.headerBytes));
        io.out << "\n";
    }
    return ExitOk;
}

} // namespace compresslab::cli
