// A tiny shared library linked with `-z initfirst`: the dynamic linker runs its constructor before any
// other library's, so libgomp (loaded with LibTorch) reads OMP_WAIT_POLICY=PASSIVE when it initialises.
// That alone turned out not to be enough with GCC 12's libgomp (its spin count stays at the default), so
// ensurePassiveOpenMpWaiting() re-executes after all when the variable was missing at start; see ProcessSetup.h.
#include <cstdlib>

namespace {
bool g_applied = false;
}

__attribute__((constructor)) static void compresslabPassiveOpenMp()
{
    if (!std::getenv("OMP_WAIT_POLICY")) {
        setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
        g_applied = true;
    }
}

// Referenced from the programs so the linker keeps this library even with --as-needed.
extern "C" bool compresslab_omp_env_applied() { return g_applied; }
