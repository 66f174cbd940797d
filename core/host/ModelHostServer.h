#pragma once
// The window's model runs here, in `compresslab-cli host` (an isolated worker with memory and load-time
// limits), never in the window's own process: a TorchScript file is a program (pytorch#77573), and one
// that crashes on some input must take down only this process. Requests arrive one JSON object per line
// on stdin; answers leave one per line on stdout (host/HostProtocol.md). Runs until stdin closes.
#include <cstdio>

namespace compresslab {

int serveModelHost(std::FILE *in, std::FILE *out);

} // namespace compresslab
