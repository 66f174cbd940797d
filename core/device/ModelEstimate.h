#pragma once
// Estimates for a model file, as compressed by a configuration, on one or more device profiles: what
// `compresslab-cli estimate` and the window's device view call.
#include "common/Progress.h"
#include "device/Estimator.h"

#include <optional>

namespace compresslab {

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

} // namespace compresslab
