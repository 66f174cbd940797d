#include "compress/FusedQuantize.h"

#include "compress/QuantizeReference.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace compresslab {

QuantizedMatrix quantizeInPlace(torch::Tensor &matrix, int bits, int64_t groupSize, bool symmetric, FusedQuantStats *stats)
{
    TORCH_CHECK(matrix.scalar_type() == torch::kFloat && matrix.is_contiguous() && matrix.dim() == 2 &&
                matrix.size(1) % groupSize == 0, "quantizeInPlace: unsupported layout");
    const int64_t groups = matrix.numel() / groupSize;
    const int levels = 1 << bits;
    QuantizedMatrix out;
    out.codes = torch::empty(matrix.sizes(), torch::kByte);
    out.scales = torch::empty({groups}, torch::kFloat);
    if (!symmetric)
        out.zeros = torch::empty({groups}, torch::kByte);
    float *x = matrix.data_ptr<float>();
    uint8_t *codes = out.codes.data_ptr<uint8_t>();
    float *scales = out.scales.data_ptr<float>();
    uint8_t *zeros = symmetric ? nullptr : out.zeros.data_ptr<uint8_t>();

    // NaN/Inf first (one read), so a bad layer is reported before anything is overwritten.
    std::atomic<bool> finite{true};
    at::parallel_for(0, matrix.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            if (!std::isfinite(x[i])) {
                finite = false;
                return;
            }
        }
    });
    stats->finite = finite;
    if (!finite)
        return out;

    // Per-thread partial sums, reduced at the end (the order of the reduction does not affect x').
    const int threads = at::get_num_threads();
    std::vector<double> err(size_t(threads) * 8, 0.0), norm(size_t(threads) * 8, 0.0);
    std::vector<int64_t> zero(size_t(threads) * 8, 0);
    const int64_t grain = std::max<int64_t>(1, (int64_t(1) << 14) / groupSize);
    at::parallel_for(0, groups, grain, [&](int64_t g0, int64_t g1) {
        const size_t slot = size_t(at::get_thread_num()) * 8; // spaced out: no false sharing
        double e = 0, n = 0;
        int64_t z = 0;
        for (int64_t g = g0; g < g1; ++g) {
            float *v = x + g * groupSize;
            uint8_t *c = codes + g * groupSize;
            if (symmetric) {
                float extreme = 0;
                for (int64_t i = 0; i < groupSize; ++i) {
                    if (std::fabs(v[i]) > std::fabs(extreme))
                        extreme = v[i];
                }
                const float d = roundToHalf(extreme / float(-(levels / 2)));
                scales[g] = d;
                for (int64_t i = 0; i < groupSize; ++i) {
                    float q = d == 0.0f ? 0.0f : std::nearbyint(v[i] / d);
                    q = std::min(std::max(q, float(-(levels / 2))), float(levels / 2 - 1));
                    const float deq = q * d;
                    e += double(deq - v[i]) * double(deq - v[i]);
                    n += double(v[i]) * double(v[i]);
                    z += deq == 0.0f;
                    c[i] = uint8_t(int(q) + levels / 2);
                    v[i] = deq;
                }
            } else {
                float lo = 0, hi = 0;
                for (int64_t i = 0; i < groupSize; ++i) {
                    lo = std::min(lo, v[i]);
                    hi = std::max(hi, v[i]);
                }
                const float s = roundToHalf((hi - lo) / float(levels - 1));
                float zp = s == 0.0f ? 0.0f : std::nearbyint(-lo / s);
                zp = std::min(std::max(zp, 0.0f), float(levels - 1));
                scales[g] = s;
                zeros[g] = uint8_t(zp);
                for (int64_t i = 0; i < groupSize; ++i) {
                    float q = s == 0.0f ? zp : std::nearbyint(v[i] / s) + zp;
                    q = std::min(std::max(q, 0.0f), float(levels - 1));
                    const float deq = (q - zp) * s;
                    e += double(deq - v[i]) * double(deq - v[i]);
                    n += double(v[i]) * double(v[i]);
                    z += deq == 0.0f;
                    c[i] = uint8_t(q);
                    v[i] = deq;
                }
            }
        }
        err[slot] += e;
        norm[slot] += n;
        zero[slot] += z;
    });
    for (size_t t = 0; t < err.size(); t += 8) {
        stats->errorSquared += err[t];
        stats->normSquared += norm[t];
        stats->zeros += zero[t];
    }
    return out;
}

} // namespace compresslab
