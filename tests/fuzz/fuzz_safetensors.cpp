// Fuzzes parseSafetensorsHeader (core/data/Safetensors.cpp) with the input as a whole file, under the
// default limits and under tight ones, and checks every header it accepts: the tensors tile the data
// buffer, each tensor's byte count is its shape times its dtype size, and lookups find every tensor.
// It also passes only the length field and the header, as readSafetensorsHeader does, which must give
// the same outcome, and one byte less, which must be refused. readSafetensorsHeader itself (the path on
// disk) is covered by fuzz_dataset.
#include "FuzzSupport.h"

#include "common/UserError.h"
#include "data/Safetensors.h"

#include <QSet>
#include <QtEndian>

using namespace compresslab;
using namespace Qt::StringLiterals;

namespace {

void checkAccepted(const SafetensorsHeader &h, qint64 fileSize, const SafetensorsLimits &limits)
{
    FUZZ_CHECK(h.fileSize == fileSize);
    FUZZ_CHECK(h.dataStart >= 10 && h.dataStart <= fileSize);
    FUZZ_CHECK(h.tensors.size() <= limits.maxTensors);
    qint64 expected = 0;
    QSet<QString> names;
    for (const SafetensorsEntry &e : h.tensors) {
        FUZZ_CHECK(e.begin == expected && e.end >= e.begin);
        expected = e.end;
        FUZZ_CHECK(e.shape.size() <= limits.maxRank);
        qint64 bytes = 0;
        FUZZ_CHECK(!__builtin_mul_overflow(e.numel(), qint64(scalarTypeSize(e.dtype)), &bytes));
        FUZZ_CHECK(bytes == e.byteSize());
        FUZZ_CHECK(scalarTypeName(e.dtype) != u"?"_s);
        FUZZ_CHECK(!names.contains(e.name) && e.name != u"__metadata__"_s);
        names.insert(e.name);
        FUZZ_CHECK(h.find(e.name) == &e);
    }
    FUZZ_CHECK(expected == fileSize - h.dataStart);
}

// The outcome in one string: the refusal, or what was accepted.
QString parse(const QByteArray &bytes, qint64 fileSize, const SafetensorsLimits &limits)
{
    try {
        const SafetensorsHeader h = parseSafetensorsHeader(bytes, fileSize, limits);
        checkAccepted(h, fileSize, limits);
        QString accepted = u"accepted %1 tensors, data at %2"_s.arg(h.tensors.size()).arg(h.dataStart);
        for (const SafetensorsEntry &e : h.tensors)
            accepted += u" %1:%2"_s.arg(e.name).arg(e.end);
        return accepted;
    } catch (const UserError &e) {
        FUZZ_CHECK(!e.message().isEmpty());
        return e.message();
    }
}

void parseWithPrefixes(const QByteArray &bytes, const SafetensorsLimits &limits)
{
    const QString whole = parse(bytes, bytes.size(), limits);
    if (bytes.size() < 8)
        return;
    const quint64 headerLength = qFromLittleEndian<quint64>(bytes.constData());
    if (headerLength == 0 || headerLength > quint64(limits.maxHeaderBytes) || headerLength > quint64(bytes.size() - 8))
        return;
    const QByteArray prefix = bytes.left(8 + qsizetype(headerLength));
    FUZZ_CHECK(parse(prefix, bytes.size(), limits) == whole);
    FUZZ_CHECK(!parse(prefix.chopped(1), bytes.size(), limits).startsWith(u"accepted"_s));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = fuzz::bytesOf(data, size);
    parseWithPrefixes(bytes, SafetensorsLimits{});
    SafetensorsLimits tight;
    tight.maxHeaderBytes = 4096;
    tight.maxRank = 2;
    tight.maxTensors = 3;
    parseWithPrefixes(bytes, tight);
    return 0;
}
