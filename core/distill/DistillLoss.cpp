#include "distill/DistillLoss.h"

#include <torch/nn/functional/loss.h>

namespace compresslab {

namespace {

// Logits as [rows, classes] and targets as [rows], keeping only the positions that count.
std::pair<torch::Tensor, torch::Tensor> counted(const torch::Tensor &logits, const torch::Tensor &targets, const torch::Tensor &mask,
                                                torch::Tensor *other)
{
    const int64_t classes = logits.size(-1);
    auto rows = logits.reshape({-1, classes});
    auto labels = targets.reshape({-1});
    if (other && other->defined())
        *other = other->reshape({-1, classes});
    if (mask.defined()) {
        const auto keep = mask.reshape({-1}).nonzero().reshape({-1});
        rows = rows.index_select(0, keep);
        labels = labels.index_select(0, keep);
        if (other && other->defined())
            *other = other->index_select(0, keep);
    }
    return {rows, labels};
}

} // namespace

LossParts distillationLoss(const torch::Tensor &student, const torch::Tensor &teacher, const torch::Tensor &targets,
                           const torch::Tensor &mask, const DistillSettings &s)
{
    torch::Tensor teacherRows = teacher;
    auto [rows, labels] = counted(student, targets, mask, &teacherRows);
    LossParts out;
    if (rows.size(0) == 0) { // nothing counts in this batch: a zero loss that still reaches every parameter
        out.total = student.sum() * 0;
        return out;
    }
    const auto hard = torch::nn::functional::cross_entropy(rows, labels);
    out.hard = hard.item<double>();
    out.total = (1 - s.alpha) * hard;
    if (s.alpha > 0 && teacher.defined()) {
        torch::Tensor soft;
        if (s.softLoss == SoftLoss::KL) {
            const double t = s.temperature;
            const auto logStudent = torch::log_softmax(rows / t, 1);
            const auto logTeacher = torch::log_softmax(teacherRows / t, 1);
            soft = torch::kl_div(logStudent, logTeacher, at::Reduction::Sum, /*log_target=*/true) / double(rows.size(0)) * (t * t);
        } else {
            soft = torch::mse_loss(rows, teacherRows);
        }
        out.soft = soft.item<double>();
        out.total = out.total + s.alpha * soft;
    }
    return out;
}

} // namespace compresslab
