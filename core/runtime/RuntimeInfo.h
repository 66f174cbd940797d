#pragma once
// The kernels a measurement ran with. Every measured number carries one of these, because the same
// model is 40x slower on reference BLAS than on OpenBLAS and int8 speed depends on the quantized engine.
#include <QStringList>

#include <mutex>

namespace compresslab {

struct RuntimeInfo {
    int threads = 1;         // LibTorch intra-op threads (OpenMP) of the calling thread
    int qnnpackThreads = 1;  // qnnpack's process-wide pool: one per processor, or 1 when the caller wants one thread
    QString blas;            // "OpenBLAS (pthread)", "reference BLAS", ...
    QString quantizedEngine; // "onednn", "qnnpack"
    QString torchVersion;
    QString ompWaitPolicy;   // "passive after GOMP_SPINCOUNT=1000" unless the user chose otherwise (ThreadWaiting.h)
    QString allocator;       // "freed memory kept" (ProcessSetup.h), "glibc default", ...
    QString describe() const; // "4 threads, OpenBLAS (pthread), int8 engine onednn, LibTorch 1.13.1, ..."
};

// Sets the calling thread's intra-op threads (0 = one per core) and the quantized engine (onednn when available: it was
// measured faster than qnnpack at larger batches on this stack). Returns what is now in force.
// `engine` ("onednn", "qnnpack") overrides that choice, e.g. for a model packed for qnnpack.
RuntimeInfo configureRuntime(int threads = 0, const QString &engine = QString());
RuntimeInfo currentRuntime();
// Held while packing int8 weights (prepacking, or loading a file whose packed weights pack again): they
// take the engine in force, which is one setting for the whole process, and the model host serves
// requests on several threads. Recursive: a conversion may load, and a load may configure the runtime.
// Order: this lock before any model's runMutex. configureRuntime takes it to change the engine, so call it
// before locking a model that another thread might be converting.
std::unique_lock<std::recursive_mutex> lockInt8Packing();
// The int8 engines this LibTorch build has, of those CompressLab packs for ("onednn", "qnnpack").
QStringList availableInt8Engines();

} // namespace compresslab
