#include "device/ModelEstimate.h"

#include "common/UserError.h"
#include "compress/Compressor.h"
#include "data/Dataset.h"
#include "model/Model.h"

using namespace Qt::StringLiterals;

namespace compresslab {

ModelEstimate estimateModel(const ModelEstimateParams &params, const QVector<DeviceProfile> &devices, const ProgressCallback &progress)
{
    if (params.batch < 1 || params.batch > 65536)
        throw UserError(u"the batch size must be between 1 and 65536"_s);
    if (devices.isEmpty())
        throw UserError(u"no device profile to estimate for"_s);
    const auto model = Model::load(params.modelPath);
    std::shared_ptr<Dataset> data;
    if (!params.dataPath.isEmpty())
        data = Dataset::load(params.dataPath);
    std::optional<CompressionResult> compressed;
    if (params.config) {
        if (params.config->quantize.method == QuantMethod::Gptq && !data)
            throw UserError(u"GPTQ calibrates on data: give a dataset"_s);
        // Compressed for real (without evaluating): exact sizes, and the shapes structured pruning leaves.
        compressed = compressModel(*model, *params.config, data.get(), progress, ModelUse::Consume);
    }
    return estimateLoadedModel(*model, compressed ? &*compressed : nullptr, data.get(), devices, params.batch);
}

ModelEstimate estimateLoadedModel(const Model &original, const CompressionResult *compressed, const Dataset *data,
                                  const QVector<DeviceProfile> &devices, int batch)
{
    if (devices.isEmpty())
        throw UserError(u"no device profile to estimate for"_s);
    ModelEstimate out;
    out.modelName = original.displayName();
    const Model &deployed = compressed ? *compressed->model : original;
    if (compressed)
        out.report = compressed->report;
    const Workload forward = captureWorkload(deployed, data, batch);
    out.languageModel = forward.inputShape.size() >= 2 && (original.metadata().task == Task::LanguageModeling);
    std::optional<Workload> token;
    if (out.languageModel)
        token = captureWorkload(deployed, data, batch, 1);
    EstimateInput in;
    in.workload = &forward;
    in.tokenWorkload = token ? &*token : nullptr;
    in.report = out.report ? &*out.report : nullptr;
    in.modelBytes = double(original.summary().totalBytes());
    in.int8Kernels = compressed && compressed->report.config.int8Kernels;
    for (const DeviceProfile &d : devices)
        out.devices.push_back(estimateOnDevice(in, d));
    return out;
}

} // namespace compresslab
