#include "eval/ModelRunner.h"

#include "compress/Int8Kernels.h"

#include "common/UserError.h"
#include "eval/MetricAccumulator.h"

using namespace Qt::StringLiterals;

namespace compresslab {

torch::Tensor runForward(torch::jit::Module &module, const torch::Tensor &input)
{
    c10::IValue out;
    try {
        out = module.forward({input});
    } catch (const std::exception &e) {
        QStringList dims;
        for (auto d : input.sizes())
            dims.push_back(QString::number(d));
        throw UserError(u"the input does not fit the model: inputs of shape [%1] (%2) were rejected: %3"_s
                            .arg(dims.join(u", "_s), QString::fromLatin1(c10::toString(input.scalar_type())),
                                 torchErrorSummary(e.what())));
    }
    if (out.isTuple() && !out.toTupleRef().elements().empty())
        out = out.toTupleRef().elements()[0];
    if (!out.isTensor())
        throw UserError(u"the model returned %1, not a tensor of logits"_s.arg(QString::fromStdString(out.tagKind())));
    return out.toTensor();
}

RuntimeInfo configureRuntimeFor(const Model &model, int threads)
{
    RuntimeInfo runtime = configureRuntime(threads, model.metadata().int8Engine);
    if (const QString packed = packedInt8Engine(model); !packed.isEmpty())
        runtime.quantizedEngine = packed;
    return runtime;
}

} // namespace compresslab
