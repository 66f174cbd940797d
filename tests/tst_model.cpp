// Loading and inspecting TorchScript models, and the one-line reasons for files that are not.
#include "TestSupport.h"

#include "common/AtomicFile.h"
#include "common/UserError.h"
#include "model/Model.h"
#include "model/ModelDescription.h"
#include "report/FromJson.h"
#include "report/ToJson.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::expected;
using testsupport::fixture;

namespace {

const TensorRecord *tensor(const ModelSummary &s, const QString &path)
{
    for (const TensorRecord &t : s.tensors) {
        if (t.path == path)
            return &t;
    }
    return nullptr;
}

// Every field the window reads, compared one by one (the window never loads models itself).
void compareDescriptions(const ModelDescription &got, const ModelDescription &want)
{
    QCOMPARE(got.path, want.path);
    QCOMPARE(got.displayName(), want.displayName());
    QCOMPARE(got.vocabularySize, want.vocabularySize);
    const ModelSummary &a = got.summary, &b = want.summary;
    QCOMPARE(a.modules.size(), b.modules.size());
    for (int i = 0; i < a.modules.size(); ++i) {
        const ModuleNode &x = a.modules[i], &y = b.modules[i];
        QCOMPARE(x.path, y.path);
        QCOMPARE(x.name, y.name);
        QCOMPARE(x.type, y.type);
        QCOMPARE(x.qualifiedType, y.qualifiedType);
        QCOMPARE(x.depth, y.depth);
        QCOMPARE(x.parent, y.parent);
        QCOMPARE(x.parameters, y.parameters);
        QCOMPARE(x.bytes, y.bytes);
        QCOMPARE(x.directParameters, y.directParameters);
        QCOMPARE(x.directBytes, y.directBytes);
        QCOMPARE(x.directSharedBytes, y.directSharedBytes);
    }
    QCOMPARE(a.tensors.size(), b.tensors.size());
    for (int i = 0; i < a.tensors.size(); ++i) {
        const TensorRecord &x = a.tensors[i], &y = b.tensors[i];
        QCOMPARE(x.path, y.path);
        QCOMPARE(x.module, y.module);
        QCOMPARE(x.name, y.name);
        QCOMPARE(x.isParameter, y.isParameter);
        QCOMPARE(x.shape, y.shape);
        QCOMPARE(x.dtype, y.dtype);
        QCOMPARE(x.numel, y.numel);
        QCOMPARE(x.bytes, y.bytes);
        QCOMPARE(x.sharedWith, y.sharedWith);
        QCOMPARE(x.nanCount, y.nanCount);
        QCOMPARE(x.infCount, y.infCount);
    }
    QCOMPARE(a.parameterCount, b.parameterCount);
    QCOMPARE(a.parameterBytes, b.parameterBytes);
    QCOMPARE(a.bufferCount, b.bufferCount);
    QCOMPARE(a.bufferBytes, b.bufferBytes);
    QCOMPARE(a.sharedTensors, b.sharedTensors);
    QCOMPARE(a.fileBytes, b.fileBytes);
    const ModelMetadata &m = got.metadata, &n = want.metadata;
    QCOMPARE(m.present, n.present);
    QCOMPARE(m.schema, n.schema);
    QCOMPARE(m.name, n.name);
    QCOMPARE(m.task, n.task);
    QCOMPARE(m.description, n.description);
    QCOMPARE(m.inputShape, n.inputShape);
    QCOMPARE(m.inputDtype, n.inputDtype);
    QCOMPARE(m.inputDescription, n.inputDescription);
    QCOMPARE(m.labels, n.labels);
    QCOMPARE(m.vocabulary, n.vocabulary);
    QCOMPARE(m.tokenizer, n.tokenizer);
    QCOMPARE(m.int8Engine, n.int8Engine);
    QCOMPARE(m.warnings, n.warnings);
}

} // namespace

class TestModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Exports once came out 0600 (the temporary file's mode): colleagues could not read them.
    void atomicWritesGetTheModeOfAPlainWrite()
    {
        QTemporaryDir dir;
        const mode_t mask = ::umask(022);
        const auto write = [](const QString &temp) {
            QFile f(temp);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("x");
        };
        const QString fresh = dir.filePath(u"fresh.bin"_s);
        writeAtomically(fresh, write);
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(fresh).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0644));
        ::chmod(QFile::encodeName(fresh).constData(), 0640);
        writeAtomically(fresh, write); // replacing keeps the replaced file's mode
        QCOMPARE(::stat(QFile::encodeName(fresh).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0640));
        ::umask(mask);
    }

    void countsMatchPyTorch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("mlp") << u"tiny_mlp"_s;
        QTest::newRow("cnn with buffers") << u"tiny_cnn"_s;
        QTest::newRow("lm with tied head") << u"tiny_lm"_s;
    }
    void countsMatchPyTorch()
    {
        QFETCH(QString, name);
        const auto model = Model::load(fixture(name + u".pt"_s));
        const QJsonObject ref = expected(name);
        const ModelSummary &s = model->summary();
        QCOMPARE(s.parameterCount, qint64(ref.value("parameters"_L1).toInt()));
        QCOMPARE(s.bufferCount, qint64(ref.value("buffers"_L1).toInt()));
        QCOMPARE(s.modules.size(), ref.value("modules"_L1).toInt());
        QCOMPARE(s.modules.first().parameters, s.parameterCount); // the root's subtree is the whole model
        QVERIFY(s.fileBytes > 0);
    }

    void inspectsTypesShapesAndBytes()
    {
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s));
        const ModelSummary &s = model->summary();
        QStringList types;
        for (const ModuleNode &m : s.modules)
            types << m.type;
        QCOMPARE(types, (QStringList{u"TinyMLP"_s, u"Linear"_s, u"ReLU"_s, u"Linear"_s}));
        const TensorRecord *w = tensor(s, u"fc1.weight"_s);
        QVERIFY(w);
        QCOMPARE(w->shape, (QVector<qint64>{8, 16}));
        QCOMPARE(w->dtype, u"float32"_s);
        QCOMPARE(w->numel, qint64(128));
        QCOMPARE(w->bytes, qint64(512));
        QCOMPARE(s.modules[1].path, u"fc1"_s);
        QCOMPARE(s.modules[1].parameters, qint64(8 * 16 + 8));
        QCOMPARE(s.modules[1].bytes, qint64((8 * 16 + 8) * 4));
        QCOMPARE(s.parameterBytes, s.parameterCount * 4);
    }

    void buffersAreNotParameters()
    {
        const auto model = Model::load(fixture(u"tiny_cnn.pt"_s));
        const TensorRecord *mean = tensor(model->summary(), u"bn.running_mean"_s);
        QVERIFY(mean);
        QVERIFY(!mean->isParameter);
        const TensorRecord *count = tensor(model->summary(), u"bn.num_batches_tracked"_s);
        QVERIFY(count);
        QCOMPARE(count->dtype, u"int64"_s);
        QCOMPARE(model->summary().modules[1].type, u"Conv2d"_s);
        QCOMPARE(model->summary().modules[2].type, u"BatchNorm2d"_s);
    }

    void tiedWeightsCountOnce()
    {
        const auto model = Model::load(fixture(u"tiny_lm.pt"_s));
        const ModelSummary &s = model->summary();
        QCOMPARE(s.sharedTensors, expected(u"tiny_lm"_s).value("tied_tensors"_L1).toInt());
        const TensorRecord *head = tensor(s, u"lm_head.weight"_s);
        QVERIFY(head);
        QCOMPARE(head->sharedWith, u"tok.weight"_s);
        QCOMPARE(s.modules.first().bytes, s.parameterCount * 4);
        // The head module still shows its own (shared) weight: a per-layer view must not hide it.
        for (const ModuleNode &m : s.modules) {
            if (m.path == "lm_head"_L1)
                QCOMPARE(m.parameters, qint64(11 * 8));
        }
    }

    void readsMetadata()
    {
        const auto lm = Model::load(fixture(u"tiny_lm.pt"_s));
        QVERIFY(lm->metadata().present);
        QCOMPARE(lm->metadata().task, Task::LanguageModeling);
        QCOMPARE(lm->metadata().inputShape, (QVector<qint64>{1, 6}));
        QCOMPARE(lm->metadata().vocabulary.size(), 11);
        QCOMPARE(lm->displayName(), u"tiny-lm"_s);
        const auto mlp = Model::load(fixture(u"tiny_mlp.pt"_s));
        QCOMPARE(mlp->metadata().labels, (QStringList{u"a"_s, u"b"_s, u"c"_s}));
    }

    // The window's model description comes from the isolated probe's inspect JSON: nothing is lost on the way.
    void theDescriptionSurvivesTheInspectJson_data()
    {
        QTest::addColumn<QString>("file");
        for (const char *f : {"tiny_mlp.pt", "tiny_cnn.pt", "tiny_lm.pt", "tiny_gpt.pt", "no_metadata.pt", "bad_metadata.pt",
                              "bad/nan_weights.pt", "bad/zero_size_tensor.pt"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }
    void theDescriptionSurvivesTheInspectJson()
    {
        QFETCH(QString, file);
        Model::acceptNonFinite(fixture(file));
        const auto model = Model::load(fixture(file));
        const ModelDescription want = describe(*model);
        QJsonObject json = toJson(model->summary(), model->metadata());
        json.insert(u"model"_s, model->path()); // as `compresslab-cli inspect --json` adds it
        compareDescriptions(modelDescriptionFromJson(json), want);
        if (QTest::currentTestFailed())
            return;
        // The file's tokens are counted, not carried, and the checks above do look at the tree.
        QCOMPARE(want.vocabularySize, model->metadata().vocabulary.size());
        QVERIFY(want.metadata.vocabulary.isEmpty());
        QVERIFY(!want.summary.modules.isEmpty());
    }

    void missingOrBrokenMetadataStillLoads()
    {
        const auto none = Model::load(fixture(u"no_metadata.pt"_s));
        QVERIFY(!none->metadata().present);
        QCOMPARE(none->displayName(), u"no_metadata"_s);
        const auto bad = Model::load(fixture(u"bad_metadata.pt"_s));
        QVERIFY(!bad->metadata().present);
        QVERIFY(!bad->metadata().warnings.isEmpty());
        QCOMPARE(bad->summary().parameterCount, qint64(163));
    }

    void badFilesGiveOneLineReasons_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing") << fixture(u"does-not-exist.pt"_s) << u"no such file"_s;
        QTest::newRow("folder") << QStringLiteral(FIXTURES_DIR) << u"it is a folder"_s;
        QTest::newRow("empty") << fixture(u"empty.pt"_s) << u"the file is empty"_s;
        QTest::newRow("random bytes") << fixture(u"random.pt"_s) << u"not a ZIP archive"_s;
        QTest::newRow("png renamed") << fixture(u"image.pt"_s) << u"PNG image"_s;
        QTest::newRow("state_dict") << fixture(u"state_dict.pt"_s) << u"written by torch.save"_s;
        QTest::newRow("legacy pickle") << fixture(u"legacy_pickle.pt"_s) << u"Python pickle"_s;
        QTest::newRow("truncated") << fixture(u"truncated.pt"_s) << u"truncated or damaged"_s;
        QTest::newRow("dataset instead of model") << fixture(u"tiny_mlp_eval.safetensors"_s) << u"not a ZIP archive"_s;
    }
    void badFilesGiveOneLineReasons()
    {
        QFETCH(QString, path);
        QFETCH(QString, reason);
        try {
            Model::load(path);
            QFAIL("loaded a bad file");
        } catch (const UserError &e) {
            QVERIFY2(e.message().contains(reason), qPrintable(e.message()));
            QVERIFY2(e.message().startsWith("cannot load"_L1), qPrintable(e.message()));
            QVERIFY2(!e.message().contains(u'\n'), qPrintable(e.message()));
        }
    }

    void loadingNeverModifiesTheFile()
    {
        const QString path = fixture(u"tiny_lm.pt"_s);
        const QByteArray before = testsupport::sha256(path);
        const QDateTime modified = QFileInfo(path).lastModified();
        Model::load(path);
        QCOMPARE(testsupport::sha256(path), before);
        QCOMPARE(QFileInfo(path).lastModified(), modified);
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
