#pragma once
// Trains a student to imitate its teacher (knowledge distillation) while its compression constraints stay
// true: quantized weights on their grid, pruned weights zero, shrunk and low-rank layers in their shapes.
// Long-running: reports progress per step and per evaluation batch; cancel takes effect within one batch.
#include "distill/DistillSettings.h"
#include "eval/EvalResult.h"
#include "history/HistoryTypes.h"

#include <functional>
#include <memory>

namespace compresslab {

class Model;
class Dataset;
struct CompressionArtifacts;

enum class DistillStop { Completed, EarlyStopped, TimeLimit, Cancelled, Diverged };
QString distillStopName(DistillStop stop); // "completed", "early-stopped", "time-limit", "cancelled", "diverged"

struct DistillObserver {
    // ("distilling", step, total) after each step, ("evaluating student", done, total) during evaluations.
    // Returning false stops after the current batch; the student is kept as of the last completed step.
    std::function<bool(const QString &stage, qint64 done, qint64 total)> progress;
    // New curve points as they are measured (train loss every step, evaluation metrics every eval_every).
    std::function<void(const QVector<history::CurvePoint> &points)> points;
};

struct DistillOutcome {
    DistillStop stop = DistillStop::Completed;
    QString message;          // why it stopped, when not completed
    qint64 steps = 0;         // optimizer steps the returned student has taken (the best one's, when restored)
    qint64 stepsTrained = 0;  // optimizer steps taken in all
    qint64 plannedSteps = 0;
    qint64 bestStep = -1;     // the evaluated step the student was restored to (restore_best), else -1
    double seconds = 0;       // training wall time, evaluations included
    QString watchedMetric;    // the evaluation metric early stopping and restore_best watch
    QStringList notes;        // e.g. which hidden states were matched
    QVector<history::CurvePoint> curves;
    std::shared_ptr<Model> student;                          // the trained copy (fp32 effective weights)
    std::shared_ptr<const CompressionArtifacts> artifacts;   // its constraints with trained codes; null without
};

// Trains a copy of `student` (neither model changes). `constraints` are the student's compression
// artifacts, or null for a plain student (another architecture). Both models run in inference mode
// (dropout off, BatchNorm statistics frozen), so a run repeats exactly with the same seed and threads.
// `evalParams` sets the evaluations' batch size and the threads of everything (its limit is the settings').
// Throws UserError for data or shapes that do not fit (the student's output must match the teacher's).
DistillOutcome distill(const Model &teacher, const Model &student, std::shared_ptr<const CompressionArtifacts> constraints,
                       const Dataset &train, const Dataset *eval, const DistillSettings &settings, const EvalParams &evalParams,
                       const DistillObserver &observer = {});

} // namespace compresslab
