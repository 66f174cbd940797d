#pragma once
// Estimated time, memory and energy of a model (as compressed by a configuration) on a device profile,
// from a roofline: each operator takes the longer of moving its bytes at the device's effective
// bandwidth and doing its multiply-adds at the effective rate of the precision it runs in, plus a fixed
// per-operator cost. Every number here is an *estimate*; docs/devices.md states how well it matches
// measurements on this machine.
#include "compress/CompressionReport.h"
#include "device/DeviceProfile.h"
#include "device/Workload.h"

namespace compresslab {

struct LayerEstimate {
    QString layer;            // module path; "(other operators)" for everything without a weight
    QString precision;        // the compute precision it runs in
    double weightBytes = 0;   // moved per inference
    double flops = 0;
    double ms = 0;
    bool computeBound = false;
};

struct DeviceEstimate {
    QString device;
    QString deployment;       // how the weights run: "as CompressLab runs it here: ..." or "native kernels: ..."
    QVector<qint64> inputShape;
    double latencyMs = 0;     // one inference (forward pass) of the input shape
    double tokenMs = -1;      // one decoding step (one new token, weights read once); -1 for non-LMs
    double weightBytes = 0;   // deployed weights and buffers
    double peakActivationBytes = 0;
    double memoryBytes() const { return weightBytes + peakActivationBytes; }
    double marginBytes = 0;   // device memory left (negative: does not fit)
    bool fits = false;
    double energyMj = 0;      // per inference, at the profile's power draw
    double overheadMs = 0;    // the per-operator part of latencyMs
    int operators = 0;
    QVector<LayerEstimate> layers; // slowest first
};

struct EstimateInput {
    const Workload *workload = nullptr;     // one forward pass
    const Workload *tokenWorkload = nullptr; // one decoding step, for language models (may be null)
    const CompressionReport *report = nullptr; // null: the uncompressed model
    double modelBytes = 0;       // fp32 weights and buffers of the uncompressed model
    bool int8Kernels = false;    // the configuration asks for int8 Linear kernels
};

DeviceEstimate estimateOnDevice(const EstimateInput &input, const DeviceProfile &device);

} // namespace compresslab
