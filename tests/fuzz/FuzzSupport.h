#pragma once
// Shared by the fuzz targets. A parser may refuse any input with a UserError (the expected outcome for
// almost every input); anything else is a finding: a sanitizer report, another exception escaping (the
// callers catch only UserError), or an accepted input that breaks what the parser promises, which
// FUZZ_CHECK turns into an abort so that libFuzzer saves the input as a crash.
#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            std::fprintf(stderr, "%s:%d: accepted input breaks: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                 \
        }                                                                                 \
    } while (0)

namespace compresslab::fuzz {

// The fuzz input without a copy: it sits in an exact-size heap block, so ASan sees any read past its end.
inline QByteArray bytesOf(const uint8_t *data, size_t size)
{
    return QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace compresslab::fuzz
