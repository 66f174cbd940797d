#pragma once
// Measured inference latency on this machine: warm-up, then repeated timed forward passes.
#include "common/Progress.h"
#include "runtime/RuntimeInfo.h"

#include <QVector>

namespace compresslab {

class Model;
class Dataset;

struct LatencyParams {
    int batch = 1;
    int warmupRuns = 3;
    int minRuns = 10;          // at least this many timed runs...
    int maxRuns = 200;         // ...and at most this many,
    double targetSeconds = 2;  // stopping once this much time was spent timing
    int threads = 0;           // 0 = one per core
};

struct LatencyResult {
    int batch = 1;
    int runs = 0;
    double medianMs = 0;
    double p90Ms = 0;
    double minMs = 0;
    double meanMs = 0;
    QVector<qint64> inputShape;
    QString inputSource; // "dataset" or "metadata"
    RuntimeInfo runtime;
};

// Inputs come from `data` when given (its first samples, repeated to fill the batch), else they are
// synthesised from the model's metadata (input shape and dtype; token ids drawn within the vocabulary).
// Throws UserError when neither tells the input shape, Cancelled when `progress` returns false.
LatencyResult measureLatency(const Model &model, const LatencyParams &params, const Dataset *data = nullptr,
                             const ProgressCallback &progress = {});

} // namespace compresslab
