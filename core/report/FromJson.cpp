#include "report/FromJson.h"

#include "compress/CompressionReport.h"
#include "device/ModelEstimate.h"
#include "eval/EvalResult.h"
#include "eval/Latency.h"
#include "model/ModelDescription.h"

#include <QJsonArray>

#include <limits>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QVector<qint64> shapeFromJson(const QJsonValue &v)
{
    QVector<qint64> shape;
    for (const QJsonValue &d : v.toArray())
        shape << qint64(d.toDouble());
    return shape;
}

qint64 int64Of(const QJsonObject &o, QLatin1StringView key) { return qint64(o.value(key).toDouble()); }

ModelMetadata metadataFromJson(const QJsonObject &o)
{
    ModelMetadata m;
    m.present = o.value(u"present"_s).toBool();
    m.schema = o.value(u"schema"_s).toInt();
    m.name = o.value(u"name"_s).toString();
    m.task = taskFromName(o.value(u"task"_s).toString());
    m.description = o.value(u"description"_s).toString();
    m.inputShape = shapeFromJson(o.value(u"input_shape"_s));
    m.inputDtype = o.value(u"input_dtype"_s).toString();
    m.inputDescription = o.value(u"input_description"_s).toString();
    for (const QJsonValue &v : o.value(u"labels"_s).toArray())
        m.labels << v.toString();
    m.tokenizer = o.value(u"tokenizer"_s).toString();
    m.int8Engine = o.value(u"int8_engine"_s).toString();
    for (const QJsonValue &v : o.value(u"warnings"_s).toArray())
        m.warnings << v.toString();
    return m;
}

} // namespace

ModelDescription modelDescriptionFromJson(const QJsonObject &o)
{
    ModelDescription d;
    d.path = o.value(u"model"_s).toString();
    ModelSummary &s = d.summary;
    for (const QJsonValue &v : o.value(u"modules"_s).toArray()) {
        const QJsonObject m = v.toObject();
        s.modules.push_back({m.value(u"path"_s).toString(), m.value(u"name"_s).toString(), m.value(u"type"_s).toString(),
                             m.value(u"qualified_type"_s).toString(), m.value(u"depth"_s).toInt(), m.value(u"parent"_s).toInt(-1),
                             int64Of(m, "parameters"_L1), int64Of(m, "bytes"_L1), int64Of(m, "direct_parameters"_L1),
                             int64Of(m, "direct_bytes"_L1), int64Of(m, "direct_shared_bytes"_L1)});
    }
    for (const QJsonValue &v : o.value(u"tensors"_s).toArray()) {
        const QJsonObject t = v.toObject();
        s.tensors.push_back({t.value(u"path"_s).toString(), t.value(u"module"_s).toString(), t.value(u"name"_s).toString(),
                             t.value(u"kind"_s).toString() != "buffer"_L1, shapeFromJson(t.value(u"shape"_s)),
                             t.value(u"dtype"_s).toString(), int64Of(t, "numel"_L1), int64Of(t, "bytes"_L1),
                             t.value(u"shared_with"_s).toString(), int64Of(t, "nan"_L1), int64Of(t, "inf"_L1)});
    }
    s.parameterCount = int64Of(o, "parameters"_L1);
    s.parameterBytes = int64Of(o, "parameter_bytes"_L1);
    s.bufferCount = int64Of(o, "buffer_elements"_L1);
    s.bufferBytes = int64Of(o, "buffer_bytes"_L1);
    s.sharedTensors = o.value(u"shared_tensors"_s).toInt();
    s.fileBytes = int64Of(o, "file_bytes"_L1);
    const QJsonObject meta = o.value(u"metadata"_s).toObject();
    d.metadata = metadataFromJson(meta);
    d.vocabularySize = meta.value(u"vocabulary_size"_s).toInt();
    return d;
}

RuntimeInfo runtimeInfoFromJson(const QJsonObject &o)
{
    RuntimeInfo r;
    r.threads = o.value(u"threads"_s).toInt(1);
    r.blas = o.value(u"blas"_s).toString();
    r.quantizedEngine = o.value(u"quantized_engine"_s).toString();
    r.qnnpackThreads = o.value(u"qnnpack_threads"_s).toInt(r.threads); // not recorded before 2026-11-25
    r.torchVersion = o.value(u"libtorch"_s).toString();
    r.ompWaitPolicy = o.value(u"omp_wait_policy"_s).toString();
    r.allocator = o.value(u"allocator"_s).toString();
    return r;
}

EvalResult evalResultFromJson(const QJsonObject &o)
{
    EvalResult r;
    r.task = taskFromName(o.value(u"task"_s).toString());
    r.modelPath = o.value(u"model"_s).toString();
    r.datasetPath = o.value(u"data"_s).toString();
    // "metric_list" keeps each metric's label, unit and direction, in the evaluator's order.
    for (const QJsonValue &v : o.value(u"metric_list"_s).toArray()) {
        const QJsonObject m = v.toObject();
        const bool higherIsBetter = m.value(u"higher_is_better"_s).toBool(true);
        // JSON has no infinity: an infinite perplexity (every output non-finite) was written as null.
        const QJsonValue value = m.value(u"value"_s);
        const double number = value.isDouble() ? value.toDouble()
                                               : (higherIsBetter ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity());
        r.metrics.push_back({m.value(u"key"_s).toString(), m.value(u"label"_s).toString(), number, m.value(u"unit"_s).toString(), higherIsBetter});
    }
    r.samples = qint64(o.value(u"samples"_s).toDouble());
    r.batchSize = o.value(u"batch_size"_s).toInt();
    r.wallSeconds = o.value(u"wall_seconds"_s).toDouble();
    r.nonFiniteOutputs = qint64(o.value(u"non_finite_outputs"_s).toDouble());
    r.runtime = runtimeInfoFromJson(o.value(u"runtime"_s).toObject());
    return r;
}

LatencyResult latencyResultFromJson(const QJsonObject &o)
{
    LatencyResult r;
    r.batch = o.value(u"batch"_s).toInt(1);
    r.runs = o.value(u"runs"_s).toInt();
    r.medianMs = o.value(u"median_ms"_s).toDouble();
    r.p90Ms = o.value(u"p90_ms"_s).toDouble();
    r.minMs = o.value(u"min_ms"_s).toDouble();
    r.meanMs = o.value(u"mean_ms"_s).toDouble();
    r.inputShape = shapeFromJson(o.value(u"input_shape"_s));
    r.inputSource = o.value(u"input_source"_s).toString();
    r.runtime = runtimeInfoFromJson(o.value(u"runtime"_s).toObject());
    return r;
}

CompressionReport compressionReportFromJson(const QJsonObject &o)
{
    CompressionReport r;
    r.config = parseCompressionConfig(o.value(u"config"_s).toObject());
    for (const QJsonValue &v : o.value(u"layers"_s).toArray()) {
        const QJsonObject l = v.toObject();
        LayerReport layer;
        layer.path = l.value(u"path"_s).toString();
        layer.type = l.value(u"type"_s).toString();
        layer.shape = shapeFromJson(l.value(u"shape"_s));
        layer.weights = qint64(l.value(u"weights"_s).toDouble());
        layer.originalBytes = qint64(l.value(u"original_bytes"_s).toDouble());
        layer.deployedBytes = qint64(l.value(u"deployed_bytes"_s).toDouble());
        layer.effectiveBits = l.value(u"effective_bits"_s).toDouble(32);
        layer.sparsity = l.value(u"sparsity"_s).toDouble();
        layer.relativeError = l.value(u"relative_error"_s).toDouble();
        layer.encoding = l.value(u"encoding"_s).toString();
        layer.skipped = l.value(u"skipped"_s).toBool();
        layer.tiedTo = l.value(u"tied_to"_s).toString();
        layer.note = l.value(u"note"_s).toString();
        const QJsonObject bits = l.value(u"size_bits"_s).toObject();
        layer.size.valueBits = bits.value(u"values"_s).toDouble();
        layer.size.scaleBits = bits.value(u"scales"_s).toDouble();
        layer.size.zeroBits = bits.value(u"zero_points"_s).toDouble();
        layer.size.indexBits = bits.value(u"indices"_s).toDouble();
        layer.size.codebookBits = bits.value(u"codebook"_s).toDouble();
        r.layers.push_back(layer);
    }
    r.originalBytes = qint64(o.value(u"original_bytes"_s).toDouble());
    r.deployedBytes = qint64(o.value(u"deployed_bytes"_s).toDouble());
    r.compressedWeights = qint64(o.value(u"compressed_weights"_s).toDouble());
    r.effectiveBits = o.value(u"effective_bits"_s).toDouble(32);
    r.seconds = o.value(u"compress_seconds"_s).toDouble();
    for (const QJsonValue &n : o.value(u"notes"_s).toArray())
        r.notes << n.toString();
    const QJsonObject engine = o.value(u"int8_engine"_s).toObject();
    r.int8Engine.engine = engine.value(u"engine"_s).toString();
    r.int8Engine.measured = engine.value(u"chosen_by"_s).toString() == "measurement"_L1;
    r.int8Engine.reason = engine.value(u"reason"_s).toString();
    r.int8Engine.inputShape = shapeFromJson(engine.value(u"input_shape"_s));
    for (const QJsonValue &t : engine.value(u"measured"_s).toArray())
        r.int8Engine.timings.push_back({t[u"engine"_s].toString(), t[u"median_ms"_s].toDouble(), t[u"runs"_s].toInt()});
    return r;
}

DeviceEstimate deviceEstimateFromJson(const QJsonObject &o)
{
    DeviceEstimate e;
    e.device = o.value(u"device"_s).toString();
    e.deployment = o.value(u"deployment"_s).toString();
    e.inputShape = shapeFromJson(o.value(u"input_shape"_s));
    e.latencyMs = o.value(u"latency_ms"_s).toDouble();
    e.tokenMs = o.value(u"token_ms"_s).toDouble(-1);
    e.weightBytes = o.value(u"weight_bytes"_s).toDouble();
    e.peakActivationBytes = o.value(u"peak_activation_bytes"_s).toDouble();
    e.marginBytes = o.value(u"margin_bytes"_s).toDouble();
    e.fits = o.value(u"fits"_s).toBool();
    e.energyMj = o.value(u"energy_mj"_s).toDouble();
    e.overheadMs = o.value(u"overhead_ms"_s).toDouble();
    e.operators = o.value(u"operators"_s).toInt();
    for (const QJsonValue &v : o.value(u"layers"_s).toArray()) {
        const QJsonObject l = v.toObject();
        e.layers.push_back({l.value(u"layer"_s).toString(), l.value(u"precision"_s).toString(), l.value(u"weight_bytes"_s).toDouble(),
                            l.value(u"flops"_s).toDouble(), l.value(u"ms"_s).toDouble(), l.value(u"bound"_s).toString() == "compute"_L1});
    }
    return e;
}

ModelEstimate modelEstimateFromJson(const QJsonObject &o)
{
    ModelEstimate m;
    m.modelName = o.value(u"model_name"_s).toString();
    m.languageModel = o.value(u"language_model"_s).toBool();
    if (o.contains(u"report"_s))
        m.report = compressionReportFromJson(o.value(u"report"_s).toObject());
    for (const QJsonValue &d : o.value(u"devices"_s).toArray())
        m.devices.push_back(deviceEstimateFromJson(d.toObject()));
    return m;
}

} // namespace compresslab
