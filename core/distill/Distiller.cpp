#include "distill/Distiller.h"

#include "common/UserError.h"
#include "data/DatasetImpl.h"
#include "distill/ConstrainedWeights.h"
#include "distill/DistillLoss.h"
#include "distill/HiddenStates.h"
#include "eval/Evaluator.h"
#include "eval/MetricAccumulator.h"
#include "eval/ModelRunner.h"
#include "runtime/RuntimeInfo.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/optim.h>

#include <QElapsedTimer>

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace compresslab {

QString distillStopName(DistillStop stop)
{
    switch (stop) {
    case DistillStop::Completed: return u"completed"_s;
    case DistillStop::EarlyStopped: return u"early-stopped"_s;
    case DistillStop::TimeLimit: return u"time-limit"_s;
    case DistillStop::Cancelled: return u"cancelled"_s;
    case DistillStop::Diverged: return u"diverged"_s;
    }
    return {};
}

namespace {

// The training set in a seeded order, reshuffled every epoch.
class BatchOrder {
public:
    BatchOrder(qint64 samples, int batch, qint64 seed) : m_samples(samples), m_batch(batch)
    {
        m_generator = at::make_generator<at::CPUGeneratorImpl>(uint64_t(seed));
    }
    torch::Tensor next()
    {
        if (!m_order.defined() || m_position >= m_samples) {
            m_order = torch::randperm(m_samples, m_generator, torch::kLong);
            m_position = 0;
        }
        const int64_t n = std::min<int64_t>(m_batch, m_samples - m_position);
        const auto idx = m_order.narrow(0, m_position, n);
        m_position += n;
        return idx;
    }

private:
    qint64 m_samples;
    int m_batch;
    at::Generator m_generator;
    torch::Tensor m_order;
    qint64 m_position = 0;
};

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const ConstrainedWeights &weights, const DistillSettings &s)
{
    using namespace torch::optim;
    std::vector<OptimizerParamGroup> groups;
    auto add = [&](std::vector<torch::Tensor> params, double decay) {
        if (params.empty())
            return;
        std::unique_ptr<OptimizerOptions> options;
        switch (s.optimizer) {
        case Optimizer::AdamW: options = std::make_unique<AdamWOptions>(AdamWOptions(s.learningRate).weight_decay(decay)); break;
        case Optimizer::Adam: options = std::make_unique<AdamOptions>(AdamOptions(s.learningRate).weight_decay(decay)); break;
        case Optimizer::Sgd: options = std::make_unique<SGDOptions>(SGDOptions(s.learningRate).momentum(s.momentum).weight_decay(decay)); break;
        }
        groups.emplace_back(std::move(params), std::move(options));
    };
    add(weights.decayed(), s.weightDecay);
    add(weights.undecayed(), 0);
    if (groups.empty())
        throw UserError(u"the student has no parameters to train"_s);
    switch (s.optimizer) {
    case Optimizer::AdamW: return std::make_unique<AdamW>(std::move(groups));
    case Optimizer::Adam: return std::make_unique<Adam>(std::move(groups));
    case Optimizer::Sgd: return std::make_unique<SGD>(std::move(groups), SGDOptions(s.learningRate));
    }
    return {};
}

void setLearningRate(torch::optim::Optimizer &optimizer, double lr)
{
    for (auto &group : optimizer.param_groups())
        group.options().set_lr(lr);
}

QString shapeText(const torch::Tensor &t)
{
    QStringList dims;
    for (int64_t d : t.sizes())
        dims << QString::number(d);
    return u"["_s + dims.join(u", "_s) + u"]"_s;
}


// Copies of every trainable tensor, to go back to a known-good or the best student.
struct Snapshot {
    std::vector<torch::Tensor> values;
    qint64 step = -1;
    void take(const std::vector<torch::Tensor> &params, qint64 atStep)
    {
        torch::NoGradGuard noGrad;
        if (values.size() != params.size()) {
            values.clear();
            for (const auto &p : params)
                values.push_back(p.detach().clone());
        } else {
            for (size_t i = 0; i < params.size(); ++i)
                values[i].copy_(params[i].detach());
        }
        step = atStep;
    }
    void restore(const std::vector<torch::Tensor> &params) const
    {
        torch::NoGradGuard noGrad;
        for (size_t i = 0; i < params.size(); ++i)
            params[i].detach().copy_(values[i]);
    }
};

} // namespace

DistillOutcome distill(const Model &teacher, const Model &student, std::shared_ptr<const CompressionArtifacts> constraints,
                       const Dataset &train, const Dataset *eval, const DistillSettings &s, const EvalParams &evalParams,
                       const DistillObserver &observer)
{
    const DatasetInfo &info = train.info();
    const Task task = teacher.metadata().task;
    if (task != Task::Unknown && task != info.task)
        throw UserError(u"the training set does not fit the model: the model is for %1 but %2 is a %3 set"_s
                            .arg(taskName(task), info.name, taskName(info.task)));
    if (eval && eval->info().task != info.task)
        throw UserError(u"the evaluation set %1 is a %2 set but the training set %3 is a %4 set"_s
                            .arg(eval->info().name, taskName(eval->info().task), info.name, taskName(info.task)));
    configureRuntime(evalParams.threads, teacher.metadata().int8Engine);

    DistillOutcome out;
    out.plannedSteps = s.totalSteps(info.samples);
    Model::Impl &t = teacher.impl();
    std::lock_guard<std::mutex> teacherLock(t.runMutex);
    t.module.eval();
    // The student is a deep copy (tied weights stay tied), so the caller's model never changes. Copied without
    // autograd: a clone of a parameter that requires grad would not be a leaf, and leaves are what trains.
    const auto copy = [&] {
        torch::NoGradGuard noGrad;
        return deriveModel(student, student.impl().module.deepcopy(), student.displayName() + u" (distilled)"_s);
    }();
    torch::jit::Module module = copy->impl().module;
    module.eval();
    ConstrainedWeights weights(module, constraints.get(), s.learnScales);
    const std::vector<torch::Tensor> params = weights.all();
    const auto optimizer = makeOptimizer(weights, s);

    const Dataset::Impl &d = train.impl();
    auto stage = [&](const QString &name, qint64 done, qint64 total) { return !observer.progress || observer.progress(name, done, total); };
    auto publish = [&](QVector<history::CurvePoint> points) {
        out.curves += points;
        if (observer.points)
            observer.points(points);
    };

    // Hidden-state matching: the Linear layers both forward passes call by the same path.
    std::optional<HiddenForward> teacherHidden, studentHidden;
    std::vector<size_t> matched; // indices into paths() whose outputs agree in shape
    if (s.hiddenWeight > 0) {
        QStringList common;
        const QStringList studentPaths = linearPaths(module);
        for (const QString &p : linearPaths(t.module)) {
            if (studentPaths.contains(p))
                common << p;
        }
        teacherHidden.emplace(t.module, common);
        studentHidden.emplace(module, teacherHidden->paths());
    }

    // Shapes first, on a few samples: a student that cannot stand in for the teacher is refused before training.
    {
        torch::NoGradGuard noGrad;
        weights.apply(false);
        const int64_t n = std::min<int64_t>(2, info.samples);
        const auto inputs = d.inputs.narrow(0, 0, n);
        const auto teacherOut = runForward(t.module, inputs);
        checkOutputShape(info.task, teacherOut, d.targets.narrow(0, 0, n));
        torch::Tensor studentOut;
        try {
            studentOut = runForward(module, inputs);
        } catch (const UserError &e) {
            throw UserError(u"the student cannot take the teacher's input: "_s + e.message());
        }
        if (!studentOut.sizes().equals(teacherOut.sizes()))
            throw UserError(u"the student's output %1 does not match the teacher's %2: a student must give the same outputs for the same input"_s
                                .arg(shapeText(studentOut), shapeText(teacherOut)));
        if (teacherHidden && studentHidden->paths() == teacherHidden->paths()) {
            const auto th = teacherHidden->run(inputs).second, sh = studentHidden->run(inputs).second;
            QStringList names;
            for (size_t i = 0; i < th.size(); ++i) {
                if (th[i].sizes().equals(sh[i].sizes())) {
                    matched.push_back(i);
                    names << teacherHidden->paths().at(int(i));
                }
            }
            out.notes << (names.isEmpty() ? u"hidden states: no Linear output of the student has the teacher's shape; only the logits are matched"_s
                                          : u"hidden states matched at %1 Linear layer(s): %2"_s.arg(names.size()).arg(names.join(u", "_s)));
        }
    }
    const bool matchHidden = !matched.empty();

    EvalParams during = evalParams;
    during.limit = s.evalLimit > 0 ? s.evalLimit : -1;
    Snapshot lastGood, best;
    double bestValue = 0;
    int evalsWithoutGain = 0;
    auto evaluateNow = [&](qint64 step) -> bool { // false: stop early
        weights.apply(false);
        const EvalResult r = evaluate(*copy, *eval, during, [&](qint64 done, qint64 total) { return stage(u"evaluating student"_s, done, total); });
        QVector<history::CurvePoint> points;
        for (const Metric &m : r.metrics)
            points.push_back({u"eval_"_s + m.key, step, m.value});
        publish(points);
        const Metric *m = r.headline();
        if (!m)
            return true;
        out.watchedMetric = m->key;
        const bool better = best.step < 0 || (m->higherIsBetter ? m->value > bestValue : m->value < bestValue);
        if (better) {
            bestValue = m->value;
            best.take(params, step);
            evalsWithoutGain = 0;
        } else {
            ++evalsWithoutGain;
        }
        return !(s.patience > 0 && evalsWithoutGain >= s.patience);
    };

    QElapsedTimer clock;
    clock.start();
    BatchOrder order(info.samples, s.batchSize, s.seed);
    const bool needTeacher = s.alpha > 0 || matchHidden;
    try {
        if (eval && s.evalEvery > 0 && !evaluateNow(0))
            out.stop = DistillStop::EarlyStopped;
        for (qint64 step = 0; step < out.plannedSteps && out.stop == DistillStop::Completed; ++step) {
            const auto idx = order.next();
            const auto inputs = d.inputs.index_select(0, idx);
            const auto targets = d.targets.index_select(0, idx);
            const auto mask = d.mask.defined() ? d.mask.index_select(0, idx) : torch::Tensor();
            torch::Tensor teacherLogits, studentLogits;
            std::vector<torch::Tensor> teacherStates, studentStates;
            if (needTeacher) {
                torch::NoGradGuard noGrad;
                if (matchHidden)
                    std::tie(teacherLogits, teacherStates) = teacherHidden->run(inputs);
                else
                    teacherLogits = runForward(t.module, inputs);
            }
            weights.apply(true);
            if (matchHidden)
                std::tie(studentLogits, studentStates) = studentHidden->run(inputs);
            else
                studentLogits = runForward(module, inputs);
            LossParts loss = distillationLoss(studentLogits, teacherLogits, targets, mask, s);
            double hiddenLoss = 0;
            if (matchHidden) {
                std::vector<torch::Tensor> a, b;
                for (size_t i : matched) {
                    a.push_back(studentStates[i]);
                    b.push_back(teacherStates[i]);
                }
                const auto h = hiddenStateLoss(a, b);
                hiddenLoss = h.item<double>();
                loss.total = loss.total + s.hiddenWeight * h;
            }
            const double lossValue = loss.total.item<double>();
            if (!std::isfinite(lossValue)) {
                if (step == 0)
                    throw UserError(u"the loss is not finite at the first step: the teacher or the student gives NaN or Inf on the training set"_s);
                lastGood.restore(params);
                out.stop = DistillStop::Diverged;
                out.message = u"the loss became NaN or Inf at step %1 (learning rate %2): the learning rate is probably too high. "
                              "The student is kept as it was after step %3, the last one whose loss was finite"_s
                                  .arg(step + 1).arg(s.learningRateAt(step - 1, out.plannedSteps)).arg(lastGood.step);
                out.steps = lastGood.step;
                break;
            }
            optimizer->zero_grad();
            loss.total.backward();
            const double norm = s.clipNorm > 0 ? torch::nn::utils::clip_grad_norm_(params, s.clipNorm)
                                               : torch::nn::utils::clip_grad_norm_(params, std::numeric_limits<double>::infinity());
            if (!std::isfinite(norm)) {
                out.stop = DistillStop::Diverged;
                out.message = u"the gradients became NaN or Inf at step %1; the student is kept as it was after step %2"_s.arg(step + 1).arg(step);
                out.steps = step;
                break;
            }
            lastGood.take(params, step);
            const double lr = s.learningRateAt(step, out.plannedSteps);
            setLearningRate(*optimizer, lr);
            optimizer->step();
            out.steps = step + 1;
            QVector<history::CurvePoint> points{{u"train_loss"_s, step + 1, lossValue}, {u"learning_rate"_s, step + 1, lr}};
            if (s.alpha > 0)
                points.push_back({u"train_soft_loss"_s, step + 1, loss.soft});
            if (s.alpha < 1)
                points.push_back({u"train_hard_loss"_s, step + 1, loss.hard});
            if (matchHidden)
                points.push_back({u"train_hidden_loss"_s, step + 1, hiddenLoss});
            publish(points);
            const bool last = step + 1 == out.plannedSteps;
            if (eval && s.evalEvery > 0 && ((step + 1) % s.evalEvery == 0 || last) && !evaluateNow(step + 1)) {
                out.stop = DistillStop::EarlyStopped;
                out.message = u"no improvement of %1 in %2 evaluations"_s.arg(out.watchedMetric).arg(s.patience);
            }
            if (!stage(u"distilling"_s, step + 1, out.plannedSteps)) {
                out.stop = DistillStop::Cancelled;
                out.message = u"cancelled after step %1 of %2"_s.arg(step + 1).arg(out.plannedSteps);
            }
            if (out.stop == DistillStop::Completed && s.timeLimitSeconds > 0 && clock.elapsed() / 1000.0 >= s.timeLimitSeconds && !last) {
                out.stop = DistillStop::TimeLimit;
                out.message = u"stopped at the time limit of %1 s after step %2 of %3"_s.arg(s.timeLimitSeconds).arg(step + 1).arg(out.plannedSteps);
            }
        }
    } catch (const Cancelled &) { // cancelled inside an evaluation: the last completed step stands
        out.stop = DistillStop::Cancelled;
        out.message = u"cancelled after step %1 of %2"_s.arg(out.steps).arg(out.plannedSteps);
    }
    out.stepsTrained = out.steps;
    // The best evaluated student, unless cancelled (the user keeps the last step) or evaluated on weights
    // that had already diverged (after the last finite loss).
    if (s.restoreBest && best.step >= 0 && best.step != out.steps && out.stop != DistillStop::Cancelled && best.step <= out.steps) {
        best.restore(params);
        out.bestStep = best.step;
        out.steps = best.step;
    }
    out.seconds = double(clock.nsecsElapsed()) / 1e9;
    weights.apply(false);
    for (torch::Tensor p : params) { // done training: no gradients kept, parameters plain again
        p.mutable_grad() = torch::Tensor();
        p.set_requires_grad(false);
    }
    if (constraints)
        out.artifacts = std::make_shared<const CompressionArtifacts>(weights.finalArtifacts());
    out.student = copy;
    return out;
}

} // namespace compresslab
