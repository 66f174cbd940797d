#include "host/ModelHostServer.h"

#include "analysis/FitPlan.h"
#include "analysis/FitPlanJson.h"
#include "analysis/Sensitivity.h"
#include "analysis/WeightHistogram.h"
#include "analysis/WeightHistogramJson.h"
#include "common/FailureText.h"
#include "common/UserError.h"
#include "compress/Compressor.h"
#include "data/Dataset.h"
#include "device/DeviceCatalog.h"
#include "device/ModelEstimate.h"
#include "eval/Evaluator.h"
#include "eval/Latency.h"
#include "experiment/CompressionRun.h"
#include "experiment/DistillRun.h"
#include "experiment/DistillRunJson.h"
#include "experiment/Sweep.h"
#include "experiment/SweepJson.h"
#include "history/History.h"
#include "model/Model.h"
#include "report/ToJson.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// The user accepted NaN/Inf weights in this file in the window ("" would accept every file).
void acceptNonFiniteIfAsked(const QJsonObject &request, const QString &path)
{
    if (request.value(u"allow_nonfinite"_s).toBool() && !path.isEmpty())
        Model::acceptNonFinite(path);
}

class Host {
public:
    explicit Host(std::FILE *out) : m_out(out) {}

    // Reader thread: queues requests and marks cancels at once, so a long request hears its cancel.
    void readRequests(std::FILE *in)
    {
        std::string line;
        for (int c; (c = std::fgetc(in)) != EOF;) {
            if (c != '\n') {
                line.push_back(char(c));
                continue;
            }
            const QJsonObject request = QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
            line.clear();
            std::lock_guard<std::mutex> lock(m_mutex);
            if (request.value(u"op"_s).toString() == "cancel"_L1)
                m_cancelled.insert(qint64(request.value(u"id"_s).toDouble()));
            else
                m_queue.push_back(request);
            m_wake.notify_one();
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        m_closed = true; // the window went away: stop the current request too
        m_wake.notify_one();
    }

    // Each request runs on its own thread: the window's live point must not wait for a long analysis.
    void serve()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [this] { return m_closed || !m_queue.empty(); });
            if (m_closed)
                break;
            const QJsonObject request = m_queue.front();
            m_queue.pop_front();
            ++m_running;
            std::thread([this, request] {
                answer(request);
                std::lock_guard<std::mutex> done(m_mutex);
                --m_running;
                m_wake.notify_all();
            }).detach();
        }
        m_wake.wait(lock, [this] { return m_running == 0; }); // they stop at their next batch: stdin closed
    }

private:
    bool stopRequested(qint64 id)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_closed || m_cancelled.count(id) > 0;
    }

    void send(const QJsonObject &o)
    {
        const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
        std::lock_guard<std::mutex> lock(m_outMutex); // whole lines, whichever request's thread writes
        std::fwrite(line.constData(), 1, size_t(line.size()), m_out);
        std::fflush(m_out);
    }

    void answer(const QJsonObject &request)
    {
        const qint64 id = qint64(request.value(u"id"_s).toDouble());
        QElapsedTimer sinceProgress;
        sinceProgress.start();
        const ProgressCallback progress = [this, id, &sinceProgress](qint64 done, qint64 total) {
            if (stopRequested(id))
                return false;
            if (sinceProgress.elapsed() >= 100) { // ten a second is plenty for a progress bar
                sinceProgress.restart();
                send({{u"id"_s, double(id)}, {u"progress"_s, QJsonArray{double(done), double(total)}}});
            }
            return true;
        };
        const auto event = [this, id](const QJsonObject &e) { send({{u"id"_s, double(id)}, {u"event"_s, e}}); }; // intermediate results
        QJsonObject reply{{u"id"_s, double(id)}};
        try {
            if (stopRequested(id))
                throw Cancelled();
            const QString op = request.value(u"op"_s).toString();
            if (op == "evaluate"_L1)
                reply.insert(u"result"_s, evaluateRequest(request, progress));
            else if (op == "latency"_L1)
                reply.insert(u"result"_s, latencyRequest(request, progress));
            else if (op == "prepare"_L1) {
                model(request); // loaded now, while the window shows the model: the first measurement starts at once
                dataset(request);
                reply.insert(u"result"_s, QJsonObject());
            } else if (op == "weight_histogram"_L1) {
                const auto m = model(request);
                const auto calibration = dataset(request); // GPTQ's; the window sends data only then
                reply.insert(u"result"_s, toJson(computeWeightHistogram(*m, parseCompressionConfig(request.value(u"config"_s).toObject()),
                                                                       weightHistogramParamsFromJson(request.value(u"params"_s).toObject()),
                                                                       calibration.get(), progress)));
            } else if (op == "sweep"_L1) {
                reply.insert(u"result"_s, sweepRequest(request, progress, event));
            } else if (op == "distill"_L1) {
                reply.insert(u"result"_s, distillRequest(request, progress, event));
            } else if (op == "fit"_L1) {
                const FitParams params = fitParamsFromJson(request.value(u"params"_s).toObject());
                acceptNonFiniteIfAsked(request, params.modelPath);
                reply.insert(u"result"_s, toJson(fitToDevice(params, progress)));
            } else if (op == "estimate"_L1)
                reply.insert(u"result"_s, estimateRequest(request, progress));
            else if (op == "export"_L1)
                reply.insert(u"result"_s, exportRequest(request, progress));
            else if (op == "sensitivity"_L1)
                reply.insert(u"result"_s, sensitivityRequest(request, progress));
            else
                throw UserError(u"the model host does not know the request '%1'"_s.arg(op));
        } catch (const UserError &e) {
            reply.insert(u"error"_s, e.message());
        } catch (const Cancelled &) {
            reply.insert(u"error"_s, u"cancelled"_s);
            reply.insert(u"cancelled"_s, true);
        } catch (const std::exception &e) {
            reply.insert(u"error"_s, unexpectedFailureText(e));
        }
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_cancelled.erase(id);
        }
        send(reply);
    }

    // The window asks about one model and one dataset at a time: the last of each stays loaded. Loading holds
    // the lock, so a second request for the same file waits for the first load instead of repeating it.
    std::shared_ptr<Model> model(const QJsonObject &request)
    {
        const QString path = request.value(u"model"_s).toString();
        std::lock_guard<std::mutex> lock(m_stateMutex);
        acceptNonFiniteIfAsked(request, path);
        if (!m_model || m_model->path() != path) {
            m_model.reset();
            m_kept.reset();
            m_model = Model::load(path);
        }
        return m_model;
    }

    std::shared_ptr<Dataset> dataset(const QJsonObject &request)
    {
        const QString path = request.value(u"data"_s).toString();
        if (path.isEmpty())
            return {};
        std::lock_guard<std::mutex> lock(m_stateMutex);
        if (!m_data || m_dataPath != path) {
            m_data = Dataset::load(path);
            m_dataPath = path;
        }
        return m_data;
    }

    QJsonObject evaluateRequest(const QJsonObject &request, const ProgressCallback &progress)
    {
        const auto original = model(request);
        const auto data = dataset(request);
        QJsonObject result;
        std::shared_ptr<Model> target = original;
        if (const QString kept = request.value(u"use_kept"_s).toString(); !kept.isEmpty()) {
            std::lock_guard<std::mutex> lock(m_stateMutex);
            if (!m_kept || m_keptName != kept)
                throw UserError(u"the compressed copy '%1' is no longer kept: a newer configuration replaced it"_s.arg(kept));
            target = m_kept;
        } else if (request.contains(u"config"_s)) {
            CompressionResult compressed = compressModel(*original, parseCompressionConfig(request.value(u"config"_s).toObject()),
                                                         data.get(), progress);
            result.insert(u"report"_s, toJson(compressed.report));
            target = compressed.model;
            if (const QString name = request.value(u"keep_as"_s).toString(); !name.isEmpty()) {
                std::lock_guard<std::mutex> lock(m_stateMutex);
                m_kept = compressed.model;
                m_keptName = name;
            }
        }
        if (data) {
            EvalParams params;
            params.limit = qint64(request.value(u"limit"_s).toDouble(-1));
            params.batchSize = request.value(u"batch_size"_s).toInt(params.batchSize);
            result.insert(u"eval"_s, toJson(evaluate(*target, *data, params, progress)));
            result.insert(u"dataset_name"_s, data->info().name);
        }
        return result;
    }

    QJsonObject latencyRequest(const QJsonObject &request, const ProgressCallback &progress)
    {
        const auto m = model(request);
        // The dataset gives inputs only where the model's metadata does not say their shape.
        const auto data = m->metadata().inputShape.isEmpty() ? dataset(request) : nullptr;
        return toJson(measureLatency(*m, LatencyParams{}, data.get(), progress));
    }

    // Measures the original, then every configuration, each recorded in the history at `history` (when it opens);
    // the original and each row go to the window as events while the sweep runs.
    QJsonObject sweepRequest(const QJsonObject &request, const ProgressCallback &progress,
                             const std::function<void(const QJsonObject &)> &event)
    {
        const auto original = model(request);
        const auto data = dataset(request);
        if (!data)
            throw UserError(u"a sweep measures on data: choose a dataset first"_s);
        QVector<CompressionConfig> configs;
        for (const QJsonValue &c : request.value(u"configs"_s).toArray())
            configs << parseCompressionConfig(c.toObject());
        QString problem;
        std::unique_ptr<history::History> history;
        try {
            history = std::make_unique<history::History>(request.value(u"history"_s).toString());
        } catch (const UserError &e) {
            problem = e.message(); // the sweep still runs: its results reach the window
        }
        SweepParams params;
        for (const QJsonValue &t : request.value(u"tags"_s).toArray())
            params.tags << t.toString();
        SweepCallbacks callbacks;
        callbacks.progress = progress;
        callbacks.originalMeasured = [&](const EvalResult &r) { event({{u"original"_s, toJson(r)}}); };
        callbacks.finished = [&](const SweepEntry &e) { event({{u"entry"_s, toJson(e)}}); };
        const SweepResult result = sweepModel(*original, *data, configs, history.get(), params, callbacks);
        return {{u"history_problem"_s, problem.isEmpty() ? result.historyProblem : problem}};
    }

    // Trains a student against the model, recorded in the history at `history`; the stage names and the curve
    // points go to the window as events (points at most ~20 times a second, however fast the steps are).
    static QJsonObject distillRequest(const QJsonObject &request, const ProgressCallback &progress,
                                      const std::function<void(const QJsonObject &)> &event)
    {
        const DistillRunParams params = distillRunParamsFromJson(request.value(u"params"_s).toObject());
        acceptNonFiniteIfAsked(request, params.modelPath);
        QString problem;
        std::unique_ptr<history::History> history;
        try {
            history = std::make_unique<history::History>(request.value(u"history"_s).toString());
        } catch (const UserError &e) {
            problem = e.message(); // the run still happens; it is just not recorded
        }
        QString lastStage;
        const auto onStage = [&](const QString &stage, qint64 done, qint64 total) {
            if (stage != lastStage) {
                lastStage = stage;
                event({{u"stage"_s, stage}});
            }
            return progress(done, total);
        };
        QVector<history::CurvePoint> pending;
        QElapsedTimer sinceFlush;
        sinceFlush.start();
        const auto flush = [&] {
            if (!pending.isEmpty())
                event({{u"points"_s, toJson(pending)}});
            pending.clear();
            sinceFlush.restart();
        };
        DistillRun run;
        try {
            run = runDistillation(params, history.get(), onStage, [&](const QVector<history::CurvePoint> &points) {
                pending += points;
                if (sinceFlush.elapsed() >= 50)
                    flush();
            });
        } catch (...) {
            flush();
            throw;
        }
        flush();
        if (!problem.isEmpty())
            run.historyProblem = problem;
        return toJson(run);
    }

    // Every device profile's estimate for the model as a configuration compresses it (the window's device view).
    // The profiles are read from their files here, where the window saved them.
    QJsonObject estimateRequest(const QJsonObject &request, const ProgressCallback &progress)
    {
        const auto original = model(request);
        std::optional<CompressionResult> compressed;
        if (request.contains(u"config"_s))
            compressed = compressModel(*original, parseCompressionConfig(request.value(u"config"_s).toObject()), nullptr, progress);
        if (!reportProgress(progress, 1, 1))
            throw Cancelled();
        const ModelEstimate e = estimateLoadedModel(*original, compressed ? &*compressed : nullptr, nullptr, DeviceCatalog::load().profiles());
        QJsonArray devices;
        for (const DeviceEstimate &d : e.devices)
            devices.push_back(toJson(d));
        QJsonObject o{{u"model_name"_s, e.modelName}, {u"language_model"_s, e.languageModel}, {u"devices"_s, devices}};
        if (e.report)
            o.insert(u"report"_s, toJson(*e.report));
        return o;
    }

    // Writes the exports of a configuration, as `compresslab-cli compress --out` does (no latency, no history).
    static QJsonObject exportRequest(const QJsonObject &request, const ProgressCallback &progress)
    {
        CompressionRunParams params;
        params.modelPath = request.value(u"model"_s).toString();
        params.dataPath = request.value(u"data"_s).toString();
        params.config = parseCompressionConfig(request.value(u"config"_s).toObject());
        params.measureLatency = false;
        params.outDir = request.value(u"out_dir"_s).toString();
        if (params.outDir.isEmpty())
            throw UserError(u"an export needs a folder to write to"_s);
        acceptNonFiniteIfAsked(request, params.modelPath);
        const CompressionRun run = runCompression(params, [&](const QString &, qint64 done, qint64 total) { return progress(done, total); });
        QJsonArray files;
        for (const ExportedFile &f : run.exports)
            files.push_back(QJsonObject{{u"path"_s, f.path}, {u"format"_s, f.format}, {u"file_bytes"_s, double(f.fileBytes)}});
        return {{u"exports"_s, files}, {u"report"_s, toJson(run.report)}};
    }

    // Loads the model itself (and caches the result per model and settings), as the CLI's command does.
    static QJsonObject sensitivityRequest(const QJsonObject &request, const ProgressCallback &progress)
    {
        const QString path = request.value(u"model"_s).toString();
        acceptNonFiniteIfAsked(request, path);
        const SensitivityParams params = sensitivityParamsFromJson(request.value(u"params"_s).toObject());
        SensitivityResult r = analyseSensitivity(path, request.value(u"data"_s).toString(), params, progress);
        QJsonObject o = toJson(r);
        o.insert(u"cache_path"_s, r.cachePath);
        return o;
    }

    std::FILE *m_out;
    std::mutex m_outMutex;
    std::mutex m_mutex; // the queue, the cancels and the count of running requests
    std::condition_variable m_wake;
    std::deque<QJsonObject> m_queue;
    std::set<qint64> m_cancelled;
    bool m_closed = false;
    int m_running = 0;

    std::mutex m_stateMutex; // what stays loaded between requests

    std::shared_ptr<Model> m_model;
    std::shared_ptr<Model> m_kept; // the compressed copy a later request evaluates further (one at a time)
    QString m_keptName;
    std::shared_ptr<Dataset> m_data;
    QString m_dataPath;
};

} // namespace

int serveModelHost(std::FILE *in, std::FILE *out)
{
    Host host(out);
    std::thread reader([&host, in] { host.readRequests(in); });
    host.serve();
    // serve() returns once stdin closed and every request stopped; the reader has seen that end already.
    reader.join();
    return 0;
}

} // namespace compresslab
