#pragma once
// A weight histogram as the model host sends it to the window (core/host) and back. Enums travel as their
// numbers: both ends are the same build.
#include <QJsonObject>

namespace compresslab {

struct WeightHistogram;
struct WeightHistogramParams;

QJsonObject toJson(const WeightHistogram &h);
WeightHistogram weightHistogramFromJson(const QJsonObject &o);
QJsonObject toJson(const WeightHistogramParams &p);
WeightHistogramParams weightHistogramParamsFromJson(const QJsonObject &o);

} // namespace compresslab
