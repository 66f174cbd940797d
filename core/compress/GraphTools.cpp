#include "compress/GraphTools.h"

#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/inliner.h>

#include <QStringList>

namespace compresslab {

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

std::shared_ptr<torch::jit::Graph> inlinedForward(const torch::jit::Module &module)
{
    auto graph = module.get_method("forward").graph()->copy();
    torch::jit::Inline(*graph);
    return graph;
}

torch::jit::Value *rerootUnder(torch::jit::Graph &graph, const torch::jit::Module &root)
{
    torch::jit::Value *oldSelf = graph.inputs()[0];
    torch::jit::Value *newSelf = graph.insertInput(0, "self");
    newSelf->setType(root.type());
    {
        torch::jit::WithInsertPoint guard(graph.block()->nodes().front());
        oldSelf->replaceAllUsesWith(graph.insertGetAttr(newSelf, "model"));
    }
    graph.eraseInput(1);
    return newSelf;
}

void installRewrittenForward(torch::jit::Module &root, const std::shared_ptr<torch::jit::Graph> &graph,
                             const std::vector<torch::jit::Module> &replaced)
{
    torch::jit::EliminateDeadCode(graph);
    auto fn = root.type()->compilation_unit()->create_function(c10::QualifiedName(*root.type()->name(), "forward"), graph);
    root.type()->addMethod(fn);
    for (torch::jit::Module module : replaced) // a handle: the copy registers on the same object
        module.register_parameter("weight", torch::empty({0}), false);
    root.eval();
}

void alsoReturn(torch::jit::Graph &graph, const std::vector<torch::jit::Value *> &values)
{
    torch::jit::WithInsertPoint guard(graph.return_node());
    std::vector<torch::jit::Value *> outputs{graph.outputs()[0]};
    outputs.insert(outputs.end(), values.begin(), values.end());
    torch::jit::Node *tuple = graph.insertNode(graph.createTuple(outputs));
    graph.eraseOutput(0);
    graph.registerOutput(tuple->output());
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

std::map<QString, QString> findLinearChains(torch::jit::Graph &graph)
{
    const std::vector<LinearCall> calls = findLinearCalls(graph);
    std::map<torch::jit::Node *, QString> pathOf;
    std::map<QString, int> callCount;
    for (const LinearCall &c : calls) {
        pathOf[c.node] = c.modulePath;
        ++callCount[c.modulePath];
    }
    static const std::vector<c10::Symbol> elementwise{c10::aten::relu, c10::aten::relu_, c10::aten::gelu, c10::aten::silu,
                                                      c10::aten::tanh, c10::aten::sigmoid, c10::aten::dropout};
    std::map<QString, QString> chains;
    for (const LinearCall &c : calls) {
        if (callCount[c.modulePath] != 1)
            continue;
        torch::jit::Value *v = c.node->output();
        while (v->uses().size() == 1 && v->uses()[0].offset == 0) {
            torch::jit::Node *user = v->uses()[0].user;
            if (user->kind() == c10::aten::linear) {
                auto it = pathOf.find(user);
                if (it != pathOf.end() && callCount[it->second] == 1)
                    chains[c.modulePath] = it->second;
                break;
            }
            if (std::find(elementwise.begin(), elementwise.end(), user->kind()) == elementwise.end())
                break;
            v = user->output();
        }
    }
    return chains;
}

} // namespace compresslab
