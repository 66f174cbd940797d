#include "CliCommon.h"
#include "Commands.h"

#include "data/Dataset.h"
#include "eval/Evaluator.h"
#include "model/Model.h"
#include "report/ToJson.h"

using namespace Qt::StringLiterals;

namespace compresslab::cli {

int runEval(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"eval"_s, u"Measure a model's accuracy or perplexity on a dataset (on this machine)."_s);
    p.addPositionalArgument(u"MODEL"_s, u"TorchScript file (.pt)."_s);
    const QCommandLineOption data(u"data"_s, u"Dataset in the CompressLab format (.safetensors)."_s, u"DATA"_s);
    const QCommandLineOption limit(u"limit"_s, u"Evaluate only the first N samples."_s, u"N"_s);
    const QCommandLineOption batch(u"batch"_s, u"Samples per forward pass (default 64)."_s, u"B"_s);
    const QCommandLineOption threads(u"threads"_s, u"LibTorch intra-op threads (default: one per core)."_s, u"T"_s);
    p.addOptions({data, limit, batch, threads, jsonOption()});
    if (int rc = parseOrExit(p, args, io, 1, 1); rc >= 0)
        return rc;
    if (!p.isSet(data)) {
        io.err << "compresslab-cli eval: --data DATA is required\n";
        return ExitUsage;
    }
    EvalParams params;
    qint64 value = 0;
    if (!intOption(p, u"limit"_s, 1, &params.limit, io) || !intOption(p, u"threads"_s, 1, &value, io))
        return ExitUsage;
    params.threads = int(value);
    value = params.batchSize;
    if (!intOption(p, u"batch"_s, 1, &value, io))
        return ExitUsage;
    params.batchSize = int(qMin<qint64>(value, 1 << 20));

    const auto model = Model::load(p.positionalArguments().at(1));
    const auto dataset = Dataset::load(p.value(data));
    StderrProgress progress(u"evaluating"_s);
    const EvalResult r = evaluate(*model, *dataset, params, std::ref(progress));
    progress.finish();
    if (p.isSet(u"json"_s)) {
        printJson(io, toJson(r));
        return ExitOk;
    }
    io.out << model->displayName() << " on " << dataset->info().name << " (" << r.samples << " samples)\n";
    for (const Metric &m : r.metrics)
        io.out << u"  %1 %2 %3"_s.arg(m.label + u':', -22).arg(m.value, 0, 'f', 4).arg(m.unit) << "  (measured)\n";
    if (r.nonFiniteOutputs > 0)
        io.out << "  warning: " << r.nonFiniteOutputs << " outputs held NaN or Inf and count as wrong\n";
    io.out << u"  wall time: %1 s, %2 samples/s, batch %3\n"_s.arg(r.wallSeconds, 0, 'f', 2)
                  .arg(r.wallSeconds > 0 ? double(r.samples) / r.wallSeconds : 0.0, 0, 'f', 1).arg(r.batchSize);
    io.out << "  kernels: " << r.runtime.describe() << "\n";
    return ExitOk;
}

} // namespace compresslab::cli
