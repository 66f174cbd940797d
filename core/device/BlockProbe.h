#pragma once
// Core-internal: a transformer block timed whole, against the estimate of the same block from the other
// calibration figures. Inside a forward pass the attention core costs more than its operators timed alone
// (PyTorch's profiler on spam-transformer: softmax 180 against 76 us, bmm 185 against 63 us): the block's
// time beyond its estimate is what the estimator charges each attention block (at its softmax over scores).
// Per block, not per score: the zoo's transformers (256 and 128 tokens) lack about the same time per block.
#include "device/DeviceProfile.h"

#include <QJsonObject>

namespace compresslab {

// `sofar` holds every other calibration value. Returns {"shape": [batch, tokens, width], "heads",
// "estimated_ms", "measured_ms", "extra_us_per_block"} (the extra never below 0).
QJsonObject probeTransformerBlock(const DeviceProfile &sofar, double budget);

} // namespace compresslab
