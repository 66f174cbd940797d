#include "host/ModelHostClient.h"

#include "common/UserError.h"
#include "model/Model.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <map>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char **environ;

using namespace Qt::StringLiterals;

namespace compresslab {

struct ModelHostClient::Process {
    pid_t pid = 0;
    int input = -1;  // a socket: send(MSG_NOSIGNAL) to a dead host fails instead of raising SIGPIPE here
    int output = -1;
    int errors = -1;
    std::thread reader;
    // Guarded by the client's mutex:
    std::map<qint64, std::deque<QJsonObject>> mailboxes; // the answers each waiting request has not read yet
    bool dead = false;
    QString deathReason;

    ~Process()
    {
        for (int fd : {input, output, errors})
            if (fd >= 0)
                close(fd);
    }
};

namespace {

QString defaultProgram()
{
    return QCoreApplication::applicationDirPath() + u"/compresslab-cli"_s;
}

// The launcher's last stderr line says why the worker died ("cannot load X: LibTorch crashed ..."); else the status.
QString deathReason(const QByteArray &errorText, int status)
{
    QString reason;
    for (const QByteArray &line : errorText.split('\n'))
        if (!line.trimmed().isEmpty())
            reason = QString::fromUtf8(line.trimmed());
    reason.remove(QRegularExpression(u"^compresslab-cli: "_s));
    if (reason.isEmpty())
        reason = WIFSIGNALED(status) ? u"the model's process was killed (signal %1)."_s.arg(WTERMSIG(status))
                                     : u"the model's process ended (exit code %1)."_s.arg(WEXITSTATUS(status));
    return reason;
}

} // namespace

QJsonObject ModelHostClient::request(const QString &op, const QString &modelPath)
{
    return {{u"op"_s, op}, {u"model"_s, modelPath}, {u"allow_nonfinite"_s, Model::nonFiniteAccepted(modelPath)}};
}

ModelHostClient::ModelHostClient(QString program) : m_program(program.isEmpty() ? defaultProgram() : std::move(program)) {}

ModelHostClient::~ModelHostClient()
{
    std::shared_ptr<Process> p;
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        p = m_process;
        if (!p)
            return;
        shutdown(p->input, SHUT_WR); // end of input: the host stops its requests after their current batch and exits
        if (!m_changed.wait_for(lock, std::chrono::seconds(2), [&] { return p->dead; }))
            kill(p->pid, SIGKILL); // the worker follows its launcher (PR_SET_PDEATHSIG)
    }
    p->reader.join();
}

std::shared_ptr<ModelHostClient::Process> ModelHostClient::start()
{
    if (m_process) { // a dead host: its reader thread has finished
        m_process->reader.join();
        m_process.reset();
    }
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
    auto p = std::make_shared<Process>();
    p->input = in[0];
    p->output = out[0];
    p->errors = err[0];
    if (rc != 0)
        throw UserError(u"cannot start the model host %1: %2"_s.arg(m_program, QString::fromLocal8Bit(strerror(rc))));
    p->pid = pid;
    p->reader = std::thread([this, p] { readAnswers(p); });
    m_process = p;
    m_pid = pid;
    return p;
}

void ModelHostClient::readAnswers(std::shared_ptr<Process> p)
{
    QByteArray pending, errorText;
    bool outputOpen = true, errorsOpen = true;
    while (outputOpen || errorsOpen) {
        pollfd fds[2] = {{outputOpen ? p->output : -1, POLLIN, 0}, {errorsOpen ? p->errors : -1, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        char buffer[65536];
        if (fds[1].revents) {
            const ssize_t n = read(p->errors, buffer, sizeof buffer);
            if (n > 0)
                errorText = (errorText + QByteArray(buffer, qsizetype(n))).right(16384);
            else if (n == 0 || errno != EINTR)
                errorsOpen = false;
        }
        if (!fds[0].revents)
            continue;
        const ssize_t n = read(p->output, buffer, sizeof buffer);
        if (n <= 0) {
            if (n == 0 || errno != EINTR)
                outputOpen = false; // the host died or ended; stderr is read to its end for the reason
            continue;
        }
        pending.append(buffer, qsizetype(n));
        std::lock_guard<std::mutex> lock(m_mutex);
        for (qsizetype nl; (nl = pending.indexOf('\n')) >= 0; pending.remove(0, nl + 1)) {
            const QJsonObject answer = QJsonDocument::fromJson(pending.left(nl)).object();
            const auto box = p->mailboxes.find(qint64(answer.value(u"id"_s).toDouble()));
            if (box != p->mailboxes.end()) // else a request given up on
                box->second.push_back(answer);
        }
        m_changed.notify_all();
    }
    int status = 0;
    waitpid(p->pid, &status, 0);
    std::lock_guard<std::mutex> lock(m_mutex);
    p->dead = true;
    p->deathReason = deathReason(errorText, status);
    if (m_process == p)
        m_pid = 0;
    m_changed.notify_all();
}

bool ModelHostClient::sendLine(Process &p, const QJsonObject &o)
{
    const QByteArray data = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    for (qsizetype sent = 0; sent < data.size();) {
        const ssize_t n = send(p.input, data.constData() + sent, size_t(data.size() - sent), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        sent += n;
    }
    return true;
}

QJsonObject ModelHostClient::call(QJsonObject request, const ProgressCallback &progress, const EventCallback &events)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    const std::shared_ptr<Process> p = m_process && !m_process->dead ? m_process : start();
    const qint64 id = ++m_nextId;
    request.insert(u"id"_s, double(id));
    auto &box = p->mailboxes[id];
    struct Unregister { // whichever way this call ends, later answers to it are dropped
        std::unique_lock<std::mutex> &lock;
        Process &p;
        qint64 id;
        ~Unregister()
        {
            if (!lock.owns_lock())
                lock.lock();
            p.mailboxes.erase(id);
        }
    } unregister{lock, *p, id};
    const auto died = [&] {
        if (!lock.owns_lock())
            lock.lock();
        m_changed.wait_for(lock, std::chrono::seconds(5), [&] { return p->dead; }); // the reader collects the reason
        return UserError((p->dead ? p->deathReason : u"the model's process stopped answering."_s) +
                         u" The window carries on: the next measurement starts the model afresh."_s);
    };
    if (!sendLine(*p, request))
        throw died();
    qint64 done = 0, total = 0;
    bool cancelSent = false;
    QElapsedTimer sinceCancel;
    for (;;) {
        m_changed.wait_for(lock, std::chrono::milliseconds(100), [&] { return !box.empty() || p->dead; });
        std::deque<QJsonObject> answers;
        answers.swap(box);
        const bool dead = p->dead;
        lock.unlock(); // the caller's callbacks never run under our lock
        for (const QJsonObject &answer : answers) {
            if (answer.contains(u"event"_s)) {
                if (events)
                    events(answer.value(u"event"_s).toObject());
            } else if (answer.contains(u"result"_s)) {
                return answer.value(u"result"_s).toObject();
            } else if (answer.contains(u"error"_s)) {
                if (answer.value(u"cancelled"_s).toBool())
                    throw Cancelled();
                throw UserError(answer.value(u"error"_s).toString());
            } else {
                const QJsonArray progressed = answer.value(u"progress"_s).toArray();
                done = qint64(progressed.at(0).toDouble());
                total = qint64(progressed.at(1).toDouble());
            }
        }
        if (dead)
            throw died();
        if (cancelSent && !answers.empty())
            sinceCancel.restart(); // still reporting: winding down (a distillation keeps and measures its student)
        // Asked every round, not only on the host's reports: a model load gives none, and cancel must work there too.
        const bool goOn = cancelSent || reportProgress(progress, done, total);
        lock.lock();
        if (!goOn) {
            cancelSent = true;
            sinceCancel.start();
            if (!sendLine(*p, {{u"op"_s, u"cancel"_s}, {u"id"_s, double(id)}}))
                throw died();
        } else if (cancelSent && sinceCancel.elapsed() > 10000) {
            // Silent for 10 s after a cancel: a batch that never ends. Stop the host rather than keep the window
            // waiting; its other requests fail.
            kill(p->pid, SIGKILL);
            throw Cancelled();
        }
    }
}

} // namespace compresslab
