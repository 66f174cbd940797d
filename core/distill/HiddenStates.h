#pragma once
// Core-internal: hidden-state matching for distillation. A forward pass that also returns the outputs of
// chosen Linear layers (found by module path in the inlined graph), and the loss between a student's and
// its teacher's: mean over layers of MSE relative to the teacher output's mean square, so that wide and
// narrow layers weigh alike (in the manner of FitNets / TinyBERT's intermediate-layer losses).
#include <torch/csrc/jit/api/function_impl.h>
#include <torch/script.h>

#include <QStringList>

namespace compresslab {

class HiddenForward {
public:
    // Captures the first call of each of `paths` found in `module`'s forward; paths() says which were found.
    HiddenForward(torch::jit::Module module, const QStringList &paths);
    const QStringList &paths() const { return m_paths; }
    // The logits and the captured outputs, in paths() order.
    std::pair<torch::Tensor, std::vector<torch::Tensor>> run(const torch::Tensor &input);

private:
    torch::jit::Module m_module;
    std::unique_ptr<torch::jit::GraphFunction> m_function;
    QStringList m_paths;
};

// Linear module paths the forward graph of `module` calls.
QStringList linearPaths(const torch::jit::Module &module);

torch::Tensor hiddenStateLoss(const std::vector<torch::Tensor> &student, const std::vector<torch::Tensor> &teacher);

} // namespace compresslab
