// How long Cancel takes to stop a job: the time from the request (as the Cancel button makes it, through
// the progress callback) to the job having returned, for an evaluation, a GPTQ compression with its
// evaluations, a distillation, a sweep and a fit to a device (sensitivity cached: its measurements). Cancel is requested at a seeded random moment inside each run.
// usage: cancel_latency [RUNS_PER_JOB] (needs the zoo: compresslab-cli zoo build). See docs/reliability.md.
#include "analysis/FitPlan.h"
#include "common/UserError.h"
#include "compress/CompressionConfig.h"
#include "data/Dataset.h"
#include "eval/Evaluator.h"
#include "experiment/CompressionRun.h"
#include "device/DeviceCatalog.h"
#include "experiment/DistillRun.h"
#include "experiment/Sweep.h"
#include "model/Model.h"
#include "zoo/Zoo.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <cstdio>
#include <random>
#include <thread>

using namespace Qt::StringLiterals;
using namespace compresslab;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Runs `job(stop)` on a thread, asks it to stop after `delay`, returns ms from the request to its return
// (negative when it finished before the request).
double cancelAfter(const std::function<void(const std::function<bool()> &)> &job, std::chrono::milliseconds delay)
{
    std::atomic<bool> stop{false};
    Clock::time_point requested{}, returned{};
    std::thread worker([&] {
        try {
            job([&] { return !stop.load(); });
        } catch (const Cancelled &) {
        }
        returned = Clock::now();
    });
    std::this_thread::sleep_for(delay);
    requested = Clock::now();
    stop = true;
    worker.join();
    return returned < requested ? -1.0 : ms(returned - requested);
}

void report(const char *name, std::vector<double> v)
{
    std::vector<double> hit;
    std::copy_if(v.begin(), v.end(), std::back_inserter(hit), [](double x) { return x >= 0; });
    std::sort(hit.begin(), hit.end());
    if (hit.empty()) {
        std::printf("%-34s no run was still going when cancelled\n", name);
        return;
    }
    auto pct = [&](double p) { return hit[std::min(hit.size() - 1, size_t(p * double(hit.size() - 1) + 0.5))]; };
    std::printf("%-34s n=%zu  p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms\n", name, hit.size(), pct(0.5), pct(0.95), hit.back());
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::atoi(argv[1]) : 20;
    std::mt19937 rng(7);
    const QString brown = zooEntry(u"brown-gpt"_s).dir, fashion = zooEntry(u"fashion-cnn"_s).dir;
    std::printf("cancel latency, measured on this machine (request -> job returned), %d runs per job\n", runs);

    const auto lm = Model::load(brown + u"/model.pt"_s);
    const auto lmData = Dataset::load(brown + u"/eval.safetensors"_s);
    std::vector<double> eval, compress, distill;
    for (int i = 0; i < runs; ++i) {
        eval.push_back(cancelAfter([&](const std::function<bool()> &go) {
            evaluate(*lm, *lmData, EvalParams{}, [&](qint64, qint64) { return go(); });
        }, std::chrono::milliseconds(std::uniform_int_distribution<int>(100, 1500)(rng))));
    }
    report("evaluate brown-gpt", eval);

    CompressionRunParams cp;
    cp.modelPath = brown + u"/model.pt"_s;
    cp.dataPath = brown + u"/eval.safetensors"_s;
    cp.config = parseCompressionConfig(QJsonDocument::fromJson(R"({"quantize":{"bits":4,"method":"gptq"}})").object());
    for (int i = 0; i < runs; ++i) {
        std::mutex m;
        QString lastStage; // the stage a slow cancel landed in, to say where it waited
        compress.push_back(cancelAfter([&](const std::function<bool()> &go) {
            runCompression(cp, [&](const QString &stage, qint64, qint64) {
                std::lock_guard<std::mutex> lock(m);
                lastStage = stage;
                return go();
            });
        }, std::chrono::milliseconds(std::uniform_int_distribution<int>(200, 6000)(rng))));
        if (compress.back() > 1000)
            std::printf("  slow cancel: %.0f ms in stage '%s'\n", compress.back(), qPrintable(lastStage));
    }
    report("compress brown-gpt (GPTQ int4)", compress);

    DistillRunParams dp;
    dp.modelPath = fashion + u"/model.pt"_s;
    dp.studentConfig = parseCompressionConfig(QJsonDocument::fromJson(R"({"quantize":{"bits":2}})").object());
    dp.trainPath = fashion + u"/train.safetensors"_s;
    dp.evalPath = fashion + u"/eval.safetensors"_s;
    dp.settings.steps = 200;
    dp.keepOnCancel = false;
    for (int i = 0; i < runs; ++i) {
        distill.push_back(cancelAfter([&](const std::function<bool()> &go) {
            runDistillation(dp, nullptr, [&](const QString &, qint64, qint64) { return go(); });
        }, std::chrono::milliseconds(std::uniform_int_distribution<int>(300, 8000)(rng))));
    }
    report("distill fashion-cnn (int2 student)", distill);

    // A sweep checks after every batch of each configuration's evaluation (no history: nothing to record).
    const QVector<CompressionConfig> grid = sweepConfigurations(QJsonDocument::fromJson(
        R"({"base":{"quantize":{"bits":4}},"vary":{"quantize.bits":[2,3,4,8]}})").object());
    std::vector<double> sweep, fit;
    for (int i = 0; i < runs; ++i) {
        sweep.push_back(cancelAfter([&](const std::function<bool()> &go) {
            SweepCallbacks callbacks;
            callbacks.progress = [&](qint64, qint64) { return go(); };
            sweepModel(*lm, *lmData, grid, nullptr, SweepParams{}, callbacks);
        }, std::chrono::milliseconds(std::uniform_int_distribution<int>(200, 6000)(rng))));
    }
    report("sweep brown-gpt (4 configurations)", sweep);

    FitParams fp;
    fp.modelPath = brown + u"/model.pt"_s;
    fp.dataPath = brown + u"/eval.safetensors"_s;
    fp.device = DeviceCatalog::load().find(u"Raspberry Pi 4"_s);
    fp.matchUniformBits = 4;
    fp.sensitivitySamples = 64;
    fitToDevice(fp); // measures the sensitivity once (cached), so the runs below cancel the plan's measurements
    for (int i = 0; i < runs; ++i) {
        fit.push_back(cancelAfter([&](const std::function<bool()> &go) {
            fitToDevice(fp, [&](qint64, qint64) { return go(); });
        }, std::chrono::milliseconds(std::uniform_int_distribution<int>(200, 4000)(rng))));
    }
    report("fit brown-gpt to Raspberry Pi 4", fit);
    return 0;
}
