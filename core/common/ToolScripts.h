#pragma once
// The Python tools CompressLab ships (zoo training, ONNX export): looked up in the installed layout
// (<bin>/../share/compresslab/tools/...) first, then in the source tree this binary was built from.
#include <QString>
#include <QStringList>

namespace compresslab {

// `relativePath` below tools/, e.g. "zoo/build.py". Returns the canonical path, or empty when neither
// place has it; `lookedAt` (optional) receives the places tried, for the error message.
QString findToolScript(const QString &relativePath, QStringList *lookedAt = nullptr);

} // namespace compresslab
