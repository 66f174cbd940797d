#include "runtime/ProcessSetup.h"

#include <cstdlib>
#include <unistd.h>

namespace compresslab {

extern "C" bool compresslab_omp_env_applied(); // runtime/OmpEnv.cpp

void ensurePassiveOpenMpWaiting(char **argv)
{
    // Normally the initfirst library has set the variable before libgomp loaded; glibc's start-up then
    // resets `environ`, so set it again for getenv() and child processes. Re-exec only if it never ran.
    if (compresslab_omp_env_applied()) {
        setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        return;
    }
    if (std::getenv("OMP_WAIT_POLICY"))
        return; // the user's choice, or we already re-executed
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv("/proc/self/exe", argv); // returns only on failure: then we simply run with the default policy
}

} // namespace compresslab
