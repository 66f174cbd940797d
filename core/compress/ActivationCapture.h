#pragma once
// Core-internal: second-moment statistics of what each Linear layer receives on calibration data,
// H = 2/N * sum(x x^T) over every input row x: the Hessian of the layer's squared output error.
#include <QStringList>

#include <map>

#include <torch/types.h>

#include <functional>

namespace compresslab {

class Model;
class Dataset;

// Keys are the module paths of `linearPaths` that were found as top-level aten::linear calls; layers
// inside loops or branches are missing from the result (their quantization falls back to RTN).
// `keepGoing` is asked after every batch; false throws Cancelled (the capture is the slowest part of GPTQ).
std::map<QString, torch::Tensor> collectInputHessians(const Model &model, const Dataset &data, const QStringList &linearPaths,
                                                      int samples, const std::function<bool()> &keepGoing = {});

} // namespace compresslab
