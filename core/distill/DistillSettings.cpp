#include "distill/DistillSettings.h"

#include "common/JsonFields.h"

#include <QStringList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

const JsonFields kFields{u"invalid distillation settings: "_s};
const QStringList kSoftLosses{u"kl"_s, u"mse"_s};
const QStringList kOptimizers{u"adamw"_s, u"adam"_s, u"sgd"_s};
const QStringList kDecays{u"cosine"_s, u"linear"_s, u"constant"_s};
constexpr double kMaxSteps = 1e9;

} // namespace

qint64 DistillSettings::totalSteps(qint64 samples) const
{
    if (steps > 0)
        return steps;
    const double perEpoch = std::ceil(double(samples) / double(std::max(1, batchSize)));
    return std::max<qint64>(1, qint64(std::ceil(perEpoch * epochs)));
}

double DistillSettings::learningRateAt(qint64 step, qint64 total) const
{
    if (step < warmupSteps)
        return learningRate * double(step + 1) / double(warmupSteps + 1);
    const double span = double(std::max<qint64>(1, total - warmupSteps));
    const double progress = std::min(1.0, double(step - warmupSteps) / span);
    double factor = 1;
    switch (decay) {
    case Decay::Cosine: factor = 0.5 * (1 + std::cos(M_PI * progress)); break;
    case Decay::Linear: factor = 1 - progress; break;
    case Decay::Constant: return learningRate;
    }
    return learningRate * (minLrRatio + (1 - minLrRatio) * factor);
}

QString DistillSettings::describe() const
{
    const QString soft = alpha > 0 ? u"%1 T=%2 α=%3"_s.arg(softLoss == SoftLoss::KL ? u"KL"_s : u"MSE"_s).arg(temperature).arg(alpha)
                                   : u"hard labels only"_s;
    const QString length = steps > 0 ? u"%1 steps"_s.arg(steps) : u"%1 epochs"_s.arg(epochs);
    const QString opt = QStringList{u"AdamW"_s, u"Adam"_s, u"SGD"_s}.at(int(optimizer));
    return u"%1, %2 × %3, %4 lr %5 %6"_s.arg(soft, length).arg(batchSize).arg(opt).arg(learningRate).arg(kDecays.at(int(decay)));
}

DistillSettings parseDistillSettings(const QJsonObject &o)
{
    kFields.allowOnly(o, QString(),
                      {u"temperature"_s, u"alpha"_s, u"soft_loss"_s, u"hidden_weight"_s, u"steps"_s, u"epochs"_s, u"batch_size"_s,
                       u"learning_rate"_s, u"warmup_steps"_s, u"decay"_s, u"min_lr_ratio"_s, u"optimizer"_s, u"momentum"_s,
                       u"weight_decay"_s, u"clip_norm"_s, u"seed"_s, u"eval_every"_s, u"eval_limit"_s, u"patience"_s,
                       u"restore_best"_s, u"learn_scales"_s, u"time_limit_seconds"_s});
    DistillSettings s;
    const QString top;
    s.temperature = kFields.number(o, top, u"temperature"_s, s.temperature, 0.05, 100);
    s.alpha = kFields.number(o, top, u"alpha"_s, s.alpha, 0, 1);
    s.softLoss = SoftLoss(kSoftLosses.indexOf(kFields.text(o, top, u"soft_loss"_s, u"kl"_s, kSoftLosses)));
    s.hiddenWeight = kFields.number(o, top, u"hidden_weight"_s, s.hiddenWeight, 0, 1000);
    s.steps = qint64(kFields.number(o, top, u"steps"_s, 0, 0, kMaxSteps));
    s.epochs = kFields.number(o, top, u"epochs"_s, s.epochs, 1e-6, 10000);
    s.batchSize = kFields.integer(o, top, u"batch_size"_s, s.batchSize, 1, 65536);
    s.learningRate = kFields.number(o, top, u"learning_rate"_s, s.learningRate, 0, 1e6);
    s.warmupSteps = qint64(kFields.number(o, top, u"warmup_steps"_s, 0, 0, kMaxSteps));
    s.decay = Decay(kDecays.indexOf(kFields.text(o, top, u"decay"_s, u"cosine"_s, kDecays)));
    s.minLrRatio = kFields.number(o, top, u"min_lr_ratio"_s, s.minLrRatio, 0, 1);
    s.optimizer = Optimizer(kOptimizers.indexOf(kFields.text(o, top, u"optimizer"_s, u"adamw"_s, kOptimizers)));
    s.momentum = kFields.number(o, top, u"momentum"_s, s.momentum, 0, 0.9999);
    s.weightDecay = kFields.number(o, top, u"weight_decay"_s, s.weightDecay, 0, 10);
    s.clipNorm = kFields.number(o, top, u"clip_norm"_s, s.clipNorm, 0, 1e9);
    s.seed = qint64(kFields.number(o, top, u"seed"_s, 0, 0, 9007199254740991.0));
    s.evalEvery = qint64(kFields.number(o, top, u"eval_every"_s, 0, 0, kMaxSteps));
    s.evalLimit = qint64(kFields.number(o, top, u"eval_limit"_s, 0, 0, 1e12));
    s.patience = kFields.integer(o, top, u"patience"_s, 0, 0, 1000000);
    s.restoreBest = kFields.boolean(o, top, u"restore_best"_s, s.restoreBest);
    s.learnScales = kFields.boolean(o, top, u"learn_scales"_s, s.learnScales);
    s.timeLimitSeconds = kFields.number(o, top, u"time_limit_seconds"_s, 0, 0, 1e7);
    for (const char *whole : {"steps", "warmup_steps", "eval_every", "eval_limit", "seed"}) {
        const double v = o.value(QLatin1StringView(whole)).toDouble();
        if (v != std::floor(v))
            kFields.bad(u"'%1' must be a whole number"_s.arg(QLatin1StringView(whole)));
    }
    if (s.patience > 0 && s.evalEvery == 0)
        kFields.bad(u"'patience' needs 'eval_every': early stopping watches the evaluations"_s);
    return s;
}

QJsonObject toJson(const DistillSettings &s)
{
    QJsonObject o{{u"temperature"_s, s.temperature}, {u"alpha"_s, s.alpha}, {u"soft_loss"_s, kSoftLosses.at(int(s.softLoss))},
                  {u"batch_size"_s, s.batchSize}, {u"learning_rate"_s, s.learningRate}, {u"warmup_steps"_s, double(s.warmupSteps)},
                  {u"decay"_s, kDecays.at(int(s.decay))}, {u"min_lr_ratio"_s, s.minLrRatio}, {u"optimizer"_s, kOptimizers.at(int(s.optimizer))},
                  {u"weight_decay"_s, s.weightDecay}, {u"clip_norm"_s, s.clipNorm}, {u"seed"_s, double(s.seed)},
                  {u"eval_every"_s, double(s.evalEvery)}, {u"eval_limit"_s, double(s.evalLimit)}, {u"patience"_s, s.patience},
                  {u"restore_best"_s, s.restoreBest}, {u"learn_scales"_s, s.learnScales}};
    if (s.steps > 0)
        o.insert(u"steps"_s, double(s.steps));
    else
        o.insert(u"epochs"_s, s.epochs);
    if (s.optimizer == Optimizer::Sgd)
        o.insert(u"momentum"_s, s.momentum);
    if (s.hiddenWeight > 0)
        o.insert(u"hidden_weight"_s, s.hiddenWeight);
    if (s.timeLimitSeconds > 0)
        o.insert(u"time_limit_seconds"_s, s.timeLimitSeconds);
    return o;
}

} // namespace compresslab
