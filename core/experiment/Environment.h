#pragma once
// Where a measurement was made: recorded with every experiment so a number can be traced to its
// machine, build and kernels, and a re-run can tell whether exact equality is to be expected.
#include <QJsonObject>

namespace compresslab {

// app version and git commit, LibTorch, Qt and SQLite versions, OS, CPU model, threads, BLAS,
// quantized engine and OpenMP wait policy in force now.
QJsonObject captureEnvironment();

// The fields of two environments that make results differ (CPU, threads, library versions); empty when
// a deterministic re-run should reproduce the numbers exactly.
QStringList environmentDifferences(const QJsonObject &a, const QJsonObject &b);

} // namespace compresslab
