#include "device/Workload.h"

#include "common/UserError.h"
#include "compress/GraphTools.h"
#include "eval/ExampleInput.h"
#include "eval/MetricAccumulator.h"
#include "model/ModelImpl.h"

#include <torch/csrc/jit/api/function_impl.h>

#include <QSet>

#include <numeric>
#include <set>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

double numel(const std::vector<int64_t> &shape)
{
    return std::accumulate(shape.begin(), shape.end(), 1.0, [](double a, int64_t b) { return a * double(b); });
}

bool isViewOp(const QString &kind)
{
    static const QSet<QString> views{u"aten::view"_s, u"aten::reshape"_s, u"aten::transpose"_s, u"aten::permute"_s, u"aten::unsqueeze"_s,
                                     u"aten::squeeze"_s, u"aten::flatten"_s, u"aten::select"_s, u"aten::slice"_s, u"aten::expand"_s,
                                     u"aten::size"_s, u"aten::t"_s, u"aten::chunk"_s, u"aten::split"_s, u"aten::detach"_s, u"aten::dropout"_s,
                                     u"aten::contiguous"_s, u"aten::to"_s, u"aten::dim"_s, u"aten::len"_s, u"aten::__getitem__"_s};
    return views.contains(kind);
}

} // namespace

double Workload::totalFlops() const
{
    double f = 0;
    for (const WorkloadOp &op : ops)
        f += op.flops;
    return f;
}

Workload captureWorkload(const Model &model, const Dataset *data, int batch, int sequence)
{
    Model::Impl &impl = model.impl();
    std::lock_guard<std::mutex> lock(impl.runMutex);
    torch::NoGradGuard noGrad;
    torch::Tensor input = data ? inputFromDataset(*data, batch) : inputFromMetadata(model.metadata(), batch);
    if (sequence > 0 && input.dim() >= 2 && !input.is_floating_point())
        input = input.narrow(1, 0, std::min<int64_t>(sequence, input.size(1))).contiguous();

    // Rewrite a copy of forward to also return every tensor value of the top-level block.
    auto graph = inlinedForward(impl.module);
    std::vector<torch::jit::Value *> values;
    std::map<torch::jit::Value *, size_t> index;
    for (torch::jit::Node *node : graph->block()->nodes()) {
        for (torch::jit::Value *out : node->outputs()) {
            if (out->type()->cast<c10::TensorType>() && node->kind() != c10::prim::Constant) {
                index[out] = values.size();
                values.push_back(out);
            }
        }
    }
    alsoReturn(*graph, values);
    torch::jit::GraphFunction capture("compresslab_workload", graph, nullptr);
    torch::jit::Stack stack{impl.module._ivalue(), input};
    try {
        capture.run(stack);
    } catch (const std::exception &e) {
        throw UserError(u"the input does not fit the model: %1"_s.arg(torchErrorSummary(e.what())));
    }
    const auto elements = stack.back().toTupleRef().elements();
    std::map<torch::jit::Value *, std::vector<int64_t>> shapes;
    std::map<torch::jit::Value *, const void *> storages; // which memory each value lives in
    for (size_t i = 0; i < values.size(); ++i) {
        const c10::IValue &v = elements[i + 1];
        if (v.isTensor()) {
            shapes[values[i]] = v.toTensor().sizes().vec();
            storages[values[i]] = v.toTensor().has_storage() ? v.toTensor().storage().unsafeGetStorageImpl() : nullptr;
        }
    }
    shapes[graph->inputs()[1]] = input.sizes().vec();
    storages[graph->inputs()[1]] = input.storage().unsafeGetStorageImpl();
    // A reshape, contiguous or to() copies when its input's layout or dtype does not allow a view (the heads
    // of an attention block, transposed back, are copied by reshape): its output then lives in new memory.
    auto copied = [&](torch::jit::Node *node) {
        const auto in = storages.find(node->inputs().empty() ? nullptr : node->input(0));
        const auto out = storages.find(node->outputs().empty() ? nullptr : node->output(0));
        return in != storages.end() && out != storages.end() && in->second && out->second && in->second != out->second;
    };

    Workload w;
    for (int64_t d : input.sizes())
        w.inputShape.push_back(d);
    auto bytesOf = [&](torch::jit::Value *v) { return shapes.count(v) ? numel(shapes[v]) * 4.0 : 0.0; };
    // Liveness for peak activation memory: a value lives from its node until its last use.
    std::map<torch::jit::Value *, torch::jit::Node *> lastUse;
    for (torch::jit::Node *node : graph->block()->nodes())
        for (torch::jit::Value *in : node->inputs())
            lastUse[in] = node;
    double live = bytesOf(graph->inputs()[1]), peak = live;
    std::set<torch::jit::Value *> views;
    std::map<torch::jit::Value *, int> linearInputs;
    for (torch::jit::Node *node : graph->block()->nodes()) {
        const QString kind = QString::fromStdString(node->kind().toQualString());
        if (!kind.startsWith("aten::"_L1))
            continue;
        WorkloadOp op;
        op.kind = kind;
        op.isView = isViewOp(kind) && !copied(node);
        for (torch::jit::Value *in : node->inputs()) {
            const QString attr = attributePath(in);
            if (!attr.isEmpty()) {
                op.weightBytes += bytesOf(in);
                if (attr.endsWith(".weight"_L1) && op.layer.isEmpty())
                    op.layer = attr.chopped(7);
            } else {
                op.activationBytes += bytesOf(in);
            }
        }
        for (torch::jit::Value *out : node->outputs()) {
            op.activationBytes += bytesOf(out);
            op.outputElements += bytesOf(out) / 4.0;
        }
        if (op.isView)
            op.activationBytes = 0;
        const auto shape = [&](int i) { return shapes.count(node->input(i)) ? shapes[node->input(i)] : std::vector<int64_t>{}; };
        if ((kind == "aten::linear"_L1 || kind == "aten::addmm"_L1) && !node->outputs().empty() && shapes.count(node->output())) {
            const auto x = shape(kind == "aten::linear"_L1 ? 0 : 1);
            const auto y = shapes[node->output()];
            if (!x.empty() && !y.empty()) {
                op.gemmRows = numel(y) / double(y.back());
                op.gemmInner = double(x.back());
                op.flops = 2.0 * op.gemmRows * double(x.back()) * double(y.back());
            }
            if (kind == "aten::linear"_L1)
                op.sharedInput = linearInputs.emplace(node->input(0), int(linearInputs.size())).first->second;
        } else if ((kind == "aten::conv2d"_L1 || kind == "aten::conv1d"_L1 || kind == "aten::_convolution"_L1) && shapes.count(node->output())) {
            const auto wshape = shape(1);
            const auto y = shapes[node->output()];
            if (wshape.size() >= 3 && y.size() >= 3) {
                const double perOutput = numel(wshape) / double(wshape[0]); // Cin/groups x kernel
                op.gemmRows = numel(y) / double(y[1]);                       // batch x output positions
                op.gemmInner = perOutput;
                op.flops = 2.0 * numel(y) * perOutput;
            }
        } else if ((kind == "aten::matmul"_L1 || kind == "aten::bmm"_L1 || kind == "aten::mm"_L1) && shapes.count(node->output())) {
            const auto a = shape(0);
            const auto y = shapes[node->output()];
            if (!a.empty() && !y.empty()) {
                op.gemmRows = numel(y) / double(y.back());
                op.gemmInner = double(a.back());
                op.flops = 2.0 * numel(y) * double(a.back());
            }
        } else if (kind == "aten::scaled_dot_product_attention"_L1 && shapes.count(node->output())) {
            const auto q = shape(0), k = shape(1);
            if (q.size() >= 2 && k.size() >= 2) {
                op.gemmRows = numel(q) / double(q.back());
                op.gemmInner = double(q.back());
                op.flops = 4.0 * op.gemmRows * double(k[k.size() - 2]) * double(q.back());
            }
        } else if (kind == "aten::embedding"_L1) {
            op.weightBytes = node->outputs().empty() ? 0 : bytesOf(node->output()); // only the looked-up rows are read
        }
        w.ops.push_back(op);
        for (torch::jit::Value *out : node->outputs()) {
            if (op.isView)
                views.insert(out); // shares its input's memory: neither counted nor freed
            else
                live += bytesOf(out);
        }
        peak = std::max(peak, live);
        for (torch::jit::Value *in : node->inputs()) {
            if (lastUse[in] == node && attributePath(in).isEmpty() && !views.count(in))
                live -= bytesOf(in);
        }
    }
    w.peakActivationBytes = peak;
    return w;
}

} // namespace compresslab
