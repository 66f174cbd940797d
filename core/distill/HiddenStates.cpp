#include "distill/HiddenStates.h"

#include "common/UserError.h"
#include "compress/GraphTools.h"
#include "eval/MetricAccumulator.h"

using namespace Qt::StringLiterals;

namespace compresslab {

QStringList linearPaths(const torch::jit::Module &module)
{
    auto graph = inlinedForward(module);
    QStringList out;
    for (const LinearCall &call : findLinearCalls(*graph)) {
        if (!out.contains(call.modulePath))
            out << call.modulePath;
    }
    return out;
}

HiddenForward::HiddenForward(torch::jit::Module module, const QStringList &paths) : m_module(std::move(module))
{
    auto graph = inlinedForward(m_module);
    std::vector<torch::jit::Value *> outputs;
    for (const LinearCall &call : findLinearCalls(*graph)) {
        if (paths.contains(call.modulePath) && !m_paths.contains(call.modulePath)) {
            m_paths << call.modulePath;
            outputs.push_back(call.node->output());
        }
    }
    alsoReturn(*graph, outputs);
    m_function = std::make_unique<torch::jit::GraphFunction>("compresslab_hidden", graph, nullptr);
}

std::pair<torch::Tensor, std::vector<torch::Tensor>> HiddenForward::run(const torch::Tensor &input)
{
    torch::jit::Stack stack{m_module._ivalue(), input};
    try {
        m_function->run(stack);
    } catch (const std::exception &e) {
        throw UserError(u"the input does not fit the model: %1"_s.arg(torchErrorSummary(e.what())));
    }
    const auto elements = stack.back().toTupleRef().elements();
    c10::IValue logits = elements[0];
    if (logits.isTuple() && !logits.toTupleRef().elements().empty())
        logits = logits.toTupleRef().elements()[0];
    std::vector<torch::Tensor> hidden;
    for (size_t i = 1; i < elements.size(); ++i)
        hidden.push_back(elements[i].toTensor());
    return {logits.toTensor(), hidden};
}

torch::Tensor hiddenStateLoss(const std::vector<torch::Tensor> &student, const std::vector<torch::Tensor> &teacher)
{
    torch::Tensor total;
    for (size_t i = 0; i < student.size(); ++i) {
        const auto scale = teacher[i].pow(2).mean().clamp_min(1e-8);
        const auto term = (student[i] - teacher[i]).pow(2).mean() / scale;
        total = total.defined() ? total + term : term;
    }
    return total.defined() ? total / double(student.size()) : total;
}

} // namespace compresslab
