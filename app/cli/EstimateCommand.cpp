// compresslab-cli estimate: time, memory and energy of a (compressed) model on device profiles, estimated.
#include "CliCommon.h"
#include "Commands.h"
#include "MethodOptions.h"

#include "common/UserError.h"
#include "device/ModelEstimate.h"
#include "model/ModelSummary.h"
#include "report/ToJson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace compresslab::cli {

int runEstimate(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"estimate"_s, u"Estimated latency, memory and energy of a model (compressed by a configuration) on device profiles."_s);
    p.addPositionalArgument(u"MODEL"_s, u"TorchScript file (.pt); never modified."_s);
    addMethodOptions(p);
    addDeviceOptions(p);
    p.addOptions({{u"data"_s, u"Example inputs from this dataset (else the model's metadata says the input)."_s, u"DATA"_s},
                  {u"batch"_s, u"Inputs per inference (default 1)."_s, u"N"_s},
                  {u"layers"_s, u"Show the N slowest layers per device (default 5)."_s, u"N"_s},
                  jsonOption()});
    if (int rc = parseOrExit(p, args, io, 1, 1); rc >= 0)
        return rc;
    if (!p.isSet(u"device"_s) && !p.isSet(u"all-devices"_s)) {
        io.err << "compresslab-cli estimate: name a device with --device NAME (see 'compresslab-cli devices'), or --all-devices\n";
        return ExitUsage;
    }
    ModelEstimateParams params;
    if (int rc = configFromOptions(p, u"estimate"_s, false, io, params.config); rc >= 0)
        return rc;
    qint64 batch = 1, shown = 5;
    if (!intOption(p, u"batch"_s, 1, &batch, io) || !intOption(p, u"layers"_s, 0, &shown, io))
        return ExitUsage;
    params.batch = int(batch);
    params.modelPath = p.positionalArguments().at(1);
    params.dataPath = p.value(u"data"_s);
    const ModelEstimate r = estimateModel(params, selectedDevices(p, io));

    if (p.isSet(u"json"_s)) {
        QJsonArray a;
        for (const DeviceEstimate &e : r.devices)
            a.push_back(toJson(e));
        printJson(io, {{u"model"_s, r.modelName}, {u"configuration"_s, params.config ? params.config->describe() : u"none (as loaded)"_s},
                       {u"estimates"_s, a}});
        return ExitOk;
    }
    io.out << r.modelName << ": " << (params.config ? params.config->describe() : u"as loaded (no compression)"_s) << "\n";
    io.out << "all numbers below are ESTIMATED from the device profile (roofline model), not measured\n\n";
    io.out << u"%1 %2 %3 %4 %5 %6\n"_s.arg(u"device"_s, -28).arg(r.languageModel ? u"ms/pass"_s : u"ms/inf."_s, 10)
                  .arg(r.languageModel ? u"ms/token"_s : QString(), r.languageModel ? 9 : 0).arg(u"memory"_s, 10).arg(u"fits (margin)"_s, -22)
                  .arg(u"mJ/inf."_s, 9);
    for (const DeviceEstimate &e : r.devices) {
        io.out << u"%1 %2 %3 %4 %5 %6\n"_s.arg(e.device.left(28), -28).arg(e.latencyMs, 10, 'f', 3)
                      .arg(r.languageModel ? QString::number(e.tokenMs, 'f', 3) : QString(), r.languageModel ? 9 : 0)
                      .arg(formatBytes(qint64(e.memoryBytes())), 10)
                      .arg((e.fits ? u"yes (%1 free)"_s : u"NO (%1 short)"_s).arg(formatBytes(qint64(std::abs(e.marginBytes)))), -22)
                      .arg(e.energyMj, 9, 'f', 3);
    }
    for (const DeviceEstimate &e : r.devices) {
        if (shown == 0)
            break;
        io.out << "\n" << e.device << ": " << e.deployment << u"; %1 operators, %2 ms of it per-operator cost\n"_s.arg(e.operators)
                                                                  .arg(e.overheadMs, 0, 'f', 3);
        for (qsizetype i = 0; i < std::min<qsizetype>(shown, e.layers.size()); ++i) {
            const LayerEstimate &l = e.layers.at(i);
            io.out << u"  %1 %2 ms  %3  %4-bound  %5 weights\n"_s.arg(l.layer.left(30), -30).arg(l.ms, 9, 'f', 4).arg(l.precision, -5)
                          .arg(l.computeBound ? u"compute"_s : u"memory"_s, -7).arg(formatBytes(qint64(l.weightBytes)));
        }
    }
    return ExitOk;
}

} // namespace compresslab::cli
