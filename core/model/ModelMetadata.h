#pragma once
// The optional `compresslab.json` extra file inside a TorchScript archive (schema in docs/formats.md).
#include "common/Task.h"

#include <QJsonObject>
#include <QStringList>
#include <QVector>

namespace compresslab {

struct ModelMetadata {
    bool present = false;
    int schema = 0;
    QString name;
    Task task = Task::Unknown;
    QString description;
    QVector<qint64> inputShape; // example shape including the batch dimension
    QString inputDtype;         // "float32", "int64", ...
    QString inputDescription;
    QStringList labels;
    QStringList vocabulary;
    QString tokenizer;
    QString int8Engine; // the quantized engine an int8-kernel model was packed for ("" = any)
    QStringList warnings; // fields that were present but unusable; the model still loads
};

// Parses the JSON text; never throws: faults become warnings, since metadata is optional.
ModelMetadata parseModelMetadata(const QByteArray &json);

} // namespace compresslab
