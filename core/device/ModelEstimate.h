#pragma once
// Estimates for a model file, as compressed by a configuration, on one or more device profiles: what
// `compresslab-cli estimate` and the window's device view call.
#include "common/Progress.h"
#include "device/Estimator.h"

#include <optional>

namespace compresslab {

class Dataset;
class Model;
struct CompressionResult;

struct ModelEstimateParams {
    QString modelPath;
    QString dataPath;                       // optional: example inputs (else the model's metadata)
    std::optional<CompressionConfig> config; // none: the model as it is
    int batch = 1;
};

struct ModelEstimate {
    QString modelName;
    std::optional<CompressionReport> report;
    bool languageModel = false;
    QVector<DeviceEstimate> devices;
};

ModelEstimate estimateModel(const ModelEstimateParams &params, const QVector<DeviceProfile> &devices, const ProgressCallback &progress = {});

// The same for a model already loaded and, when `compressed` is given, already compressed (the window's
// device view: no file is read). `data` is optional: example inputs, else the model's metadata.
ModelEstimate estimateLoadedModel(const Model &original, const CompressionResult *compressed, const Dataset *data,
                                  const QVector<DeviceProfile> &devices, int batch = 1);

} // namespace compresslab
