// Fuzzes precheckTorchScriptZip (core/model/ZipPrecheck.cpp), the structural check a TorchScript file
// passes before LibTorch reads it, under the default limits and under tight ones. For every archive it
// accepts, checks the promises LibTorch relies on: each entry's header and data lie inside the file and
// before the central directory, no two entries overlap, sizes add up, all entries share one root folder.
#include "FuzzSupport.h"

#include "common/UserError.h"
#include "model/ZipPrecheck.h"

#include <algorithm>

using namespace compresslab;
using namespace Qt::StringLiterals;

namespace {

void checkAccepted(const ZipPrecheckResult &r, uint64_t size, const ZipLimits &limits)
{
    FUZZ_CHECK(!r.entries.isEmpty() && !r.root.isEmpty());
    FUZZ_CHECK(uint64_t(r.entries.size()) <= limits.maxEntries);
    uint64_t declared = 0;
    for (const ZipEntryInfo &e : r.entries) {
        FUZZ_CHECK(e.name.startsWith(r.root + u'/'));
        FUZZ_CHECK(!e.name.startsWith(u'/') && !e.name.split(u'/').contains(u".."_s));
        FUZZ_CHECK(e.method == 0 || e.method == 8);
        FUZZ_CHECK(e.method != 0 || e.compressedSize == e.uncompressedSize);
        FUZZ_CHECK(e.localHeaderOffset <= size && size - e.localHeaderOffset >= 30);
        FUZZ_CHECK(e.dataOffset >= e.localHeaderOffset + 30 && e.dataOffset <= size);
        FUZZ_CHECK(e.compressedSize <= size - e.dataOffset);
        declared += e.uncompressedSize;
    }
    FUZZ_CHECK(declared == r.declaredUncompressedBytes && declared <= limits.maxDeclaredBytes);
    QVector<ZipEntryInfo> sorted = r.entries;
    std::sort(sorted.begin(), sorted.end(),
              [](const ZipEntryInfo &a, const ZipEntryInfo &b) { return a.localHeaderOffset < b.localHeaderOffset; });
    for (qsizetype i = 1; i < sorted.size(); ++i)
        FUZZ_CHECK(sorted[i - 1].dataOffset + sorted[i - 1].compressedSize <= sorted[i].localHeaderOffset);
}

void check(const uint8_t *data, size_t size, const ZipLimits &limits)
{
    try {
        checkAccepted(precheckTorchScriptZip(data, size, limits), size, limits);
    } catch (const UserError &e) {
        FUZZ_CHECK(!e.message().isEmpty());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check(data, size, ZipLimits{});
    ZipLimits tight;
    tight.maxEntries = 8;
    tight.maxDeflateRatio = 2.0;
    tight.maxDeclaredBytes = 16 * 1024;
    check(data, size, tight);
    return 0;
}
