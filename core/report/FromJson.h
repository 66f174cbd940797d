#pragma once
// The inverse of ToJson.h for the results the window's model host sends back (host/ModelHostClient.h)
// and for the isolated probe's inspect output: what toJson wrote, read into the same structs.
// Missing keys read as the structs' defaults.
#include <QJsonObject>

namespace compresslab {

struct EvalResult;
struct LatencyResult;
struct RuntimeInfo;
struct CompressionReport;
struct DeviceEstimate;
struct ModelEstimate;
struct ModelDescription;

RuntimeInfo runtimeInfoFromJson(const QJsonObject &o);
EvalResult evalResultFromJson(const QJsonObject &o);
LatencyResult latencyResultFromJson(const QJsonObject &o);
// Throws UserError when the embedded configuration does not parse.
CompressionReport compressionReportFromJson(const QJsonObject &o);
DeviceEstimate deviceEstimateFromJson(const QJsonObject &o);
// The model host's "estimate" answer: model_name, language_model, report (when compressed), devices.
ModelEstimate modelEstimateFromJson(const QJsonObject &o);
// `compresslab-cli inspect --json` (toJson(ModelSummary, ModelMetadata) plus "model"): the window's model.
ModelDescription modelDescriptionFromJson(const QJsonObject &o);

} // namespace compresslab
