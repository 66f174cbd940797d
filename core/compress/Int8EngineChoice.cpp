#include "compress/Int8EngineChoice.h"

#include "common/Median.h"
#include "common/UserError.h"
#include "eval/ExampleInput.h"
#include "eval/ModelRunner.h"
#include "runtime/RuntimeInfo.h"

#include <QElapsedTimer>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// After another engine ran, its threads keep spinning for a while (qnnpack's pool) and the next runs were
// measured up to 2.5x slow (brown-gpt onednn 9.4 ms, then 3.6 ms; spam-transformer onednn 4.5 against
// 1.6 ms alone): each block starts after a pause that lets them sleep, then untimed runs.
constexpr std::chrono::milliseconds kPauseBeforeBlock{50};
constexpr int kUntimedPerBlock = 3;
constexpr int kTimedPerBlock = 6;
constexpr int kMinRounds = 2;
constexpr int kMaxRounds = 8;
constexpr double kTargetSeconds = 1.5;

} // namespace

Int8EngineReport timeInt8Engines(const QVector<QPair<QString, const Model *>> &candidates, const ProgressCallback &progress)
{
    Int8EngineReport report;
    report.measured = true;
    if (candidates.isEmpty())
        return report;
    const torch::Tensor input = inputFromMetadata(candidates.front().second->metadata(), 1);
    for (auto d : input.sizes())
        report.inputShape.push_back(d);

    const int threads = at::get_num_threads(); // the caller's choice (--threads), not the default
    torch::NoGradGuard noGrad;
    std::vector<std::vector<double>> times(size_t(candidates.size()));
    QElapsedTimer clock;
    clock.start();
    for (int round = 0; round < kMaxRounds; ++round) {
        if (round >= kMinRounds && double(clock.nsecsElapsed()) / 1e9 >= kTargetSeconds)
            break;
        for (qsizetype c = 0; c < candidates.size(); ++c) {
            configureRuntime(threads, candidates[c].first);
            Model::Impl &m = candidates[c].second->impl();
            std::lock_guard<std::mutex> lock(m.runMutex);
            m.module.eval();
            std::this_thread::sleep_for(kPauseBeforeBlock);
            for (int i = 0; i < kUntimedPerBlock; ++i)
                runForward(m.module, input);
            for (int i = 0; i < kTimedPerBlock; ++i) {
                QElapsedTimer t;
                t.start();
                runForward(m.module, input);
                times[size_t(c)].push_back(double(t.nsecsElapsed()) / 1e6);
            }
        }
        // Whichever ends the timing first, the rounds or the time, moves the bar.
        const qint64 byRounds = 1000 * (round + 1) / kMaxRounds;
        const qint64 byTime = std::min<qint64>(999, qint64(double(clock.nsecsElapsed()) / 1e6 / kTargetSeconds));
        if (!reportProgress(progress, std::max(byRounds, byTime), 1000))
            throw Cancelled();
    }
    if (!reportProgress(progress, 1000, 1000))
        throw Cancelled();
    for (qsizetype c = 0; c < candidates.size(); ++c)
        report.timings.push_back({candidates[c].first, medianOf(times[size_t(c)]), int(times[size_t(c)].size())});
    const auto fastest = std::min_element(report.timings.begin(), report.timings.end(),
                                          [](const Int8EngineTiming &a, const Int8EngineTiming &b) { return a.medianMs < b.medianMs; });
    report.engine = fastest->engine;
    configureRuntime(threads, report.engine);
    return report;
}

} // namespace compresslab
