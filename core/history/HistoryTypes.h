#pragma once
// Plain records of the experiment history: what the GUI, the CLI and the compression, device and
// distillation code hand to the history and get back. No SQL and no Torch here.
#include <QDateTime>
#include <QJsonObject>
#include <QStringList>
#include <QVector>

#include <optional>

namespace compresslab::history {

enum class Status { Running, Done, Failed, Cancelled, Interrupted };
QString statusName(Status s); // "running", "done", "failed", "cancelled", "interrupted"
Status statusFromName(const QString &name);

// Every number is either measured on this machine or estimated from a device model.
enum class Provenance { Measured, Estimated };
QString provenanceName(Provenance p);

struct ModelRef {
    QString sha256;          // of the file's bytes: the model's identity
    QString path;            // where it was when the experiment ran
    QString name;
    qint64 parameters = 0;
    qint64 bytes = 0;        // fp32 size as loaded, tied tensors once
};

struct DatasetRef {
    QString sha256;
    QString path;
    QString name;
    qint64 samples = 0;
};

// A device profile exactly as it was used: a copy, so editing the profile later does not rewrite the past.
struct DeviceRef {
    QString name;
    QJsonObject profile;
};

struct MetricValue {
    QString key;             // "accuracy", "perplexity", "deployed_bytes", "latency_median_ms", "kl_to_teacher", ...
    double value = 0;
    QString unit;            // "%", "ms", "B", "bits", "J", ""
    bool higherIsBetter = true;
    Provenance provenance = Provenance::Measured;
    QString device;          // the device profile of an estimate; empty for numbers measured here
    QString role = QStringLiteral("result"); // "result" (the experiment's model) or "baseline" (the original)
    QString detail;          // the kernels it ran with, or how it was estimated
};

struct LayerResult {
    QString path;
    QString type;
    QString encoding;
    double bits = 32;        // effective bits per weight
    double sparsity = 0;
    double error = 0;        // relative Frobenius error of the weight
    qint64 originalBytes = 0;
    qint64 deployedBytes = 0;
    QJsonObject extra;       // method-specific per-layer values, e.g. sensitivity per bit width
};

struct CurvePoint {
    QString curve;           // "train_loss", "eval_accuracy", ...
    qint64 step = 0;
    double value = 0;
};

struct Artifact {
    QString path;
    QString format;          // "torchscript-dequantized", "torchscript-lowrank", "torchscript-int8", "compresslab-packed"
    qint64 bytes = 0;
    QString sha256;
};

// What is known when an experiment starts.
struct ExperimentStart {
    QString uuid;            // left empty, the history makes one
    QString kind = QStringLiteral("compress"); // "compress", "evaluate", "distill", "sensitivity"
    QJsonObject config;      // the engine's configuration JSON, whole
    QString summary;         // one line for lists, e.g. "int4 group-128 sym RTN"
    QStringList methods;     // "quantize", "prune", "low_rank", "codebook", "distill"
    qint64 seed = 0;
    QJsonObject environment; // app version and commit, LibTorch, Qt, SQLite, OS, CPU, threads, int8 engine
    ModelRef model;
    std::optional<DatasetRef> dataset;
    QStringList tags;
    QString notes;
    qint64 rerunOf = 0;      // the experiment this one repeats, 0 if none
    QDateTime started;       // left invalid, now
};

// What an experiment produced; written in one transaction together with its final status.
struct ExperimentOutcome {
    Status status = Status::Done;
    QString failure;         // the reason, for failed experiments
    QVector<MetricValue> metrics;
    QVector<LayerResult> layers;
    QVector<CurvePoint> curves;
    QVector<Artifact> artifacts;
    QVector<DeviceRef> devices; // profiles the estimates used (by MetricValue::device)
    QString reproduction;    // for re-runs: "exact", or which metrics differed and by how much
    QDateTime finished;      // left invalid, now
};

// One experiment, whole.
struct Experiment {
    qint64 id = 0;
    ExperimentStart start;
    ExperimentOutcome outcome;
    double seconds() const { return start.started.msecsTo(outcome.finished) / 1000.0; }
    const MetricValue *metric(const QString &key, const QString &role = QStringLiteral("result"), const QString &device = {}) const;
};

// A line of a list.
struct ExperimentSummary {
    qint64 id = 0;
    QString uuid;
    QString kind;
    Status status = Status::Done;
    QString failure;
    QString summary;
    QString modelName;
    QString datasetName;
    QDateTime started;
    double seconds = 0;
    QStringList tags;
    qint64 rerunOf = 0;
    QString reproduction;
    QString headlineKey;     // the first quality metric measured on the result ("accuracy", "perplexity"), if any
    double headlineValue = 0;
    double deployedBytes = 0; // 0 when not recorded
};

struct Filter {
    QString model;           // name or hash prefix
    QString dataset;
    QString device;          // has a metric estimated for this device
    QString method;          // one of ExperimentStart::methods
    QString tag;
    QString kind;
    std::optional<Status> status;
    QDateTime from, to;      // started within [from, to)
    int limit = 0;           // 0: all
    int offset = 0;
};

// One axis of a trade-off chart: a metric, for the experiment's model or its baseline, measured here or
// estimated for a device.
struct Axis {
    QString key;
    QString device;
    QString role = QStringLiteral("result");
};
Axis parseAxis(const QString &text); // "latency_median_ms@Raspberry Pi 4", "baseline:accuracy"
QString axisName(const Axis &a);

struct ParetoPoint {
    qint64 id = 0;
    double x = 0, y = 0;
    bool onFront = false;
    QString summary;
};

struct ParetoResult {
    Axis x, y;
    bool xHigherIsBetter = true, yHigherIsBetter = true;
    QVector<ParetoPoint> points; // every experiment that has both metrics; the front flagged
};

struct Constraint {
    Axis axis;
    bool atMost = true;      // value <= bound, else value >= bound
    double bound = 0;
};

struct ConfigDifference {
    QString path;            // "quantize.bits"
    QStringList values;      // one per compared experiment, "—" where absent
};

struct MetricComparison {
    QString name;            // axisName
    QString unit;
    Provenance provenance = Provenance::Measured;
    bool higherIsBetter = true;
    QVector<std::optional<double>> values; // one per compared experiment
};

struct Comparison {
    QVector<qint64> ids;
    QVector<ConfigDifference> config; // only the paths that differ
    QVector<MetricComparison> metrics;
};

struct MergeResult {
    int added = 0;
    int skipped = 0;         // already present (same uuid)
};

} // namespace compresslab::history
