#pragma once
// Runs a command of this very binary in a child process with memory and time limits, so that a
// hostile or broken model file (TorchScript files are programs: pytorch#77573) can crash or exhaust
// only the child. The parent never touches LibTorch; it reports "cannot load: <reason>" and lives on.
#include <QString>
#include <QStringList>

#include <cstdint>

namespace compresslab {

struct IsolationLimits {
    uint64_t memoryBytes = 0;  // RLIMIT_DATA of the worker; 0 = none
    int loadSeconds = 120;     // how long one model load may take
    int totalSeconds = 0;      // the whole command; 0 = no limit (training may run for hours)

    // Defaults (memory: 3/4 of this machine's RAM), overridden by COMPRESSLAB_MEMORY_LIMIT_MB,
    // COMPRESSLAB_LOAD_TIMEOUT and COMPRESSLAB_TIME_LIMIT (seconds).
    static IsolationLimits fromEnvironment();
};

struct WorkerOutcome {
    int exitCode = 0;  // the worker's own exit code when it exited normally
    QString failure;   // set when the worker died: one line for the user, "cannot load X: ..." while loading
};

// False in the worker itself and when COMPRESSLAB_ISOLATION=off.
bool isolationWanted();

// Starts `program arguments...` as the worker (stdout and stderr shared with ours) and waits. Blocking.
// The terminal's Ctrl-C reaches the worker directly; SIGINT/SIGTERM/SIGHUP sent to this process alone
// are passed on (a second one kills the worker).
WorkerOutcome runIsolated(const QString &program, const QStringList &arguments, const IsolationLimits &limits);

// Called by the worker around every model load so the parent can time it and name the file when
// the load kills the worker. No-ops outside a worker.
void announceLoadBegin(const QString &path);
void announceLoadEnd();

// "3.2 GB": the worker's memory limit, for messages; empty when none applies.
QString workerMemoryLimitText();

} // namespace compresslab
