#pragma once
// The window's side of the model host (host/ModelHostServer.h): starts `compresslab-cli host` on first
// use, sends one request at a time and waits for its answer. If the host dies (a hostile model, the
// memory limit), the request fails with the launcher's reason and the next request starts a new host.
// Thread-safe: jobs on several threads take turns.
#include "common/Progress.h"

#include <QJsonObject>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>

namespace compresslab {

class ModelHostClient {
public:
    // `program`: the CLI launcher; by default compresslab-cli next to this program.
    explicit ModelHostClient(QString program = QString());
    ~ModelHostClient(); // closes the host's input (it ends after its current batch), then reaps it

    ModelHostClient(const ModelHostClient &) = delete;
    ModelHostClient &operator=(const ModelHostClient &) = delete;

    // Sends `request` (an "id" is added) and returns its "result". Throws UserError with the host's message
    // or, when the host died, why; Cancelled when `progress` returned false and the host stopped.
    QJsonObject call(QJsonObject request, const ProgressCallback &progress = {});

    // The launcher's process id while a host runs, else 0 (tests kill its worker to check the recovery).
    qint64 processId() const { return m_pid; }

private:
    struct Process;
    void start();
    QString reap(); // waits for the dead host and returns the reason it gave
    QString m_program;
    std::mutex m_mutex; // one request at a time
    std::unique_ptr<Process> m_process;
    std::atomic<qint64> m_pid{0}; // readable while a request holds the mutex
    qint64 m_nextId = 0;
};

} // namespace compresslab
