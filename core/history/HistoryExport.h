#pragma once
// The history as files for analysts: CSV (one row per experiment, one column per metric) and JSON (whole).
#include "history/History.h"

#include <QByteArray>
#include <QJsonArray>

namespace compresslab::history {

QJsonObject toJson(const Experiment &e);
QJsonObject toJson(const ExperimentSummary &s);
QJsonObject toJson(const Comparison &c);
QJsonObject toJson(const ParetoResult &p);
QJsonArray exportJson(const History &history, const Filter &filter = {});
// RFC 4180 CSV. Metric columns are named "KEY [unit] (measured|estimated)", with "@DEVICE" and "baseline:" where they apply.
QByteArray exportCsv(const History &history, const Filter &filter = {});

} // namespace compresslab::history
