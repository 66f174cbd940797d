#pragma once
// Results of evaluating a model on a dataset; every value is measured on this machine.
#include "common/Task.h"
#include "runtime/RuntimeInfo.h"

#include <QVector>

namespace compresslab {

struct Metric {
    QString key;   // stable identifier: "accuracy", "top5_accuracy", "loss", "perplexity", "token_accuracy"
    QString label; // for people: "Accuracy"
    double value = 0;
    QString unit;  // "%" or ""
    bool higherIsBetter = true;
};

struct EvalResult {
    Task task = Task::Unknown;
    QString modelPath;
    QString datasetPath;
    QVector<Metric> metrics;
    qint64 samples = 0;
    int batchSize = 0;
    double wallSeconds = 0;
    qint64 nonFiniteOutputs = 0; // samples whose output held NaN/Inf: the metrics count them as wrong
    RuntimeInfo runtime;
    double value(const QString &key, double fallback = 0) const;
    const Metric *find(const QString &key) const;
    // The metric that ranks results: accuracy for classifiers, perplexity for language models.
    const Metric *headline() const;
};

struct EvalParams {
    int batchSize = 64; // samples per forward pass
    qint64 limit = -1;  // evaluate the first `limit` samples only (-1: all)
    int threads = 0;    // LibTorch intra-op threads; 0 = one per core
};

} // namespace compresslab
