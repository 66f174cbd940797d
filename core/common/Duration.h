#pragma once
// Durations for people: "42s", "1m10s", "12m05s" (rounded to whole seconds).
#include <QString>

namespace compresslab {

QString formatDuration(double seconds);

} // namespace compresslab
