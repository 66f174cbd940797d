#pragma once
// Applies a CompressionConfig to a copy of a model (the loaded model and its file never change) and
// reports the exact deployed size. Long-running: takes a progress callback that can cancel.
#include "common/Progress.h"
#include "compress/CompressionReport.h"

#include <memory>

namespace compresslab {

class Model;
class Dataset;
struct CompressionArtifacts; // core-internal: packed codes, scales, masks for export

struct CompressionResult {
    CompressionReport report;
    std::shared_ptr<Model> model; // the compressed copy, dequantized to fp32 so it runs anywhere
    std::shared_ptr<Model> int8Model; // with int8_kernels: Linear layers on quantized::linear_dynamic
    std::shared_ptr<const CompressionArtifacts> artifacts;
    // With low_rank: the same values, each realisable low-rank Linear run as two smaller Linear layers
    // (factors as parameters; smaller file, fewer multiply-adds). `model` keeps the dense product left·right,
    // which distillation and the weight views read. Null when no layer could be realised (notes say why).
    std::shared_ptr<Model> lowRankModel;
};

// Keep: compress a deep copy (the loaded model stays as it was). Consume: compress the loaded model's
// own tensors, for callers done with the original (the CLI, after measuring it): peak memory ~1 model.
// The file on disk is never touched either way.
enum class ModelUse { Keep, Consume };

// `calibration` is needed by GPTQ (error-correcting quantization); other methods ignore it.
// Throws UserError for configurations that do not fit the model, Cancelled when progress says stop.
CompressionResult compressModel(const Model &model, const CompressionConfig &config, const Dataset *calibration = nullptr,
                                const ProgressCallback &progress = {}, ModelUse use = ModelUse::Keep);

// Adds the int8-kernel copy of `result.model` (Linear layers on quantized::linear_dynamic, engine from the
// configuration): after compression with int8_kernels, and again after the model was trained further.
// Built on `lowRankModel` when there is one, so the factors run as two int8 kernels. With "int8_engine":
// "auto" it is packed for every engine and the faster on the model's input is kept (report.int8Engine).
void attachInt8Model(CompressionResult &result, const ProgressCallback &progress = {});

// Sets `lowRankModel` from `result.model` and its artifacts' factors (after compression with low_rank, and
// again after the model was trained further); layers left as the product are named in the report's notes.
void attachLowRankModel(CompressionResult &result);

} // namespace compresslab
