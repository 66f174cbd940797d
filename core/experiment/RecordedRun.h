#pragma once
// A compression experiment run and recorded in the history: "running" as soon as the model is loaded,
// then its results and final status in one transaction. Re-runs repeat a recorded experiment from its
// stored configuration and record whether the numbers came out identical.
#include "experiment/CompressionRun.h"
#include "history/HistoryTypes.h"

namespace compresslab {

namespace history {
class History;
}

struct RecordOptions {
    QStringList tags;
    QString notes;
    qint64 rerunOf = 0;
    // For re-runs: describes how the new outcome compares with the original, stored with it.
    std::function<QString(const history::ExperimentOutcome &)> compare;
};

struct RecordedRun {
    CompressionRun run;
    qint64 experimentId = 0;  // 0 when nothing was recorded
    QString historyProblem;   // why recording failed (locked, full, read-only); the results are still here
    QString reproduction;     // for re-runs
};

// Records one experiment so that a history which cannot be written never costs the run: the first
// failure (locked, full, read-only) is kept in `problem` and later writes are skipped.
class ExperimentRecorder {
public:
    ExperimentRecorder(history::History *history, bool record);
    void begin(const history::ExperimentStart &start);
    void end(history::Status status, const QString &failure); // failed or cancelled: no results
    void finish(const history::ExperimentOutcome &outcome);
    // Runs `work`; a UserError or other failure is recorded as failed, Cancelled as cancelled, then rethrown.
    void recordFailures(const std::function<void()> &work);
    qint64 id() const { return m_id; }
    QString problem() const { return m_problem; }

private:
    void guard(const std::function<void()> &write);
    history::History *m_history = nullptr;
    qint64 m_id = 0;
    QString m_problem;
};

// Runs `params`; records into `history` unless it is null. A failing or cancelled run is recorded as such
// and its exception rethrown. A history that cannot be written never costs the run: see historyProblem.
RecordedRun runAndRecord(const CompressionRunParams &params, history::History *history, const StageProgress &progress = {},
                         const RecordOptions &options = {});

// Repeats experiment `id` of `history` on this machine with its stored configuration, dataset, evaluation
// settings and thread count; records the new run with rerun_of = id and the comparison in reproduction.
// Throws UserError when the model or dataset file is gone or no longer has the recorded content.
RecordedRun rerunExperiment(history::History &history, qint64 id, const StageProgress &progress = {});

// The history's view of a run, for callers that drive the steps themselves (sweeps, the GUI).
// `loaded` needs only the model and dataset fields; hashes are computed when not given.
history::ExperimentStart experimentStart(const CompressionRunParams &params, const CompressionRun &loaded, const RecordOptions &options = {},
                                         const QString &modelSha256 = {}, const QString &dataSha256 = {});
history::ExperimentOutcome outcomeOf(const CompressionRun &run);
QString fileSha256(const QString &path);
// The compression methods a configuration JSON uses ("prune", "low_rank", "quantize", "codebook", "int8_kernels").
QStringList compressionMethods(const QJsonObject &config);
// One measured metric per evaluation metric, KEY + suffix, labelled with the samples, the kernels and `weights`.
void addEvalMetrics(QVector<history::MetricValue> &out, const EvalResult &r, const QString &role, const QString &suffix, const QString &weights);
// "exact: ..." when every quality and size metric is identical, else which differ and by how much.
QString reproductionOf(const history::Experiment &original, const history::ExperimentOutcome &now); // hex; throws UserError when unreadable

} // namespace compresslab
