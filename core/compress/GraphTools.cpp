#include "compress/GraphTools.h"

#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/inliner.h>

#include <QStringList>

#include <algorithm>

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

namespace {

bool isConv(const torch::jit::Node *node)
{
    return node->kind() == c10::aten::conv2d || node->kind() == c10::aten::conv1d;
}

// A convolution whose groups argument is the constant 1: each output channel reads every input channel.
bool ungroupedConv(torch::jit::Node *node)
{
    const auto groups = torch::jit::toIValue(node->input(6));
    return groups && groups->isInt() && groups->toInt() == 1;
}

// Reads only the value's shape: the rank anywhere, the sizes inside a check (BatchNorm's training-mode
// batch-size test). Such readers do not see which channels exist, so they do not break a chain.
bool shapeQuery(const torch::jit::Use &use, const torch::jit::Graph &graph)
{
    return use.user->kind() == c10::aten::dim || (use.user->kind() == c10::aten::size && use.user->owningBlock() != graph.block());
}

// The one node that reads the value's data (at its first input), or null when there is none or more.
torch::jit::Node *onlyDataReader(torch::jit::Value *value, const torch::jit::Graph &graph)
{
    torch::jit::Node *reader = nullptr;
    for (const torch::jit::Use &use : value->uses()) {
        if (shapeQuery(use, graph))
            continue;
        if (reader || use.offset != 0)
            return nullptr;
        reader = use.user;
    }
    return reader;
}

// aten::flatten(x, 1, -1): [N, C, ...] -> [N, C * ...], channel j becoming a contiguous run of columns.
bool flattensAfterBatch(torch::jit::Node *node)
{
    if (node->kind() != c10::aten::flatten)
        return false;
    const auto start = torch::jit::toIValue(node->input(1)), end = torch::jit::toIValue(node->input(2));
    return start && start->isInt() && start->toInt() == 1 && end && end->isInt() && end->toInt() == -1;
}

// The module whose per-channel tensors a batch_norm node reads (weight, bias, running_mean, running_var):
// empty unless each of them is an attribute of one module (or None).
QString batchNormModule(torch::jit::Node *node)
{
    QString module;
    for (size_t i = 1; i <= 4; ++i) {
        if (node->input(i)->type()->kind() == c10::TypeKind::NoneType)
            continue;
        const QString path = attributePath(node->input(i));
        const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
        if (dot < 0 || (!module.isEmpty() && path.left(dot) != module))
            return {};
        module = path.left(dot);
    }
    return module;
}

} // namespace

std::map<QString, ChannelChain> findChannelChains(std::shared_ptr<torch::jit::Graph> graphPtr)
{
    torch::jit::ConstantPropagation(graphPtr); // folds F.relu's `if inplace:` to the call it makes
    torch::jit::Graph &graph = *graphPtr;
    std::map<torch::jit::Node *, QString> pathOf;
    std::map<QString, int> callCount;
    for (torch::jit::Node *node : graph.block()->nodes()) {
        if (node->kind() != c10::aten::linear && !isConv(node) && node->kind() != c10::aten::batch_norm)
            continue;
        const QString path = node->kind() == c10::aten::batch_norm ? batchNormModule(node) : attributePath(node->input(1));
        if (path.isEmpty() || (node->kind() != c10::aten::batch_norm && !path.endsWith(QLatin1StringView(".weight"))))
            continue;
        pathOf[node] = node->kind() == c10::aten::batch_norm ? path : path.chopped(7);
        ++callCount[pathOf[node]];
    }
    auto calledOnce = [&](torch::jit::Node *node) {
        const auto it = pathOf.find(node);
        return it != pathOf.end() && callCount[it->second] == 1;
    };
    static const std::vector<c10::Symbol> elementwise{c10::aten::relu, c10::aten::relu_, c10::aten::gelu, c10::aten::silu,
                                                      c10::aten::tanh, c10::aten::sigmoid, c10::aten::dropout};
    static const std::vector<c10::Symbol> channelwise{c10::aten::max_pool2d, c10::aten::avg_pool2d, c10::aten::adaptive_avg_pool2d,
                                                      c10::aten::max_pool1d, c10::aten::avg_pool1d, c10::aten::adaptive_avg_pool1d};
    auto among = [](const std::vector<c10::Symbol> &kinds, torch::jit::Node *node) {
        return std::find(kinds.begin(), kinds.end(), node->kind()) != kinds.end();
    };
    std::map<QString, ChannelChain> chains;
    for (const auto &[producer, producerPath] : pathOf) {
        const bool conv = isConv(producer);
        if (producer->kind() == c10::aten::batch_norm || !calledOnce(producer) || (conv && !ungroupedConv(producer)))
            continue;
        ChannelChain chain;
        torch::jit::Value *v = producer->output();
        while (torch::jit::Node *reader = onlyDataReader(v, graph)) {
            // Linear reads features from the last dimension; convolutions (and what follows them) from dim 1.
            if (reader->kind() == c10::aten::linear && calledOnce(reader) && conv == chain.flattened) {
                chain.consumer = pathOf[reader];
                break;
            }
            if (isConv(reader) && calledOnce(reader) && ungroupedConv(reader) && conv && !chain.flattened) {
                chain.consumer = pathOf[reader];
                break;
            }
            const bool perChannelStep = conv && !chain.flattened;
            if (perChannelStep && reader->kind() == c10::aten::batch_norm && calledOnce(reader))
                chain.perChannel << pathOf[reader];
            else if (perChannelStep && flattensAfterBatch(reader))
                chain.flattened = true;
            else if (!among(elementwise, reader) && !(perChannelStep && among(channelwise, reader)))
                break;
            v = reader->output();
        }
        if (!chain.consumer.isEmpty())
            chains[producerPath] = chain;
    }
    return chains;
}

} // namespace compresslab
