#pragma once
// Process-wide set-up that must happen before LibTorch's libraries initialise.

namespace compresslab {

// Debian's LibTorch runs OpenMP worker threads beside OpenBLAS's own threads. With libgomp's default
// busy-waiting, idle OpenMP workers spin on the cores OpenBLAS needs: on a loaded 2-core machine a
// batch-1 forward pass was measured 30x slower. libgomp reads OMP_WAIT_POLICY when it loads (before
// main), and only a value present when the program started sets its spin count to 0 (ProcessSetup.cpp):
// unless the user chose a policy, this re-executes the program once with OMP_WAIT_POLICY=PASSIVE.
// It also stops OpenBLAS's workers spinning after each call (OPENBLAS_THREAD_TIMEOUT, same file).
// Call first thing in main(); returns normally if nothing needs doing or the re-exec fails.
void ensurePassiveOpenMpWaiting(char **argv);

} // namespace compresslab
