// compresslab-cli sensitivity: per-layer sensitivity to quantization and pruning, measured.
#include "CliCommon.h"
#include "Commands.h"

#include "analysis/Sensitivity.h"
#include "common/UserError.h"
#include "experiment/Environment.h"
#include "experiment/RecordedRun.h"
#include "history/History.h"
#include "model/Model.h"
#include "model/ModelSummary.h"

#include <QFileInfo>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace compresslab::cli {

namespace {

history::Experiment sensitivityExperiment(const SensitivityResult &r, const QString &modelPath, const QString &dataPath,
                                          const SensitivityParams &params)
{
    const auto model = Model::load(modelPath);
    history::Experiment e;
    history::ExperimentStart &s = e.start;
    s.kind = u"sensitivity"_s;
    QJsonArray bits, sparsities;
    for (int b : params.bits)
        bits.push_back(b);
    for (double x : params.sparsities)
        sparsities.push_back(x);
    s.config = QJsonObject{{u"sensitivity"_s, QJsonObject{{u"bits"_s, bits}, {u"sparsities"_s, sparsities}, {u"samples"_s, double(params.samples)}}}};
    s.summary = u"sensitivity: %1 layers, %2 samples"_s.arg(r.layers.size()).arg(r.samples);
    s.methods = {u"sensitivity"_s};
    s.environment = captureEnvironment();
    s.model = {fileSha256(modelPath), QFileInfo(modelPath).absoluteFilePath(), model->displayName(), model->summary().parameterCount,
               model->summary().totalBytes()};
    s.dataset = history::DatasetRef{fileSha256(dataPath), QFileInfo(dataPath).absoluteFilePath(), QFileInfo(dataPath).completeBaseName(), r.samples};
    s.started = QDateTime::currentDateTimeUtc().addMSecs(-qint64(r.seconds * 1000));
    using history::Provenance;
    e.outcome.metrics = {{r.metricKey, r.baseline, QString(), r.higherIsBetter, Provenance::Measured, {}, u"baseline"_s,
                          u"%1 samples"_s.arg(r.samples)},
                         {u"cheap_score_spearman"_s, r.spearman, QString(), true, Provenance::Measured, {}, u"result"_s,
                          u"rank correlation of the second-order score with the measured KL at %1, over %2 Linear layers"_s
                              .arg(r.referenceSetting).arg(r.rankedLayers)}};
    for (const LayerSensitivity &l : r.layers) {
        QJsonArray probes;
        double referenceKl = 0;
        for (const SensitivityProbe &probe : l.probes) {
            probes.push_back(QJsonObject{{u"setting"_s, probe.setting}, {u"metric"_s, probe.metric}, {u"delta"_s, probe.delta}, {u"kl"_s, probe.kl}});
            if (probe.setting == r.referenceSetting)
                referenceKl = probe.kl;
        }
        QJsonObject extra{{u"probes"_s, probes}};
        if (l.cheapScore >= 0)
            extra.insert(u"cheap_score"_s, l.cheapScore);
        // error holds the measured KL at the reference setting; every probe is in extra.
        e.outcome.layers.push_back({l.layer, l.type, r.referenceSetting + u" (sensitivity probe)"_s, 32, 0, referenceKl, l.weights * 4, l.weights * 4, extra});
    }
    return e;
}

} // namespace

int runSensitivity(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"sensitivity"_s, u"Per-layer sensitivity: the metric change and output KL when only one layer is quantized or pruned (measured)."_s);
    p.addPositionalArgument(u"MODEL"_s, u"TorchScript file (.pt); never modified."_s);
    p.addOptions({{u"data"_s, u"Dataset; its first --samples samples are the calibration subset (required)."_s, u"DATA"_s},
                  {u"samples"_s, u"Samples to measure on (default 128)."_s, u"N"_s},
                  {u"bits"_s, u"Bit widths to probe (default 2,3,4,8)."_s, u"LIST"_s},
                  {u"sparsities"_s, u"Pruning ratios to probe (default 0.5,0.75)."_s, u"LIST"_s},
                  {u"refresh"_s, u"Measure again even when a cached result exists."_s},
                  jsonOption()});
    addHistoryOptions(p, true);
    if (int rc = parseOrExit(p, args, io, 1, 1); rc >= 0)
        return rc;
    if (!p.isSet(u"data"_s)) {
        io.err << "compresslab-cli sensitivity: --data DATA is required\n";
        return ExitUsage;
    }
    SensitivityParams params;
    if (!intOption(p, u"samples"_s, 1, &params.samples, io))
        return ExitUsage;
    if (p.isSet(u"bits"_s))
        params.bits = numberList<int>(p.value(u"bits"_s), u"bits"_s);
    if (p.isSet(u"sparsities"_s))
        params.sparsities = numberList<double>(p.value(u"sparsities"_s), u"sparsities"_s);
    params.useCache = !p.isSet(u"refresh"_s);
    StderrProgress progress(u"measuring sensitivity"_s);
    const SensitivityResult r = analyseSensitivity(p.positionalArguments().at(1), p.value(u"data"_s), params, std::ref(progress));
    progress.finish();
    // A new measurement is an experiment of its own in the history; a cached one was recorded when it was made.
    if (!r.fromCache) {
        if (const auto history = openHistory(p, io, true)) {
            try {
                const qint64 id = history->record(sensitivityExperiment(r, p.positionalArguments().at(1), p.value(u"data"_s), params));
                io.err << "recorded as experiment " << id << " in " << history->path() << "\n";
            } catch (const UserError &e) {
                io.err << "compresslab-cli: not recorded in the history: " << e.message() << "\n";
            }
        }
    }
    if (p.isSet(u"json"_s)) {
        printJson(io, toJson(r));
        return ExitOk;
    }
    io.out << u"%1 %2 on %3 samples (measured%4); per layer, the change when only that layer is compressed:\n"_s.arg(r.metricLabel)
                  .arg(r.baseline, 0, 'f', 3).arg(r.samples).arg(r.fromCache ? u", cached"_s : QString());
    QString header = u"%1 %2"_s.arg(u"layer"_s, -28).arg(u"type"_s, -10);
    if (!r.layers.isEmpty())
        for (const SensitivityProbe &probe : r.layers.first().probes)
            header += u" %1"_s.arg(probe.setting, 16);
    io.out << header << u" %1\n"_s.arg(u"cheap score"_s, 12);
    io.out << u"%1 %2"_s.arg(QString(), -28).arg(QString(), -10);
    if (!r.layers.isEmpty())
        for (qsizetype i = 0; i < r.layers.first().probes.size(); ++i)
            io.out << u" %1"_s.arg(u"Δ / KL"_s, 16);
    io.out << "\n";
    for (const LayerSensitivity &l : r.layers) {
        QString line = u"%1 %2"_s.arg(l.layer.left(28), -28).arg(l.type.left(10), -10);
        for (const SensitivityProbe &probe : l.probes)
            line += u" %1"_s.arg(u"%1%2 / %3"_s.arg(probe.delta >= 0 ? u"+"_s : QString()).arg(probe.delta, 0, 'f', 2).arg(probe.kl, 0, 'g', 2), 16);
        line += u" %1"_s.arg(l.cheapScore >= 0 ? QString::number(l.cheapScore, 'g', 3) : u"—"_s, 12);
        io.out << line << "\n";
    }
    io.out << u"cheap score (second-order saliency at %1, no forward passes) vs measured KL at %1: Spearman %2 over %3 Linear layers\n"_s
                  .arg(r.referenceSetting).arg(r.spearman, 0, 'f', 3).arg(r.rankedLayers);
    io.out << u"took %1 s%2\n"_s.arg(r.seconds, 0, 'f', 1).arg(r.cachePath.isEmpty() ? QString() : u"; cached in "_s + r.cachePath);
    return ExitOk;
}

} // namespace compresslab::cli
