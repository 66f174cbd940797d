#pragma once
// ONNX export of a compressed model through tools/onnx/export_onnx.py (Debian's python3-torch and
// python3-onnx, outputs compared with onnxruntime-node when it is installed), run as a child process.
// Qt Core only: the window calls probeOnnxTool() to decide whether to offer the export and
// exportOnnx() from a worker thread (it blocks until the tool ends). See docs/onnx.md.
#include <QJsonObject>
#include <QString>
#include <functional>

namespace compresslab {

struct OnnxToolStatus {
    bool canExport = false;  // python3 with torch and onnx: model.onnx / model-qdq.onnx can be written
    bool canCompare = false; // and ONNX Runtime is there to compare their outputs with TorchScript
    QString reason;          // why not (one line per missing piece); empty when both are possible
    QJsonObject details;     // the tool's probe line: versions, interpreter, runtime directory
};

struct OnnxExportRequest {
    QString source;                    // a `compresslab-cli compress --out` folder, or a TorchScript file
    QString int8Model;                 // with a file source: its model-int8.pt (for the QDQ model)
    QString packedArtifact;            // optional: cross-check the int8 values against it
    QString data;                      // optional dataset; a folder's report.json names the one it was measured on
    QString outDir;                    // default: the source folder (or the model file's folder)
    QString activations = QStringLiteral("dynamic"); // QDQ int8 layers' inputs: "dynamic" (as the engine) or "fp32"
    int limit = 0;                     // compare on the first N samples; 0 = all
    bool compare = true;               // run both models and compare; false = export and check only
};

struct OnnxExportResult {
    bool ok = false;
    bool cancelled = false;
    QString error;       // one line, when !ok && !cancelled
    QString fp32Path;    // model.onnx
    QString qdqPath;     // model-qdq.onnx; empty when no layer ran with int8 kernels
    QString reportPath;  // onnx-report.json
    QJsonObject report;  // the tool's report (checks, int8 layers, the comparison with TorchScript)
};

// percent 0-100 and the current step; called for each step the tool reports and at least every
// 200 ms (repeating the last values). Returning false cancels: the tool gets SIGTERM (it removes its
// temp files), then SIGKILL after 5 s.
using OnnxExportProgress = std::function<bool(int percent, const QString &step)>;

// The interpreter: $COMPRESSLAB_ONNX_PYTHON, else Debian's /usr/bin/python3.
QString onnxToolPython();
// The installed tool (share/compresslab/tools/onnx), else the source tree's; empty when neither exists.
QString onnxExportScript();

// Runs the tool's --probe (a few seconds: it imports torch). Never throws.
OnnxToolStatus probeOnnxTool(int timeoutMs = 120000);

// Never throws: failures come back in OnnxExportResult::error.
OnnxExportResult exportOnnx(const OnnxExportRequest &request, const OnnxExportProgress &progress = {});

} // namespace compresslab
