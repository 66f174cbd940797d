// compresslab-cli as a user runs it: JSON on stdout, one-line reasons on stderr, documented exit codes.
#include "TestSupport.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QProcess>
#include <QtTest>

using namespace Qt::StringLiterals;
using testsupport::expected;
using testsupport::fixture;

using testsupport::cli;
using testsupport::Run;

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void inspectJson()
    {
        const Run r = cli({u"inspect"_s, fixture(u"tiny_lm.pt"_s), u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = r.json();
        QCOMPARE(o.value("parameters"_L1).toInt(), expected(u"tiny_lm"_s).value("parameters"_L1).toInt());
        QCOMPARE(o.value("shared_tensors"_L1).toInt(), 1);
        QCOMPARE(o.value("modules"_L1).toArray().size(), expected(u"tiny_lm"_s).value("modules"_L1).toInt());
        QCOMPARE(o.value("metadata"_L1).toObject().value("task"_L1).toString(), u"language-modeling"_s);
    }

    void inspectText()
    {
        const Run r = cli({u"inspect"_s, fixture(u"tiny_cnn.pt"_s), u"--tensors"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Conv2d"));
        QVERIFY(r.out.contains("bn.running_var"));
        QVERIFY(r.out.contains("(buffer)"));
    }

    void evalJson()
    {
        const Run r = cli({u"eval"_s, fixture(u"tiny_mlp.pt"_s), u"--data"_s, fixture(u"tiny_mlp_eval.safetensors"_s), u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = r.json();
        QCOMPARE(o.value("kind"_L1).toString(), u"measured"_s);
        QCOMPARE(o.value("samples"_L1).toInt(), 300);
        QCOMPARE(o.value("metrics"_L1).toObject().value("accuracy"_L1).toDouble(),
                 expected(u"tiny_mlp"_s).value("metrics"_L1).toObject().value("accuracy"_L1).toDouble());
        QVERIFY(o.value("runtime"_L1).toObject().value("threads"_L1).toInt() >= 1);
    }

    // The worker keeps freed memory for reuse (runtime/ProcessSetup.h), unless told otherwise, and every
    // measurement says which allocator it ran with.
    void measurementsNameTheAllocator()
    {
        auto allocatorOf = [](const QProcessEnvironment &env) {
            const Run r = cli({u"latency"_s, fixture(u"tiny_mlp.pt"_s), u"--data"_s, fixture(u"tiny_mlp_eval.safetensors"_s),
                               u"--runs"_s, u"3"_s, u"--json"_s}, env);
            return r.json().value("runtime"_L1).toObject().value("allocator"_L1).toString();
        };
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : {u"MALLOC_MMAP_THRESHOLD_"_s, u"MALLOC_TRIM_THRESHOLD_"_s, u"COMPRESSLAB_ALLOCATOR"_s})
            env.remove(name);
        QCOMPARE(allocatorOf(env), u"freed memory kept"_s);
        env.insert(u"COMPRESSLAB_ALLOCATOR"_s, u"default"_s);
        QCOMPARE(allocatorOf(env), u"glibc default"_s);
        env.remove(u"COMPRESSLAB_ALLOCATOR"_s);
        env.insert(u"MALLOC_TRIM_THRESHOLD_"_s, u"1048576"_s);
        QCOMPARE(allocatorOf(env), u"the user's MALLOC_ settings"_s);
    }

    void evalTextLabelsMeasured()
    {
        const Run r = cli({u"eval"_s, fixture(u"tiny_mlp.pt"_s), u"--data"_s, fixture(u"tiny_mlp_eval.safetensors"_s), u"--limit"_s, u"10"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("(measured)"));
        QVERIFY(r.out.contains("10 samples"));
        QVERIFY(r.out.contains("kernels:"));
    }

    void latencyJson()
    {
        const Run r = cli({u"latency"_s, fixture(u"tiny_mlp.pt"_s), u"--batch"_s, u"8"_s, u"--runs"_s, u"3"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = r.json();
        QCOMPARE(o.value("batch"_L1).toInt(), 8);
        QVERIFY(o.value("median_ms"_L1).toDouble() > 0);
        QVERIFY(o.value("runs"_L1).toInt() >= 3);
    }

    void zooListJson()
    {
        const Run r = cli({u"zoo"_s, u"list"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray models = r.json().value("models"_L1).toArray();
        QCOMPARE(models.size(), 3);
        QCOMPARE(models.first().toObject().value("name"_L1).toString(), u"fashion-cnn"_s);
    }

    void failuresExitWithReasons_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty model") << QStringList{u"inspect"_s, fixture(u"empty.pt"_s)} << 2 << u"the file is empty"_s;
        QTest::newRow("state_dict") << QStringList{u"inspect"_s, fixture(u"state_dict.pt"_s), u"--json"_s} << 2 << u"torch.save"_s;
        QTest::newRow("truncated") << QStringList{u"inspect"_s, fixture(u"truncated.pt"_s)} << 2 << u"truncated"_s;
        QTest::newRow("missing model") << QStringList{u"eval"_s, fixture(u"nope.pt"_s), u"--data"_s, fixture(u"tiny_mlp_eval.safetensors"_s)} << 2 << u"no such file"_s;
        QTest::newRow("dataset shape") << QStringList{u"eval"_s, fixture(u"tiny_mlp.pt"_s), u"--data"_s, fixture(u"wrong_shape.safetensors"_s)} << 2 << u"does not fit"_s;
        QTest::newRow("model as dataset") << QStringList{u"eval"_s, fixture(u"tiny_mlp.pt"_s), u"--data"_s, fixture(u"tiny_mlp.pt"_s)} << 2 << u"not a valid safetensors file"_s;
        QTest::newRow("no --data") << QStringList{u"eval"_s, fixture(u"tiny_mlp.pt"_s)} << 1 << u"--data DATA is required"_s;
        QTest::newRow("bad --limit") << QStringList{u"eval"_s, fixture(u"tiny_mlp.pt"_s), u"--data"_s, u"x"_s, u"--limit"_s, u"-3"_s} << 1 << u"--limit must be"_s;
        QTest::newRow("unknown command") << QStringList{u"frobnicate"_s} << 1 << u"unknown command"_s;
        QTest::newRow("unknown zoo model") << QStringList{u"zoo"_s, u"path"_s, u"resnet"_s} << 2 << u"unknown zoo model"_s;
    }
    void failuresExitWithReasons()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, reason);
        const Run r = cli(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(reason), r.err.constData());
        if (exitCode == 2)
            QCOMPARE(r.err.count('\n'), 1); // one line
        if (args.contains(u"--json"_s))
            QVERIFY(r.out.isEmpty()); // nothing half-written on stdout
    }

    void compressDryRunJson()
    {
        const Run r = cli({u"compress"_s, fixture(u"tiny_mlp.pt"_s), u"--bits"_s, u"4"_s, u"--dry-run"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject size = r.json().value("size"_L1).toObject();
        QCOMPARE(size.value("kind"_L1).toString(), u"exact"_s);
        QCOMPARE(size.value("original_bytes"_L1).toInt(), 163 * 4);
        // fc1: 128*4 + 8*16 bits = 80 B; fc2: 24*4 + 3*16 bits = 18 B; biases 11*4 B.
        QCOMPARE(size.value("deployed_bytes"_L1).toInt(), 80 + 18 + 44);
        QVERIFY(!r.json().contains("metrics"_L1)); // a dry run evaluates nothing
    }

    void compressWritesExportsAndKeepsTheInput()
    {
        QTemporaryDir dir;
        const QString model = fixture(u"tiny_lm.pt"_s);
        const QByteArray hash = testsupport::sha256(model);
        const Run r = cli({u"compress"_s, model, u"--bits"_s, u"8"_s, u"--int8-kernels"_s, u"--data"_s,
                           fixture(u"tiny_lm_eval.safetensors"_s), u"--out"_s, dir.path(), u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = r.json();
        QVERIFY(o.value("metrics"_L1).toObject().contains("compressed_int8_kernels"_L1));
        QCOMPARE(o.value("exports"_L1).toArray().size(), 3);
        for (const char *f : {"model-dequantized.pt", "model-packed.safetensors", "model-int8.pt", "report.json"})
            QVERIFY2(QFileInfo::exists(dir.filePath(QString::fromLatin1(f))), f);
        QCOMPARE(testsupport::sha256(model), hash);
        // The exported models open again.
        QCOMPARE(cli({u"inspect"_s, dir.filePath(u"model-int8.pt"_s)}).exitCode, 0);
        QCOMPARE(cli({u"eval"_s, dir.filePath(u"model-dequantized.pt"_s), u"--data"_s, fixture(u"tiny_lm_eval.safetensors"_s)}).exitCode, 0);
    }

    void compressWritesTheLowRankForm()
    {
        // Rank 2 of fc1 [8, 16] and rank 1 of fc2 [3, 8]: the factors (2x16 + 8x2, 1x8 + 3x1) replace 152 weights by 59.
        QTemporaryDir dir;
        const Run r = cli({u"compress"_s, fixture(u"tiny_mlp.pt"_s), u"--rank-ratio"_s, u"0.25"_s, u"--data"_s,
                           fixture(u"tiny_mlp_eval.safetensors"_s), u"--out"_s, dir.path(), u"--json"_s, u"--no-history"_s});
        QCOMPARE(r.exitCode, 0);
        QStringList formats;
        for (const QJsonValue &e : r.json().value("exports"_L1).toArray())
            formats << e.toObject().value("format"_L1).toString();
        QVERIFY2(formats.contains("torchscript-lowrank"_L1), qPrintable(formats.join(u", "_s)));
        auto parameters = [&](const char *file) {
            return cli({u"inspect"_s, dir.filePath(QString::fromLatin1(file)), u"--json"_s}).json().value("parameters"_L1).toDouble();
        };
        QCOMPARE(parameters("model-dequantized.pt"), 8 * 16 + 8 + 3 * 8 + 3.0);
        QCOMPARE(parameters("model-lowrank.pt"), 2 * 16 + 8 * 2 + 8 + 1 * 8 + 3 * 1 + 3.0);
        // The same model, as the evaluation of both files says.
        auto accuracy = [&](const char *file) {
            return cli({u"eval"_s, dir.filePath(QString::fromLatin1(file)), u"--data"_s, fixture(u"tiny_mlp_eval.safetensors"_s), u"--json"_s})
                .json().value("metrics"_L1).toObject().value("accuracy"_L1).toDouble(-1);
        };
        QCOMPARE(accuracy("model-lowrank.pt"), accuracy("model-dequantized.pt"));
    }

    void compressRefusalsLeaveNoFiles_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("reason");
        QTest::newRow("group does not divide") << QStringList{u"--bits"_s, u"4"_s, u"--granularity"_s, u"group"_s, u"--group-size"_s, u"5"_s} << 2 << u"does not divide"_s;
        QTest::newRow("bits out of range") << QStringList{u"--bits"_s, u"9"_s} << 2 << u"between 2 and 8"_s;
        QTest::newRow("sparsity out of range") << QStringList{u"--sparsity"_s, u"1.5"_s} << 2 << u"between 0 and 0.99"_s;
        QTest::newRow("gptq without data") << QStringList{u"--bits"_s, u"3"_s, u"--method"_s, u"gptq"_s} << 2 << u"--data"_s;
        QTest::newRow("nothing to do") << QStringList{} << 1 << u"say what to do"_s;
        QTest::newRow("missing config file") << QStringList{u"--config"_s, fixture(u"nope.json"_s)} << 2 << u"cannot read"_s;
    }
    void compressRefusalsLeaveNoFiles()
    {
        QFETCH(QStringList, flags);
        QFETCH(int, exitCode);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const Run r = cli(QStringList{u"compress"_s, fixture(u"tiny_mlp.pt"_s), u"--out"_s, dir.path()} + flags);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(reason), r.err.constData());
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    }

    void compressConfigFileWithUnknownKey()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(u"c.json"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"quantize": {"bits": 4, "rounding": "up"}})");
        f.close();
        const Run r = cli({u"compress"_s, fixture(u"tiny_mlp.pt"_s), u"--config"_s, f.fileName()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("unknown key 'rounding' in 'quantize'"));
    }

    void sweepRunsEveryConfiguration()
    {
        QTemporaryDir dir;
        QFile grid(dir.filePath(u"grid.json"_s));
        QVERIFY(grid.open(QIODevice::WriteOnly));
        grid.write(R"({"base": {"quantize": {}}, "vary": {"quantize.bits": [2, 8], "quantize.symmetric": [true, false]},
                       "configs": [{"prune": {"pattern": "2:3"}}]})");
        grid.close();
        const Run r = cli({u"sweep"_s, fixture(u"tiny_mlp.pt"_s), u"--data"_s, fixture(u"tiny_mlp_eval.safetensors"_s),
                           u"--grid"_s, grid.fileName(), u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray results = r.json().value("results"_L1).toArray();
        QCOMPARE(results.size(), 5);
        QVERIFY(results.first().toObject().value("error"_L1).toString().contains("multiple of 3"_L1)); // reported, not fatal
        QCOMPARE(results.at(1).toObject().value("config"_L1).toObject().value("quantize"_L1).toObject().value("bits"_L1).toInt(), 2);
        // int8 keeps this model's accuracy; int2 per-channel compresses more.
        const double original = r.json().value("original"_L1).toObject().value("metrics"_L1).toObject().value("accuracy"_L1).toDouble();
        QCOMPARE(results.at(3).toObject().value("metrics"_L1).toObject().value("accuracy"_L1).toDouble(), original);
        QVERIFY(results.at(1).toObject().value("deployed_bytes"_L1).toDouble() < results.at(3).toObject().value("deployed_bytes"_L1).toDouble());
        // A bad configuration anywhere in the grid stops the sweep before any work.
        QVERIFY(grid.open(QIODevice::WriteOnly | QIODevice::Truncate));
        grid.write(R"({"configs": [{"quantize": {"bits": 4}}, {"quantize": {"bits": 12}}]})");
        grid.close();
        const Run bad = cli({u"sweep"_s, fixture(u"tiny_mlp.pt"_s), u"--data"_s, fixture(u"tiny_mlp_eval.safetensors"_s), u"--grid"_s, grid.fileName()});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains("between 2 and 8"));
    }

    void helpAndVersion()
    {
        QCOMPARE(cli({u"--version"_s}).exitCode, 0);
        const Run help = cli({u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        for (const char *command : {"inspect", "eval", "latency", "compress", "sweep", "zoo"})
            QVERIFY(help.out.contains(command));
        const Run evalHelp = cli({u"eval"_s, u"--help"_s});
        QCOMPARE(evalHelp.exitCode, 0);
        QVERIFY(evalHelp.out.contains("--limit"));
    }

    // Every command's --help and its row in docs/cli.md name the same options, both ways. A row may say
    // "method flags" for the compression flags listed after "Method flags:" in the compress row.
    void helpMatchesTheDocs()
    {
        QFile doc(QStringLiteral(DOCS_DIR "/cli.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(doc.readAll()).split(u'\n');
        const QRegularExpression option(u"(?:^|[\\s`\\[(|])(--?[a-z][\\w-]*)"_s);
        auto options = [&](const QString &text) {
            QSet<QString> found;
            for (auto it = option.globalMatch(text); it.hasNext();) {
                QString o = it.next().captured(1);
                if (!o.startsWith("--"_L1))
                    o.prepend(u'-'); // QCommandLineParser shows one-letter long options as -x
                found.insert(o);
            }
            return found;
        };
        auto row = [&](const QString &command) {
            QString text;
            for (const QString &l : lines)
                if (l.startsWith(u"| `"_s + command + u' ') || l.startsWith(u"| `"_s + command + u'`'))
                    text += l + u' ';
            return text;
        };
        const QString compressRow = row(u"compress"_s);
        const QSet<QString> methodFlags = options(compressRow.mid(compressRow.indexOf("Method flags"_L1)));
        QVERIFY(methodFlags.contains(u"--bits"_s));
        const Run top = cli({u"--help"_s});
        QStringList commands;
        for (const QString &l : QString::fromUtf8(top.out).section(u"commands:"_s, 1).split(u'\n'))
            if (l.startsWith(u"  "_s) && !l.trimmed().isEmpty())
                commands << l.trimmed().section(u' ', 0, 0);
        QVERIFY(commands.size() >= 12);
        for (const QString &command : std::as_const(commands)) {
            const QString text = row(command);
            QVERIFY2(!text.isEmpty(), qPrintable(command + u" has no row in docs/cli.md"_s));
            QSet<QString> documented = options(text);
            if (text.contains("method flags"_L1))
                documented.unite(methodFlags);
            QSet<QString> helped = options(QString::fromUtf8(cli({command, u"--help"_s}).out).section(u"Options:"_s, 1).section(u"Arguments:"_s, 0, 0));
            helped -= QSet<QString>{u"--help"_s, u"--help-all"_s, u"--h"_s};
            documented -= QSet<QString>{u"--help"_s, u"--version"_s};
            QVERIFY2(helped - documented == QSet<QString>{}, qPrintable(command + u": undocumented "_s + QStringList((helped - documented).values()).join(u' ')));
            QVERIFY2(documented - helped == QSet<QString>{}, qPrintable(command + u": documented but not in --help "_s + QStringList((documented - helped).values()).join(u' ')));
        }
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
