#include "CliCommon.h"
#include "Commands.h"

#include "common/UserError.h"
#include "eval/TrialRun.h"
#include "model/Model.h"
#include "report/ToJson.h"

using namespace Qt::StringLiterals;

namespace compresslab::cli {

int runInspect(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"inspect"_s, u"Show a TorchScript model's module tree, parameters and sizes."_s);
    p.addPositionalArgument(u"MODEL"_s, u"TorchScript file (.pt)."_s);
    p.addOption(jsonOption());
    const QCommandLineOption tensorsOption(u"tensors"_s, u"Also list every parameter and buffer."_s);
    p.addOption(tensorsOption);
    const QCommandLineOption runOption(u"run"_s, u"Also run the model once on the example input its metadata describes."_s);
    p.addOption(runOption);
    if (int rc = parseOrExit(p, args, io, 1, 1); rc >= 0)
        return rc;

    const auto model = Model::load(p.positionalArguments().at(1));
    const ModelSummary &s = model->summary();
    TrialRunResult trial;
    if (p.isSet(runOption)) {
        try {
            trial = trialRun(*model);
        } catch (const UserError &e) { // wrong metadata is worth a note, not a refusal to inspect
            trial.note = u"could not run on its example input: "_s + e.message();
        }
    }
    if (p.isSet(u"json"_s)) {
        QJsonObject o = toJson(s, model->metadata());
        o.insert(u"model"_s, model->path());
        if (p.isSet(runOption))
            o.insert(u"trial_run"_s, QJsonObject{{u"ran"_s, trial.ran}, {u"note"_s, trial.note},
                                                 {u"non_finite_outputs"_s, double(trial.nonFiniteOutputs)}});
        printJson(io, o);
        return ExitOk;
    }
    for (const QString &t : s.nonFiniteTensors())
        io.err << "warning: non-finite values in " << t << "\n";
    io.out << model->displayName() << "  (" << model->path() << ")\n";
    if (model->metadata().present)
        io.out << "task: " << taskName(model->metadata().task) << "   input: " << formatShape(model->metadata().inputShape)
               << " " << model->metadata().inputDtype << "\n";
    for (const QString &w : model->metadata().warnings)
        io.err << "warning: " << w << "\n";
    io.out << "\n" << u"%1 %2 %3 %4"_s.arg(u"module"_s, -44).arg(u"type"_s, -22).arg(u"parameters"_s, 12).arg(u"bytes"_s, 12) << "\n";
    for (const ModuleNode &m : s.modules) {
        const QString label = QString(m.depth * 2, u' ') + (m.path.isEmpty() ? m.name : m.name);
        io.out << u"%1 %2 %3 %4"_s.arg(label.left(44), -44).arg(m.type.left(22), -22).arg(m.parameters, 12).arg(formatBytes(m.bytes), 12)
               << "\n";
    }
    if (p.isSet(tensorsOption)) {
        io.out << "\n" << u"%1 %2 %3 %4 %5"_s.arg(u"tensor"_s, -44).arg(u"shape"_s, -20).arg(u"dtype"_s, -9).arg(u"elements"_s, 12).arg(u"bytes"_s, 12) << "\n";
        for (const TensorRecord &t : s.tensors) {
            QString note = t.isParameter ? QString() : u" (buffer)"_s;
            if (!t.sharedWith.isEmpty())
                note += u" (shared with %1, counted once)"_s.arg(t.sharedWith);
            io.out << u"%1 %2 %3 %4 %5"_s.arg(t.path.left(44), -44).arg(formatShape(t.shape), -20).arg(t.dtype, -9).arg(t.numel, 12).arg(formatBytes(t.bytes), 12)
                   << note << "\n";
        }
    }
    io.out << "\nparameters: " << s.parameterCount << " (" << formatCount(s.parameterCount) << "), "
           << formatBytes(s.parameterBytes) << "\n";
    io.out << "buffers: " << s.bufferCount << " elements, " << formatBytes(s.bufferBytes) << "\n";
    if (s.sharedTensors > 0)
        io.out << "shared tensors: " << s.sharedTensors << " (tied weights, counted once)\n";
    io.out << "file: " << formatBytes(s.fileBytes) << "\n";
    if (p.isSet(runOption))
        io.out << "trial run: " << trial.note
               << (trial.nonFiniteOutputs > 0 ? u" with %1 NaN/Inf values"_s.arg(trial.nonFiniteOutputs) : QString()) << "\n";
    return ExitOk;
}

} // namespace compresslab::cli
