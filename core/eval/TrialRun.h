#pragma once
// One forward pass on the model's example input (from its metadata), so that a file is known to run
// before anything else uses it: the isolated probe the workbench runs before opening a model.
#include "model/Model.h"

namespace compresslab {

struct TrialRunResult {
    bool ran = false;            // false when the metadata gives no input shape
    QString note;                // why it did not run, or the output shape it gave
    QVector<qint64> outputShape;
    qint64 nonFiniteOutputs = 0; // NaN/Inf in the output
};

// Throws UserError when the model rejects its own example input.
TrialRunResult trialRun(const Model &model);

} // namespace compresslab
