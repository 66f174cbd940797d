#pragma once
// Stable JSON forms of core results, used by `compresslab-cli --json` and the experiment history.
// Key names are part of the CLI's interface: add keys, never rename them.
#include <QJsonObject>

namespace compresslab {

struct ModelSummary;
struct ModelMetadata;
struct EvalResult;
struct LatencyResult;
struct RuntimeInfo;
struct ZooEntry;
struct CompressionReport;
struct DeviceEstimate;

QJsonObject toJson(const ModelSummary &s, const ModelMetadata &meta);
QJsonObject toJson(const EvalResult &r);
QJsonObject toJson(const LatencyResult &r);
QJsonObject toJson(const RuntimeInfo &r);
QJsonObject toJson(const ZooEntry &e);
QJsonObject toJson(const CompressionReport &r);
QJsonObject toJson(const DeviceEstimate &e); // "kind": "estimated"

} // namespace compresslab
