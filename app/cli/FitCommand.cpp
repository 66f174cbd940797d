// compresslab-cli fit: a per-layer bit-width plan for a device under budgets, then measured.
#include "CliCommon.h"
#include "Commands.h"

#include "analysis/FitPlan.h"
#include "common/UserError.h"
#include "device/DeviceCatalog.h"
#include "model/ModelSummary.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace compresslab::cli {

int runFit(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"fit"_s, u"Plan per-layer bit widths and pruning ratios for a device under memory / latency / loss budgets from measured sensitivity; then measure the plan."_s);
    p.addPositionalArgument(u"MODEL"_s, u"TorchScript file (.pt); never modified."_s);
    p.addOptions({{u"data"_s, u"Dataset for sensitivity and the measurement (required)."_s, u"DATA"_s},
                  {u"device"_s, u"Device profile (see 'devices list'; required)."_s, u"NAME"_s},
                  {u"max-memory"_s, u"Budget for the deployed weights and buffers, in bytes (default: what the device leaves)."_s, u"BYTES"_s},
                  {u"max-latency"_s, u"Budget for the estimated latency on the device, in ms."_s, u"MS"_s},
                  {u"max-loss"_s, u"Largest acceptable loss of the metric (its units: accuracy points, perplexity)."_s, u"X"_s},
                  {u"match-uniform"_s, u"Budget = the size of uniform per-channel quantization at B bits; measure that too."_s, u"B"_s},
                  {u"sparsities"_s, u"Magnitude-pruning ratios a layer may take besides dense (default 0.5,0.75; 0 for none)."_s, u"LIST"_s},
                  {u"samples"_s, u"Samples for the sensitivity measurement (default 128)."_s, u"N"_s},
                  {u"limit"_s, u"Evaluate the plan on the first N samples only."_s, u"N"_s},
                  jsonOption()});
    if (int rc = parseOrExit(p, args, io, 1, 1); rc >= 0)
        return rc;
    if (!p.isSet(u"data"_s) || !p.isSet(u"device"_s)) {
        io.err << "compresslab-cli fit: --data DATA and --device NAME are required\n";
        return ExitUsage;
    }
    FitParams params;
    params.modelPath = p.positionalArguments().at(1);
    params.dataPath = p.value(u"data"_s);
    params.device = DeviceCatalog::load().find(p.value(u"device"_s));
    auto number = [&](const QString &option) -> std::optional<double> {
        if (!p.isSet(option))
            return std::nullopt;
        bool ok = false;
        const double v = p.value(option).toDouble(&ok);
        if (!ok)
            throw UserError(u"--%1: '%2' is not a number"_s.arg(option, p.value(option)));
        return v;
    };
    params.maxWeightBytes = number(u"max-memory"_s);
    params.maxLatencyMs = number(u"max-latency"_s);
    params.maxLoss = number(u"max-loss"_s);
    if (const auto b = number(u"match-uniform"_s))
        params.matchUniformBits = int(*b);
    if (p.isSet(u"sparsities"_s))
        params.sparsities = numberList<double>(p.value(u"sparsities"_s), u"sparsities"_s);
    if (!intOption(p, u"samples"_s, 1, &params.sensitivitySamples, io) || !intOption(p, u"limit"_s, 1, &params.evalLimit, io))
        return ExitUsage;
    StderrProgress progress(u"measuring sensitivity and planning"_s);
    const FitResult r = fitToDevice(params, std::ref(progress));
    progress.finish();
    if (p.isSet(u"json"_s)) {
        printJson(io, toJson(r));
        return r.feasible ? ExitOk : ExitFailed;
    }
    io.out << u"budget: %1 of weights on %2; %3 %4 before compression (measured)\n"_s.arg(formatBytes(qint64(r.budgetBytes)), params.device.name,
                                                                                           r.metricLabel).arg(r.baselineMetric, 0, 'f', 3);
    auto line = [&](const QString &name, const FitOutcome &o) {
        io.out << u"%1 %2  %3 ms (estimated)  %4 %5 (measured; loss %6)%7\n"_s.arg(name, -8)
                      .arg(formatBytes(qint64(o.weightBytes)), 9).arg(o.latencyMs, 0, 'f', 3).arg(r.metricLabel).arg(o.measuredMetric, 0, 'f', 3)
                      .arg(o.measuredLoss, 0, 'f', 3).arg(o.predictedKl > 0 ? u"  predicted drift (KL) %1"_s.arg(o.predictedKl, 0, 'g', 3) : QString());
    };
    line(u"plan"_s, r.plan);
    if (r.uniform)
        line(u"uniform"_s, *r.uniform);
    QMap<QPair<int, double>, QStringList> bySetting;
    for (auto it = r.plan.bitsPerLayer.begin(); it != r.plan.bitsPerLayer.end(); ++it)
        bySetting[{it.value(), r.plan.sparsityPerLayer.value(it.key())}] << it.key();
    for (auto it = bySetting.begin(); it != bySetting.end(); ++it) {
        const QString pruned = it.key().second > 0 ? u", %1 % pruned"_s.arg(it.key().second * 100, 0, 'g', 3) : QString();
        io.out << u"  int%1%2: %3\n"_s.arg(it.key().first).arg(pruned, it.value().join(u", "_s));
    }
    io.out << "configuration (use with compress --config):\n" << QString::fromUtf8(QJsonDocument(r.plan.config).toJson(QJsonDocument::Compact)) << "\n";
    for (const QString &problem : r.problems)
        io.out << "NOT MET: " << problem << "\n";
    return r.feasible ? ExitOk : ExitFailed;
}

} // namespace compresslab::cli
