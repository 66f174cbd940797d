// The safetensors reader must reject every malformed header with a message naming the fault.
#include "common/UserError.h"
#include "data/Safetensors.h"

#include <QtEndian>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;

namespace {

QByteArray container(const QByteArray &header, qint64 bufferBytes, quint64 declaredLength = 0)
{
    QByteArray out(8, '\0');
    qToLittleEndian<quint64>(declaredLength ? declaredLength : quint64(header.size()), out.data());
    out += header;
    out += QByteArray(bufferBytes, '\x01');
    return out;
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void acceptsValidFiles_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<qint64>("buffer");
        QTest::addColumn<int>("tensors");
        QTest::newRow("one tensor") << R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})"_ba << qint64(8) << 1;
        QTest::newRow("metadata and order by offset")
            << R"({"__metadata__":{"task":"classification"},"b":{"dtype":"I64","shape":[1],"data_offsets":[2,10]},"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}})"_ba
            << qint64(10) << 2;
        QTest::newRow("zero-size tensor") << R"({"a":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]}})"_ba << qint64(0) << 1;
        QTest::newRow("scalar") << R"({"a":{"dtype":"F64","shape":[],"data_offsets":[0,8]}})"_ba << qint64(8) << 1;
        QTest::newRow("padded header") << R"({"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}   )"_ba << qint64(4) << 1;
    }
    void acceptsValidFiles()
    {
        QFETCH(QByteArray, header);
        QFETCH(qint64, buffer);
        QFETCH(int, tensors);
        const QByteArray file = container(header, buffer);
        const SafetensorsHeader h = parseSafetensorsHeader(file, file.size());
        QCOMPARE(h.tensors.size(), tensors);
        QCOMPARE(h.dataStart, 8 + header.size());
        for (int i = 1; i < h.tensors.size(); ++i)
            QVERIFY(h.tensors[i - 1].end <= h.tensors[i].begin);
    }

    void readsShapesAndMetadata()
    {
        const QByteArray file = container(
            R"({"__metadata__":{"task":"language-modeling"},"x":{"dtype":"I64","shape":[3,4],"data_offsets":[0,96]}})"_ba, 96);
        const SafetensorsHeader h = parseSafetensorsHeader(file, file.size());
        QCOMPARE(h.metadata.value(u"task"_s), u"language-modeling"_s);
        const SafetensorsEntry *x = h.find(u"x"_s);
        QVERIFY(x);
        QCOMPARE(x->dtype, ScalarType::I64);
        QCOMPARE(x->shape, (QVector<qint64>{3, 4}));
        QCOMPARE(x->numel(), qint64(12));
    }

    void rejectsFaults_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("message");
        auto row = [](const char *name, const QByteArray &file, const char *msg) {
            QTest::newRow(name) << file << QString::fromUtf8(msg);
        };
        row("shorter than length field", "\x05\0\0"_ba, "shorter than the 8-byte");
        row("empty header", container("", 0), "header is empty");
        row("header length over the cap", container("{}", 0, quint64(1) << 40), "the limit is");
        row("header longer than the file", container("{}", 0, 4096), "the file has only");
        row("not JSON", container("{nope", 0), "not valid JSON");
        row("not an object", container("[1,2]", 0), "does not start with a JSON object");
        row("unknown dtype", container(R"({"a":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}})", 1), "unsupported dtype 'F8'");
        row("negative dimension", container(R"({"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}})", 1), "non-negative integer");
        row("fractional dimension", container(R"({"a":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}})", 1), "non-negative integer");
        row("huge offset", container(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1e300]}})", 1), "below 2^53");
        row("byte count overflows", container(R"({"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", 8), "overflows");
        row("too many dimensions", container(R"({"a":{"dtype":"U8","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,1]}})", 1), "dimensions");
        row("size does not match shape", container(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", 4), "holds 4 bytes but its dtype and shape need 8");
        row("ends before begin", container(R"({"a":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}})", 4), "ends before it begins");
        row("overlap", container(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12), "overlaps");
        row("gap", container(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})", 12), "gap of 4 bytes");
        row("past the end (truncated)", container(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 8), "truncated");
        row("unused trailing bytes", container(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 12), "no tensor uses");
        row("metadata value not a string", container(R"({"__metadata__":{"n":3}})", 0), "is not a string");
        row("metadata not an object", container(R"({"__metadata__":[1]})", 0), "__metadata__ is not an object");
        row("entry not an object", container(R"({"a":5})", 0), "is not an object");
        row("unknown field", container(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"x":1}})", 1), "unknown field 'x'");
        row("missing offsets", container(R"({"a":{"dtype":"U8","shape":[1]}})", 1), "needs data_offsets");
        row("missing shape", container(R"({"a":{"dtype":"U8","data_offsets":[0,1]}})", 1), "no shape array");
    }
    void rejectsFaults()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, message);
        try {
            parseSafetensorsHeader(file, file.size());
            QFAIL("accepted a malformed file");
        } catch (const UserError &e) {
            QVERIFY2(e.message().contains(message), qPrintable(e.message()));
            QVERIFY(e.message().startsWith("not a valid safetensors file"_L1));
        }
    }

    void rejectsMissingFile()
    {
        QVERIFY_THROWS_EXCEPTION(UserError, readSafetensorsHeader(u"/nonexistent/x.safetensors"_s));
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
