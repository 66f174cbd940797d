#include "CliCommon.h"
#include "Commands.h"
#include "MethodOptions.h"

#include "common/Duration.h"
#include "common/JsonFile.h"
#include "common/UserError.h"
#include "experiment/DistillRun.h"
#include "history/History.h"
#include "model/ModelSummary.h"
#include "report/ToJson.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab::cli {

namespace {

// Flag → settings key, and whether the value is a number (else a word such as "cosine").
struct SettingFlag {
    const char *flag, *key, *valueName, *help;
    bool numeric;
};

const SettingFlag kSettingFlags[] = {
    {"temperature", "temperature", "T", "Softening temperature of the soft targets (default 2).", true},
    {"alpha", "alpha", "A", "Weight of the soft-target loss, 0-1; the rest is the hard-label loss (default 0.5).", true},
    {"soft-loss", "soft_loss", "L", "kl (default; scaled by T²) or mse on the logits.", false},
    {"hidden-weight", "hidden_weight", "W", "Also match the outputs of Linear layers whose shapes agree, with this weight (default 0: off).", true},
    {"steps", "steps", "N", "Optimizer steps (default: one epoch).", true},
    {"epochs", "epochs", "E", "Passes over the training set, when --steps is not given.", true},
    {"batch", "batch_size", "B", "Training batch size (default 32).", true},
    {"lr", "learning_rate", "LR", "Peak learning rate (default 1e-4).", true},
    {"warmup", "warmup_steps", "N", "Linear warm-up steps (default 0).", true},
    {"decay", "decay", "D", "Learning-rate decay after warm-up: cosine (default), linear or constant.", false},
    {"optimizer", "optimizer", "O", "adamw (default), adam or sgd.", false},
    {"momentum", "momentum", "M", "SGD momentum (default 0.9).", true},
    {"weight-decay", "weight_decay", "W", "Weight decay on weight matrices (default 0).", true},
    {"clip", "clip_norm", "C", "Clip the gradient norm to C; 0 turns it off (default 1).", true},
    {"seed", "seed", "S", "Seed of the data order (default 0).", true},
    {"eval-every", "eval_every", "N", "Evaluate every N steps (default: at the end only).", true},
    {"eval-limit", "eval_limit", "N", "Evaluate on the first N samples during training (default: all).", true},
    {"patience", "patience", "N", "Stop after N evaluations without improvement (needs --eval-every).", true},
    {"time-limit", "time_limit_seconds", "S", "Stop after S seconds of training.", true},
};

QJsonObject settingsJson(const QCommandLineParser &p)
{
    QJsonObject o = p.isSet(u"settings"_s) ? readJsonObject(p.value(u"settings"_s)) : QJsonObject();
    for (const SettingFlag &f : kSettingFlags) {
        const QString flag = QString::fromLatin1(f.flag);
        if (!p.isSet(flag))
            continue;
        const QString value = p.value(flag);
        bool ok = true;
        const double number = value.toDouble(&ok);
        if (f.numeric && !ok)
            throw UserError(u"--%1 needs a number, not '%2'"_s.arg(flag, value));
        o.insert(QString::fromLatin1(f.key), f.numeric ? QJsonValue(number) : QJsonValue(value));
    }
    if (p.isSet(u"learn-scales"_s))
        o.insert(u"learn_scales"_s, true);
    if (p.isSet(u"keep-last"_s))
        o.insert(u"restore_best"_s, false);
    return o;
}

// Progress lines on stderr: about twenty per run, and one at each evaluation.
class ProgressLines {
public:
    ProgressLines(Io &io, const InterruptRequest &interrupt) : m_io(io), m_interrupt(interrupt) { m_clock.start(); }
    bool stage(const QString &name, qint64 done, qint64 total)
    {
        if (name != "distilling"_L1) {
            if (name != m_stage && done == 0 && !m_training) { // evaluations during training show in the step lines
                m_io.err << name << "...\n";
                m_io.err.flush();
            }
        } else if (done > 0 && (done == total || done % std::max<qint64>(1, total / 20) == 0)) {
            const double elapsed = m_clock.elapsed() / 1000.0 - m_startedAt;
            m_io.err << u"step %1/%2  loss %3  lr %4  %5elapsed %6, ETA %7\n"_s.arg(done).arg(total).arg(m_loss, 0, 'f', 4).arg(m_lr, 0, 'g', 3)
                            .arg(m_eval, formatDuration(elapsed), formatDuration(elapsed / double(done) * double(total - done)));
            m_io.err.flush();
            m_eval.clear();
        }
        if (name == "distilling"_L1 && !m_training) {
            m_training = true;
            m_startedAt = m_clock.elapsed() / 1000.0;
        }
        m_stage = name;
        return !m_interrupt.requested();
    }
    void points(const QVector<history::CurvePoint> &points)
    {
        for (const history::CurvePoint &pt : points) {
            if (pt.curve == "train_loss"_L1)
                m_loss = pt.value;
            else if (pt.curve == "learning_rate"_L1)
                m_lr = pt.value;
            else if (pt.curve.startsWith("eval_"_L1) && pt.curve != "eval_loss"_L1 && pt.curve != "eval_top5_accuracy"_L1)
                m_eval += u"%1 %2  "_s.arg(pt.curve.mid(5)).arg(pt.value, 0, 'f', 3);
        }
    }

private:
    Io &m_io;
    const InterruptRequest &m_interrupt;
    QElapsedTimer m_clock;
    QString m_stage, m_eval;
    double m_loss = 0, m_lr = 0, m_startedAt = 0;
    bool m_training = false;
};

QString metricLine(const DistillRun &run)
{
    QStringList parts;
    for (const Metric &m : run.teacher.metrics) {
        if (m.key == "loss"_L1)
            continue;
        parts << u"%1: teacher %2, student %3 → %4"_s.arg(m.label).arg(m.value, 0, 'f', 3).arg(run.before.value(m.key), 0, 'f', 3)
                     .arg(run.after.value(m.key), 0, 'f', 3);
    }
    return parts.join(u"\n  "_s);
}

} // namespace

int runDistill(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"distill"_s,
                u"Train a compressed (or smaller) student to imitate the model (knowledge distillation), keeping the compression "
                "true: quantized weights stay on their grid, pruned weights stay zero. Progress on stderr; metrics measured here."_s);
    p.addPositionalArgument(u"MODEL"_s, u"The teacher: TorchScript file (.pt); never modified."_s);
    p.addOptions({
        {u"student-config"_s, u"The student is MODEL compressed with this configuration (JSON; the method flags below work too)."_s, u"FILE"_s},
        {u"student"_s, u"The student is this TorchScript file (same input and output shapes as MODEL)."_s, u"FILE"_s},
        {u"data"_s, u"Training set (dataset format, e.g. the zoo's train.safetensors)."_s, u"TRAIN"_s},
        {u"eval"_s, u"Evaluation set: metrics of teacher and student before and after, and during training."_s, u"EVAL"_s},
        {u"settings"_s, u"Distillation settings (JSON, see docs/distillation.md); the flags below override it."_s, u"FILE"_s},
        {u"learn-scales"_s, u"Train the quantization scales too (they stay fp16)."_s},
        {u"keep-last"_s, u"End with the last student, not the best evaluated one."_s},
        {u"discard-on-cancel"_s, u"On Ctrl-C, keep nothing (default: keep, export and record the student as of the last step)."_s},
        {u"limit"_s, u"Evaluate before and after on the first N samples only."_s, u"N"_s},
        {u"threads"_s, u"LibTorch intra-op threads (default: one per core)."_s, u"T"_s},
        {u"out"_s, u"Write the distilled student's exports and a report into this folder."_s, u"DIR"_s},
        {u"tag"_s, u"Tag the experiment in the history; repeatable."_s, u"TAG"_s},
        {u"note"_s, u"A note to keep with the experiment in the history."_s, u"TEXT"_s},
        jsonOption(),
    });
    for (const SettingFlag &f : kSettingFlags)
        p.addOption({QString::fromLatin1(f.flag), QString::fromUtf8(f.help), QString::fromLatin1(f.valueName)});
    addMethodOptions(p);
    addHistoryOptions(p, true);
    if (int rc = parseOrExit(p, args, io, 1, 1); rc >= 0)
        return rc;

    DistillRunParams params;
    params.modelPath = p.positionalArguments().at(1);
    params.trainPath = p.value(u"data"_s);
    params.evalPath = p.value(u"eval"_s);
    if (params.trainPath.isEmpty() || params.evalPath.isEmpty()) {
        io.err << "compresslab-cli distill: give the training set (--data TRAIN) and the evaluation set (--eval EVAL)\n";
        return ExitUsage;
    }
    std::optional<CompressionConfig> config;
    if (p.isSet(u"student-config"_s)) {
        if (p.isSet(u"config"_s)) {
            io.err << "compresslab-cli distill: --student-config and --config are the same thing; give one\n";
            return ExitUsage;
        }
        config = loadCompressionConfig(p.value(u"student-config"_s));
    } else if (int rc = configFromOptions(p, u"distill"_s, false, io, config); rc >= 0) {
        return rc;
    }
    params.studentPath = p.value(u"student"_s);
    if (bool(config) == !params.studentPath.isEmpty()) {
        io.err << "compresslab-cli distill: give the student either as a compression (--student-config FILE, or flags such as --bits 4) "
                  "or as a file (--student FILE)\n";
        return ExitUsage;
    }
    params.studentConfig = config;
    params.settings = parseDistillSettings(settingsJson(p));
    qint64 threads = 0;
    if (!intOption(p, u"limit"_s, 1, &params.eval.limit, io) || !intOption(p, u"threads"_s, 1, &threads, io))
        return ExitUsage;
    params.eval.threads = int(threads);
    params.keepOnCancel = !p.isSet(u"discard-on-cancel"_s);
    params.outDir = p.value(u"out"_s);
    params.tags = p.values(u"tag"_s);
    params.notes = p.value(u"note"_s);

    const auto history = openHistory(p, io, true);
    const InterruptRequest interrupt;
    ProgressLines lines(io, interrupt);
    const DistillRun run = runDistillation(
        params, history.get(), [&](const QString &stage, qint64 done, qint64 total) { return lines.stage(stage, done, total); },
        [&](const QVector<history::CurvePoint> &points) { lines.points(points); });

    const DistillOutcome &o = run.outcome;
    QJsonObject json{{u"model"_s, QFileInfo(params.modelPath).absoluteFilePath()},
                     {u"student"_s, config ? QJsonValue(toJson(*config)) : QJsonValue(QFileInfo(params.studentPath).absoluteFilePath())},
                     {u"settings"_s, toJson(params.settings)},
                     {u"stop"_s, distillStopName(o.stop)},
                     {u"steps"_s, double(o.stepsTrained)},
                     {u"planned_steps"_s, double(o.plannedSteps)},
                     {u"seconds"_s, o.seconds},
                     {u"metrics"_s, QJsonObject{{u"kind"_s, u"measured"_s}, {u"teacher"_s, toJson(run.teacher)},
                                                 {u"student_before"_s, toJson(run.before)}, {u"student_after"_s, toJson(run.after)}}}};
    if (!o.message.isEmpty())
        json.insert(u"message"_s, o.message);
    if (o.bestStep >= 0)
        json.insert(u"restored_best_step"_s, double(o.bestStep));
    if (!o.notes.isEmpty())
        json.insert(u"notes"_s, QJsonArray::fromStringList(o.notes));
    if (std::isfinite(run.recovered()))
        json.insert(u"recovered"_s, run.recovered());
    if (run.afterInt8)
        json.insert(u"student_after_int8_kernels"_s, toJson(*run.afterInt8));
    if (run.report)
        json.insert(u"size"_s, toJson(*run.report));
    if (!run.exports.isEmpty()) {
        json.insert(u"exports"_s, exportsJson(run.exports));
        writeReport(params.outDir, json);
    }
    if (run.experimentId) {
        json.insert(u"experiment_id"_s, double(run.experimentId));
        io.err << "recorded as experiment " << run.experimentId << " in " << history->path() << "\n";
    } else if (!run.historyProblem.isEmpty()) {
        json.insert(u"history_problem"_s, run.historyProblem);
        io.err << "not recorded in the history: " << run.historyProblem << "\n";
    }
    if (p.isSet(u"json"_s)) {
        printJson(io, json);
        return ExitOk;
    }
    io.out << run.modelName << " → " << run.studentName << ": " << params.settings.describe() << "\n";
    io.out << distillStopName(o.stop) << " after " << o.stepsTrained << " of " << o.plannedSteps << " steps in " << formatDuration(o.seconds)
           << (o.message.isEmpty() ? QString() : u" (%1)"_s.arg(o.message)) << "\n";
    if (o.bestStep >= 0)
        io.out << "kept the best evaluated student, from step " << o.bestStep << "\n";
    for (const QString &note : o.notes)
        io.out << note << "\n";
    io.out << "metrics on " << run.evalName << " (measured, " << run.after.samples << " samples, " << run.after.runtime.describe() << "):\n  "
           << metricLine(run) << "\n";
    if (std::isfinite(run.recovered()))
        io.out << u"recovered %1% of what the compression lost (%2)\n"_s.arg(run.recovered() * 100, 0, 'f', 1).arg(o.watchedMetric);
    if (run.report)
        io.out << "deployed size (exact, unchanged by training): " << formatBytes(run.report->deployedBytes) << "\n";
    for (const ExportedFile &e : run.exports)
        io.out << "wrote " << e.path << " (" << e.format << ", " << formatBytes(e.fileBytes) << ")\n";
    if (o.stop == DistillStop::Cancelled)
        return ExitCancelled; // the student as of its last step was still measured, exported and recorded
    return o.stop == DistillStop::Diverged ? ExitFailed : ExitOk;
}

} // namespace compresslab::cli
