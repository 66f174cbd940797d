#include "compress/GraphTools.h"

#include <torch/csrc/jit/passes/inliner.h>

#include <QStringList>

namespace compresslab {

namespace {

// "fc1.weight" for weight = self.fc1.weight; empty when the value is not an attribute chain of self.
QString attributePath(torch::jit::Value *value)
{
    QStringList parts;
    torch::jit::Node *node = value->node();
    while (node->kind() == c10::prim::GetAttr) {
        parts.prepend(QString::fromStdString(node->s(c10::attr::name)));
        value = node->input(0);
        node = value->node();
    }
    if (node->kind() != c10::prim::Param || parts.isEmpty())
        return {};
    return parts.join(QLatin1Char('.'));
}

} // namespace

std::shared_ptr<torch::jit::Graph> inlinedForward(const torch::jit::Module &module)
{
    auto graph = module.get_method("forward").graph()->copy();
    torch::jit::Inline(*graph);
    return graph;
}

std::vector<LinearCall> findLinearCalls(torch::jit::Graph &graph)
{
    std::vector<LinearCall> calls;
    for (torch::jit::Node *node : graph.block()->nodes()) {
        if (node->kind() != c10::aten::linear)
            continue;
        const QString weight = attributePath(node->input(1));
        if (!weight.endsWith(QLatin1StringView(".weight")))
            continue;
        calls.push_back({node, weight.chopped(7)});
    }
    return calls;
}

} // namespace compresslab
