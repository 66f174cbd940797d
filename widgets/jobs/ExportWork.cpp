#include "jobs/ExportWork.h"

#include "common/UserError.h"
#include "compress/CompressionReport.h"
#include "export/OnnxExportTool.h"
#include "host/ModelHostClient.h"
#include "model/ModelSummary.h"
#include "report/FromJson.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("ExportWork", text); }

QString fileLine(const QString &path)
{
    return u"%1 (%2)"_s.arg(QFileInfo(path).fileName(), formatBytes(QFileInfo(path).size()));
}

// "fp32: max |Δlogit| 1.6e-05, perplexity 6.0321 = 6.0321; int8 QDQ: …" from onnx-report.json's comparison.
QString comparisonLine(const QJsonObject &report)
{
    const QJsonObject comparison = report.value(u"comparison"_s).toObject();
    QStringList parts;
    for (const QString &form : {u"fp32"_s, u"qdq"_s}) {
        const QJsonObject c = comparison.value(form).toObject();
        if (c.isEmpty())
            continue;
        QString part = tr("%1: max |Δlogit| %2, arg-max agreement %3 %").arg(form == "fp32"_L1 ? u"fp32"_s : u"int8 QDQ"_s)
                           .arg(c.value(u"max_abs_logit_difference"_s).toDouble(), 0, 'g', 2)
                           .arg(c.value(u"argmax_agreement"_s).toDouble(), 0, 'f', 2);
        const QJsonObject ts = c.value(u"metrics_torchscript"_s).toObject(), onnx = c.value(u"metrics_onnx"_s).toObject();
        for (const QString &metric : {u"accuracy"_s, u"perplexity"_s}) {
            if (ts.contains(metric))
                part += u", %1 %2 → %3"_s.arg(metric).arg(ts.value(metric).toDouble(), 0, 'f', 4).arg(onnx.value(metric).toDouble(), 0, 'f', 4);
        }
        parts << part;
    }
    if (parts.isEmpty())
        return {};
    return tr("ONNX Runtime vs TorchScript (measured, %1 on %2 samples): %3")
        .arg(comparison.value(u"runtime"_s).toString())
        .arg(comparison.value(u"data"_s).toObject().value(u"samples"_s).toInt())
        .arg(parts.join(u"; "_s));
}

// "int8 kernels: onednn, measured faster on this machine at input [1, 128] (onednn 3.70 ms, qnnpack 10.20 ms)".
QString int8EngineLine(const CompressionReport &report)
{
    const Int8EngineReport &e = report.int8Engine;
    if (e.engine.isEmpty())
        return {};
    if (!e.measured)
        return e.reason.isEmpty() ? tr("int8 kernels: %1 (as configured)").arg(e.engine)
                                  : tr("int8 kernels: %1 (not timed: %2)").arg(e.engine, e.reason);
    QStringList timed;
    for (const Int8EngineTiming &t : e.timings)
        timed << tr("%1 %2 ms").arg(t.engine).arg(t.medianMs, 0, 'f', 2);
    return tr("int8 kernels: %1, measured faster on this machine at input [%2] (%3)").arg(e.engine, e.inputShapeText(), timed.join(u", "_s));
}

} // namespace

ExportOutcome writeCompressedModel(ModelHostClient &host, const QString &modelPath, const QJsonObject &config,
                                   const ExportChoice &choice, const QString &dataPath, const ProgressCallback &progress)
{
    CompressionConfig parsed = parseCompressionConfig(config);
    parsed.int8Kernels = choice.int8Kernels;
    QJsonObject hostRequest = ModelHostClient::request(u"export"_s, modelPath);
    hostRequest.insert(u"config"_s, toJson(parsed));
    hostRequest.insert(u"out_dir"_s, choice.outDir);
    if (parsed.quantize.method == QuantMethod::Gptq) {
        if (dataPath.isEmpty())
            throw UserError(tr("GPTQ calibrates on data: choose a dataset first (File ▸ Choose Dataset)"));
        hostRequest.insert(u"data"_s, dataPath); // calibration; the run then also measures the model before and after
    }
    // Without ONNX the compression is the whole job; with it, the first 30 %.
    const qint64 span = choice.onnx ? 300 : 1000;
    const QJsonObject written = host.call(hostRequest, [&](qint64 done, qint64 total) {
        return reportProgress(progress, total > 0 ? span * done / total : 0, 1000);
    });
    ExportOutcome outcome;
    for (const QJsonValue &f : written.value(u"exports"_s).toArray())
        outcome.files << fileLine(f.toObject().value(u"path"_s).toString());
    outcome.int8Engine = int8EngineLine(compressionReportFromJson(written.value(u"report"_s).toObject()));
    if (!choice.onnx)
        return outcome;

    OnnxExportRequest request;
    request.source = choice.outDir;
    request.compare = choice.compareOnnx;
    request.data = choice.compareOnnx ? dataPath : QString();
    const OnnxExportResult onnx = exportOnnx(request, [&](int percent, const QString &) {
        return reportProgress(progress, span + (1000 - span) * percent / 100, 1000);
    });
    if (onnx.cancelled)
        throw Cancelled();
    if (!onnx.ok)
        throw UserError(tr("the TorchScript files were written to %1, but the ONNX export failed: %2").arg(choice.outDir, onnx.error));
    for (const QString &path : {onnx.fp32Path, onnx.qdqPath, onnx.reportPath}) {
        if (!path.isEmpty())
            outcome.files << fileLine(path);
    }
    outcome.onnxSummary = comparisonLine(onnx.report);
    return outcome;
}

} // namespace compresslab
