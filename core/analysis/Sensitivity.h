#pragma once
// Per-layer sensitivity: how much the metric moves (and how far the output distribution drifts, as KL
// divergence from the uncompressed model) when only one layer is quantized at a bit width or pruned at a
// ratio, on a calibration subset; plus a cheap second-order score (no extra forward passes) and how well
// it ranks the layers against the measured KL. Results are cached per model, dataset and settings.
#include "common/Progress.h"

#include <QJsonObject>
#include <QVector>

namespace compresslab {

struct SensitivityParams {
    QVector<int> bits{2, 3, 4, 8};       // per-channel symmetric round-to-nearest, one layer at a time
    QVector<double> sparsities{0.5, 0.75}; // per-layer magnitude pruning
    qint64 samples = 128;                // calibration subset: the dataset's first samples
    int batchSize = 32;
    bool useCache = true;
};

struct SensitivityProbe {
    QString setting;     // "int4", "prune 50%"
    double metric = 0;   // the primary metric with only this layer changed
    double delta = 0;    // metric - baseline
    double kl = 0;       // mean KL(original || probed) per sample (per token for language models), nats
};

struct LayerSensitivity {
    QString layer;
    QString type;
    qint64 weights = 0;
    QVector<SensitivityProbe> probes;
    double cheapScore = -1; // second-order saliency at the reference bit width; -1 where no Hessian (non-Linear)
};

struct SensitivityResult {
    QString metricKey;
    QString metricLabel;
    bool higherIsBetter = true;
    double baseline = 0;
    qint64 samples = 0;
    QString referenceSetting; // the probe the cheap score is ranked against ("int4")
    double spearman = 0;      // rank correlation of cheap score vs measured KL over Linear layers
    int rankedLayers = 0;
    QVector<LayerSensitivity> layers;
    double seconds = 0;
    bool fromCache = false;
    QString cachePath;
};

// Throws UserError for bad input, Cancelled when progress says stop. The model file is never modified.
SensitivityResult analyseSensitivity(const QString &modelPath, const QString &dataPath, const SensitivityParams &params = {},
                                     const ProgressCallback &progress = {});

QJsonObject toJson(const SensitivityResult &r);
SensitivityResult sensitivityFromJson(const QJsonObject &o);
// The settings as the model host receives them (core/host); missing keys keep the defaults.
QJsonObject toJson(const SensitivityParams &p);
SensitivityParams sensitivityParamsFromJson(const QJsonObject &o);

// The probe's `setting` for a pruning ratio ("prune 50%"), as fit looks it up.
QString sparsityProbeName(double sparsity);

} // namespace compresslab
