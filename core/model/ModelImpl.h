#pragma once
// Core-internal: the Torch side of a Model. Never include from a public header.
#include "model/Model.h"

#include <torch/script.h>

#include <QHash>

#include <mutex>

namespace compresslab {

struct Model::Impl {
    QString path;
    torch::jit::Module module;
    ModelMetadata metadata;
    ModelSummary summary;
    // TorchScript modules are not documented as safe for concurrent forward calls with shared state;
    // one evaluation or benchmark runs on a model at a time.
    std::mutex runMutex;
};

// How a derived model's NaN/Inf counts are found: scanned, or taken from the source by tensor path when
// every changed tensor was already checked finite on the way (the compressor's steps refuse NaN/Inf input).
enum class DerivedValues { Scan, CheckedFromSource };

// A Model for a module core built from `source` (a compressed copy, an int8 rewrite, a restored model):
// same path and metadata, a new display name, a fresh summary. `module` is put in eval mode.
std::shared_ptr<Model> deriveModel(const Model &source, torch::jit::Module module, const QString &name,
                                   DerivedValues values = DerivedValues::Scan);

// Every submodule of `module` by its dotted path ("" for the root).
QHash<QString, torch::jit::Module> modulesByPath(const torch::jit::Module &module);

// Builds the module tree and tensor table; shared storages are counted once. NaN/Inf are counted by a scan
// of every floating-point tensor, or, given `countsFrom`, copied from its tensors of the same path.
ModelSummary inspectModule(const torch::jit::Module &module, const QString &rootName, const ModelSummary *countsFrom = nullptr);

// Turns LibTorch's raw load errors into what the user did wrong and how to fix it.
QString explainLoadFailure(const QString &path, const std::string &torchMessage);

// Cheap checks before LibTorch sees the file (missing, empty, directory, not a ZIP). Throws UserError.
void precheckModelFile(const QString &path);

} // namespace compresslab
