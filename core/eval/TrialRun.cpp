#include "eval/TrialRun.h"

#include "common/UserError.h"
#include "eval/ExampleInput.h"
#include "eval/ModelRunner.h"
#include "model/ModelSummary.h"

using namespace Qt::StringLiterals;

namespace compresslab {

TrialRunResult trialRun(const Model &model)
{
    TrialRunResult r;
    if (model.metadata().inputShape.isEmpty()) {
        r.note = u"not run: the model's metadata gives no input shape"_s;
        return r;
    }
    torch::NoGradGuard noGrad;
    const torch::Tensor output = runForward(model.impl().module, inputFromMetadata(model.metadata(), 1));
    r.ran = true;
    for (auto s : output.sizes())
        r.outputShape.push_back(s);
    if (output.is_floating_point())
        r.nonFiniteOutputs = (~torch::isfinite(output)).sum().item<int64_t>();
    r.note = u"ran once on its example input: output %1"_s.arg(formatShape(r.outputShape));
    return r;
}

} // namespace compresslab
