#pragma once
// A structural check of a TorchScript file's ZIP archive, run before LibTorch sees the file.
// LibTorch trusts the archive's declared sizes and names (a 1.6 KB file can ask it for a 226 GB
// allocation, pytorch#77573), so we read the central directory ourselves and refuse anything
// inconsistent. Pure byte parsing with no Torch, so it can be fuzzed on its own.
#include <QString>
#include <QVector>

#include <cstdint>

namespace compresslab {

struct ZipEntryInfo {
    QString name;
    uint16_t method = 0;           // 0 stored, 8 deflated
    uint64_t compressedSize = 0;
    uint64_t uncompressedSize = 0;
    uint64_t localHeaderOffset = 0;
    uint64_t dataOffset = 0;       // first byte of the entry's data
};

struct ZipPrecheckResult {
    QVector<ZipEntryInfo> entries;
    QString root; // the archive's top folder, "model" for "model/data.pkl"
    uint64_t declaredUncompressedBytes = 0;
};

// Limits on what an archive may declare; defaults suit any real TorchScript file.
struct ZipLimits {
    uint64_t maxEntries = 200000;
    double maxDeflateRatio = 200.0;                  // real code entries compress ~2-5x; zip bombs ~1000x
    uint64_t maxDeclaredBytes = uint64_t(64) << 30;  // summed uncompressed sizes
};

// Checks `size` bytes of a would-be TorchScript file. Throws UserError whose message is the reason
// alone ("the ZIP archive's central directory ..."), for the caller to prefix with the path.
ZipPrecheckResult precheckTorchScriptZip(const unsigned char *data, uint64_t size, const ZipLimits &limits = {});

} // namespace compresslab
