#include "runtime/ProcessSetup.h"

#include "runtime/ThreadWaiting.h"

#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <malloc.h>
#include <unistd.h>

namespace compresslab {

namespace {

// OpenBLAS's worker threads spin for 2^28 cycles (~0.1 s) after each call by default. Beside LibTorch's
// OpenMP threads that took a core from the next job (the window's live point on brown-gpt came ~100 ms
// after the control stopped, ~85 ms without it: bench/live_feel). OpenBLAS reads the setting when it loads,
// so once set it is asked to re-read it and restart its pool (found with dlsym: nothing happens with
// another BLAS). The user's own OPENBLAS_THREAD_TIMEOUT is kept.
void shortenOpenBlasSpinning()
{
    if (std::getenv("OPENBLAS_THREAD_TIMEOUT"))
        return;
    setenv("OPENBLAS_THREAD_TIMEOUT", kOpenBlasThreadTimeout, 1);
    using Call = void (*)();
    const auto readEnv = reinterpret_cast<Call>(dlsym(RTLD_DEFAULT, "openblas_read_env"));
    const auto restartPool = reinterpret_cast<Call>(dlsym(RTLD_DEFAULT, "blas_thread_shutdown_"));
    if (readEnv && restartPool) {
        readEnv();
        restartPool(); // the next BLAS call starts the workers again, with the new timeout
    }
}

const char *g_allocatorPolicy = "glibc default";

} // namespace

void keepFreedMemoryForReuse()
{
    const char *tunables = std::getenv("GLIBC_TUNABLES");
    if (std::getenv("MALLOC_MMAP_THRESHOLD_") || std::getenv("MALLOC_TRIM_THRESHOLD_") || (tunables && std::strstr(tunables, "glibc.malloc."))) {
        g_allocatorPolicy = "the user's MALLOC_ settings";
        return;
    }
    const char *choice = std::getenv("COMPRESSLAB_ALLOCATOR");
    if (choice && std::strcmp(choice, "default") == 0)
        return;
    // 32 MB is glibc's largest mmap threshold on 64-bit; larger tensors are still mapped and unmapped.
    const bool mapped = mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1;
    const bool trimmed = mallopt(M_TRIM_THRESHOLD, 256 << 20) == 1;
    if (mapped || trimmed)
        g_allocatorPolicy = mapped && trimmed ? "freed memory kept" : mapped ? "freed memory kept (heap trimmed as glibc does)"
                                                                              : "freed memory kept (blocks over 128 KB mapped as glibc does)";
}

const char *allocatorPolicy() { return g_allocatorPolicy; }

void ensureShortThreadWaiting(char **argv)
{
    shortenOpenBlasSpinning();
    // Here in main() `environ` is the one the program started with: the user's choice, our launcher's
    // (compresslab-cli sets it for its worker), or our own re-exec's.
    if (std::getenv("OMP_WAIT_POLICY"))
        return;
    // libgomp keeps its default spin count (300000, about 3 ms after every parallel region) unless the
    // variables were there when it loaded: its workers then kept a core busy under the window's jobs
    // (brown-gpt's full-set evaluation took 5.5 s instead of 1.9 s). So the program restarts once with them
    // set from the start (about 0.4 s of start-up; the CLI launcher avoids it by setting them for its worker).
    setShortThreadWaiting();
    execv("/proc/self/exe", argv); // returns only on failure: then we run with libgomp's default
}

} // namespace compresslab
