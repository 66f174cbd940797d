// A tiny shared library linked with `-z initfirst`: the dynamic linker runs its constructor before any
// other library's, so libgomp (loaded with LibTorch) reads OMP_WAIT_POLICY=PASSIVE when it initialises.
// This spares the programs a re-exec (which doubled start-up: 0.57 s -> 1.1 s). See ProcessSetup.h.
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
