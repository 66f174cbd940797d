#pragma once
// A validating reader for the safetensors container (8-byte little-endian header length, JSON header,
// raw little-endian tensor bytes). Written by hand so that every field of an untrusted file is checked
// before any byte of data is trusted: header size limits, known dtypes, shape × dtype = byte count
// without integer overflow, offsets inside the file, contiguous and non-overlapping.
#include <QByteArray>
#include <QMap>
#include <QString>
#include <QVector>

namespace compresslab {

enum class ScalarType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

int scalarTypeSize(ScalarType t);
QString scalarTypeName(ScalarType t); // safetensors spelling: "F32", "I64", ...

struct SafetensorsEntry {
    QString name;
    ScalarType dtype = ScalarType::F32;
    QVector<qint64> shape;
    qint64 begin = 0; // byte offset relative to the start of the data buffer
    qint64 end = 0;
    qint64 numel() const;
    qint64 byteSize() const { return end - begin; }
};

struct SafetensorsHeader {
    QVector<SafetensorsEntry> tensors; // in file order (sorted by offset)
    QMap<QString, QString> metadata;   // the optional "__metadata__" string map
    qint64 dataStart = 0;              // absolute file offset of the data buffer
    qint64 fileSize = 0;
    const SafetensorsEntry *find(const QString &name) const;
};

struct SafetensorsLimits {
    qint64 maxHeaderBytes = 100 * 1024 * 1024; // same cap as the reference implementation
    int maxRank = 8;
    qint64 maxTensors = 100000;
};

// Parses and validates the header of `bytesPrefix` (at least the first 8 + header bytes of the file)
// for a file of `fileSize` bytes. Throws UserError naming the fault.
SafetensorsHeader parseSafetensorsHeader(const QByteArray &bytesPrefix, qint64 fileSize,
                                         const SafetensorsLimits &limits = {});

// Reads and validates the header of a file on disk.
SafetensorsHeader readSafetensorsHeader(const QString &path, const SafetensorsLimits &limits = {});

} // namespace compresslab
