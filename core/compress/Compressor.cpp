#include "compress/Compressor.h"

#include "common/ProgressSlice.h"
#include "common/UserError.h"
#include "compress/ActivationCapture.h"
#include "compress/AttentionHeads.h"
#include "compress/CompressionArtifacts.h"
#include "compress/GraphTools.h"
#include "compress/Int8EngineChoice.h"
#include "compress/Int8Kernels.h"
#include "compress/LayerSteps.h"
#include "compress/LowRankLinears.h"
#include "compress/WeightMethods.h"
#include "eval/ExampleInput.h"
#include "model/ModelImpl.h"
#include "runtime/RuntimeInfo.h"

#include <QElapsedTimer>
#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

bool typeSelected(const QString &type, const QStringList &selected)
{
    return (selected.contains("Linear"_L1) && type.contains("Linear"_L1)) ||
           (selected.contains("Conv"_L1) && type.startsWith("Conv"_L1)) ||
           (selected.contains("Embedding"_L1) && type.startsWith("Embedding"_L1));
}

// Exact path, or a wildcard pattern such as "blocks.*.mlp.fc2".
const LayerOverride *findOverride(const CompressionConfig &config, const QString &path)
{
    auto exact = config.layers.constFind(path);
    if (exact != config.layers.constEnd())
        return &exact.value();
    for (auto it = config.layers.constBegin(); it != config.layers.constEnd(); ++it) {
        const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(it.key(), QRegularExpression::UnanchoredWildcardConversion),
                                    QRegularExpression::NoPatternOption);
        if (QRegularExpression(u"^(?:"_s + re.pattern() + u")$"_s).match(path).hasMatch())
            return &it.value();
    }
    return nullptr;
}


struct LayerTotals {
    qint64 weights = 0, originalBytes = 0, deployedBytes = 0;
    double bits = 0;
    void add(const LayerReport &r)
    {
        if (r.skipped || !r.tiedTo.isEmpty())
            return;
        weights += r.weights;
        originalBytes += r.originalBytes;
        deployedBytes += r.deployedBytes;
        bits += r.size.totalBits();
    }
};


} // namespace

CompressionResult compressModel(const Model &model, const CompressionConfig &config, const Dataset *calibration,
                                const ProgressCallback &progressAll, ModelUse use)
{
    validate(config);
    // With int8 kernels, packing for each engine and timing them is the last 30 % of the bar, not a wait at 100 %.
    const ProgressCallback progress = config.int8Kernels ? progressSlice(progressAll, 0, 700, 1000) : progressAll;
    QElapsedTimer clock;
    clock.start();
    Model::Impl &source = model.impl();
    const ModelSummary &summary = model.summary();
    torch::NoGradGuard noGrad;

    torch::jit::Module copy;
    {
        std::lock_guard<std::mutex> lock(source.runMutex);
        // deepcopy keeps tied weights tied; the loaded model is never touched unless the caller is done with it.
        copy = use == ModelUse::Consume ? source.module : source.module.deepcopy();
    }
    const QHash<QString, torch::jit::Module> modules = modulesByPath(copy);

    // The layers to compress: selected types with a floating-point weight of 2+ dimensions.
    QVector<LayerWork> work;
    QHash<const void *, QString> owners; // weight storage -> first layer using it
    for (const ModuleNode &node : summary.modules) {
        if (!typeSelected(node.type, config.moduleTypes) || !modules.contains(node.path))
            continue;
        torch::jit::Module m = modules.value(node.path);
        if (!m.hasattr("weight") || !m.attr("weight").isTensor())
            continue;
        const torch::Tensor weight = m.attr("weight").toTensor();
        if (weight.dim() < 2 || !weight.is_floating_point() || weight.numel() == 0)
            continue;
        LayerWork w;
        w.layer.path = node.path;
        w.layer.type = node.type;
        w.layer.shape = weight.sizes().vec();
        w.override = findOverride(config, node.path);
        w.layer.skipped = w.override && w.override->skip;
        const void *storage = weight.storage().unsafeGetStorageImpl();
        if (owners.contains(storage))
            w.layer.tiedTo = owners.value(storage);
        else
            owners.insert(storage, node.path);
        w.parameter = weight;
        w.module = m;
        w.originalWeights = weight.numel();
        w.originalShape = weight.sizes().vec();
        work.push_back(w);
    }
    if (work.isEmpty())
        throw UserError(u"the model has no %1 layers to compress"_s.arg(config.moduleTypes.join(u"/"_s)));

    // Structured pruning shrinks a layer's outputs together with its consumer's inputs (and the BatchNorm
    // entries between them) where the graph shows the outputs reach only that consumer, channel for channel.
    if (config.has(Step::Prune) && config.prune.method == PruneMethod::Structured) {
        const std::map<QString, ChannelChain> chains = findChannelChains(inlinedForward(copy));
        for (LayerWork &w : work) {
            const auto it = chains.find(w.layer.path);
            if (it == chains.end() || !modules.contains(it->second.consumer) || !w.layer.tiedTo.isEmpty())
                continue;
            const ChannelChain &chain = it->second;
            torch::jit::Module consumer = modules.value(chain.consumer);
            const int64_t channels = w.parameter.size(0);
            const int64_t inputs = consumer.attr("weight").toTensor().size(1);
            // A flattened channel is a run of columns; otherwise one input per output, or the chain is not what it seems.
            if (chain.flattened ? inputs % channels != 0 : inputs != channels)
                continue;
            w.hasConsumer = true;
            w.consumerModule = consumer;
            w.columnsPerChannel = inputs / channels;
            for (const QString &bn : chain.perChannel)
                w.perChannelModules.push_back(modules.value(bn));
            for (LayerWork &other : work) {
                if (other.layer.path == chain.consumer && &other != &w)
                    w.consumerWork = &other;
            }
        }
    }

    // Whole attention heads, where the model makes them identifiable, checked by running the model once.
    QStringList headNotes;
    if (config.has(Step::Prune) && config.prune.method == PruneMethod::Structured) {
        torch::Tensor checkInput;
        try {
            checkInput = calibration ? inputFromDataset(*calibration, 1) : inputFromMetadata(model.metadata(), 1);
        } catch (const UserError &) {
            // no shape in the metadata and no dataset: heads stay, with a note
        }
        headNotes = removeAttentionHeads(copy, work, config, checkInput);
    }

    auto active = [](const LayerWork &w) { return !w.layer.skipped && w.layer.tiedTo.isEmpty(); };
    const qint64 total = qint64(config.steps.size()) * work.size();
    qint64 done = 0;
    auto tick = [&] {
        if (!reportProgress(progress, ++done, total))
            throw Cancelled();
    };

    std::map<QString, torch::Tensor> hessians; // GPTQ: from the uncompressed model's activations
    if (config.has(Step::Quantize) && config.quantize.method == QuantMethod::Gptq) {
        if (!calibration)
            throw UserError(u"GPTQ needs calibration data: give a dataset (--data)"_s);
        QStringList linearPaths;
        for (const LayerWork &w : work) {
            if (active(w) && w.layer.type.contains("Linear"_L1))
                linearPaths << w.layer.path;
        }
        hessians = collectInputHessians(model, *calibration, linearPaths, config.quantize.calibrationSamples,
                                        [&] { return reportProgress(progress, done, total); });
    }

    CompressionResult result;
    auto artifacts = std::make_shared<CompressionArtifacts>();
    artifacts->config = config;
    CompressionReport &report = result.report;
    report.config = config;
    report.notes << headNotes;
    report.originalBytes = summary.totalBytes();
    LayerTotals totals;
    qint64 removedOther = 0; // bias and uncompressed-consumer bytes removed by realised structured pruning
    auto finish = [&](LayerWork &w) {
        report.layers.push_back(fusedEligible(w, config) ? fusedLayer(w, config) : finishLayer(w, config));
        totals.add(report.layers.back());
        removedOther += w.removedOtherBytes;
        artifacts->layers.push_back(std::move(w.layer));
        w = LayerWork(); // drop this layer's working tensors now: peak memory stays near two models
    };

    // A global threshold needs every layer's weights at once; otherwise layers stream one at a time.
    const bool global = config.has(Step::Prune) && config.prune.method == PruneMethod::Unstructured &&
                        config.prune.scope == PruneScope::Global;
    if (!global) {
        for (LayerWork &w : work) {
            if (active(w) && fusedEligible(w, config)) {
                done += config.steps.size() - 1;
                tick();
            } else if (active(w)) {
                startLayer(w);
                for (Step step : config.steps) {
                    applyStep(step, w, config, hessians);
                    tick();
                }
            } else {
                done += config.steps.size();
            }
            finish(w);
        }
    } else {
        for (LayerWork &w : work) {
            if (active(w))
                startLayer(w);
        }
        for (Step step : config.steps) {
            if (step == Step::Prune) {
                // One magnitude threshold across every layer without its own sparsity override.
                std::vector<torch::Tensor> pool;
                QVector<int> members;
                for (int i = 0; i < work.size(); ++i) {
                    if (active(work[i]) && !(work[i].override && work[i].override->sparsity)) {
                        pool.push_back(work[i].layer.matrices[0].values);
                        members.push_back(i);
                    }
                }
                if (!pool.empty()) {
                    const auto masks = globalMagnitudeMasks(pool, config.prune.sparsity);
                    for (int k = 0; k < members.size(); ++k)
                        applyMask(work[members[k]].layer.matrices[0], masks[size_t(k)]);
                }
            }
            for (LayerWork &w : work) {
                if (active(w))
                    applyStep(step, w, config, hessians);
                tick();
            }
        }
        for (LayerWork &w : work)
            finish(w);
    }
    report.compressedWeights = totals.weights;
    const qint64 touchedOriginal = totals.originalBytes, touchedDeployed = totals.deployedBytes;
    const double touchedBits = totals.bits;
    report.deployedBytes = report.originalBytes - touchedOriginal + touchedDeployed - removedOther;
    report.seconds = double(clock.nsecsElapsed()) / 1e9;
    report.effectiveBits = report.compressedWeights > 0 ? touchedBits / double(report.compressedWeights) : 32;

    // Every compressed layer was checked finite on its way (startLayer, the fused pass); the rest is the source's.
    result.model = deriveModel(model, copy, model.displayName() + u" ["_s + config.describe() + u"]"_s, DerivedValues::CheckedFromSource);
    result.artifacts = artifacts;
    if (config.has(Step::LowRank))
        attachLowRankModel(result);
    if (config.int8Kernels)
        attachInt8Model(result, progressSlice(progressAll, 700, 1000, 1000));
    return result;
}

void attachLowRankModel(CompressionResult &result)
{
    result.lowRankModel.reset();
    const bool anyLowRank = result.artifacts && std::any_of(result.artifacts->layers.begin(), result.artifacts->layers.end(),
                                                            [](const CompressedLayer &l) { return l.matrices.size() == 2; });
    if (!anyLowRank)
        return;
    const LowRankRealisation r = realiseLowRank(*result.model, *result.artifacts);
    result.lowRankModel = r.model;
    result.report.notes.removeIf([](const QString &n) { return n.startsWith("low-rank"_L1) || n.contains(": low-rank runs as"_L1); });
    result.report.notes << u"low-rank: %1 Linear layer(s) run as two smaller Linear layers in the low-rank model%2; the "
                           "evaluated dequantized model holds the product left·right; the packed artifact stores the factors"_s
                               .arg(r.realised.size()).arg(result.artifacts->config.int8Kernels ? u" and the int8 kernels"_s : QString());
    result.report.notes << r.notes;
}

void attachInt8Model(CompressionResult &result, const ProgressCallback &progress)
{
    if (!result.lowRankModel && result.artifacts)
        attachLowRankModel(result); // after training further: the factors must still be the weight's
    // On the low-rank model the original layers sit under `model.`, and each realised layer is two factors.
    const QString prefix = result.lowRankModel ? u"model."_s : QString();
    QStringList linears;
    for (const LayerReport &l : result.report.layers) {
        if (l.type.contains("Linear"_L1) && !l.skipped) { // tied ones too: a packed int8 copy for the kernel
            linears << prefix + l.path;
            linears << lowRankFactorName(l.path, u"right"_s) << lowRankFactorName(l.path, u"left"_s);
        }
    }
    const Model &base = result.lowRankModel ? *result.lowRankModel : *result.model;
    const QString wanted = result.artifacts->config.int8Engine;
    const QStringList engines = wanted == "auto"_L1 ? availableInt8Engines() : QStringList{wanted};
    if (engines.isEmpty())
        throw UserError(u"this LibTorch has no int8 engine (onednn or qnnpack) for the int8 kernels"_s);
    const qint64 steps = engines.size() + 2; // packing for each engine one, the timing two
    std::vector<Int8Conversion> packed;
    for (const QString &engine : engines) {
        packed.push_back(convertLinearsToInt8(base, linears, engine));
        if (!reportProgress(progress, qint64(packed.size()), steps))
            throw Cancelled();
    }
    Int8EngineReport choice;
    choice.engine = engines.front();
    QString engineNote;
    if (packed.front().converted.isEmpty())
        choice.reason = u"no Linear layer could run int8 kernels"_s;
    else if (packed.size() == 1 && wanted == "auto"_L1)
        choice.reason = u"the only int8 engine this LibTorch has"_s;
    if (packed.size() > 1 && !packed.front().converted.isEmpty()) {
        QVector<QPair<QString, const Model *>> candidates;
        for (size_t i = 0; i < packed.size(); ++i)
            candidates.push_back({engines[qsizetype(i)], packed[i].model.get()});
        try {
            choice = timeInt8Engines(candidates, progressSlice(progress, engines.size(), steps, steps));
            QStringList timed;
            for (const Int8EngineTiming &t : choice.timings)
                timed << u"%1 %2 ms"_s.arg(t.engine, QString::number(t.medianMs, 'f', 2));
            engineNote = u"int8 engine: %1, the faster of the engines timed on this machine on the model's input [%2] (measured, median of %3 runs each): %4"_s
                             .arg(choice.engine, choice.inputShapeText()).arg(choice.timings.front().runs).arg(timed.join(u", "_s));
        } catch (const UserError &e) { // no input shape to time on, or the model refused it: the engine for batches
            choice.reason = e.message();
            engineNote = u"int8 engine: %1, not timed (%2)"_s.arg(choice.engine, e.message());
        }
    } else {
        engineNote = u"int8 engine: %1 (%2)"_s.arg(choice.engine, choice.reason.isEmpty() ? u"as configured"_s : choice.reason);
    }
    const auto chosen = std::find_if(packed.begin(), packed.end(), [&](const Int8Conversion &c) { return c.model->metadata().int8Engine == choice.engine; });
    configureRuntime(at::get_num_threads(), choice.engine);
    result.int8Model = chosen->model;
    result.report.int8Engine = choice;
    // Attached again after training: the notes of the earlier attachment go, so one engine is named.
    result.report.notes.removeIf([](const QString &n) { return n.startsWith("int8 engine: "_L1) || n.startsWith("int8 kernels: "_L1); });
    for (const QString &n : chosen->notes)
        if (!result.report.notes.contains(n))
            result.report.notes << n;
    result.report.notes << u"int8 kernels: %1 Linear layer(s) run quantized::linear_dynamic (weights int8 per channel, "
                           "activations quantized per batch at run time)"_s.arg(chosen->converted.size());
    result.report.notes << engineNote;
}

} // namespace compresslab
