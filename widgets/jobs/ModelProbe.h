#pragma once
// Before the workbench loads a model into its own process, compresslab-cli loads it and runs it once
// in an isolated worker (memory and time limits): a hostile or broken file then costs that worker,
// never the window. TorchScript files are programs (pytorch#77573), so this is not optional.
#include "common/Progress.h"

#include <QString>
#include <QStringList>

namespace compresslab {

struct ModelProbe {
    bool isolated = false;  // false when compresslab-cli was not found next to the workbench
    QStringList nonFinite;  // tensors holding NaN/Inf, for the user to decide
    QString trialNote;      // what the trial run did
};

// Throws UserError with the reason the worker gave (or why it died); Cancelled when `progress` says stop.
ModelProbe probeModelFile(const QString &path, const ProgressCallback &progress);

} // namespace compresslab
