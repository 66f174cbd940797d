#pragma once
// The window's side of the model host (host/ModelHostServer.h): starts `compresslab-cli host` on first
// use and passes it requests. Requests from several threads run at once in the host (the live point does
// not wait for a long sensitivity analysis), each caller waiting for its own answer. If the host dies (a
// hostile model, the memory limit), every waiting request fails with the launcher's reason and the next
// request starts a new host.
#include "common/Progress.h"

#include <QJsonObject>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace compresslab {

class ModelHostClient {
public:
    // `program`: the CLI launcher; by default compresslab-cli next to this program.
    explicit ModelHostClient(QString program = QString());
    ~ModelHostClient(); // closes the host's input (it stops its requests after their current batch), then reaps it

    ModelHostClient(const ModelHostClient &) = delete;
    ModelHostClient &operator=(const ModelHostClient &) = delete;

    // Intermediate results some requests send (a sweep's rows), in order, on the calling thread.
    using EventCallback = std::function<void(const QJsonObject &event)>;

    // Sends `request` (an "id" is added) and returns its "result". Throws UserError with the host's message
    // or, when the host died, why; Cancelled when `progress` returned false and the host stopped.
    QJsonObject call(QJsonObject request, const ProgressCallback &progress = {}, const EventCallback &events = {});

    // A request's common part: the operation, the model file, and whether the user accepted NaN/Inf weights in it.
    static QJsonObject request(const QString &op, const QString &modelPath);

    // The launcher's process id while a host runs, else 0 (tests kill its worker to check the recovery).
    qint64 processId() const { return m_pid; }

private:
    struct Process;
    std::shared_ptr<Process> start();  // with m_mutex held
    void readAnswers(std::shared_ptr<Process> process); // the reader thread of one host
    bool sendLine(Process &p, const QJsonObject &o);
    QString m_program;
    std::mutex m_mutex; // the process, its mailboxes and its state
    std::condition_variable m_changed; // an answer arrived or the host died
    std::shared_ptr<Process> m_process;
    std::atomic<qint64> m_pid{0};
    qint64 m_nextId = 0;
};

} // namespace compresslab
