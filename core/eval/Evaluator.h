#pragma once
// Measures a model's task metrics on a dataset, batched, without gradients, on this machine's CPU.
#include "common/Progress.h"
#include "eval/EvalResult.h"

namespace compresslab {

class Model;
class Dataset;

// Throws UserError when the dataset does not fit the model, Cancelled when `progress` returns false.
EvalResult evaluate(const Model &model, const Dataset &data, const EvalParams &params = {},
                    const ProgressCallback &progress = {});

} // namespace compresslab
