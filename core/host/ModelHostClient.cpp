#include "host/ModelHostClient.h"

#include "common/UserError.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using namespace Qt::StringLiterals;

namespace compresslab {

struct ModelHostClient::Process {
    pid_t pid = 0;
    int input = -1;  // a socket: send(MSG_NOSIGNAL) to a dead host fails instead of raising SIGPIPE here
    int output = -1;
    int errors = -1;
    QByteArray pending;   // stdout received but not yet a whole line
    QByteArray errorText; // the tail of stderr: the launcher's reason when the host dies

    ~Process()
    {
        for (int fd : {input, output, errors})
            if (fd >= 0)
                close(fd);
    }

    void drainErrors()
    {
        char buffer[4096];
        for (ssize_t n; (n = read(errors, buffer, sizeof buffer)) > 0;)
            errorText = (errorText + QByteArray(buffer, qsizetype(n))).right(16384);
    }
};

namespace {

QString defaultProgram()
{
    return QCoreApplication::applicationDirPath() + u"/compresslab-cli"_s;
}

bool sendAll(int fd, const QByteArray &data)
{
    for (qsizetype sent = 0; sent < data.size();) {
        const ssize_t n = send(fd, data.constData() + sent, size_t(data.size() - sent), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        sent += n;
    }
    return true;
}

} // namespace

ModelHostClient::ModelHostClient(QString program) : m_program(program.isEmpty() ? defaultProgram() : std::move(program)) {}

ModelHostClient::~ModelHostClient()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_process)
        return;
    const pid_t pid = m_process->pid;
    m_process.reset(); // its input closes: the host stops after its current batch and exits
    for (int i = 0; i < 40; ++i) {
        if (waitpid(pid, nullptr, WNOHANG) == pid)
            return;
        usleep(50 * 1000);
    }
    kill(pid, SIGKILL); // the worker follows its launcher (PR_SET_PDEATHSIG)
    waitpid(pid, nullptr, 0);
}

void ModelHostClient::start()
{
    if (!QFileInfo(m_program).isExecutable())
        throw UserError(u"cannot run the model: %1 is missing; the installation is incomplete"_s.arg(m_program));
    int in[2], out[2], err[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0)
        throw UserError(u"cannot start the model host: %1"_s.arg(QString::fromLocal8Bit(strerror(errno))));
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
        throw UserError(u"cannot start the model host: %1"_s.arg(QString::fromLocal8Bit(strerror(errno))));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[1], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    // The host lives as long as the window: a whole-command limit meant for CLI runs must not end it.
    QList<QByteArray> env;
    for (char **e = environ; *e; ++e)
        if (std::strncmp(*e, "COMPRESSLAB_TIME_LIMIT=", 23) != 0)
            env << QByteArray(*e);
    std::vector<char *> envp;
    for (QByteArray &e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    QByteArray program = m_program.toLocal8Bit(), command = "host";
    char *argv[] = {program.data(), command.data(), nullptr};
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, program.constData(), &actions, nullptr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(in[1]);
    close(out[1]);
    close(err[1]);
    if (rc != 0) {
        for (int fd : {in[0], out[0], err[0]})
            close(fd);
        throw UserError(u"cannot start the model host %1: %2"_s.arg(m_program, QString::fromLocal8Bit(strerror(rc))));
    }
    m_process = std::make_unique<Process>();
    m_process->pid = pid;
    m_process->input = in[0];
    m_process->output = out[0];
    m_process->errors = err[0];
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    m_pid = pid;
}

QString ModelHostClient::reap()
{
    Process &p = *m_process;
    // The launcher writes its reason, then exits: read stderr to its end.
    fcntl(p.errors, F_SETFL, 0);
    p.drainErrors();
    int status = 0;
    waitpid(p.pid, &status, 0);
    QString reason;
    for (const QByteArray &line : p.errorText.split('\n'))
        if (!line.trimmed().isEmpty())
            reason = QString::fromUtf8(line.trimmed());
    reason.remove(QRegularExpression(u"^compresslab-cli: "_s));
    if (reason.isEmpty())
        reason = WIFSIGNALED(status) ? u"the model's process was killed (signal %1)"_s.arg(WTERMSIG(status))
                                     : u"the model's process ended (exit code %1)"_s.arg(WEXITSTATUS(status));
    m_process.reset();
    m_pid = 0;
    return reason;
}

QJsonObject ModelHostClient::call(QJsonObject request, const ProgressCallback &progress)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_process)
        start();
    const qint64 id = ++m_nextId;
    request.insert(u"id"_s, double(id));
    const auto died = [this] {
        return UserError(reap() + u" The window carries on: the next measurement starts the model afresh."_s);
    };
    if (!sendAll(m_process->input, QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n'))
        throw died();
    qint64 done = 0, total = 0;
    bool cancelSent = false;
    QElapsedTimer sinceCancel;
    for (;;) {
        pollfd fds[2] = {{m_process->output, POLLIN, 0}, {m_process->errors, POLLIN, 0}};
        poll(fds, 2, 100);
        m_process->drainErrors();
        char buffer[65536];
        ssize_t n;
        while ((n = read(m_process->output, buffer, sizeof buffer)) > 0)
            m_process->pending.append(buffer, qsizetype(n));
        if (n == 0) // the host's stdout closed: it died (or was killed)
            throw died();
        for (qsizetype nl; (nl = m_process->pending.indexOf('\n')) >= 0;) {
            const QJsonObject answer = QJsonDocument::fromJson(m_process->pending.left(nl)).object();
            m_process->pending.remove(0, nl + 1);
            if (qint64(answer.value(u"id"_s).toDouble()) != id)
                continue; // the tail of a request given up on earlier
            if (answer.contains(u"result"_s))
                return answer.value(u"result"_s).toObject();
            if (answer.contains(u"error"_s)) {
                if (answer.value(u"cancelled"_s).toBool())
                    throw Cancelled();
                throw UserError(answer.value(u"error"_s).toString());
            }
            const QJsonArray p = answer.value(u"progress"_s).toArray();
            done = qint64(p.at(0).toDouble());
            total = qint64(p.at(1).toDouble());
        }
        // Asked every round, not only on the host's reports: a model load gives none, and cancel must work there too.
        if (!cancelSent && !reportProgress(progress, done, total)) {
            cancelSent = true;
            sinceCancel.start();
            if (!sendAll(m_process->input, QJsonDocument(QJsonObject{{u"op"_s, u"cancel"_s}, {u"id"_s, double(id)}}).toJson(QJsonDocument::Compact) + '\n'))
                throw died();
        }
        if (cancelSent && sinceCancel.elapsed() > 10000) {
            // A batch that never ends (or a model that ignores us): stop the host rather than the window.
            kill(m_process->pid, SIGKILL);
            reap();
            throw Cancelled();
        }
    }
}

} // namespace compresslab
