#pragma once
// Writing compressed models: TorchScript with dequantized weights (runs anywhere). Atomic; never
// over the input model.
#include <QString>

namespace compresslab {

class Model;

// Saves `model` as TorchScript to `path`, with its compresslab.json metadata. Refuses `inputPath`.
void saveTorchScript(const Model &model, const QString &path, const QString &inputPath);

} // namespace compresslab
