#include "report/ToJson.h"

#include "compress/CompressionReport.h"
#include "device/Estimator.h"
#include "eval/EvalResult.h"
#include "eval/Latency.h"
#include "model/ModelMetadata.h"
#include "model/ModelSummary.h"
#include "zoo/Zoo.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QJsonArray shapeJson(const QVector<qint64> &shape)
{
    QJsonArray a;
    for (qint64 d : shape)
        a.push_back(double(d));
    return a;
}

} // namespace

QJsonObject toJson(const RuntimeInfo &r)
{
    return {{u"threads"_s, r.threads}, {u"blas"_s, r.blas}, {u"quantized_engine"_s, r.quantizedEngine},
            {u"qnnpack_threads"_s, r.qnnpackThreads}, {u"libtorch"_s, r.torchVersion}, {u"omp_wait_policy"_s, r.ompWaitPolicy},
            {u"allocator"_s, r.allocator}};
}

QJsonObject toJson(const ModelSummary &s, const ModelMetadata &meta)
{
    QJsonArray modules;
    for (const ModuleNode &m : s.modules) {
        modules.push_back(QJsonObject{{u"path"_s, m.path}, {u"name"_s, m.name}, {u"type"_s, m.type},
                                      {u"qualified_type"_s, m.qualifiedType}, {u"depth"_s, m.depth}, {u"parent"_s, m.parent},
                                      {u"parameters"_s, double(m.parameters)}, {u"bytes"_s, double(m.bytes)},
                                      {u"direct_parameters"_s, double(m.directParameters)},
                                      {u"direct_bytes"_s, double(m.directBytes)},
                                      {u"direct_shared_bytes"_s, double(m.directSharedBytes)}});
    }
    QJsonArray tensors;
    for (const TensorRecord &t : s.tensors) {
        QJsonObject o{{u"path"_s, t.path}, {u"module"_s, t.module}, {u"name"_s, t.name}, {u"kind"_s, t.isParameter ? u"parameter"_s : u"buffer"_s},
                      {u"shape"_s, shapeJson(t.shape)}, {u"dtype"_s, t.dtype}, {u"numel"_s, double(t.numel)},
                      {u"bytes"_s, double(t.bytes)}};
        if (!t.sharedWith.isEmpty())
            o.insert(u"shared_with"_s, t.sharedWith);
        if (t.nanCount > 0 || t.infCount > 0) {
            o.insert(u"nan"_s, double(t.nanCount));
            o.insert(u"inf"_s, double(t.infCount));
        }
        tensors.push_back(o);
    }
    QJsonObject metadata{{u"present"_s, meta.present}};
    if (meta.present) {
        metadata.insert(u"schema"_s, meta.schema);
        metadata.insert(u"name"_s, meta.name);
        metadata.insert(u"task"_s, taskName(meta.task));
        metadata.insert(u"description"_s, meta.description);
        metadata.insert(u"input_shape"_s, shapeJson(meta.inputShape));
        metadata.insert(u"input_dtype"_s, meta.inputDtype);
        metadata.insert(u"input_description"_s, meta.inputDescription);
        metadata.insert(u"tokenizer"_s, meta.tokenizer);
        metadata.insert(u"int8_engine"_s, meta.int8Engine);
        metadata.insert(u"labels"_s, QJsonArray::fromStringList(meta.labels));
        metadata.insert(u"vocabulary_size"_s, int(meta.vocabulary.size()));
    }
    if (!meta.warnings.isEmpty())
        metadata.insert(u"warnings"_s, QJsonArray::fromStringList(meta.warnings));
    return {{u"parameters"_s, double(s.parameterCount)}, {u"parameter_bytes"_s, double(s.parameterBytes)},
            {u"buffer_elements"_s, double(s.bufferCount)}, {u"buffer_bytes"_s, double(s.bufferBytes)},
            {u"total_bytes"_s, double(s.totalBytes())}, {u"shared_tensors"_s, s.sharedTensors},
            {u"file_bytes"_s, double(s.fileBytes)}, {u"modules"_s, modules}, {u"tensors"_s, tensors},
            {u"metadata"_s, metadata}, {u"non_finite_tensors"_s, QJsonArray::fromStringList(s.nonFiniteTensors())}};
}

QJsonObject toJson(const EvalResult &r)
{
    QJsonObject metrics;
    QJsonArray metricList; // the same values with their labels, in the evaluator's order (report/FromJson.h)
    for (const Metric &m : r.metrics) {
        metrics.insert(m.key, m.value);
        metricList.push_back(QJsonObject{{u"key"_s, m.key}, {u"label"_s, m.label}, {u"value"_s, m.value},
                                         {u"unit"_s, m.unit}, {u"higher_is_better"_s, m.higherIsBetter}});
    }
    return {{u"kind"_s, u"measured"_s}, {u"task"_s, taskName(r.task)}, {u"model"_s, r.modelPath},
            {u"data"_s, r.datasetPath}, {u"metrics"_s, metrics}, {u"metric_list"_s, metricList}, {u"samples"_s, double(r.samples)},
            {u"batch_size"_s, r.batchSize}, {u"wall_seconds"_s, r.wallSeconds},
            {u"non_finite_outputs"_s, double(r.nonFiniteOutputs)}, {u"runtime"_s, toJson(r.runtime)}};
}

QJsonObject toJson(const LatencyResult &r)
{
    return {{u"kind"_s, u"measured"_s}, {u"batch"_s, r.batch}, {u"runs"_s, r.runs}, {u"median_ms"_s, r.medianMs},
            {u"p90_ms"_s, r.p90Ms}, {u"min_ms"_s, r.minMs}, {u"mean_ms"_s, r.meanMs},
            {u"input_shape"_s, shapeJson(r.inputShape)}, {u"input_source"_s, r.inputSource},
            {u"runtime"_s, toJson(r.runtime)}};
}

QJsonObject toJson(const ZooEntry &e)
{
    return {{u"name"_s, e.name}, {u"task"_s, e.task}, {u"description"_s, e.description}, {u"dir"_s, e.dir},
            {u"built"_s, e.built}, {u"model"_s, e.modelPath}, {u"eval"_s, e.evalPath}, {u"train"_s, e.trainPath},
            {u"card"_s, e.card}};
}

QJsonObject toJson(const CompressionReport &r)
{
    QJsonArray layers;
    for (const LayerReport &l : r.layers) {
        QJsonObject o{{u"path"_s, l.path}, {u"type"_s, l.type}, {u"shape"_s, shapeJson(l.shape)},
                      {u"weights"_s, double(l.weights)}, {u"original_bytes"_s, double(l.originalBytes)},
                      {u"deployed_bytes"_s, double(l.deployedBytes)}, {u"effective_bits"_s, l.effectiveBits},
                      {u"sparsity"_s, l.sparsity}, {u"relative_error"_s, l.relativeError}, {u"encoding"_s, l.encoding},
                      {u"skipped"_s, l.skipped},
                      {u"size_bits"_s, QJsonObject{{u"values"_s, l.size.valueBits}, {u"scales"_s, l.size.scaleBits},
                                                   {u"zero_points"_s, l.size.zeroBits}, {u"indices"_s, l.size.indexBits},
                                                   {u"codebook"_s, l.size.codebookBits}}}};
        if (!l.tiedTo.isEmpty())
            o.insert(u"tied_to"_s, l.tiedTo);
        if (!l.note.isEmpty())
            o.insert(u"note"_s, l.note);
        layers.push_back(o);
    }
    QJsonObject o{{u"kind"_s, u"exact"_s}, {u"config"_s, toJson(r.config)}, {u"description"_s, r.config.describe()},
                  {u"original_bytes"_s, double(r.originalBytes)}, {u"deployed_bytes"_s, double(r.deployedBytes)},
                  {u"reduction"_s, r.reduction()}, {u"compressed_weights"_s, double(r.compressedWeights)},
                  {u"effective_bits"_s, r.effectiveBits}, {u"compress_seconds"_s, r.seconds}, {u"layers"_s, layers}, {u"notes"_s, QJsonArray::fromStringList(r.notes)}};
    if (!r.int8Engine.engine.isEmpty()) {
        QJsonArray timings;
        for (const Int8EngineTiming &t : r.int8Engine.timings)
            timings.push_back(QJsonObject{{u"engine"_s, t.engine}, {u"median_ms"_s, t.medianMs}, {u"runs"_s, t.runs}});
        o.insert(u"int8_engine"_s, QJsonObject{{u"engine"_s, r.int8Engine.engine},
                                                {u"chosen_by"_s, r.int8Engine.measured           ? u"measurement"_s
                                                                 : r.int8Engine.reason.isEmpty() ? u"configuration"_s
                                                                                                 : u"default"_s},
                                                {u"reason"_s, r.int8Engine.reason},
                                                {u"input_shape"_s, shapeJson(r.int8Engine.inputShape)},
                                                {u"measured"_s, timings}});
    }
    return o;
}

QJsonObject toJson(const DeviceEstimate &e)
{
    QJsonArray layers;
    for (const LayerEstimate &l : e.layers)
        layers.push_back(QJsonObject{{u"layer"_s, l.layer}, {u"precision"_s, l.precision}, {u"weight_bytes"_s, l.weightBytes},
                                     {u"flops"_s, l.flops}, {u"ms"_s, l.ms}, {u"bound"_s, l.computeBound ? u"compute"_s : u"memory"_s}});
    QJsonObject o{{u"kind"_s, u"estimated"_s}, {u"device"_s, e.device}, {u"deployment"_s, e.deployment}, {u"input_shape"_s, shapeJson(e.inputShape)},
                  {u"latency_ms"_s, e.latencyMs}, {u"overhead_ms"_s, e.overheadMs}, {u"operators"_s, e.operators},
                  {u"weight_bytes"_s, e.weightBytes}, {u"peak_activation_bytes"_s, e.peakActivationBytes}, {u"memory_bytes"_s, e.memoryBytes()},
                  {u"margin_bytes"_s, e.marginBytes}, {u"fits"_s, e.fits}, {u"energy_mj"_s, e.energyMj}, {u"layers"_s, layers}};
    if (e.tokenMs >= 0)
        o.insert(u"token_ms"_s, e.tokenMs);
    return o;
}

} // namespace compresslab
