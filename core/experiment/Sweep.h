#pragma once
// A sweep: many compression configurations of one model, each compressed, evaluated and recorded in the
// history as its own experiment, against one measurement of the original. The CLI's `sweep` and the
// window's Model ▸ Sweep… both run it; failures of one configuration are a result, not the end.
#include "common/Progress.h"
#include "compress/CompressionConfig.h"
#include "compress/CompressionReport.h"
#include "eval/EvalResult.h"

#include <QJsonObject>
#include <QVector>

#include <functional>
#include <optional>

namespace compresslab {

class Dataset;
class Model;

namespace history {
class History;
}

// The grid: an explicit {"configs": [...]} and/or a {"base": {...}, "vary": {"quantize.bits": [2, 4]}} with every
// combination of the varied values. Throws UserError for unknown keys, empty lists, no configuration, or over 1000.
QVector<QJsonObject> expandSweepGrid(const QJsonObject &grid);
// The grid expanded and every configuration validated (UserError before any work: a typo fails fast).
QVector<CompressionConfig> sweepConfigurations(const QJsonObject &grid);

struct SweepParams {
    EvalParams eval;   // the same evaluation for the original and every configuration
    QStringList tags;  // on every recorded experiment
};

// One configuration's result (measured): its report and evaluation, or why it failed.
struct SweepEntry {
    int index = 0;                    // 0-based position in the sweep
    int count = 0;                    // configurations in the sweep
    CompressionConfig config;
    qint64 experimentId = 0;          // 0 when not recorded
    std::optional<CompressionReport> report;
    std::optional<EvalResult> after;
    QString error;                    // non-empty when this configuration failed
};

struct SweepResult {
    EvalResult original;
    QVector<SweepEntry> entries;      // in sweep order; fewer than configured when cancelled
    QString historyProblem;           // why recording stopped (read-only, locked, full); the results are still here
};

struct SweepCallbacks {
    std::function<void(const EvalResult &original)> originalMeasured;
    std::function<void(const SweepEntry &entry)> starting;  // before compressing (entry has index, count, config)
    std::function<void(const SweepEntry &entry)> finished;  // after each configuration, failed ones included
    // (done, total) in thousandths of a configuration (the original's evaluation counts as one), after every
    // batch and compression step; false stops the sweep there (Cancelled): the configuration under way is
    // recorded as cancelled, the finished ones stay recorded.
    ProgressCallback progress;
};

// Runs every configuration on `model` against `data`; records each into `history` unless it is null.
// Throws UserError for an empty list, Cancelled when progress says stop.
SweepResult sweepModel(const Model &model, const Dataset &data, const QVector<CompressionConfig> &configs, history::History *history,
                       const SweepParams &params = {}, const SweepCallbacks &callbacks = {});

} // namespace compresslab
