#include "runtime/ProcessSetup.h"

#include <cstdlib>
#include <dlfcn.h>
#include <unistd.h>

namespace compresslab {


namespace {

// OpenBLAS's worker threads spin for 2^28 cycles (~0.1 s) after each call before they sleep. Beside LibTorch's
// OpenMP threads that took a core from the next job: the window's live point on brown-gpt came ~100 ms after
// the control stopped with the spin, ~85 ms without it (bench/live_feel). OpenBLAS reads the setting when it
// loads, and unlike libgomp it missed the initfirst library's value (measured: still spinning), so it is set
// here and OpenBLAS is asked to re-read it and restart its pool. Found with dlsym: nothing happens with
// another BLAS. The user's own OPENBLAS_THREAD_TIMEOUT is kept.
void stopOpenBlasSpinning()
{
    if (std::getenv("OPENBLAS_THREAD_TIMEOUT"))
        return;
    setenv("OPENBLAS_THREAD_TIMEOUT", "4", 1); // 2^4 cycles: sleep at once
    using Call = void (*)();
    const auto readEnv = reinterpret_cast<Call>(dlsym(RTLD_DEFAULT, "openblas_read_env"));
    const auto restartPool = reinterpret_cast<Call>(dlsym(RTLD_DEFAULT, "blas_thread_shutdown_"));
    if (readEnv && restartPool) {
        readEnv();
        restartPool(); // the next BLAS call starts the workers again, with the new timeout
    }
}

} // namespace

void ensurePassiveOpenMpWaiting(char **argv)
{
    stopOpenBlasSpinning();
    // Here in main() `environ` is the one the program started with: the user's choice, our launcher's
    // (compresslab-cli sets it for its worker), or our own re-exec's.
    if (std::getenv("OMP_WAIT_POLICY"))
        return;
    // The initfirst library (OmpEnv.cpp) is not enough: GCC 12's libgomp then reports PASSIVE but keeps its
    // default spin count (GOMP_SPINCOUNT = 300000, about 3 ms after every parallel region; OMP_DISPLAY_ENV=verbose
    // shows it). Its workers kept a core busy under the window's jobs: brown-gpt's full-set evaluation in the
    // window took 5.5 s instead of 1.9 s (bench/live_feel). So the program restarts once with the variable set
    // from the start (about 0.5 s of start-up; the CLI launcher avoids it by setting it for its worker).
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv("/proc/self/exe", argv); // returns only on failure: then we run with the default policy
}

} // namespace compresslab
