// core/export/OnnxExportTool: finds tools/onnx/export_onnx.py, probes it, runs it with progress and
// cancel, and turns its failures into one-line reasons. The tool's own checks are tests/tools/test_onnx_export.py.
#include "TestSupport.h"
#include "export/OnnxExportTool.h"

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace compresslab;
using namespace testsupport;
using namespace Qt::StringLiterals;

class TestOnnxExport : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_exportDir; // tiny_mlp compressed to int8 with int8 kernels by compresslab-cli

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_exportDir = m_tmp.filePath(u"tiny_mlp-int8"_s);
        QVERIFY(QDir().mkpath(m_exportDir));
        const Run r = cli({u"compress"_s, fixture(u"tiny_mlp.pt"_s), u"--bits"_s, u"8"_s, u"--int8-kernels"_s,
                           u"--no-history"_s, u"--out"_s, m_exportDir});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const OnnxToolStatus status = probeOnnxTool();
        if (!status.canExport)
            QSKIP(qPrintable(u"the ONNX tool cannot run here: "_s + status.reason));
    }

    void findsTheToolAndItsInterpreter()
    {
        QVERIFY(onnxExportScript().endsWith(u"tools/onnx/export_onnx.py"_s));
        QCOMPARE(onnxToolPython(), u"/usr/bin/python3"_s);
    }

    void probeReportsVersionsAndReasons()
    {
        const OnnxToolStatus status = probeOnnxTool();
        QVERIFY(status.canExport);
        QVERIFY(!status.details.value("torch"_L1).toString().isEmpty());
        QVERIFY(!status.details.value("onnx"_L1).toString().isEmpty());
        // A reason exactly when something is missing.
        QCOMPARE(status.reason.isEmpty(), status.canCompare);
        if (status.canCompare)
            QCOMPARE(status.details.value("runtime"_L1).toObject().value("name"_L1).toString(), u"onnxruntime-node"_s);
    }

    void probeSaysWhyWithoutARuntime()
    {
        qputenv("COMPRESSLAB_ONNXRUNTIME_DIR", m_tmp.filePath(u"no-runtime-here"_s).toUtf8());
        const OnnxToolStatus status = probeOnnxTool();
        qunsetenv("COMPRESSLAB_ONNXRUNTIME_DIR");
        QVERIFY(status.canExport);
        QVERIFY(!status.canCompare);
        QVERIFY2(status.reason.contains(u"onnxruntime-node is not installed"_s), qPrintable(status.reason));
    }

    void probeSaysWhyWithoutPython()
    {
        qputenv("COMPRESSLAB_ONNX_PYTHON", "/nonexistent/python3");
        const OnnxToolStatus status = probeOnnxTool();
        OnnxExportRequest request;
        request.source = m_exportDir;
        const OnnxExportResult result = exportOnnx(request);
        qunsetenv("COMPRESSLAB_ONNX_PYTHON");
        QVERIFY(!status.canExport && !status.canCompare);
        QVERIFY2(status.reason.contains(u"/nonexistent/python3"_s), qPrintable(status.reason));
        QVERIFY(!result.ok);
        QVERIFY(result.error.contains(u"/nonexistent/python3"_s));
    }

    void exportsWithProgress()
    {
        const QString out = m_tmp.filePath(u"out"_s);
        QVERIFY(QDir().mkpath(out));
        OnnxExportRequest request;
        request.source = m_exportDir;
        request.data = fixture(u"tiny_mlp_eval.safetensors"_s);
        request.outDir = out;
        QList<int> percents;
        const OnnxExportResult result = exportOnnx(request, [&](int percent, const QString &) {
            percents << percent;
            return true;
        });
        QVERIFY2(result.ok, qPrintable(result.error));
        QCOMPARE(result.fp32Path, out + u"/model.onnx"_s);
        QCOMPARE(result.qdqPath, out + u"/model-qdq.onnx"_s);
        QVERIFY(QFileInfo::exists(result.fp32Path) && QFileInfo::exists(result.qdqPath));
        QVERIFY(QFileInfo::exists(result.reportPath));
        QVERIFY(!percents.isEmpty());
        QCOMPARE(percents.last(), 100);
        QVERIFY(std::is_sorted(percents.begin(), percents.end()));
        QVERIFY(result.report.value("qdq"_L1).toObject().value("int8_layers"_L1).toArray().size() > 0);
        const QJsonObject comparison = result.report.value("comparison"_L1).toObject();
        if (comparison.contains("skipped"_L1))
            QSKIP(qPrintable(u"exported; not compared: "_s + comparison.value("skipped"_L1).toString()));
        QVERIFY(comparison.value("fp32"_L1).toObject().value("max_abs_logit_difference"_L1).toDouble() < 1e-4);
    }

    void cancelStopsTheToolAndLeavesNoFiles()
    {
        const QString out = m_tmp.filePath(u"cancelled"_s);
        QVERIFY(QDir().mkpath(out));
        OnnxExportRequest request;
        request.source = m_exportDir;
        request.outDir = out;
        int calls = 0;
        QElapsedTimer timer;
        timer.start();
        const OnnxExportResult result = exportOnnx(request, [&](int, const QString &) { return ++calls < 3; });
        QVERIFY(result.cancelled);
        QVERIFY(!result.ok);
        QVERIFY2(timer.elapsed() < 10000, "cancel took longer than the 5 s grace");
        QCOMPARE(QDir(out).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
    }

    void badInputIsOneLine_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("message");
        QTest::newRow("state dict") << fixture(u"state_dict.pt"_s) << u"is not a TorchScript model"_s;
        QTest::newRow("not a zip") << fixture(u"random.pt"_s) << u"is not a TorchScript model"_s;
        QTest::newRow("missing") << m_tmp.filePath(u"nothing.pt"_s) << u"does not exist"_s;
        QTest::newRow("plain folder") << m_tmp.path() << u"holds no model-dequantized.pt"_s;
    }

    void badInputIsOneLine()
    {
        QFETCH(QString, source);
        QFETCH(QString, message);
        OnnxExportRequest request;
        request.source = source;
        request.outDir = m_tmp.path();
        const OnnxExportResult result = exportOnnx(request);
        QVERIFY(!result.ok && !result.cancelled);
        QVERIFY2(result.error.contains(message), qPrintable(result.error));
        QVERIFY(!result.error.contains(u'\n'));
        QVERIFY(!result.error.contains(u"Traceback"_s));
    }
};

QTEST_GUILESS_MAIN(TestOnnxExport)
#include "tst_onnx_export.moc"
