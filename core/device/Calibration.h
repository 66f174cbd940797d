#pragma once
// "This computer" is measured, not typed: memory bandwidth (large tensor copies), GEMM throughput per
// precision with the kernels the app really runs (OpenBLAS fp32, quantized::linear_dynamic int8 on each
// engine), at several row counts because small GEMMs do not reach the peak, and the fixed cost of one
// TorchScript operator call. The result is a DeviceProfile saved to DeviceCatalog::calibrationPath().
#include "common/Progress.h"
#include "device/DeviceProfile.h"

#include <vector>

namespace compresslab {

struct CalibrationParams {
    int threads = 0;            // 0 = one per core, as evaluation uses
    double secondsPerProbe = 0.3;
    int passes = 3;             // each figure is the median of this many whole passes
};

DeviceProfile calibrateThisComputer(const CalibrationParams &params = {}, const ProgressCallback &progress = {});
// One profile from several passes: every measured number is the median over them (the JSON calibration
// leaf by leaf), the int8 engine the one most passes chose.
DeviceProfile combineCalibrationPasses(const std::vector<DeviceProfile> &passes);
// Calibrates and saves (atomically); returns the profile.
DeviceProfile calibrateAndSave(const CalibrationParams &params = {}, const ProgressCallback &progress = {});

} // namespace compresslab
