#include "CliCommon.h"
#include "Commands.h"

#include "common/FailureText.h"
#include "common/UserError.h"
#include "model/Model.h"

using namespace Qt::StringLiterals;

namespace compresslab::cli {

namespace {

struct Command {
    const char *name;
    int (*run)(const QStringList &, Io &);
    const char *summary;
};

constexpr Command kCommands[] = {
    {"inspect", runInspect, "module tree, parameter counts and bytes of a model"},
    {"eval", runEval, "measured accuracy / perplexity on a dataset"},
    {"latency", runLatency, "measured inference latency on this machine"},
    {"compress", runCompress, "compress a copy of a model: size accounting, metrics, latency, exports"},
    {"sweep", runSweep, "compress and evaluate a grid of configurations, one result each"},
    {"distill", runDistill, "train a compressed or smaller student against the model, constraints kept"},
    {"zoo", runZoo, "the demo models: list, build, path"},
    {"devices", runDevices, "device profiles: list, show, calibrate this computer, add, duplicate, delete"},
    {"estimate", runEstimate, "estimated latency, memory and energy on device profiles"},
    {"sensitivity", runSensitivity, "per-layer sensitivity to quantization and pruning, measured"},
    {"fit", runFit, "plan per-layer bit widths for a device under budgets, then measure the plan"},
    {"history", runHistory, "the experiment history: list, show, compare, pareto, best, export, rerun, merge"},
    {"host", runHost, "run models for the compresslab window (it starts this itself)"},
};

void printUsage(QTextStream &s)
{
    s << "usage: compresslab-cli COMMAND [options]   (compresslab-cli COMMAND --help for details)\n\ncommands:\n";
    for (const Command &c : kCommands)
        s << u"  %1 %2\n"_s.arg(QString::fromLatin1(c.name), -10).arg(QString::fromLatin1(c.summary));
    s << "\nglobal option: --allow-nonfinite  open models whose weights hold NaN or Inf (refused otherwise)\n";
    s << "\nCommands that load models run them in an isolated worker process; if a file crashes it or exceeds its\n"
         "limits, the reason is printed and nothing is lost. Environment: COMPRESSLAB_MEMORY_LIMIT_MB (default 3/4 of\n"
         "RAM), COMPRESSLAB_LOAD_TIMEOUT (seconds per model load, default 120), COMPRESSLAB_TIME_LIMIT (seconds per\n"
         "command, default none), COMPRESSLAB_ISOLATION=off (run in this process).\n";
    s << "\nexit codes: 0 ok, 1 usage error, 2 failed (bad input, with the reason on stderr), 130 cancelled\n";
}

} // namespace

int runCli(const QStringList &givenArgs)
{
    Io io;
    // A global flag, accepted anywhere: open models whose weights hold NaN/Inf instead of refusing them.
    QStringList args = givenArgs;
    if (args.removeAll(u"--allow-nonfinite"_s) > 0)
        Model::acceptNonFinite(QString());
    if (args.isEmpty() || args.first() == "--help"_L1 || args.first() == "-h"_L1 || args.first() == "help"_L1) {
        printUsage(args.isEmpty() ? io.err : io.out);
        return args.isEmpty() ? ExitUsage : ExitOk;
    }
    if (args.first() == "--version"_L1) {
        io.out << "compresslab-cli " << COMPRESSLAB_VERSION << "\n";
        return ExitOk;
    }
    for (const Command &c : kCommands) {
        if (args.first() != QLatin1StringView(c.name))
            continue;
        try {
            return c.run(args, io);
        } catch (const UserError &e) {
            io.out.flush();
            io.err << "compresslab-cli: " << e.message() << "\n";
            return ExitFailed;
        } catch (const Cancelled &) {
            io.err << "compresslab-cli: cancelled\n";
            return ExitCancelled;
        } catch (const std::exception &e) {
            io.err << "compresslab-cli: " << unexpectedFailureText(e) << "\n";
            return ExitFailed;
        }
    }
    io.err << "compresslab-cli: unknown command '" << args.first() << "'\n";
    printUsage(io.err);
    return ExitUsage;
}

} // namespace compresslab::cli
