#pragma once
// The median of repeated timings: robust against the slow phases this noisy VM has (docs/devices.md).
#include <algorithm>
#include <vector>

namespace compresslab {

// 0 for no values; the mean of the two middle values for an even count.
inline double medianOf(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

} // namespace compresslab
