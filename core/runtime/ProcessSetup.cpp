#include "runtime/ProcessSetup.h"

#include <cstdlib>
#include <unistd.h>

namespace compresslab {

void ensurePassiveOpenMpWaiting(char **argv)
{
    if (std::getenv("OMP_WAIT_POLICY"))
        return; // the user's choice, or we already re-executed
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv("/proc/self/exe", argv); // returns only on failure: then we simply run with the default policy
}

} // namespace compresslab
