#include "eval/Latency.h"

#include "common/UserError.h"
#include "data/DatasetImpl.h"
#include "eval/ExampleInput.h"
#include "eval/ModelRunner.h"

#include <QElapsedTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

double percentile(std::vector<double> sorted, double p)
{
    std::sort(sorted.begin(), sorted.end());
    const double pos = p * double(sorted.size() - 1);
    const size_t lo = size_t(pos);
    const size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - double(lo));
}

} // namespace

LatencyResult measureLatency(const Model &model, const LatencyParams &params, const Dataset *data,
                             const ProgressCallback &progress)
{
    if (params.batch < 1 || params.batch > 65536)
        throw UserError(u"the batch size must be between 1 and 65536"_s);
    LatencyResult result;
    result.batch = params.batch;
    result.runtime = configureRuntimeFor(model, params.threads);
    const torch::Tensor input = data ? inputFromDataset(*data, params.batch) : inputFromMetadata(model.metadata(), params.batch);
    result.inputSource = data ? u"dataset"_s : u"metadata"_s;
    for (auto d : input.sizes())
        result.inputShape.push_back(d);

    Model::Impl &m = model.impl();
    std::lock_guard<std::mutex> lock(m.runMutex);
    torch::NoGradGuard noGrad;
    m.module.eval();
    const int minRuns = qMax(1, params.minRuns); // the statistics need at least one timed run
    const int maxRuns = qMax(minRuns, params.maxRuns);
    const qint64 plannedSteps = params.warmupRuns + minRuns;
    for (int i = 0; i < params.warmupRuns; ++i) {
        runForward(m.module, input);
        if (!reportProgress(progress, i + 1, plannedSteps))
            throw Cancelled();
    }
    std::vector<double> times;
    QElapsedTimer total;
    total.start();
    while (int(times.size()) < maxRuns &&
           (int(times.size()) < minRuns || double(total.nsecsElapsed()) / 1e9 < params.targetSeconds)) {
        QElapsedTimer t;
        t.start();
        runForward(m.module, input);
        times.push_back(double(t.nsecsElapsed()) / 1e6);
        if (!reportProgress(progress, qMin<qint64>(params.warmupRuns + qint64(times.size()), plannedSteps), plannedSteps))
            throw Cancelled();
    }
    result.runs = int(times.size());
    result.medianMs = percentile(times, 0.5);
    result.p90Ms = percentile(times, 0.9);
    result.minMs = *std::min_element(times.begin(), times.end());
    double sum = 0;
    for (double t : times)
        sum += t;
    result.meanMs = sum / double(times.size());
    return result;
}

} // namespace compresslab
