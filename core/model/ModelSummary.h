#pragma once
// What inspection finds in a model, as plain data for the CLI, the widgets and the history.
#include <QString>
#include <QStringList>
#include <QVector>

namespace compresslab {

struct ModuleNode {
    QString path;          // "features.0"; "" for the root
    QString name;          // last path component, or the model's name for the root
    QString type;          // "Linear", "Conv2d", ... (last part of the TorchScript class name)
    QString qualifiedType; // the full TorchScript class name
    int depth = 0;
    int parent = -1;       // index into ModelSummary::modules
    qint64 parameters = 0; // elements of parameters in this subtree, shared tensors once
    qint64 bytes = 0;      // bytes of parameters and buffers in this subtree, shared tensors once
    qint64 directParameters = 0;
    qint64 directBytes = 0;
    qint64 directSharedBytes = 0; // part of directBytes whose storage an earlier module owns (tied weights)
};

struct TensorRecord {
    QString path;   // "features.0.weight"
    QString module; // "features.0"
    QString name;   // "weight"
    bool isParameter = true;
    QVector<qint64> shape;
    QString dtype; // "float32", ...
    qint64 numel = 0;
    qint64 bytes = 0;
    QString sharedWith; // path of the first tensor with the same storage, or empty
    qint64 nanCount = 0;
    qint64 infCount = 0;
};

struct ModelSummary {
    QVector<ModuleNode> modules;  // pre-order; modules[0] is the root
    QVector<TensorRecord> tensors;
    qint64 parameterCount = 0;    // unique parameter elements
    qint64 parameterBytes = 0;
    qint64 bufferCount = 0;
    qint64 bufferBytes = 0;
    int sharedTensors = 0;        // tensors that repeat an earlier one's storage
    qint64 fileBytes = 0;
    qint64 totalBytes() const { return parameterBytes + bufferBytes; }
    // "fc1.weight (3 NaN, 1 Inf)" for every tensor holding non-finite values; empty when all are finite.
    QStringList nonFiniteTensors() const;
};

QString formatBytes(qint64 bytes); // "1.23 MB" (SI units, as file managers show sizes)
QString formatCount(qint64 n);     // "1.23 M"
QString formatShape(const QVector<qint64> &shape); // "[64, 1, 3, 3]"

} // namespace compresslab
