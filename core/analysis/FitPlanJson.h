#pragma once
// A fit request and its result as the model host receives and sends them (core/host). The device travels
// by name: the host reads the profile (with this computer's calibration) from the same files as the window.
#include <QJsonObject>

namespace compresslab {

struct FitParams;
struct FitResult;

QJsonObject toJson(const FitParams &p);
// Throws UserError for an unknown device name (as the catalog words it).
FitParams fitParamsFromJson(const QJsonObject &o);
// Reads what toJson(FitResult) writes; the sensitivity behind the plan is not part of it.
FitResult fitResultFromJson(const QJsonObject &o);

} // namespace compresslab
