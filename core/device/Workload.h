#pragma once
// What one forward pass of a model does, operator by operator, measured by running it once: the shapes
// of every tensor give each operator's multiply-adds and the bytes it reads and writes. The estimator
// turns a workload into time, memory and energy on a device; it holds no tensors.
#include <QString>
#include <QVector>

namespace compresslab {

class Model;
class Dataset;

struct WorkloadOp {
    QString kind;            // "aten::linear", "aten::conv2d", "aten::softmax", ...
    QString layer;           // module path of the weight for linear/conv/embedding, else empty
    double flops = 0;        // multiply-add = 2
    double gemmRows = 0;     // rows of the GEMM it is (batch x positions); 0 for non-GEMM ops
    double gemmInner = 0;    // its inner (reduction) dimension
    double outputElements = 0;
    double activationBytes = 0; // fp32 inputs read + outputs written, weights excluded
    double weightBytes = 0;     // fp32 bytes of the weight it reads (0 when none)
    bool isView = false;     // reshape/transpose/...: no data moved
    int sharedInput = -1;    // aten::linear: ops with the same number read the same input (q, k, v), which
                             // the int8 rewrite runs as one call on stacked weights (compress/Int8Kernels.h)
};

struct Workload {
    QVector<qint64> inputShape;
    QVector<WorkloadOp> ops;
    double peakActivationBytes = 0; // the most fp32 activations alive at one time
    double totalFlops() const;
};

// Runs `model` once on a batch of `batch` example inputs (the dataset's first samples, else synthesised from
// the metadata); `sequence` > 0 cuts a token input to that many positions (1: one decoding step).
Workload captureWorkload(const Model &model, const Dataset *data, int batch, int sequence = 0);

} // namespace compresslab
