#pragma once
// The window's Export job: the model host (core/host) writes the compressed model of the current configuration
// (core's runCompression with exports only: no evaluation, no latency); then, when chosen, its ONNX files.
#include "common/Progress.h"
#include "dialogs/ExportDialog.h"

#include <QJsonObject>
#include <QStringList>

namespace compresslab {

class ModelHostClient;

struct ExportOutcome {
    QStringList files;   // "model-dequantized.pt (213.7 kB)", ...
    QString onnxSummary; // the measured ONNX-vs-TorchScript comparison, one line; empty without one
    QString int8Engine;  // which int8 engine the int8 file was packed for and why, one line; empty without int8
};

// Runs on a job thread. Throws UserError (with the reason) or Cancelled; the model file is never changed.
ExportOutcome writeCompressedModel(ModelHostClient &host, const QString &modelPath, const QJsonObject &config,
                                   const ExportChoice &choice, const QString &dataPath, const ProgressCallback &progress);

} // namespace compresslab
