#pragma once
// Core-internal: the distillation loss. Soft part: T² · KL(teacher_T ‖ student_T) over softened
// distributions (Hinton et al. 2015), or MSE on raw logits; hard part: cross-entropy with the labels.
// Language models count every position (or those the dataset's mask marks), like the metrics do.
#include "common/Task.h"
#include "distill/DistillSettings.h"

#include <torch/types.h>

namespace compresslab {

struct LossParts {
    torch::Tensor total;
    double soft = 0, hard = 0; // their values, for the curves
};

// `teacher` may be undefined when settings.alpha is 0 (hard labels only).
LossParts distillationLoss(const torch::Tensor &student, const torch::Tensor &teacher, const torch::Tensor &targets,
                           const torch::Tensor &mask, const DistillSettings &settings);

} // namespace compresslab
