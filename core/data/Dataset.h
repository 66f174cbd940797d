#pragma once
// An evaluation or training set in the CompressLab dataset format (safetensors with `inputs`, `targets`,
// optional `mask`; see docs/formats.md). Tensors live behind a pimpl; data/DatasetImpl.h exposes them to core.
#include "common/Task.h"
#include "data/Safetensors.h"

#include <memory>

namespace compresslab {

struct DatasetInfo {
    QString path;
    QString name;
    Task task = Task::Unknown;
    qint64 samples = 0;
    QVector<qint64> inputShape; // including the sample dimension
    QString inputDtype;         // safetensors spelling, e.g. "F32"
    QVector<qint64> targetShape;
    bool hasMask = false;
    QMap<QString, QString> metadata;
};

// The same checks as Dataset::load, from the header alone (no tensor is read): the window sizes its
// quick evaluation subset with this while the model host holds the data.
DatasetInfo readDatasetInfo(const QString &path);

class Dataset {
public:
    // Validates the file and the tensors' roles; throws UserError with the reason.
    static std::shared_ptr<Dataset> load(const QString &path);
    ~Dataset();
    const DatasetInfo &info() const;

    struct Impl;
    Impl &impl() const { return *d; }

private:
    explicit Dataset(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace compresslab
