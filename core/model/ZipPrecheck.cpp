#include "model/ZipPrecheck.h"

#include "common/UserError.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kEnd64Sig = 0x06064b50;
constexpr uint32_t kEnd64LocatorSig = 0x07064b50;

[[noreturn]] void refuse(const QString &reason) { throw UserError(reason); }

// Bounds-checked little-endian reads: every offset comes from the file, so every read is checked.
class Bytes {
public:
    Bytes(const unsigned char *data, uint64_t size) : m_data(data), m_size(size) {}
    uint64_t size() const { return m_size; }
    bool has(uint64_t offset, uint64_t length) const { return offset <= m_size && length <= m_size - offset; }
    uint16_t u16(uint64_t at) const { return uint16_t(m_data[at] | (m_data[at + 1] << 8)); }
    uint32_t u32(uint64_t at) const { return uint32_t(u16(at)) | (uint32_t(u16(at + 2)) << 16); }
    uint64_t u64(uint64_t at) const { return uint64_t(u32(at)) | (uint64_t(u32(at + 4)) << 32); }
    QByteArray slice(uint64_t at, uint64_t length) const
    {
        return QByteArray(reinterpret_cast<const char *>(m_data + at), qsizetype(length));
    }

private:
    const unsigned char *m_data;
    uint64_t m_size;
};

QString mb(uint64_t bytes) { return QString::number(double(bytes) / 1e6, 'f', 1) + u" MB"_s; }

struct Directory {
    uint64_t entries = 0;
    uint64_t offset = 0;
    uint64_t size = 0;
    uint64_t end = 0; // where the end records begin: the central directory must stop before it
};

Directory findDirectory(const Bytes &b)
{
    if (b.size() < 22)
        refuse(u"the file is too short to be a ZIP archive (%1 bytes)"_s.arg(b.size()));
    // The end record is the last 22 bytes plus a comment of at most 64 KiB, which must end the file.
    const uint64_t lowest = b.size() > 22 + 65535 ? b.size() - 22 - 65535 : 0;
    uint64_t at = b.size() - 22;
    for (;; --at) {
        if (b.u32(at) == kEndSig && at + 22 + b.u16(at + 20) == b.size())
            break;
        if (at == lowest)
            refuse(u"the file is truncated or damaged (the ZIP archive has no end record)"_s);
    }
    if (b.u16(at + 4) != 0 || (b.u16(at + 6) != 0 && b.u16(at + 6) != 0xFFFF))
        refuse(u"the ZIP archive spans several disks, which TorchScript files never do"_s);
    Directory d{b.u16(at + 10), b.u32(at + 16), b.u32(at + 12), at};
    if (d.entries == 0xFFFF || d.offset == 0xFFFFFFFF || d.size == 0xFFFFFFFF) {
        // ZIP64: a locator just before the end record points at the 64-bit end record.
        if (at < 20 || b.u32(at - 20) != kEnd64LocatorSig)
            refuse(u"the ZIP archive's 64-bit end record is missing (the file is truncated or damaged)"_s);
        const uint64_t record = b.u64(at - 12);
        if (!b.has(record, 56) || record + 56 > at - 20 || b.u32(record) != kEnd64Sig)
            refuse(u"the ZIP archive's 64-bit end record is out of place (the file is damaged)"_s);
        d = Directory{b.u64(record + 32), b.u64(record + 48), b.u64(record + 40), record};
    }
    if (d.offset > d.end || d.size > d.end - d.offset)
        refuse(u"the ZIP archive's central directory lies outside the file (declared at byte %1, %2 bytes, the file has %3)"_s
                   .arg(d.offset)
                   .arg(d.size)
                   .arg(b.size()));
    return d;
}

void checkName(const QString &name, const QByteArray &raw)
{
    if (raw.isEmpty() || raw.contains('\0'))
        refuse(u"the ZIP archive has an entry with an empty or invalid name"_s);
    if (name.startsWith(u'/') || name.contains(u'\\') || (name.size() > 1 && name.at(1) == u':'))
        refuse(u"the ZIP archive has an entry with an absolute path (%1); refused as unsafe"_s.arg(name.left(80)));
    const QStringList parts = name.split(u'/');
    if (parts.contains(u".."_s))
        refuse(u"the ZIP archive has an entry that climbs out of its folder (%1); refused as unsafe"_s.arg(name.left(80)));
}

// The ZIP64 extra field replaces those 32-bit fields that hold 0xFFFFFFFF, in this order.
void applyZip64Extra(const Bytes &b, uint64_t extra, uint64_t extraEnd, ZipEntryInfo &e)
{
    while (extra + 4 <= extraEnd) {
        const uint16_t id = b.u16(extra);
        const uint16_t length = b.u16(extra + 2);
        if (extra + 4 + length > extraEnd)
            refuse(u"the ZIP archive's entry %1 has a damaged extra field"_s.arg(e.name.left(80)));
        if (id == 0x0001) {
            uint64_t at = extra + 4;
            const uint64_t end = at + length;
            auto next = [&](uint64_t &field) {
                if (field != 0xFFFFFFFF)
                    return;
                if (at + 8 > end)
                    refuse(u"the ZIP archive's entry %1 has a damaged 64-bit size field"_s.arg(e.name.left(80)));
                field = b.u64(at);
                at += 8;
            };
            next(e.uncompressedSize);
            next(e.compressedSize);
            next(e.localHeaderOffset);
        }
        extra += 4 + length;
    }
}

ZipEntryInfo readEntry(const Bytes &b, uint64_t &at, const Directory &d)
{
    const uint64_t cdEnd = d.offset + d.size;
    if (at + 46 > cdEnd || b.u32(at) != kCentralSig)
        refuse(u"the ZIP archive's central directory is damaged (an entry header is missing)"_s);
    const uint16_t flags = b.u16(at + 8);
    const uint16_t nameLength = b.u16(at + 28), extraLength = b.u16(at + 30), commentLength = b.u16(at + 32);
    if (at + 46 + nameLength + extraLength + commentLength > cdEnd)
        refuse(u"the ZIP archive's central directory is damaged (an entry runs past its end)"_s);
    ZipEntryInfo e;
    const QByteArray raw = b.slice(at + 46, nameLength);
    e.name = QString::fromUtf8(raw);
    checkName(e.name, raw);
    e.method = b.u16(at + 10);
    e.compressedSize = b.u32(at + 20);
    e.uncompressedSize = b.u32(at + 24);
    e.localHeaderOffset = b.u32(at + 42);
    applyZip64Extra(b, at + 46 + nameLength, at + 46 + nameLength + extraLength, e);
    if (flags & 0x1)
        refuse(u"the ZIP archive's entry %1 is encrypted"_s.arg(e.name.left(80)));
    at += 46 + nameLength + extraLength + commentLength;
    return e;
}

void checkEntryData(const Bytes &b, ZipEntryInfo &e, const Directory &d, const ZipLimits &limits)
{
    const QString name = e.name.left(80);
    if (e.method != 0 && e.method != 8)
        refuse(u"the ZIP archive's entry %1 uses compression method %2; TorchScript files use only stored or deflated entries"_s
                   .arg(name)
                   .arg(e.method));
    if (e.method == 0 && e.compressedSize != e.uncompressedSize)
        refuse(u"the ZIP archive's entry %1 declares %2 bytes but stores %3"_s.arg(name).arg(e.uncompressedSize).arg(e.compressedSize));
    if (e.method == 8 && double(e.uncompressedSize) > limits.maxDeflateRatio * double(e.compressedSize) + 4096.0)
        refuse(u"the ZIP archive's entry %1 would expand %2 bytes to %3 (over %4x): a ZIP bomb, refused"_s.arg(name)
                   .arg(e.compressedSize)
                   .arg(mb(e.uncompressedSize))
                   .arg(limits.maxDeflateRatio));
    const uint64_t at = e.localHeaderOffset;
    if (at > d.offset || d.offset - at < 30 || b.u32(at) != kLocalSig)
        refuse(u"the ZIP archive's entry %1 points at byte %2, where no entry starts (the file is damaged)"_s.arg(name).arg(at));
    const uint16_t nameLength = b.u16(at + 26), extraLength = b.u16(at + 28);
    e.dataOffset = at + 30 + nameLength + extraLength;
    if (e.dataOffset > d.offset || e.compressedSize > d.offset - e.dataOffset)
        refuse(u"the ZIP archive's entry %1 declares %2 of data beyond the end of its data area (the file is truncated or its sizes are forged)"_s
                   .arg(name, mb(e.compressedSize)));
    if (b.slice(at + 30, nameLength) != e.name.toUtf8())
        refuse(u"the ZIP archive's entry %1 has a different name in its local header (the file was tampered with)"_s.arg(name));
}

// Overlapping entries are how non-recursive ZIP bombs reuse one deflate stream many times.
void checkNoOverlap(QVector<ZipEntryInfo> sorted)
{
    std::sort(sorted.begin(), sorted.end(),
              [](const ZipEntryInfo &a, const ZipEntryInfo &c) { return a.localHeaderOffset < c.localHeaderOffset; });
    for (qsizetype i = 1; i < sorted.size(); ++i)
        if (sorted[i].localHeaderOffset < sorted[i - 1].dataOffset + sorted[i - 1].compressedSize)
            refuse(u"the ZIP archive's entries %1 and %2 overlap: a ZIP bomb or a damaged file, refused"_s.arg(
                sorted[i - 1].name.left(80), sorted[i].name.left(80)));
}

void checkTorchScriptLayout(ZipPrecheckResult &r)
{
    if (r.entries.isEmpty())
        refuse(u"the ZIP archive is empty"_s);
    r.root = r.entries.first().name.section(u'/', 0, 0);
    bool hasData = false, hasCode = false, hasConstants = false, hasVersion = false;
    for (const ZipEntryInfo &e : std::as_const(r.entries)) {
        if (!e.name.startsWith(r.root + u'/'))
            refuse(u"the ZIP archive's entries are not all in one folder (%1 and %2), as torch.jit.save writes them"_s.arg(
                r.entries.first().name.left(80), e.name.left(80)));
        const QString inner = e.name.mid(r.root.size() + 1);
        hasData |= inner == "data.pkl"_L1;
        hasConstants |= inner == "constants.pkl"_L1;
        hasVersion |= inner == "version"_L1 || inner == ".data/version"_L1;
        hasCode |= inner.startsWith("code/"_L1);
    }
    if (!hasData)
        refuse(u"it is a ZIP archive but not a PyTorch file (no data.pkl inside)"_s);
    if (!hasCode && !hasConstants)
        refuse(u"this is a file written by torch.save (e.g. a state_dict or an eager checkpoint), not a TorchScript program; "
               u"export it with torch.jit.script(model) or torch.jit.trace(model, example), then torch.jit.save(...)"_s);
    if (!hasCode || !hasConstants || !hasVersion)
        refuse(u"the TorchScript archive is incomplete (missing %1)"_s.arg(!hasCode ? u"its code/ folder"_s
                                                                      : !hasConstants ? u"constants.pkl"_s
                                                                                      : u"its version record"_s));
}

} // namespace

ZipPrecheckResult precheckTorchScriptZip(const unsigned char *data, uint64_t size, const ZipLimits &limits)
{
    const Bytes b(data, size);
    if (size < 4 || b.u32(0) != kLocalSig)
        refuse(u"it is not a ZIP archive, and TorchScript files are ZIP archives written by torch.jit.save"_s);
    const Directory d = findDirectory(b);
    if (d.entries > limits.maxEntries || d.entries > d.size / 46)
        refuse(u"the ZIP archive declares %1 entries, more than its central directory can hold (the file is damaged)"_s.arg(d.entries));
    ZipPrecheckResult r;
    QSet<QString> names;
    uint64_t at = d.offset;
    for (uint64_t i = 0; i < d.entries; ++i) {
        ZipEntryInfo e = readEntry(b, at, d);
        checkEntryData(b, e, d, limits);
        if (names.contains(e.name))
            refuse(u"the ZIP archive has two entries named %1 (the file was tampered with)"_s.arg(e.name.left(80)));
        names.insert(e.name);
        r.declaredUncompressedBytes += e.uncompressedSize;
        if (r.declaredUncompressedBytes > limits.maxDeclaredBytes)
            refuse(u"the ZIP archive declares more than %1 of contents, over the limit; refused"_s.arg(mb(limits.maxDeclaredBytes)));
        r.entries.append(std::move(e));
    }
    checkNoOverlap(r.entries);
    checkTorchScriptLayout(r);
    return r;
}

} // namespace compresslab
