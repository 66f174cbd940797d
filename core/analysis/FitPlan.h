#pragma once
// Fit to a device: a per-layer mix of bit widths and magnitude-pruning ratios that meets a weight-memory budget
// (and a latency budget on the device, estimated) with the smallest predicted output drift, predicted from the
// measured per-layer sensitivity (KL per layer at each bit width and each ratio, assumed additive across layers
// and between a layer's width and ratio); then the plan is compressed and measured for real, so predicted and
// measured loss stand side by side.
#include "analysis/Sensitivity.h"
#include "compress/CompressionConfig.h"
#include "device/DeviceProfile.h"

#include <optional>

namespace compresslab {

struct FitParams {
    QString modelPath;
    QString dataPath;
    DeviceProfile device;
    std::optional<double> maxWeightBytes; // deployed weights and buffers; default: what the device's memory allows
    std::optional<double> maxLatencyMs;   // estimated on the device
    std::optional<double> maxLoss;        // largest acceptable metric loss (in the metric's units), checked by measurement
    std::optional<int> matchUniformBits;  // budget = the size of uniform per-channel RTN at these bits, and measure that too
    QVector<int> bits{2, 3, 4, 8};
    QVector<double> sparsities{0.5, 0.75}; // besides dense; sizes are exact (bitmap or sparse encoding, whichever is smaller)
    qint64 sensitivitySamples = 128;
    qint64 evalLimit = -1;
};

struct FitOutcome {
    QString configuration;  // describe()
    QJsonObject config;     // the engine's JSON: base int8 plus per-layer overrides
    QMap<QString, int> bitsPerLayer;
    QMap<QString, double> sparsityPerLayer; // pruned share of each layer's weights (0: dense)
    double weightBytes = 0;  // deployed, exact
    double latencyMs = 0;    // estimated on the device
    double predictedKl = 0;  // sum of the per-layer KL at the chosen widths
    double measuredMetric = 0, measuredLoss = 0; // loss: how much worse than the original (positive = worse)
};

struct FitResult {
    QString metricLabel;
    bool higherIsBetter = true;
    double baselineMetric = 0;
    double budgetBytes = 0;
    bool feasible = true;
    QStringList problems;            // which constraint is impossible, and what the closest configuration achieves
    FitOutcome plan;
    std::optional<FitOutcome> uniform; // with matchUniformBits
    SensitivityResult sensitivity;
};

FitResult fitToDevice(const FitParams &params, const ProgressCallback &progress = {});
QJsonObject toJson(const FitResult &r);

} // namespace compresslab
