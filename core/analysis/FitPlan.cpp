#include "analysis/FitPlan.h"

#include "common/ProgressSlice.h"
#include "common/UserError.h"
#include "compress/Compressor.h"
#include "data/Dataset.h"
#include "device/Estimator.h"
#include "device/Workload.h"
#include "eval/Evaluator.h"
#include "model/Model.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

struct Choice {
    int bits;
    double sparsity; // pruned share, 0 for dense
    double bytes;    // deployed bytes of the layer at these settings, exact
    double kl;       // measured drift with only this layer at these bits, plus with only this layer pruned so
};

using Plan = QMap<QString, int>; // layer -> index into its choices

QJsonObject uniformConfig(int bits, double sparsity)
{
    QJsonObject config{{u"quantize"_s, QJsonObject{{u"bits"_s, bits}, {u"granularity"_s, u"channel"_s}}}};
    if (sparsity > 0)
        config.insert(u"prune"_s, QJsonObject{{u"sparsity"_s, sparsity}});
    return config;
}

// int8 per channel as the base, each layer's own width and ratio as an override.
QJsonObject planConfig(const Plan &plan, const QHash<QString, QVector<Choice>> &choices)
{
    QJsonObject layers;
    bool pruned = false;
    for (auto it = plan.begin(); it != plan.end(); ++it) {
        const Choice &c = choices.value(it.key()).at(it.value());
        QJsonObject layer;
        if (c.bits != 8)
            layer.insert(u"bits"_s, c.bits);
        if (c.sparsity > 0) {
            layer.insert(u"sparsity"_s, c.sparsity);
            pruned = true;
        }
        if (!layer.isEmpty())
            layers.insert(it.key(), layer);
    }
    QJsonObject config = uniformConfig(8, 0);
    if (pruned) // the step must exist for the per-layer ratios; at 0 it prunes nothing and is stored dense
        config.insert(u"prune"_s, QJsonObject{{u"sparsity"_s, 0}});
    if (!layers.isEmpty())
        config.insert(u"layers"_s, layers);
    return config;
}

} // namespace

FitResult fitToDevice(const FitParams &p, const ProgressCallback &progress)
{
    for (const auto &[value, name] : {std::pair{p.maxWeightBytes, "--max-memory"}, std::pair{p.maxLatencyMs, "--max-latency"}}) {
        if (value && !(*value > 0))
            throw UserError(u"%1 must be a positive number"_s.arg(QString::fromLatin1(name)));
    }
    if (p.maxLoss && *p.maxLoss < 0)
        throw UserError(u"--max-loss must not be negative"_s);
    if (p.bits.isEmpty())
        throw UserError(u"fit needs at least one bit width"_s);
    QVector<double> ratios{0};
    for (double x : p.sparsities)
        if (x > 0 && !ratios.contains(x))
            ratios << x;
    FitResult r;
    SensitivityParams sp;
    sp.bits = p.bits;
    sp.sparsities = ratios.mid(1);
    sp.samples = p.sensitivitySamples;
    // Progress in thousandths: the sensitivity (often cached) up to 700, then planning, then the measurements,
    // whose every batch also asks whether to stop.
    constexpr qint64 kTotal = 1000;
    r.sensitivity = analyseSensitivity(p.modelPath, p.dataPath, sp, progressSlice(progress, 0, 700, kTotal));
    r.metricLabel = r.sensitivity.metricLabel;
    r.higherIsBetter = r.sensitivity.higherIsBetter;

    const auto model = Model::load(p.modelPath);
    const auto data = Dataset::load(p.dataPath);
    // Exact deployed bytes of every layer at every width and ratio: uniform compressions, accounted, not evaluated.
    QHash<QPair<int, double>, CompressionReport> uniform;
    for (int b : p.bits)
        for (double ratio : ratios)
            uniform.insert({b, ratio}, compressModel(*model, parseCompressionConfig(uniformConfig(b, ratio)), nullptr, {}, ModelUse::Keep).report);
    const CompressionReport &ref = uniform.value({p.bits.first(), 0.0});
    auto probeKl = [](const LayerSensitivity &l, const QString &setting) {
        for (const SensitivityProbe &probe : l.probes)
            if (probe.setting == setting)
                return probe.kl;
        return 0.0;
    };
    double layerBytesAtRef = 0;
    QHash<QString, QVector<Choice>> choices;
    for (const LayerSensitivity &l : r.sensitivity.layers) {
        QVector<Choice> cs;
        for (int b : p.bits) {
            for (double ratio : ratios) {
                double bytes = -1;
                for (const LayerReport &lr : uniform.value({b, ratio}).layers)
                    if (lr.path == l.layer)
                        bytes = double(lr.deployedBytes);
                const double kl = probeKl(l, u"int%1"_s.arg(b)) + (ratio > 0 ? probeKl(l, sparsityProbeName(ratio)) : 0.0);
                if (bytes >= 0)
                    cs.push_back({b, ratio, bytes, kl});
            }
        }
        if (!cs.isEmpty()) {
            choices.insert(l.layer, cs);
            layerBytesAtRef += cs.first().bytes;
        }
    }
    const double fixedBytes = double(ref.deployedBytes) - layerBytesAtRef; // biases, norms, buffers: the same in every plan

    // The budget: given, or matching a uniform width, or what the device's memory leaves after activations.
    const Workload workload = captureWorkload(*model, data.get(), 1);
    if (p.matchUniformBits) {
        if (!uniform.contains({*p.matchUniformBits, 0.0}))
            throw UserError(u"--match-uniform %1 is not among the probed bit widths"_s.arg(*p.matchUniformBits));
        r.budgetBytes = double(uniform.value({*p.matchUniformBits, 0.0}).deployedBytes);
    } else {
        r.budgetBytes = p.maxWeightBytes.value_or(p.device.memoryBytes - workload.peakActivationBytes);
    }
    if (p.maxWeightBytes)
        r.budgetBytes = std::min(r.budgetBytes, *p.maxWeightBytes);

    auto solve = [&](double budget) {
        Plan plan;
        // Few layers: search every combination, the exact optimum.
        double combinations = 1;
        for (const auto &cs : std::as_const(choices))
            combinations *= double(cs.size());
        if (combinations <= 1e6) {
            const QStringList names = choices.keys();
            QVector<int> index(names.size(), 0), bestIndex;
            double bestKl = std::numeric_limits<double>::infinity(), bestTotal = 0;
            while (true) {
                double total = fixedBytes, kl = 0;
                for (qsizetype i = 0; i < names.size(); ++i) {
                    const Choice &c = choices.value(names[i]).at(index[i]);
                    total += c.bytes;
                    kl += c.kl;
                }
                if (total <= budget && (kl < bestKl || (kl == bestKl && total < bestTotal))) {
                    bestKl = kl;
                    bestTotal = total;
                    bestIndex = index;
                }
                qsizetype k = 0;
                while (k < names.size() && ++index[k] == choices.value(names[k]).size())
                    index[k++] = 0;
                if (k == names.size())
                    break;
            }
            if (!bestIndex.isEmpty()) {
                for (qsizetype i = 0; i < names.size(); ++i)
                    plan[names[i]] = bestIndex[i];
                return std::pair{plan, bestTotal};
            }
        }
        // Lagrangian relaxation of the multiple-choice knapsack, then a greedy fill of what is left.
        auto pick = [&](double lambda, Plan &out) {
            double total = fixedBytes;
            for (auto it = choices.begin(); it != choices.end(); ++it) {
                int best = 0;
                for (int i = 1; i < it.value().size(); ++i) {
                    const Choice &c = it.value()[i], &b = it.value()[best];
                    if (c.kl + lambda * c.bytes < b.kl + lambda * b.bytes)
                        best = i;
                }
                out[it.key()] = best;
                total += it.value()[best].bytes;
            }
            return total;
        };
        double lo = 0, hi = 1;
        while (pick(hi, plan) > budget && hi < 1e12)
            hi *= 4;
        for (int i = 0; i < 60; ++i) {
            const double mid = (lo + hi) / 2;
            Plan trial;
            (pick(mid, trial) > budget ? lo : hi) = mid;
        }
        double total = pick(hi, plan);
        for (bool improved = true; improved;) {
            improved = false;
            QString bestLayer;
            int bestChoice = -1;
            double bestGain = 0;
            for (auto it = choices.begin(); it != choices.end(); ++it) {
                const Choice &cur = it.value()[plan[it.key()]];
                for (int i = 0; i < it.value().size(); ++i) {
                    const Choice &c = it.value()[i];
                    const double extra = c.bytes - cur.bytes;
                    if (c.kl < cur.kl && total + extra <= budget && (cur.kl - c.kl) / std::max(1.0, extra) > bestGain) {
                        bestGain = (cur.kl - c.kl) / std::max(1.0, extra);
                        bestLayer = it.key();
                        bestChoice = i;
                    }
                }
            }
            if (!bestLayer.isEmpty()) {
                const QVector<Choice> &cs = choices.value(bestLayer);
                total += cs[bestChoice].bytes - cs[plan[bestLayer]].bytes;
                plan[bestLayer] = bestChoice;
                improved = true;
            }
        }
        return std::pair{plan, total};
    };

    auto evaluatePlan = [&](const QJsonObject &configJson, FitOutcome &o, qint64 from, qint64 to) {
        const CompressionConfig config = parseCompressionConfig(configJson);
        const CompressionResult c = compressModel(*model, config, data.get(), progressSlice(progress, from, from, kTotal), ModelUse::Keep);
        o.configuration = config.describe();
        o.config = configJson;
        o.weightBytes = double(c.report.deployedBytes);
        const Workload planWork = captureWorkload(*c.model, data.get(), 1);
        EstimateInput in{&planWork, nullptr, &c.report, double(model->summary().totalBytes()), false};
        o.latencyMs = estimateOnDevice(in, p.device).latencyMs;
        EvalParams ep;
        ep.limit = p.evalLimit;
        const EvalResult e = evaluate(*c.model, *data, ep, progressSlice(progress, from, to, kTotal));
        o.measuredMetric = e.metrics.first().value;
    };

    double minBytes = fixedBytes;
    for (const auto &cs : std::as_const(choices)) {
        double m = cs.first().bytes;
        for (const Choice &c : cs)
            m = std::min(m, c.bytes);
        minBytes += m;
    }
    double budget = r.budgetBytes;
    if (budget < minBytes) {
        r.feasible = false;
        r.problems << u"the memory budget (%1 bytes) is below the smallest plan: every layer at its smallest setting (%2 bits%3) takes %4 bytes"_s
                          .arg(budget, 0, 'f', 0).arg(*std::min_element(p.bits.begin(), p.bits.end()))
                          .arg(ratios.size() > 1 ? u", %1 % pruned"_s.arg(*std::max_element(ratios.begin(), ratios.end()) * 100, 0, 'g', 3) : QString()).arg(minBytes, 0, 'f', 0);
        budget = minBytes;
    }
    // Latency: tighten the byte budget until the device estimate fits (memory-bound devices speed up with fewer bytes).
    QJsonObject chosenConfig;
    for (int i = 0; i < 25; ++i) {
        const auto [plan, total] = solve(budget);
        r.plan.bitsPerLayer.clear();
        r.plan.sparsityPerLayer.clear();
        r.plan.predictedKl = 0;
        for (auto it = plan.begin(); it != plan.end(); ++it) {
            const Choice &c = choices.value(it.key()).at(it.value());
            r.plan.bitsPerLayer[it.key()] = c.bits;
            r.plan.sparsityPerLayer[it.key()] = c.sparsity;
            r.plan.predictedKl += c.kl;
        }
        chosenConfig = planConfig(plan, choices);
        const CompressionConfig config = parseCompressionConfig(chosenConfig);
        const CompressionResult c = compressModel(*model, config, nullptr, {}, ModelUse::Keep);
        const Workload planWork = captureWorkload(*c.model, data.get(), 1);
        EstimateInput in{&planWork, nullptr, &c.report, double(model->summary().totalBytes()), false};
        const double latency = estimateOnDevice(in, p.device).latencyMs;
        if (!p.maxLatencyMs || latency <= *p.maxLatencyMs)
            break;
        if (budget <= minBytes * 1.0001) {
            r.feasible = false;
            r.problems << u"the latency budget (%1 ms) cannot be met on %2: the smallest plan is estimated at %3 ms"_s.arg(*p.maxLatencyMs)
                              .arg(p.device.name).arg(latency, 0, 'f', 3);
            break;
        }
        budget = std::max(minBytes, budget * 0.9);
    }
    if (!reportProgress(progress, 700, kTotal))
        throw Cancelled();

    EvalParams ep;
    ep.limit = p.evalLimit;
    const qint64 step = p.matchUniformBits ? 100 : 150; // the original, the plan and maybe uniform: 300 in all
    r.baselineMetric = evaluate(*model, *data, ep, progressSlice(progress, 700, 700 + step, kTotal)).metrics.first().value;
    const double sign = r.higherIsBetter ? 1 : -1;
    evaluatePlan(chosenConfig, r.plan, 700 + step, 700 + 2 * step);
    r.plan.measuredLoss = sign * (r.baselineMetric - r.plan.measuredMetric);
    if (p.matchUniformBits) {
        FitOutcome u;
        evaluatePlan(uniformConfig(*p.matchUniformBits, 0), u, 900, 1000);
        u.measuredLoss = sign * (r.baselineMetric - u.measuredMetric);
        r.uniform = u;
    }
    if (p.maxLoss && r.plan.measuredLoss > *p.maxLoss) {
        r.feasible = false;
        r.problems << u"the loss budget (%1) is not met: the plan measured %2 worse than the original (%3 %4 → %5)"_s.arg(*p.maxLoss)
                          .arg(r.plan.measuredLoss, 0, 'f', 3).arg(r.metricLabel).arg(r.baselineMetric, 0, 'f', 3).arg(r.plan.measuredMetric, 0, 'f', 3);
    }
    return r;
}

QJsonObject toJson(const FitResult &r)
{
    auto outcome = [&](const FitOutcome &o) {
        QJsonObject bits, sparsity;
        for (auto it = o.bitsPerLayer.begin(); it != o.bitsPerLayer.end(); ++it)
            bits.insert(it.key(), it.value());
        for (auto it = o.sparsityPerLayer.begin(); it != o.sparsityPerLayer.end(); ++it)
            sparsity.insert(it.key(), it.value());
        return QJsonObject{{u"configuration"_s, o.configuration}, {u"config"_s, o.config}, {u"bits_per_layer"_s, bits},
                           {u"sparsity_per_layer"_s, sparsity},
                           {u"weight_bytes"_s, o.weightBytes}, {u"estimated_latency_ms"_s, o.latencyMs}, {u"predicted_kl"_s, o.predictedKl},
                           {u"measured_metric"_s, o.measuredMetric}, {u"measured_loss"_s, o.measuredLoss}};
    };
    QJsonObject o{{u"metric"_s, r.metricLabel}, {u"higher_is_better"_s, r.higherIsBetter}, {u"baseline_metric"_s, r.baselineMetric},
                  {u"budget_bytes"_s, r.budgetBytes}, {u"feasible"_s, r.feasible}, {u"problems"_s, QJsonArray::fromStringList(r.problems)},
                  {u"plan"_s, outcome(r.plan)}};
    if (r.uniform)
        o.insert(u"uniform"_s, outcome(*r.uniform));
    return o;
}

} // namespace compresslab
