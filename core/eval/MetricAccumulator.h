#pragma once
// Core-internal: accumulates task metrics batch by batch in float64, so that evaluation, sweeps and
// distillation compute exactly the same numbers (and match tools/zoo/common.py).
#include "eval/EvalResult.h"

#include <torch/types.h>

namespace compresslab {

class MetricAccumulator {
public:
    explicit MetricAccumulator(Task task) : m_task(task) {}
    // logits: [B, C] (classification) or [B, T, V] (language modeling); targets/mask as in the dataset.
    void add(const torch::Tensor &logits, const torch::Tensor &targets, const torch::Tensor &mask);
    QVector<Metric> metrics() const;
    qint64 nonFinite() const { return m_nonFinite; }

private:
    Task m_task;
    double m_correct = 0, m_top5 = 0, m_count = 0, m_nll = 0;
    qint64 m_nonFinite = 0;
};

// Checks that a model output fits the task and the targets; throws UserError naming the mismatch.
void checkOutputShape(Task task, const torch::Tensor &logits, const torch::Tensor &targets);

// The useful line of a LibTorch exception (TorchScript wraps the real cause in a long traceback).
QString torchErrorSummary(const std::string &what);

} // namespace compresslab
