#include "data/Safetensors.h"

#include "common/UserError.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

constexpr qint64 kMaxExactJsonInteger = qint64(1) << 53; // JSON numbers are doubles in QJsonValue

struct DtypeName {
    const char *name;
    ScalarType type;
    int size;
};

constexpr DtypeName kDtypes[] = {
    {"F64", ScalarType::F64, 8}, {"F32", ScalarType::F32, 4}, {"F16", ScalarType::F16, 2},
    {"BF16", ScalarType::BF16, 2}, {"I64", ScalarType::I64, 8}, {"I32", ScalarType::I32, 4},
    {"I16", ScalarType::I16, 2}, {"I8", ScalarType::I8, 1}, {"U8", ScalarType::U8, 1},
    {"BOOL", ScalarType::Bool, 1},
};

[[noreturn]] void fail(const QString &what)
{
    throw UserError(u"not a valid safetensors file: "_s + what);
}

qint64 toNonNegativeInteger(const QJsonValue &v, const QString &what)
{
    if (!v.isDouble())
        fail(what + u" is not a number"_s);
    const double d = v.toDouble();
    if (!(d >= 0) || d > double(kMaxExactJsonInteger) || d != double(qint64(d)))
        fail(what + u" is not a non-negative integer below 2^53"_s);
    return qint64(d);
}

// a * b with an overflow check against the int64 range.
bool multiplyChecked(qint64 a, qint64 b, qint64 *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

SafetensorsEntry parseEntry(const QString &name, const QJsonValue &value, const SafetensorsLimits &limits)
{
    if (!value.isObject())
        fail(u"entry '%1' is not an object"_s.arg(name));
    const QJsonObject obj = value.toObject();
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (it.key() != "dtype"_L1 && it.key() != "shape"_L1 && it.key() != "data_offsets"_L1)
            fail(u"entry '%1' has unknown field '%2'"_s.arg(name, it.key()));
    }
    SafetensorsEntry e;
    e.name = name;
    const QString dtype = obj.value("dtype"_L1).toString();
    const DtypeName *found = nullptr;
    for (const DtypeName &d : kDtypes) {
        if (dtype == QLatin1StringView(d.name))
            found = &d;
    }
    if (!found)
        fail(u"tensor '%1' has unsupported dtype '%2'"_s.arg(name, dtype));
    e.dtype = found->type;

    const QJsonValue shapeValue = obj.value("shape"_L1);
    if (!shapeValue.isArray())
        fail(u"tensor '%1' has no shape array"_s.arg(name));
    const QJsonArray shape = shapeValue.toArray();
    if (shape.size() > limits.maxRank)
        fail(u"tensor '%1' has %2 dimensions (at most %3 are supported)"_s.arg(name).arg(shape.size()).arg(limits.maxRank));
    qint64 bytes = found->size;
    for (int i = 0; i < shape.size(); ++i) {
        const qint64 dim = toNonNegativeInteger(shape[i], u"dimension %1 of tensor '%2'"_s.arg(i).arg(name));
        e.shape.push_back(dim);
        if (!multiplyChecked(bytes, dim, &bytes))
            fail(u"tensor '%1' is too large (its byte count overflows)"_s.arg(name));
    }

    const QJsonValue offsetsValue = obj.value("data_offsets"_L1);
    if (!offsetsValue.isArray() || offsetsValue.toArray().size() != 2)
        fail(u"tensor '%1' needs data_offsets [begin, end]"_s.arg(name));
    const QJsonArray offsets = offsetsValue.toArray();
    e.begin = toNonNegativeInteger(offsets[0], u"data_offsets[0] of tensor '%1'"_s.arg(name));
    e.end = toNonNegativeInteger(offsets[1], u"data_offsets[1] of tensor '%1'"_s.arg(name));
    if (e.end < e.begin)
        fail(u"tensor '%1' ends before it begins"_s.arg(name));
    if (e.end - e.begin != bytes)
        fail(u"tensor '%1' holds %2 bytes but its dtype and shape need %3"_s.arg(name).arg(e.end - e.begin).arg(bytes));
    return e;
}

} // namespace

int scalarTypeSize(ScalarType t)
{
    for (const DtypeName &d : kDtypes) {
        if (d.type == t)
            return d.size;
    }
    return 0;
}

QString scalarTypeName(ScalarType t)
{
    for (const DtypeName &d : kDtypes) {
        if (d.type == t)
            return QString::fromLatin1(d.name);
    }
    return u"?"_s;
}

qint64 SafetensorsEntry::numel() const
{
    qint64 n = 1;
    for (qint64 d : shape)
        n *= d; // validated not to overflow at parse time
    return n;
}

const SafetensorsEntry *SafetensorsHeader::find(const QString &name) const
{
    for (const SafetensorsEntry &e : tensors) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

SafetensorsHeader parseSafetensorsHeader(const QByteArray &bytes, qint64 fileSize, const SafetensorsLimits &limits)
{
    if (fileSize < 8 || bytes.size() < 8)
        fail(u"the file is shorter than the 8-byte header length"_s);
    const quint64 rawLength = qFromLittleEndian<quint64>(bytes.constData());
    if (rawLength < 2)
        fail(u"the header is empty"_s);
    if (rawLength > quint64(limits.maxHeaderBytes))
        fail(u"the header claims %1 bytes (the limit is %2)"_s.arg(rawLength).arg(limits.maxHeaderBytes));
    const qint64 headerLength = qint64(rawLength);
    if (headerLength > fileSize - 8)
        fail(u"the header claims %1 bytes but the file has only %2 after the length field"_s.arg(headerLength).arg(fileSize - 8));
    if (bytes.size() < 8 + headerLength)
        fail(u"the header is truncated"_s);

    const QByteArray json = bytes.mid(8, headerLength);
    if (json.isEmpty() || json.at(0) != '{')
        fail(u"the header does not start with a JSON object"_s);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        fail(u"the header is not valid JSON (%1 at byte %2)"_s.arg(parseError.errorString()).arg(parseError.offset));
    const QJsonObject root = doc.object();
    if (root.size() > limits.maxTensors + 1)
        fail(u"the header lists %1 tensors (the limit is %2)"_s.arg(root.size()).arg(limits.maxTensors));

    SafetensorsHeader header;
    header.fileSize = fileSize;
    header.dataStart = 8 + headerLength;
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() == "__metadata__"_L1) {
            if (!it.value().isObject())
                fail(u"__metadata__ is not an object"_s);
            const QJsonObject meta = it.value().toObject();
            for (auto m = meta.begin(); m != meta.end(); ++m) {
                if (!m.value().isString())
                    fail(u"__metadata__ value '%1' is not a string"_s.arg(m.key()));
                header.metadata.insert(m.key(), m.value().toString());
            }
            continue;
        }
        header.tensors.push_back(parseEntry(it.key(), it.value(), limits));
    }

    // Tensors must tile the data buffer exactly: sorted by offset, no overlap, no gap, nothing past the end.
    std::sort(header.tensors.begin(), header.tensors.end(),
              [](const SafetensorsEntry &a, const SafetensorsEntry &b) {
                  return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
              });
    const qint64 bufferSize = fileSize - header.dataStart;
    qint64 expected = 0;
    for (const SafetensorsEntry &e : header.tensors) {
        if (e.begin < expected)
            fail(u"tensor '%1' overlaps the tensor before it"_s.arg(e.name));
        if (e.begin > expected)
            fail(u"there is a gap of %1 bytes before tensor '%2'"_s.arg(e.begin - expected).arg(e.name));
        if (e.end > bufferSize)
            fail(u"tensor '%1' ends at byte %2 but the data buffer has only %3 bytes (the file is truncated?)"_s
                     .arg(e.name).arg(e.end).arg(bufferSize));
        expected = e.end;
    }
    if (expected != bufferSize)
        fail(u"the data buffer has %1 bytes that no tensor uses"_s.arg(bufferSize - expected));
    return header;
}

SafetensorsHeader readSafetensorsHeader(const QString &path, const SafetensorsLimits &limits)
{
    QFile file(path);
    if (!file.exists())
        throw UserError(u"no such file: %1"_s.arg(path));
    if (!file.open(QIODevice::ReadOnly))
        throw UserError(u"cannot open %1: %2"_s.arg(path, file.errorString()));
    const qint64 size = file.size();
    QByteArray prefix = file.read(8);
    if (prefix.size() == 8) {
        const quint64 headerLength = qFromLittleEndian<quint64>(prefix.constData());
        if (headerLength <= quint64(limits.maxHeaderBytes) && qint64(headerLength) <= size - 8)
            prefix += file.read(qint64(headerLength));
    }
    try {
        return parseSafetensorsHeader(prefix, size, limits);
    } catch (const UserError &e) {
        throw UserError(u"%1: %2"_s.arg(path, e.message()));
    }
}

} // namespace compresslab
