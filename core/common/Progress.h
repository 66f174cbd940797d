#pragma once
// Long core operations report progress through this callback; returning false asks them to stop
// at the next safe point (after the current batch), in the manner of llama.cpp's progress_callback.
#include <QtGlobal>
#include <functional>

namespace compresslab {

using ProgressCallback = std::function<bool(qint64 done, qint64 total)>;

inline bool reportProgress(const ProgressCallback &cb, qint64 done, qint64 total)
{
    return !cb || cb(done, total);
}

} // namespace compresslab
