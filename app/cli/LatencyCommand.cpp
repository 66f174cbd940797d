#include "CliCommon.h"
#include "Commands.h"

#include "data/Dataset.h"
#include "eval/Latency.h"
#include "model/Model.h"
#include "report/ToJson.h"

using namespace Qt::StringLiterals;

namespace compresslab::cli {

int runLatency(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"latency"_s, u"Measure inference latency on this machine (warm-up, then repeated runs)."_s);
    p.addPositionalArgument(u"MODEL"_s, u"TorchScript file (.pt)."_s);
    const QCommandLineOption batch(u"batch"_s, u"Batch size (default 1)."_s, u"N"_s);
    const QCommandLineOption data(u"data"_s, u"Take inputs from this dataset instead of the model's metadata."_s, u"DATA"_s);
    const QCommandLineOption runs(u"runs"_s, u"Timed runs at least (default 10; more while under 2 s)."_s, u"N"_s);
    const QCommandLineOption threads(u"threads"_s, u"LibTorch intra-op threads (default: one per core)."_s, u"T"_s);
    p.addOptions({batch, data, runs, threads, jsonOption()});
    if (int rc = parseOrExit(p, args, io, 1, 1); rc >= 0)
        return rc;
    LatencyParams params;
    qint64 b = params.batch, n = params.minRuns, t = 0;
    if (!intOption(p, u"batch"_s, 1, &b, io) || !intOption(p, u"runs"_s, 1, &n, io) || !intOption(p, u"threads"_s, 1, &t, io))
        return ExitUsage;
    params.batch = int(qMin<qint64>(b, 65536));
    params.minRuns = int(qMin<qint64>(n, 100000));
    params.maxRuns = qMax(params.maxRuns, params.minRuns);
    params.threads = int(t);

    const auto model = Model::load(p.positionalArguments().at(1));
    std::shared_ptr<Dataset> dataset;
    if (p.isSet(data))
        dataset = Dataset::load(p.value(data));
    StderrProgress progress(u"timing"_s);
    const LatencyResult r = measureLatency(*model, params, dataset.get(), std::ref(progress));
    progress.finish();
    if (p.isSet(u"json"_s)) {
        printJson(io, toJson(r));
        return ExitOk;
    }
    io.out << model->displayName() << ", batch " << r.batch << ", input " << formatShape(r.inputShape) << " from "
           << r.inputSource << "\n";
    io.out << u"  median %1 ms, p90 %2 ms, min %3 ms over %4 runs (measured)\n"_s.arg(r.medianMs, 0, 'f', 3)
                  .arg(r.p90Ms, 0, 'f', 3).arg(r.minMs, 0, 'f', 3).arg(r.runs);
    io.out << "  kernels: " << r.runtime.describe() << "\n";
    return ExitOk;
}

} // namespace compresslab::cli
