// The demo models, where built (~/.cache/compresslab/zoo): compresslab-cli eval must reproduce the
// metrics their model cards state (measured by PyTorch when they were trained) within 0.1.
// Skipped when the zoo has not been built on this machine (tools/setup.sh run builds it).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QJsonObject cliJson(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(CLI_PATH), args);
    p.waitForFinished(600000);
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

} // namespace

class TestZoo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void evalReproducesModelCard_data()
    {
        QTest::addColumn<QJsonObject>("entry");
        const QJsonArray models = cliJson({u"zoo"_s, u"list"_s, u"--json"_s}).value("models"_L1).toArray();
        QCOMPARE(models.size(), 3);
        for (const QJsonValue &m : models)
            QTest::newRow(m.toObject().value("name"_L1).toString().toUtf8().constData()) << m.toObject();
    }
    void evalReproducesModelCard()
    {
        QFETCH(QJsonObject, entry);
        if (!entry.value("built"_L1).toBool())
            QSKIP("not built on this machine (compresslab-cli zoo build)");
        const QJsonObject card = entry.value("card"_L1).toObject();
        const int batch = card.value("eval_batch_size"_L1).toInt(64);
        const QJsonObject result = cliJson({u"eval"_s, entry.value("model"_L1).toString(), u"--data"_s,
                                            entry.value("eval"_L1).toString(), u"--batch"_s, QString::number(batch), u"--json"_s});
        const QJsonObject measured = result.value("metrics"_L1).toObject();
        const QJsonObject stated = card.value("metrics"_L1).toObject();
        QVERIFY(!stated.isEmpty());
        QCOMPARE(result.value("samples"_L1).toInt(), card.value("eval_samples"_L1).toInt());
        for (auto it = stated.begin(); it != stated.end(); ++it) {
            const double m = measured.value(it.key()).toDouble(-1e9);
            QVERIFY2(qAbs(m - it.value().toDouble()) <= 0.1,
                     qPrintable(u"%1: card %2, measured %3"_s.arg(it.key()).arg(it.value().toDouble()).arg(m)));
        }
    }
};

QTEST_GUILESS_MAIN(TestZoo)
#include "tst_zoo.moc"
