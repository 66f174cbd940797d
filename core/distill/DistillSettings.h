#pragma once
// How a student learns from its teacher: loss mix, schedule, optimizer, evaluation and stopping.
// One serialisable description shared by the CLI, the GUI and the history (docs/distillation.md).
#include <QJsonObject>

namespace compresslab {

enum class SoftLoss { KL, MSE };
enum class Optimizer { AdamW, Adam, Sgd };
enum class Decay { Cosine, Linear, Constant };

struct DistillSettings {
    double temperature = 2.0;      // softens both distributions; the soft loss is scaled by T² (Hinton et al.)
    double alpha = 0.5;            // weight of the soft-target loss; 1 - alpha weighs the hard-label loss
    SoftLoss softLoss = SoftLoss::KL;
    double hiddenWeight = 0;       // > 0: also match outputs of compressed layers whose shapes agree (MSE)
    qint64 steps = 0;              // optimizer steps; 0: use epochs
    double epochs = 1;             // passes over the training set when steps is 0
    int batchSize = 32;
    double learningRate = 1e-4;
    qint64 warmupSteps = 0;        // linear ramp from 0 to learningRate
    Decay decay = Decay::Cosine;   // after warm-up, down to minLrRatio × learningRate
    double minLrRatio = 0.0;
    Optimizer optimizer = Optimizer::AdamW;
    double momentum = 0.9;         // SGD only
    double weightDecay = 0.0;      // on matrices only, never on biases, norms, scales or codebooks
    double clipNorm = 1.0;         // global gradient norm limit; 0: off
    qint64 seed = 0;               // data order; with the same threads, the run repeats exactly
    qint64 evalEvery = 0;          // evaluate every N steps (0: only at the end)
    qint64 evalLimit = 0;          // evaluate on the first N samples during training (0: all)
    int patience = 0;              // early stop after N evaluations without improvement (0: off)
    bool restoreBest = true;       // with evaluations: end with the best evaluated student
    bool learnScales = false;      // quantization scales are trained too (stay fp16-representable)
    double timeLimitSeconds = 0;   // stop after this long (0: no limit); makes the run depend on speed

    // Steps this run takes for a training set of `samples`.
    qint64 totalSteps(qint64 samples) const;
    // Learning rate at 0-based step `step` of `total`.
    double learningRateAt(qint64 step, qint64 total) const;
    QString describe() const;      // "KL T=2 α=0.5, 300 steps × 32, AdamW lr 1e-4 cosine"
};

// Parses and validates; throws UserError naming the key for unknown keys, bad types and values out of range.
DistillSettings parseDistillSettings(const QJsonObject &json);
QJsonObject toJson(const DistillSettings &settings);

} // namespace compresslab
