#pragma once
// Exports are atomic: written to a temporary file beside the target, then renamed over it, so a crash
// or a full disk never leaves a half-written file; and nothing is ever written over the user's model.
#include <QStringList>
#include <functional>

namespace compresslab {

// Calls `write(tempPath)`, then renames the temporary file to `path`. Throws UserError when `path` is
// the same file as any of `protectedPaths` (compared as canonical paths), or when writing fails.
void writeAtomically(const QString &path, const std::function<void(const QString &tempPath)> &write,
                     const QStringList &protectedPaths = {});

} // namespace compresslab
