#pragma once
// The experiment history: one SQLite file that every evaluated configuration lands in. Opening it checks
// and repairs what it safely can (see docs/history.md); every write is one transaction, so a crash loses
// at most the experiment in flight. All SQL of the product lives in this module.
#include "history/HistoryTypes.h"

#include <memory>

namespace compresslab::history {

class Connection;

struct OpenOptions {
    bool readOnly = false;     // never write, even where the file is writable
    int busyTimeoutMs = 5000;  // how long a write waits for another process's lock before it gives up
};

class History {
public:
    // The default database: $COMPRESSLAB_HISTORY if set, else history.sqlite in the user's data directory.
    static QString defaultPath();

    // Opens or creates the history. A damaged file is moved aside and a new one started; a newer schema,
    // a read-only file or read-only media open read-only. notices() says what happened. Throws UserError
    // when the file cannot be used at all (e.g. it is another application's database).
    explicit History(const QString &path, const OpenOptions &options = {});
    ~History();
    History(const History &) = delete;
    History &operator=(const History &) = delete;

    QString path() const { return m_path; }
    bool isReadOnly() const { return m_readOnly; }
    QStringList notices() const { return m_notices; } // for the user: moved aside, read-only, interrupted runs
    int schemaVersion() const { return m_schemaVersion; }

    // Writing. Each call is one transaction; failures throw UserError and leave the history unchanged.
    qint64 begin(const ExperimentStart &start);               // status "running", committed at once
    void finish(qint64 id, const ExperimentOutcome &outcome); // results and final status together
    qint64 record(const Experiment &experiment);              // a finished experiment whole (import, merge)
    void setNotes(qint64 id, const QString &notes);
    void setTags(qint64 id, const QStringList &tags);
    void remove(qint64 id);
    // Marks experiments whose process is gone as interrupted; run when the history opens. Returns how many.
    int markInterrupted();

    // Reading.
    QVector<ExperimentSummary> list(const Filter &filter = {}) const;
    qint64 count(const Filter &filter = {}) const;
    Experiment experiment(qint64 id) const;          // throws UserError for an unknown id
    std::optional<qint64> findByUuid(const QString &uuid) const;
    QVector<Axis> axes() const;                      // every metric present, for axis pickers
    QStringList modelNames() const;                  // of the models with experiments, sorted, for filter pickers
    ParetoResult pareto(const Axis &x, const Axis &y, const Filter &filter = {}) const;
    // The experiment with the best `objective` among those meeting every constraint.
    std::optional<qint64> best(const Axis &objective, const QVector<Constraint> &constraints, const Filter &filter = {}) const;
    Comparison compare(const QVector<qint64> &ids) const;
    QString integrityCheck() const;                  // "ok", or what PRAGMA integrity_check found
    // The axis with its device named exactly as recorded (a unique prefix is accepted); UserError when ambiguous.
    Axis resolveAxis(const Axis &axis) const;

    // Adds every experiment of another history file that this one lacks (same uuid = same experiment).
    MergeResult merge(const QString &otherPath);

private:
    void open(const OpenOptions &options);
    void moveAside(const QString &reason);
    qint64 insertExperiment(const ExperimentStart &start, Status status);
    void writeOutcome(qint64 id, const ExperimentOutcome &outcome);
    qint64 modelId(const ModelRef &m);
    qint64 datasetId(const DatasetRef &d);
    qint64 deviceId(const DeviceRef &d);
    void requireWritable() const;
    [[noreturn]] void failWrite(const std::exception &e, const QString &what) const;

    QString m_path;
    std::unique_ptr<Connection> m_db;
    bool m_readOnly = false;
    int m_busyTimeoutMs = 5000;
    int m_schemaVersion = 0;
    QStringList m_notices;
};

} // namespace compresslab::history
