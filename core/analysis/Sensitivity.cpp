#include "analysis/Sensitivity.h"

#include "common/AtomicFile.h"
#include "common/UserError.h"
#include "compress/ActivationCapture.h"
#include "compress/Quantize.h"
#include "compress/WeightMethods.h"
#include "data/DatasetImpl.h"
#include "eval/MetricAccumulator.h"
#include "eval/ModelRunner.h"
#include "experiment/RecordedRun.h"
#include "model/ModelImpl.h"
#include "runtime/RuntimeInfo.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

#include <numeric>

using namespace Qt::StringLiterals;

namespace compresslab {

QJsonObject toJson(const SensitivityParams &p)
{
    QJsonArray bits, sparsities;
    for (int b : p.bits)
        bits.push_back(b);
    for (double s : p.sparsities)
        sparsities.push_back(s);
    return {{u"bits"_s, bits}, {u"sparsities"_s, sparsities}, {u"samples"_s, double(p.samples)}, {u"batch_size"_s, p.batchSize},
            {u"use_cache"_s, p.useCache}};
}

SensitivityParams sensitivityParamsFromJson(const QJsonObject &o)
{
    SensitivityParams p;
    if (o.contains("bits"_L1)) {
        p.bits.clear();
        for (const QJsonValue &b : o.value("bits"_L1).toArray())
            p.bits << b.toInt();
    }
    if (o.contains("sparsities"_L1)) {
        p.sparsities.clear();
        for (const QJsonValue &s : o.value("sparsities"_L1).toArray())
            p.sparsities << s.toDouble();
    }
    p.samples = qint64(o.value("samples"_L1).toDouble(double(p.samples)));
    p.batchSize = o.value("batch_size"_L1).toInt(p.batchSize);
    p.useCache = o.value("use_cache"_L1).toBool(p.useCache);
    return p;
}

QString sparsityProbeName(double sparsity) { return u"prune %1%"_s.arg(sparsity * 100, 0, 'g', 3); }

namespace {

QString cacheDirectory()
{
    const QString env = qEnvironmentVariable("COMPRESSLAB_SENSITIVITY_CACHE");
    return env.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + u"/compresslab/sensitivity"_s : env;
}

QJsonObject paramsJson(const SensitivityParams &p)
{
    QJsonArray bits, sparsities;
    for (int b : p.bits)
        bits.push_back(b);
    for (double s : p.sparsities)
        sparsities.push_back(s);
    return {{u"bits"_s, bits}, {u"sparsities"_s, sparsities}, {u"samples"_s, double(p.samples)}, {u"version"_s, 1}};
}

std::vector<double> ranks(const std::vector<double> &v)
{
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
            ++j;
        for (size_t k = i; k <= j; ++k)
            r[order[k]] = (double(i) + double(j)) / 2.0; // ties share their mean rank
        i = j + 1;
    }
    return r;
}

double spearman(const std::vector<double> &a, const std::vector<double> &b)
{
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    const double n = double(a.size());
    const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n, mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
    double cov = 0, va = 0, vb = 0;
    for (size_t i = 0; i < ra.size(); ++i) {
        cov += (ra[i] - ma) * (rb[i] - mb);
        va += (ra[i] - ma) * (ra[i] - ma);
        vb += (rb[i] - mb) * (rb[i] - mb);
    }
    return va > 0 && vb > 0 ? cov / std::sqrt(va * vb) : 0;
}

struct Runner {
    Model::Impl &model;
    const Dataset::Impl &data;
    Task task;
    int64_t n;
    int batch;
    std::vector<torch::Tensor> baselineLogProbs;

    // The metrics, and the mean KL from the baseline (0 for the baseline run itself, which is kept).
    std::pair<QVector<Metric>, double> run(bool keepAsBaseline)
    {
        MetricAccumulator acc(task);
        double klSum = 0, klCount = 0;
        size_t b = 0;
        for (int64_t start = 0; start < n; start += batch, ++b) {
            const int64_t len = std::min<int64_t>(batch, n - start);
            const auto logits = runForward(model.module, data.inputs.narrow(0, start, len));
            const auto targets = data.targets.narrow(0, start, len);
            const auto mask = data.mask.defined() ? data.mask.narrow(0, start, len) : torch::Tensor();
            acc.add(logits, targets, mask);
            const auto logProbs = torch::log_softmax(logits.to(torch::kFloat), -1);
            if (keepAsBaseline) {
                baselineLogProbs.push_back(logProbs);
                continue;
            }
            const auto &base = baselineLogProbs[b];
            auto kl = (base.exp() * (base - logProbs)).sum(-1); // per sample or per position
            if (mask.defined() && kl.dim() == mask.dim()) {
                klSum += (kl * mask.to(kl.dtype())).sum().item<double>();
                klCount += mask.sum().item<double>();
            } else {
                klSum += kl.sum().item<double>();
                klCount += double(kl.numel());
            }
        }
        return {acc.metrics(), klCount > 0 ? klSum / klCount : 0};
    }
};

} // namespace

SensitivityResult analyseSensitivity(const QString &modelPath, const QString &dataPath, const SensitivityParams &params,
                                     const ProgressCallback &progress)
{
    if (params.samples < 1 || params.batchSize < 1)
        throw UserError(u"sensitivity needs at least one sample and a batch of at least one"_s);
    for (int b : params.bits)
        if (b < 2 || b > 8)
            throw UserError(u"sensitivity bit widths must be between 2 and 8, not %1"_s.arg(b));
    for (double s : params.sparsities)
        if (!(s > 0 && s < 1))
            throw UserError(u"sensitivity pruning ratios must be between 0 and 1 (exclusive), not %1"_s.arg(s));
    // Cached per model content, dataset content and settings.
    const QByteArray key = QCryptographicHash::hash(
        (fileSha256(modelPath) + fileSha256(dataPath) + QString::fromUtf8(QJsonDocument(paramsJson(params)).toJson(QJsonDocument::Compact))).toUtf8(),
        QCryptographicHash::Sha256).toHex().left(32);
    const QString cachePath = cacheDirectory() + u"/"_s + QString::fromLatin1(key) + u".json"_s;
    if (params.useCache && QFileInfo::exists(cachePath)) {
        QFile f(cachePath);
        if (f.open(QIODevice::ReadOnly)) {
            const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
            if (doc.isObject()) {
                SensitivityResult cached = sensitivityFromJson(doc.object());
                cached.fromCache = true;
                cached.cachePath = cachePath;
                return cached;
            }
        }
    }

    QElapsedTimer timer;
    timer.start();
    configureRuntime(0);
    const auto model = Model::load(modelPath); // our own copy: probes change its weights in memory only
    const auto dataset = Dataset::load(dataPath);
    Model::Impl &impl = model->impl();
    const Dataset::Impl &d = dataset->impl();
    const Task task = model->metadata().task != Task::Unknown ? model->metadata().task : dataset->info().task;
    torch::NoGradGuard noGrad;
    Runner runner{impl, d, task, std::min<int64_t>(params.samples, d.inputs.size(0)), params.batchSize, {}};

    // The layers: Linear, Conv and Embedding modules with a floating weight of two or more dimensions.
    const QHash<QString, torch::jit::Module> modules = modulesByPath(impl.module);
    QVector<LayerSensitivity> layers;
    QStringList linearPaths;
    for (const ModuleNode &node : model->summary().modules) {
        if (!node.type.startsWith("Linear"_L1) && !node.type.startsWith("Conv"_L1) && !node.type.startsWith("Embedding"_L1))
            continue;
        if (!modules.contains(node.path) || !modules.value(node.path).hasattr("weight"))
            continue;
        const auto w = modules.value(node.path).attr("weight").toTensor();
        if (w.dim() < 2 || !w.is_floating_point())
            continue;
        layers.push_back({node.path, node.type, w.numel(), {}, -1});
        if (node.type.startsWith("Linear"_L1))
            linearPaths << node.path;
    }
    if (layers.isEmpty())
        throw UserError(u"the model has no Linear, Conv or Embedding layers to analyse"_s);

    SensitivityResult r;
    r.samples = runner.n;
    const qint64 total = 1 + qint64(layers.size()) * (params.bits.size() + params.sparsities.size()) + 1;
    qint64 done = 0;
    auto step = [&] {
        if (!reportProgress(progress, ++done, total))
            throw Cancelled();
    };
    {
        std::lock_guard<std::mutex> lock(impl.runMutex);
        const Metric m = runner.run(true).first.first(); // accuracy, or perplexity for language models
        r.metricKey = m.key;
        r.metricLabel = m.label;
        r.higherIsBetter = m.higherIsBetter;
        r.baseline = m.value;
    }
    step();

    const int referenceBits = params.bits.contains(4) ? 4 : (params.bits.isEmpty() ? 4 : params.bits.first());
    r.referenceSetting = u"int%1"_s.arg(referenceBits);
    auto quantized = [](const torch::Tensor &w, int bits) {
        const auto m = w.reshape({w.size(0), -1});
        return quantizeMatrix(m, bits, m.size(1), true).dequantized.reshape(w.sizes());
    };
    for (LayerSensitivity &layer : layers) {
        torch::Tensor weight = modules.value(layer.layer).attr("weight").toTensor();
        const torch::Tensor original = weight.detach().clone();
        auto probe = [&](const QString &setting, const torch::Tensor &changed) {
            std::lock_guard<std::mutex> lock(impl.runMutex);
            weight.detach().copy_(changed);
            const auto [metrics, kl] = runner.run(false);
            weight.detach().copy_(original);
            double metric = 0;
            for (const Metric &m : metrics)
                if (m.key == r.metricKey)
                    metric = m.value;
            layer.probes.push_back({setting, metric, metric - r.baseline, kl});
            step();
        };
        for (int bits : params.bits)
            probe(u"int%1"_s.arg(bits), quantized(original, bits));
        for (double s : params.sparsities) {
            const auto m = original.reshape({original.size(0), -1});
            probe(sparsityProbeName(s), (m * magnitudeMask(m, s)).reshape(original.sizes()));
        }
    }

    // The cheap score: second-order saliency sum_j H_jj * ||dW_:,j||^2 of the reference quantization, with H the
    // input Hessian from calibration activations (as GPTQ uses); no extra forward pass per layer.
    const auto hessians = collectInputHessians(*model, *dataset, linearPaths, int(std::min<int64_t>(runner.n, 128)));
    std::vector<double> cheap, measured;
    for (LayerSensitivity &layer : layers) {
        const auto it = hessians.find(layer.layer);
        if (it == hessians.end())
            continue;
        const auto w = modules.value(layer.layer).attr("weight").toTensor().detach().to(torch::kDouble);
        const auto dw = w - quantized(w.to(torch::kFloat), referenceBits).to(torch::kDouble);
        layer.cheapScore = (dw.pow(2) * it->second.diagonal().unsqueeze(0)).sum().item<double>();
        for (const SensitivityProbe &p : layer.probes)
            if (p.setting == r.referenceSetting) {
                cheap.push_back(layer.cheapScore);
                measured.push_back(p.kl);
            }
    }
    r.rankedLayers = int(cheap.size());
    r.spearman = cheap.size() >= 2 ? spearman(cheap, measured) : 0;
    step();
    r.layers = layers;
    r.seconds = timer.nsecsElapsed() / 1e9;
    r.cachePath = cachePath;

    QDir().mkpath(cacheDirectory());
    try {
        writeAtomically(cachePath, [&](const QString &temp) {
            QFile f(temp);
            if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(toJson(r)).toJson()) < 0)
                throw UserError(u"cannot write %1"_s.arg(cachePath));
        });
    } catch (const UserError &) {
        r.cachePath.clear(); // a cache that cannot be written costs a recomputation later, nothing more
    }
    return r;
}

QJsonObject toJson(const SensitivityResult &r)
{
    QJsonArray layers;
    for (const LayerSensitivity &l : r.layers) {
        QJsonArray probes;
        for (const SensitivityProbe &p : l.probes)
            probes.push_back(QJsonObject{{u"setting"_s, p.setting}, {u"metric"_s, p.metric}, {u"delta"_s, p.delta}, {u"kl"_s, p.kl}});
        layers.push_back(QJsonObject{{u"layer"_s, l.layer}, {u"type"_s, l.type}, {u"weights"_s, double(l.weights)}, {u"probes"_s, probes},
                                     {u"cheap_score"_s, l.cheapScore >= 0 ? QJsonValue(l.cheapScore) : QJsonValue()}});
    }
    return {{u"kind"_s, u"measured"_s}, {u"metric"_s, r.metricKey}, {u"metric_label"_s, r.metricLabel}, {u"higher_is_better"_s, r.higherIsBetter},
            {u"baseline"_s, r.baseline}, {u"samples"_s, double(r.samples)}, {u"reference_setting"_s, r.referenceSetting},
            {u"spearman_cheap_vs_measured"_s, r.spearman}, {u"ranked_layers"_s, r.rankedLayers}, {u"seconds"_s, r.seconds},
            {u"from_cache"_s, r.fromCache}, {u"layers"_s, layers}};
}

SensitivityResult sensitivityFromJson(const QJsonObject &o)
{
    SensitivityResult r;
    r.metricKey = o.value("metric"_L1).toString();
    r.metricLabel = o.value("metric_label"_L1).toString();
    r.higherIsBetter = o.value("higher_is_better"_L1).toBool();
    r.baseline = o.value("baseline"_L1).toDouble();
    r.samples = qint64(o.value("samples"_L1).toDouble());
    r.referenceSetting = o.value("reference_setting"_L1).toString();
    r.spearman = o.value("spearman_cheap_vs_measured"_L1).toDouble();
    r.rankedLayers = o.value("ranked_layers"_L1).toInt();
    r.seconds = o.value("seconds"_L1).toDouble();
    r.fromCache = o.value("from_cache"_L1).toBool();
    for (const QJsonValue &lv : o.value("layers"_L1).toArray()) {
        LayerSensitivity l{lv[u"layer"_s].toString(), lv[u"type"_s].toString(), qint64(lv[u"weights"_s].toDouble()), {},
                           lv[u"cheap_score"_s].isDouble() ? lv[u"cheap_score"_s].toDouble() : -1};
        for (const QJsonValue &p : lv[u"probes"_s].toArray())
            l.probes.push_back({p[u"setting"_s].toString(), p[u"metric"_s].toDouble(), p[u"delta"_s].toDouble(), p[u"kl"_s].toDouble()});
        r.layers.push_back(l);
    }
    return r;
}

} // namespace compresslab
