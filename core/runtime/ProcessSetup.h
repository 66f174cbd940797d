#pragma once
// Process-wide set-up that must happen before LibTorch's libraries initialise.

namespace compresslab {

// Debian's LibTorch runs OpenMP worker threads beside OpenBLAS's own threads; how long idle threads of
// each pool spin decides batch-1 latency on a small machine (runtime/ThreadWaiting.h has the figures).
// libgomp reads its settings when it loads (before main), so unless the user chose a policy this
// re-executes the program once with them set; OpenBLAS is asked to re-read its timeout in place.
// Call first thing in main(); returns normally if nothing needs doing or the re-exec fails.
void ensureShortThreadWaiting(char **argv);

// glibc gives freed blocks above 128 KB back to the system (munmap, or trimming the heap's top) and maps
// them afresh, page by page, at the next allocation; a forward pass allocates such activations at every
// operator. Keeping freed memory for reuse (blocks up to 32 MB from the heap, trimming only above 256 MB
// free) took spam-transformer's batch-1 latency from 1.63-2.75 to 1.60-1.79 ms (docs/performance.md).
// Skipped when the user set MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ or glibc.malloc tunables, or COMPRESSLAB_ALLOCATOR=default
// (for comparisons). Call in main() of a program that runs models, before any allocation matters.
void keepFreedMemoryForReuse();
// What keepFreedMemoryForReuse() did, for the kernels line of every measurement:
// "freed memory kept", "glibc default" or "the user's MALLOC_ settings".
const char *allocatorPolicy();

} // namespace compresslab
