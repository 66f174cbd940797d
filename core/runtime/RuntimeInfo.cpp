#include "runtime/RuntimeInfo.h"

#include "runtime/ProcessSetup.h"

#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <ATen/Parallel.h>
#include <torch/version.h>
#include <ATen/Context.h>

#include <omp.h>

#include <thread>

namespace caffe2 {
// LibTorch's per-thread switch that makes qnnpack run on the calling thread instead of its pool. Exported
// by libtorch_cpu, but its header (caffe2/utils/threadpool/pthreadpool-cpp.h) is not installed.
class _NoPThreadPoolGuard {
public:
    static bool is_enabled();
    static void set_enabled(bool enabled);
};
} // namespace caffe2

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// The BLAS this process really mapped, from /proc/self/maps; falls back to the alternatives link.
QString detectBlas()
{
    QFile maps(u"/proc/self/maps"_s);
    QString path;
    if (maps.open(QIODevice::ReadOnly)) {
        const QByteArray all = maps.readAll();
        for (const QByteArray &line : all.split('\n')) {
            if (line.contains("libblas.so") || line.contains("libopenblas")) {
                path = QString::fromLocal8Bit(line.mid(line.indexOf('/')));
                break;
            }
        }
    }
    if (path.isEmpty())
        path = QFileInfo(u"/etc/alternatives/libblas.so.3-x86_64-linux-gnu"_s).canonicalFilePath();
    const QString resolved = QFileInfo(path).canonicalFilePath().isEmpty() ? path : QFileInfo(path).canonicalFilePath();
    if (resolved.contains("openblas-pthread"_L1))
        return u"OpenBLAS (pthread)"_s;
    if (resolved.contains("openblas-openmp"_L1))
        return u"OpenBLAS (OpenMP)"_s;
    if (resolved.contains("openblas"_L1))
        return u"OpenBLAS"_s;
    if (resolved.contains("blis"_L1))
        return u"BLIS"_s;
    if (resolved.contains("mkl"_L1))
        return u"MKL"_s;
    if (resolved.contains("/blas/"_L1))
        return u"reference BLAS (slow: install libopenblas0-pthread)"_s;
    return resolved.isEmpty() ? u"unknown BLAS"_s : QFileInfo(resolved).fileName();
}

QString engineName(at::QEngine e)
{
    switch (e) {
    case at::QEngine::ONEDNN: return u"onednn"_s;
    case at::QEngine::QNNPACK: return u"qnnpack"_s;
    case at::QEngine::FBGEMM: return u"fbgemm"_s;
    default: return u"none"_s;
    }
}

} // namespace

QString RuntimeInfo::describe() const
{
    QString engine = quantizedEngine;
    if (engine == "qnnpack"_L1 && qnnpackThreads != threads) // its pool is the process's, not the thread's
        engine += u" (its own pool: %1 threads)"_s.arg(qnnpackThreads);
    return u"%1 thread%2, %3, int8 engine %4, LibTorch %5, OpenMP waiting %6, allocator: %7"_s.arg(threads).arg(threads == 1 ? u""_s : u"s"_s)
        .arg(blas, engine, torchVersion, ompWaitPolicy, allocator.isEmpty() ? u"not recorded"_s : allocator);
}

// Threads are set for the calling thread only, in OpenMP. at::set_num_threads would also rebuild qnnpack's
// process-wide pool (caffe2's pthreadpool), and a qnnpack run on another thread then waits forever: the model
// host hung so in the int8 engine timing while a new request started (docs/performance.md). Once anything has
// called it, every new thread's first ATen call calls it again, so it is never called here. qnnpack's pool
// keeps its default size (one thread per processor); a thread that asks for one thread bypasses it.
RuntimeInfo configureRuntime(int threads, const QString &engine)
{
    const int wanted = threads > 0 ? threads : qMax(1, QThread::idealThreadCount());
    (void)at::get_num_threads(); // this thread's one-time ATen set-up first: it sets OpenMP's count itself
    if (omp_get_max_threads() != wanted)
        omp_set_num_threads(wanted);
    caffe2::_NoPThreadPoolGuard::set_enabled(wanted == 1);
    auto &ctx = at::globalContext();
    const auto engines = ctx.supportedQEngines();
    const bool qnnpackFirst = engine == "qnnpack"_L1;
    for (at::QEngine preferred : {qnnpackFirst ? at::QEngine::QNNPACK : at::QEngine::ONEDNN,
                                  qnnpackFirst ? at::QEngine::ONEDNN : at::QEngine::QNNPACK}) {
        if (std::find(engines.begin(), engines.end(), preferred) != engines.end()) {
            if (ctx.qEngine() != preferred) {
                const auto packing = lockInt8Packing(); // never between another thread's choice of engine and its packing
                ctx.setQEngine(preferred);
            }
            break;
        }
    }
    return currentRuntime();
}

RuntimeInfo currentRuntime()
{
    static const QString blas = detectBlas();
    RuntimeInfo info;
    info.threads = at::get_num_threads();
    info.qnnpackThreads = caffe2::_NoPThreadPoolGuard::is_enabled() ? 1 : qMax(1, int(std::thread::hardware_concurrency()));
    info.blas = blas;
    info.quantizedEngine = engineName(at::globalContext().qEngine());
    info.torchVersion = QString::fromLatin1(TORCH_VERSION);
    info.ompWaitPolicy = qEnvironmentVariable("OMP_WAIT_POLICY", u"default"_s).toLower();
    if (const QString spin = qEnvironmentVariable("GOMP_SPINCOUNT"); !spin.isEmpty())
        info.ompWaitPolicy += u" after GOMP_SPINCOUNT=%1"_s.arg(spin); // libgomp spins that long, then sleeps
    info.allocator = QString::fromLatin1(allocatorPolicy());
    return info;
}

std::unique_lock<std::recursive_mutex> lockInt8Packing()
{
    static std::recursive_mutex packing;
    return std::unique_lock<std::recursive_mutex>(packing);
}

QStringList availableInt8Engines()
{
    const auto engines = at::globalContext().supportedQEngines();
    QStringList names;
    for (at::QEngine e : {at::QEngine::ONEDNN, at::QEngine::QNNPACK})
        if (std::find(engines.begin(), engines.end(), e) != engines.end())
            names << engineName(e);
    return names;
}

} // namespace compresslab
