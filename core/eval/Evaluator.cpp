#include "eval/Evaluator.h"

#include "common/UserError.h"
#include "data/DatasetImpl.h"
#include "eval/MetricAccumulator.h"
#include "eval/ModelRunner.h"

#include <QElapsedTimer>

using namespace Qt::StringLiterals;

namespace compresslab {

EvalResult evaluate(const Model &model, const Dataset &data, const EvalParams &params, const ProgressCallback &progress)
{
    const DatasetInfo &info = data.info();
    const Task modelTask = model.metadata().task;
    if (modelTask != Task::Unknown && modelTask != info.task)
        throw UserError(u"the dataset does not fit the model: the model is for %1 but %2 is a %3 set"_s
                            .arg(taskName(modelTask), info.name, taskName(info.task)));
    if (params.batchSize < 1)
        throw UserError(u"the batch size must be at least 1"_s);

    EvalResult result;
    result.task = info.task;
    result.modelPath = model.path();
    result.datasetPath = info.path;
    result.batchSize = params.batchSize;
    result.runtime = configureRuntimeFor(model, params.threads);

    Model::Impl &m = model.impl();
    std::lock_guard<std::mutex> lock(m.runMutex);
    torch::NoGradGuard noGrad;
    m.module.eval();
    const Dataset::Impl &d = data.impl();
    const qint64 total = params.limit > 0 ? qMin(params.limit, info.samples) : info.samples;
    MetricAccumulator acc(info.task);
    QElapsedTimer timer;
    timer.start();
    if (!reportProgress(progress, 0, total))
        throw Cancelled();
    for (qint64 start = 0; start < total; start += params.batchSize) {
        const qint64 n = qMin<qint64>(params.batchSize, total - start);
        const torch::Tensor targets = d.targets.narrow(0, start, n);
        const torch::Tensor mask = d.mask.defined() ? d.mask.narrow(0, start, n) : torch::Tensor();
        const torch::Tensor logits = runForward(m.module, d.inputs.narrow(0, start, n));
        if (start == 0)
            checkOutputShape(info.task, logits, targets);
        acc.add(logits, targets, mask);
        if (!reportProgress(progress, start + n, total))
            throw Cancelled();
    }
    result.wallSeconds = double(timer.nsecsElapsed()) / 1e9;
    result.samples = total;
    result.metrics = acc.metrics();
    result.nonFiniteOutputs = acc.nonFinite();
    return result;
}

} // namespace compresslab
