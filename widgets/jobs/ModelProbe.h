#pragma once
// The window never loads a model into its own process: compresslab-cli loads it and runs it once in an
// isolated worker (memory and time limits), and the window reads what it needs from that worker's JSON.
// A hostile or broken file then costs that worker, never the window. TorchScript files are programs
// (pytorch#77573); every later run of the model happens in the model host (host/ModelHostClient.h).
#include "common/Progress.h"
#include "model/ModelDescription.h"

#include <QStringList>

namespace compresslab {

struct ModelProbe {
    ModelDescription description; // the module tree, sizes and metadata
    QStringList nonFinite;         // tensors holding NaN/Inf, for the user to decide
    QString trialNote;             // what the trial run did
};

// Throws UserError with the reason the worker gave (or why it died, or that compresslab-cli is missing);
// Cancelled when `progress` says stop.
ModelProbe probeModelFile(const QString &path, const ProgressCallback &progress);

} // namespace compresslab
