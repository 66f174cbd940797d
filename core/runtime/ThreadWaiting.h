#pragma once
// How idle worker threads wait, set in the environment before libgomp and OpenBLAS load (they read it
// only then). Header-only: the CLI launcher, which has no LibTorch, sets it for its worker too.
//
// Two pools share this machine's cores: LibTorch's OpenMP threads and OpenBLAS's pthreads. Spinning for
// long after each parallel region (libgomp's default ~3 ms, OpenBLAS's ~0.1 s) takes the core the other
// pool or the window needs; sleeping at once (GOMP_SPINCOUNT 0) makes every parallel region wake its
// threads, and onednn's int8 Linear has several per call (~0.3 ms each call at brown-gpt's shapes).
// A short spin of both keeps the threads awake between the operators of one forward pass and asleep
// between passes. Measured batch-1 medians, `compresslab-cli latency`, 2 cores (docs/performance.md):
// brown-gpt fp32 6.7 -> 5.1 ms, int8 8.9 -> 3.9 ms; spam-transformer fp32 2.4 -> 1.6 ms, int8 4.3 -> 1.8 ms.
#include <cstdlib>

namespace compresslab {

inline constexpr const char *kOmpSpinCount = "1000";       // libgomp spins, roughly 10-30 us here
inline constexpr const char *kOpenBlasThreadTimeout = "15"; // OpenBLAS waits 2^15 cycles, about 10 us

// Sets the waiting the app measures with, unless the user chose a policy (their OMP_WAIT_POLICY,
// GOMP_SPINCOUNT or OPENBLAS_THREAD_TIMEOUT is kept; every measurement's kernels line says what ran).
inline void setShortThreadWaiting()
{
    if (!std::getenv("OMP_WAIT_POLICY")) {
        setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
        setenv("GOMP_SPINCOUNT", kOmpSpinCount, 0); // overrides PASSIVE's spin count of 0
    }
    setenv("OPENBLAS_THREAD_TIMEOUT", kOpenBlasThreadTimeout, 0);
}

} // namespace compresslab
