#include "experiment/CompressionRun.h"

#include "common/UserError.h"
#include "compress/Compressor.h"
#include "compress/Export.h"
#include "compress/PackedArtifact.h"
#include "data/Dataset.h"
#include "device/Workload.h"
#include "eval/Evaluator.h"
#include "model/Model.h"
#include "runtime/RuntimeInfo.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

ProgressCallback stage(const StageProgress &progress, const QString &name)
{
    if (!progress)
        return {};
    return [progress, name](qint64 done, qint64 total) { return progress(name, done, total); };
}

} // namespace

QVector<ExportedFile> writeExports(const CompressionResult &result, const QString &outDir, const QString &inputPath)
{
    QVector<ExportedFile> out;
    QDir().mkpath(outDir);
    const QString dequantized = outDir + u"/model-dequantized.pt"_s;
    saveTorchScript(*result.model, dequantized, inputPath);
    out.push_back({dequantized, u"torchscript-dequantized"_s, QFileInfo(dequantized).size()});
    if (result.artifacts) {
        const QString packed = outDir + u"/model-packed.safetensors"_s;
        const PackedFileInfo info = writePackedArtifact(result, packed, inputPath);
        out.push_back({packed, u"compresslab-packed"_s, info.fileBytes, result.report.deployedBytes, info.headerBytes});
    }
    if (result.lowRankModel) {
        // Low-rank layers as two smaller Linear layers: the smaller, faster fp32 file of the same values.
        const QString lowRank = outDir + u"/model-lowrank.pt"_s;
        saveTorchScript(*result.lowRankModel, lowRank, inputPath);
        out.push_back({lowRank, u"torchscript-lowrank"_s, QFileInfo(lowRank).size()});
    }
    if (result.int8Model) {
        const QString int8 = outDir + u"/model-int8.pt"_s;
        saveTorchScript(*result.int8Model, int8, inputPath);
        out.push_back({int8, u"torchscript-int8"_s, QFileInfo(int8).size()});
    }
    return out;
}

CompressionRun runCompression(const CompressionRunParams &params, const StageProgress &progress, const LoadedCallback &loaded)
{
    const CompressionConfig &config = params.config;
    configureRuntime(params.eval.threads); // compression's own matrix work uses the same threads as evaluation
    const auto model = Model::load(params.modelPath);
    std::shared_ptr<Dataset> data;
    if (!params.dataPath.isEmpty())
        data = Dataset::load(params.dataPath);
    if (config.quantize.method == QuantMethod::Gptq && !data)
        throw UserError(u"GPTQ calibrates on data: give a dataset"_s);

    CompressionRun run;
    run.modelName = model->displayName();
    run.modelParameters = model->summary().parameterCount;
    run.modelBytes = model->summary().totalBytes();
    if (data) {
        run.datasetName = data->info().name;
        run.datasetSamples = data->info().samples;
    }
    if (loaded)
        loaded(run);
    const bool measure = !params.dryRun;
    if (measure && data)
        run.before = evaluate(*model, *data, params.eval, stage(progress, u"evaluating original"_s));
    LatencyParams lp;
    lp.threads = params.eval.threads;
    const bool timeIt = measure && params.measureLatency && (model->metadata().inputShape.size() > 0 || data);
    if (timeIt)
        run.latencyBefore = measureLatency(*model, lp, data.get(), stage(progress, u"timing original"_s));

    // Device estimates need the original's workload before it is compressed in place.
    std::optional<Workload> originalForward, originalToken;
    const bool languageModel = model->metadata().task == Task::LanguageModeling;
    if (!params.devices.isEmpty()) {
        originalForward = captureWorkload(*model, data.get(), 1);
        if (languageModel)
            originalToken = captureWorkload(*model, data.get(), 1, 1);
    }

    // The loaded model itself is compressed (ModelUse::Consume): no second copy in memory.
    const CompressionResult result = compressModel(*model, config, data.get(), stage(progress, u"compressing"_s), ModelUse::Consume);
    run.report = result.report;
    if (!params.devices.isEmpty()) {
        const Workload forward = captureWorkload(*result.model, data.get(), 1);
        std::optional<Workload> token;
        if (languageModel)
            token = captureWorkload(*result.model, data.get(), 1, 1);
        EstimateInput compressed{&forward, token ? &*token : nullptr, &run.report, double(run.modelBytes), config.int8Kernels};
        EstimateInput original{&*originalForward, originalToken ? &*originalToken : nullptr, nullptr, double(run.modelBytes), false};
        for (const DeviceProfile &d : params.devices) {
            run.estimates.push_back(estimateOnDevice(compressed, d));
            run.baselineEstimates.push_back(estimateOnDevice(original, d));
        }
        run.devices = params.devices;
    }
    if (measure && data) {
        run.after = evaluate(*result.model, *data, params.eval, stage(progress, u"evaluating compressed"_s));
        if (result.int8Model)
            run.afterInt8 = evaluate(*result.int8Model, *data, params.eval, stage(progress, u"evaluating int8 kernels"_s));
    }
    if (timeIt) {
        // The deployable form is timed: int8 kernels when asked for, else the fp32 copy, with low-rank layers
        // as their two factors where they could be realised.
        run.int8Kernels = bool(result.int8Model);
        const Model &deployable = result.int8Model ? *result.int8Model : result.lowRankModel ? *result.lowRankModel : *result.model;
        run.latencyAfter = measureLatency(deployable, lp, data.get(), stage(progress, u"timing compressed"_s));
    }
    if (measure && !params.outDir.isEmpty())
        run.exports = writeExports(result, params.outDir, params.modelPath);
    return run;
}

} // namespace compresslab
