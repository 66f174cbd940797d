#pragma once
// One sweep row as the model host sends it to the window while the sweep runs (core/host).
#include <QJsonObject>

namespace compresslab {

struct SweepEntry;

QJsonObject toJson(const SweepEntry &e);
SweepEntry sweepEntryFromJson(const QJsonObject &o); // throws UserError when its configuration does not parse

} // namespace compresslab
