#include "compress/ActivationCapture.h"

#include "compress/GraphTools.h"
#include "data/DatasetImpl.h"
#include "eval/MetricAccumulator.h"
#include "model/ModelImpl.h"
#include "common/UserError.h"

#include <torch/csrc/jit/api/function_impl.h>

using namespace Qt::StringLiterals;

namespace compresslab {

std::map<QString, torch::Tensor> collectInputHessians(const Model &model, const Dataset &data, const QStringList &linearPaths,
                                                      int samples, const std::function<bool()> &keepGoing)
{
    Model::Impl &impl = model.impl();
    std::lock_guard<std::mutex> lock(impl.runMutex);
    torch::NoGradGuard noGrad;

    // Rewrite a copy of forward to also return the input of every wanted Linear call.
    auto graph = inlinedForward(impl.module);
    std::vector<QString> paths;
    std::vector<torch::jit::Value *> captured;
    for (const LinearCall &call : findLinearCalls(*graph)) {
        if (linearPaths.contains(call.modulePath) && std::find(paths.begin(), paths.end(), call.modulePath) == paths.end()) {
            paths.push_back(call.modulePath);
            captured.push_back(call.node->input(0));
        }
    }
    if (paths.empty())
        return {};
    alsoReturn(*graph, captured);
    torch::jit::GraphFunction capture("compresslab_capture", graph, nullptr);

    const Dataset::Impl &d = data.impl();
    const int64_t n = std::min<int64_t>(samples, d.inputs.size(0));
    std::vector<torch::Tensor> sums(paths.size());
    std::vector<int64_t> rows(paths.size(), 0);
    constexpr int64_t kBatch = 16;
    for (int64_t start = 0; start < n; start += kBatch) {
        if (keepGoing && !keepGoing())
            throw Cancelled();
        const int64_t b = std::min(kBatch, n - start);
        torch::jit::Stack stack{impl.module._ivalue(), d.inputs.narrow(0, start, b)};
        try {
            capture.run(stack);
        } catch (const std::exception &e) {
            throw UserError(u"calibration data does not fit the model: %1"_s.arg(torchErrorSummary(e.what())));
        }
        const auto elements = stack.back().toTupleRef().elements();
        for (size_t i = 0; i < paths.size(); ++i) {
            const auto x = elements[i + 1].toTensor().reshape({-1, elements[i + 1].toTensor().size(-1)}).to(torch::kDouble);
            const auto xtx = torch::mm(x.t(), x);
            sums[i] = sums[i].defined() ? sums[i] + xtx : xtx;
            rows[i] += x.size(0);
        }
    }
    std::map<QString, torch::Tensor> hessians;
    for (size_t i = 0; i < paths.size(); ++i)
        hessians[paths[i]] = sums[i] * (2.0 / double(std::max<int64_t>(1, rows[i])));
    return hessians;
}

} // namespace compresslab
