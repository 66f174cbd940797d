#include "compress/QuantizeReference.h"

#include <c10/util/Half.h>

#include <algorithm>
#include <cmath>

namespace compresslab {

float roundToHalf(float v) { return float(c10::Half(v)); }

QuantizeReferenceResult quantizeReference(const std::vector<float> &values, int64_t rows, int64_t cols, int bits,
                                          int64_t groupSize, bool symmetric)
{
    QuantizeReferenceResult r;
    r.dequantized.resize(values.size());
    r.codes.resize(values.size());
    const int64_t total = rows * cols;
    const int64_t groups = total / groupSize; // groups never straddle rows: groupSize divides cols or equals total
    const int levels = 1 << bits;
    for (int64_t g = 0; g < groups; ++g) {
        const float *x = values.data() + g * groupSize;
        float *out = r.dequantized.data() + g * groupSize;
        uint8_t *code = r.codes.data() + g * groupSize;
        if (symmetric) {
            float extreme = 0;
            for (int64_t i = 0; i < groupSize; ++i) {
                if (std::fabs(x[i]) > std::fabs(extreme))
                    extreme = x[i];
            }
            const float d = roundToHalf(extreme / float(-(levels / 2)));
            r.scales.push_back(d);
            for (int64_t i = 0; i < groupSize; ++i) {
                float q = d == 0.0f ? 0.0f : std::nearbyint(x[i] / d);
                q = std::min(std::max(q, float(-(levels / 2))), float(levels / 2 - 1));
                out[i] = q * d;
                code[i] = uint8_t(int(q) + levels / 2);
            }
        } else {
            float lo = 0, hi = 0;
            for (int64_t i = 0; i < groupSize; ++i) {
                lo = std::min(lo, x[i]);
                hi = std::max(hi, x[i]);
            }
            const float s = roundToHalf((hi - lo) / float(levels - 1));
            float z = s == 0.0f ? 0.0f : std::nearbyint(-lo / s);
            z = std::min(std::max(z, 0.0f), float(levels - 1));
            r.scales.push_back(s);
            r.zeros.push_back(uint8_t(z));
            for (int64_t i = 0; i < groupSize; ++i) {
                float q = s == 0.0f ? z : std::nearbyint(x[i] / s) + z;
                q = std::min(std::max(q, 0.0f), float(levels - 1));
                out[i] = (q - z) * s;
                code[i] = uint8_t(q);
            }
        }
    }
    return r;
}

} // namespace compresslab
