#pragma once
// One function per compresslab-cli command; args[0] is the command name.
#include <QStringList>

namespace compresslab::cli {

struct Io;

int runInspect(const QStringList &args, Io &io);
int runEval(const QStringList &args, Io &io);
int runLatency(const QStringList &args, Io &io);
int runZoo(const QStringList &args, Io &io);
int runHistory(const QStringList &args, Io &io);
int runDevices(const QStringList &args, Io &io);
int runEstimate(const QStringList &args, Io &io);
int runSensitivity(const QStringList &args, Io &io);
int runFit(const QStringList &args, Io &io);
int runCompress(const QStringList &args, Io &io);
int runSweep(const QStringList &args, Io &io);
int runDistill(const QStringList &args, Io &io);
int runHost(const QStringList &args, Io &io);

// Entry point used by app/cli_main.cpp and the tests: dispatches to the commands above and turns
// UserError into "compresslab-cli: <reason>" on stderr with exit code 2.
int runCli(const QStringList &args);

} // namespace compresslab::cli
