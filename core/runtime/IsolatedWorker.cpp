#include "runtime/IsolatedWorker.h"

#include <QByteArray>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

constexpr const char *kWorkerFdVar = "COMPRESSLAB_WORKER_FD";
constexpr const char *kWorkerMemoryVar = "COMPRESSLAB_WORKER_MEMORY";

volatile sig_atomic_t g_child = 0;
volatile sig_atomic_t g_signals = 0;

// The terminal's Ctrl-C reaches the worker by itself (same process group; it stops after its current
// batch, and a second Ctrl-C ends it). A signal another process sent to us alone is passed on once;
// a second one kills the worker.
void forwardSignal(int sig, siginfo_t *info, void *)
{
    if (info && info->si_code == SI_KERNEL)
        return;
    ++g_signals;
    if (g_child > 0)
        kill(pid_t(g_child), g_signals > 1 ? SIGKILL : sig);
}

int envInt(const char *name, int fallback)
{
    const char *v = std::getenv(name);
    if (!v || !*v)
        return fallback;
    char *end = nullptr;
    const long n = std::strtol(v, &end, 10);
    return (end && *end == 0 && n >= 0) ? int(n) : fallback;
}

double monotonicSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

QString gb(uint64_t bytes) { return QString::number(double(bytes) / 1e9, 'f', 1) + u" GB"_s; }

QString signalName(int sig)
{
    const char *name = sigabbrev_np(sig);
    return name ? u"SIG%1, %2"_s.arg(QString::fromLatin1(name), QString::fromLocal8Bit(strsignal(sig)).toLower())
                : u"signal %1"_s.arg(sig);
}

// What the worker told us over the status pipe: which model it is loading, if any.
struct LoadState {
    QByteArray pending;
    QString loading;   // the file being loaded now
    QString lastModel; // the last file loaded
    double loadStarted = 0;

    void feed(const char *data, ssize_t n)
    {
        pending.append(data, qsizetype(n));
        for (qsizetype nl; (nl = pending.indexOf('\n')) >= 0; pending.remove(0, nl + 1)) {
            const QByteArray line = pending.left(nl);
            if (line.startsWith('B')) {
                loading = lastModel = QString::fromUtf8(line.mid(1));
                loadStarted = monotonicSeconds();
            } else if (line == "E") {
                loading.clear();
            }
        }
    }
};

QString describeDeath(int sig, const LoadState &state, bool killedForLoad, bool killedForTotal, const IsolationLimits &limits)
{
    if (killedForLoad)
        return u"cannot load %1: loading took longer than %2 s, the limit (COMPRESSLAB_LOAD_TIMEOUT raises it); "
               u"the file may be hostile"_s.arg(state.loading)
            .arg(limits.loadSeconds);
    if (killedForTotal)
        return u"stopped: the command ran longer than %1 s, the limit set by COMPRESSLAB_TIME_LIMIT"_s.arg(limits.totalSeconds);
    const QString how = sig == SIGKILL ? u"it was killed (SIGKILL), most likely by the system running out of memory"_s
                                       : u"LibTorch crashed (%1)"_s.arg(signalName(sig));
    // Only a death while loading is the file's fault for sure; later it may be the batch size or memory.
    if (!state.loading.isEmpty())
        return u"cannot load %1: %2 while reading it; the file is damaged or hostile. Nothing was changed."_s.arg(state.loading, how);
    if (!state.lastModel.isEmpty())
        return u"the isolated worker running %1 died: %2. The model file is unchanged."_s.arg(state.lastModel, how);
    return u"the isolated worker died: %1"_s.arg(how);
}

} // namespace

IsolationLimits IsolationLimits::fromEnvironment()
{
    IsolationLimits limits;
    const uint64_t ram = uint64_t(sysconf(_SC_PHYS_PAGES)) * uint64_t(sysconf(_SC_PAGESIZE));
    const int mb = envInt("COMPRESSLAB_MEMORY_LIMIT_MB", -1);
    limits.memoryBytes = mb >= 0 ? uint64_t(mb) << 20 : ram / 4 * 3;
    limits.loadSeconds = envInt("COMPRESSLAB_LOAD_TIMEOUT", limits.loadSeconds);
    limits.totalSeconds = envInt("COMPRESSLAB_TIME_LIMIT", 0);
    return limits;
}

bool isolationWanted()
{
    if (std::getenv(kWorkerFdVar))
        return false;
    const char *setting = std::getenv("COMPRESSLAB_ISOLATION");
    return !(setting && (std::strcmp(setting, "off") == 0 || std::strcmp(setting, "0") == 0));
}

WorkerOutcome runIsolated(const QString &program, const QStringList &arguments, const IsolationLimits &limits)
{
    int status[2];
    if (pipe2(status, O_CLOEXEC) != 0)
        return {2, u"cannot start the isolated worker: %1"_s.arg(QString::fromLocal8Bit(strerror(errno)))};

    // Everything the child needs is built before fork: only async-signal-safe calls happen after it.
    std::vector<std::string> argStore{program.toStdString()};
    for (const QString &a : arguments)
        argStore.push_back(a.toStdString());
    std::vector<std::string> envStore;
    for (char **e = environ; *e; ++e)
        if (std::strncmp(*e, kWorkerFdVar, std::strlen(kWorkerFdVar)) != 0)
            envStore.emplace_back(*e);
    envStore.push_back(std::string(kWorkerFdVar) + "=" + std::to_string(status[1]));
    envStore.push_back(std::string(kWorkerMemoryVar) + "=" + std::to_string(limits.memoryBytes));
    std::vector<char *> argv, envp;
    for (std::string &s : argStore)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    for (std::string &s : envStore)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    const pid_t parent = getpid();
    signal(SIGCHLD, SIG_DFL); // an inherited SIG_IGN would reap the worker before waitpid sees it

    const pid_t child = fork();
    if (child < 0) {
        close(status[0]);
        close(status[1]);
        return {2, u"cannot start the isolated worker: %1"_s.arg(QString::fromLocal8Bit(strerror(errno)))};
    }
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlive the parent
        if (getppid() != parent)
            _exit(127);
        fcntl(status[1], F_SETFD, 0);     // keep the status pipe open across exec
        if (limits.memoryBytes > 0) {
            const rlimit data{rlim_t(limits.memoryBytes), rlim_t(limits.memoryBytes)};
            setrlimit(RLIMIT_DATA, &data);
        }
        const rlimit noCore{0, 0}; // a crash on a hostile file leaves no core dump behind
        setrlimit(RLIMIT_CORE, &noCore);
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    close(status[1]);
    g_child = child;
    g_signals = 0;
    struct sigaction forward{}, oldInt{}, oldTerm{}, oldHup{};
    forward.sa_sigaction = forwardSignal;
    forward.sa_flags = SA_SIGINFO;
    sigemptyset(&forward.sa_mask);
    sigaction(SIGINT, &forward, &oldInt);
    sigaction(SIGTERM, &forward, &oldTerm);
    sigaction(SIGHUP, &forward, &oldHup);

    LoadState state;
    const double started = monotonicSeconds();
    bool killedForLoad = false, killedForTotal = false, pipeOpen = true;
    int waitStatus = 0;
    for (;;) {
        if (pipeOpen) {
            pollfd fd{status[0], POLLIN, 0};
            if (poll(&fd, 1, 100) > 0) {
                char buffer[4096];
                const ssize_t n = read(status[0], buffer, sizeof buffer);
                if (n > 0)
                    state.feed(buffer, n);
                else if (n == 0)
                    pipeOpen = false;
            }
        } else {
            usleep(50 * 1000);
        }
        const pid_t reaped = waitpid(child, &waitStatus, WNOHANG);
        if (reaped == child)
            break;
        if (reaped < 0 && errno != EINTR) {
            close(status[0]);
            g_child = 0;
            return {2, u"lost track of the isolated worker: %1"_s.arg(QString::fromLocal8Bit(strerror(errno)))};
        }
        const double now = monotonicSeconds();
        if (!killedForLoad && !state.loading.isEmpty() && limits.loadSeconds > 0 && now - state.loadStarted > limits.loadSeconds) {
            killedForLoad = true;
            kill(child, SIGKILL);
        }
        if (!killedForTotal && limits.totalSeconds > 0 && now - started > limits.totalSeconds) {
            killedForTotal = true;
            kill(child, SIGKILL);
        }
    }
    // Read what the worker said just before it died (e.g. the load that killed it).
    for (char buffer[4096];;) {
        const ssize_t n = read(status[0], buffer, sizeof buffer);
        if (n <= 0)
            break;
        state.feed(buffer, n);
    }
    close(status[0]);
    g_child = 0;
    sigaction(SIGINT, &oldInt, nullptr);
    sigaction(SIGTERM, &oldTerm, nullptr);
    sigaction(SIGHUP, &oldHup, nullptr);

    if (WIFEXITED(waitStatus)) {
        if (WEXITSTATUS(waitStatus) == 127 && state.lastModel.isEmpty())
            return {2, u"cannot start the isolated worker %1"_s.arg(program)};
        return {WEXITSTATUS(waitStatus), {}};
    }
    const int sig = WTERMSIG(waitStatus);
    if (sig == SIGINT)
        return {130, u"cancelled"_s}; // the user's second Ctrl-C ended it
    if (sig == SIGPIPE || (g_signals > 0 && !killedForLoad && !killedForTotal))
        return {128 + sig, {}};       // its reader went away, or it was told to stop: not the file's fault
    return {2, describeDeath(sig, state, killedForLoad, killedForTotal, limits)};
}

static void announce(const QByteArray &line)
{
    const char *fd = std::getenv(kWorkerFdVar);
    if (!fd)
        return;
    const QByteArray all = line + '\n';
    // One write: the line is small enough to be atomic on a pipe.
    [[maybe_unused]] const ssize_t n = write(std::atoi(fd), all.constData(), size_t(all.size()));
}

void announceLoadBegin(const QString &path) { announce('B' + path.toUtf8()); }
void announceLoadEnd() { announce("E"); }

QString workerMemoryLimitText()
{
    const char *v = std::getenv(kWorkerMemoryVar);
    const uint64_t bytes = v ? std::strtoull(v, nullptr, 10) : 0;
    return bytes ? gb(bytes) : QString();
}

} // namespace compresslab
