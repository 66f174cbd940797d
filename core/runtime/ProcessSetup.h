#pragma once
// Process-wide set-up that must happen before LibTorch's libraries initialise.

namespace compresslab {

// Debian's LibTorch runs OpenMP worker threads beside OpenBLAS's own threads; how long idle threads of
// each pool spin decides batch-1 latency on a small machine (runtime/ThreadWaiting.h has the figures).
// libgomp reads its settings when it loads (before main), so unless the user chose a policy this
// re-executes the program once with them set; OpenBLAS is asked to re-read its timeout in place.
// Call first thing in main(); returns normally if nothing needs doing or the re-exec fails.
void ensureShortThreadWaiting(char **argv);

} // namespace compresslab
