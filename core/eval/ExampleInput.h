#pragma once
// Core-internal: the input a latency measurement or a workload estimate runs the model on.
#include "data/Dataset.h"
#include "model/ModelMetadata.h"

#include <torch/torch.h>

namespace compresslab {

// The dataset's first samples, repeated to fill the batch.
torch::Tensor inputFromDataset(const Dataset &data, int batch);
// Synthesised from the model's metadata (input shape and dtype; token ids within the vocabulary), seeded.
// Throws UserError when the metadata does not give the shape.
torch::Tensor inputFromMetadata(const ModelMetadata &meta, int batch);

} // namespace compresslab
