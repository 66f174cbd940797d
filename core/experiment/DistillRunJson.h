#pragma once
// A distillation request and its result as the model host receives and sends them (core/host). The student
// model itself stays in the host; its curves travel as events while it trains.
#include <QJsonArray>
#include <QJsonObject>
#include <QVector>

namespace compresslab {

struct DistillRun;
struct DistillRunParams;
namespace history {
struct CurvePoint;
}

QJsonObject toJson(const DistillRunParams &p);
DistillRunParams distillRunParamsFromJson(const QJsonObject &o); // throws UserError for bad settings or configs
QJsonObject toJson(const DistillRun &r);
DistillRun distillRunFromJson(const QJsonObject &o);
QJsonArray toJson(const QVector<history::CurvePoint> &points);
QVector<history::CurvePoint> curvePointsFromJson(const QJsonArray &a);

} // namespace compresslab
