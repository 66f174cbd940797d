#pragma once
// Core-internal: "int8_engine": "auto" packs the int8 model for every engine this LibTorch has and times
// them on the model's own input, because the faster one depends on the workload and the CPU (measured:
// onednn 3.9 against qnnpack 12.9 ms for 128 tokens on a VNNI CPU; qnnpack 2.9x over fp32 for one token
// on an AVX2 one). The choice is a measurement on this machine, and the report says so.
#include "common/Progress.h"
#include "compress/CompressionReport.h"

#include <QPair>
#include <QVector>

namespace compresslab {

class Model;

// `candidates`: engine name -> the same model packed for that engine. Each is timed at batch 1 on the
// input its metadata declares, in interleaved rounds (a slow phase of the machine hits every engine),
// about 1.5 s in all for small models and at least 2 rounds for large ones. Leaves the winner as the
// process's engine. Throws UserError when the metadata gives no input shape, Cancelled on request.
Int8EngineReport timeInt8Engines(const QVector<QPair<QString, const Model *>> &candidates, const ProgressCallback &progress = {});

} // namespace compresslab
