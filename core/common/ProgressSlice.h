#pragma once
// A step of a longer operation reported as part of the whole: the step's own (done, of) becomes [from, to]
// of `total`, so that every batch of the step still asks the caller's callback whether to stop.
#include "common/Progress.h"

#include <algorithm>

namespace compresslab {

inline ProgressCallback progressSlice(const ProgressCallback &cb, qint64 from, qint64 to, qint64 total)
{
    return [cb, from, to, total](qint64 done, qint64 of) {
        const qint64 at = of > 0 ? from + (to - from) * std::clamp<qint64>(done, 0, of) / of : from;
        return reportProgress(cb, at, total);
    };
}

} // namespace compresslab
