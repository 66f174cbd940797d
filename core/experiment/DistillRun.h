#pragma once
// One distillation experiment end to end, the same for the CLI and the GUI: measure the teacher, make the
// student (compress a copy of the teacher, or load another TorchScript file), measure it, distill, measure
// the result, write the exports, and record it all in the history with its loss and metric curves.
// Every metric is measured on this machine (RuntimeInfo says with which kernels).
#include "distill/Distiller.h"
#include "experiment/CompressionRun.h"

#include <optional>

namespace compresslab {

namespace history {
class History;
}

struct DistillRunParams {
    QString modelPath;                          // the teacher; never modified
    std::optional<CompressionConfig> studentConfig; // the student is the teacher compressed with this...
    QString studentPath;                        // ...or this TorchScript file
    QString trainPath;
    QString evalPath;
    DistillSettings settings;
    EvalParams eval;                            // batch size, limit and threads of the before/after evaluations
    bool keepOnCancel = true;                   // cancelled: keep the student as of the last step, or discard it
    QString outDir;                             // empty: no exports
    QStringList tags;
    QString notes;
};

struct DistillRun {
    QString modelName, studentName, trainName, evalName;
    qint64 modelParameters = 0, modelBytes = 0, trainSamples = 0, evalSamples = 0;
    std::optional<CompressionReport> report;    // the student's compression (sizes stay the same while training)
    EvalResult teacher, before, after;          // teacher, student before and after distillation
    std::optional<EvalResult> afterInt8;        // the distilled student on int8 kernels, when the config asks for them
    DistillOutcome outcome;
    QVector<ExportedFile> exports;
    qint64 experimentId = 0;
    QString historyProblem;
    // Share of the quality the compression lost that distillation won back, on the watched metric
    // (1 = all of it); NaN when the compression lost nothing.
    double recovered() const;
};

using CurveCallback = std::function<void(const QVector<history::CurvePoint> &points)>;

// Throws UserError for bad input (nothing is written), Cancelled when cancelled with keepOnCancel false.
// Recorded into `history` unless it is null; a history that cannot be written never costs the run.
DistillRun runDistillation(const DistillRunParams &params, history::History *history, const StageProgress &progress = {},
                           const CurveCallback &curves = {});

} // namespace compresslab
