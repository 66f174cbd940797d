#include "history/History.h"

#include "common/UserError.h"
#include "history/HistorySchema.h"
#include "history/Sqlite.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QThread>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QUrl>
#include <QUuid>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace compresslab::history {

namespace {

QString isoTime(const QDateTime &t) { return t.toUTC().toString(Qt::ISODateWithMs); }

QString compactJson(const QJsonObject &o) { return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)); }

// The identity of a running process: its pid plus its start time, so a reused pid is not taken for it.
QString processStartTime(qint64 pid)
{
    QFile f(u"/proc/%1/stat"_s.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray stat = f.readAll();
    // Field 22 (starttime) counts from the closing parenthesis of the command name, which may hold spaces.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 19 ? QString::fromLatin1(fields.at(19)) : QString();
}

bool writableLocation(const QString &path)
{
    const QFileInfo file(path);
    if (file.exists())
        return ::access(QFile::encodeName(path).constData(), W_OK) == 0
            && ::access(QFile::encodeName(file.absolutePath()).constData(), W_OK) == 0;
    QDir().mkpath(file.absolutePath());
    return ::access(QFile::encodeName(file.absolutePath()).constData(), W_OK) == 0;
}

} // namespace

QString History::defaultPath()
{
    const QString env = qEnvironmentVariable("COMPRESSLAB_HISTORY");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/CompressLab/history.sqlite"_s;
}

History::History(const QString &path, const OpenOptions &options) : m_path(QFileInfo(path).absoluteFilePath())
{
    open(options);
}

History::~History() = default;

void History::open(const OpenOptions &options)
{
    m_busyTimeoutMs = options.busyTimeoutMs;
    m_readOnly = options.readOnly;
    if (!m_readOnly && !writableLocation(m_path)) {
        if (!QFileInfo::exists(m_path))
            throw UserError(u"cannot create the history %1: its folder is not writable; choose another with --db or in Settings"_s.arg(m_path));
        m_readOnly = true;
        m_notices << u"%1 is read-only: it is shown, but new experiments are not recorded in it"_s.arg(m_path);
    }
    if (m_readOnly && !QFileInfo::exists(m_path))
        throw UserError(u"no history at %1"_s.arg(m_path));
    int applicationId = 0;
    QString check;
    try {
        m_db = std::make_unique<Connection>(m_path, m_readOnly);
        m_db->setBusyTimeout(m_busyTimeoutMs);
        // Only a damaged SQLite file is ever moved aside; anything else (a model given to --db by mistake) is left alone.
        if (const QByteArray header = m_db->fileHeader(16); !header.isEmpty() && !header.startsWith(QByteArrayView("SQLite format 3\0", 16))) {
            m_db.reset();
            throw UserError(u"%1 is not an SQLite database, so not a CompressLab history; choose another file with --db (if it is a history"
                            " damaged beyond recognition, rename it and a new one is started)"_s.arg(m_path));
        }
        try {
            applicationId = int(m_db->scalar("PRAGMA application_id").toLongLong());
        } catch (const SqliteError &e) {
            // A WAL database on read-only media has no -shm file to share; nobody can write there, so read it as immutable.
            if (!m_readOnly || e.isCorrupt())
                throw;
            const QString uri = QUrl::fromLocalFile(m_path).toString(QUrl::FullyEncoded) + u"?immutable=1"_s;
            m_db = std::make_unique<Connection>(uri, true, true);
            applicationId = int(m_db->scalar("PRAGMA application_id").toLongLong());
        }
        m_schemaVersion = int(m_db->scalar("PRAGMA user_version").toLongLong());
        check = m_db->scalar("PRAGMA quick_check").toString();
    } catch (const SqliteError &e) {
        if (!e.isCorrupt())
            throw UserError(u"cannot open the history %1: %2"_s.arg(m_path, e.message));
        check = e.message;
    }
    if (check != "ok"_L1) {
        if (m_readOnly)
            throw UserError(u"the history %1 is damaged (%2) and read-only, so it cannot be moved aside; copy it somewhere writable or choose another with --db"_s
                                .arg(m_path, check.left(200)));
        moveAside(check.left(200));
        open(options);
        return;
    }
    if (applicationId != kApplicationId) {
        qint64 tables = m_db->scalar("SELECT count(*) FROM sqlite_schema").toLongLong();
        if (!m_readOnly && tables > 0) {
            // Another connection may be creating this new history right now (two runs starting at once):
            // look again holding the write lock, which waits for its schema transaction to commit.
            try {
                Transaction look(*m_db);
                applicationId = int(m_db->scalar("PRAGMA application_id").toLongLong());
                m_schemaVersion = int(m_db->scalar("PRAGMA user_version").toLongLong());
                tables = m_db->scalar("SELECT count(*) FROM sqlite_schema").toLongLong();
            } catch (const SqliteError &e) {
                failWrite(e, u"open"_s);
            }
        }
        if (applicationId != kApplicationId && (applicationId != 0 || tables > 0))
            throw UserError(u"%1 is not a CompressLab history (it is another application's SQLite database); choose another file with --db"_s.arg(m_path));
    }
    if (m_schemaVersion > kSchemaVersion) {
        if (!m_readOnly) {
            m_db = std::make_unique<Connection>(m_path, true);
            m_readOnly = true;
        }
        m_notices << u"%1 was written by a newer CompressLab (history schema %2; this version knows %3): opened read-only, so it stays intact"_s
                         .arg(m_path).arg(m_schemaVersion).arg(kSchemaVersion);
    }
    m_db->exec("PRAGMA foreign_keys = ON");
    if (m_readOnly)
        return;
    // SQLite answers "busy" at once, without waiting, where waiting could deadlock (switching to WAL while
    // another connection creates the same new file, or upgrading a read lock): retry for the busy timeout.
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        try {
            // WAL: readers never wait for the writer, and a killed writer leaves a consistent file. NORMAL sync
            // keeps every committed transaction across a process crash; only a power cut can lose the last ones.
            m_db->exec("PRAGMA journal_mode = WAL");
            m_db->exec("PRAGMA synchronous = NORMAL");
            migrate(*m_db, m_schemaVersion);
            m_schemaVersion = kSchemaVersion;
            if (const int n = markInterrupted())
                m_notices << u"%1 experiment(s) ended without finishing (the app was closed, crashed or was killed): marked interrupted"_s.arg(n);
            return;
        } catch (const SqliteError &e) {
            if (!e.isBusy() || waited.elapsed() >= m_busyTimeoutMs)
                failWrite(e, u"prepare"_s);
            QThread::msleep(20);
        }
    }
}

void History::moveAside(const QString &reason)
{
    m_db.reset();
    const QString suffix = u".corrupt-"_s + QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s);
    const QString target = m_path + suffix;
    if (!QFile::rename(m_path, target))
        throw UserError(u"the history %1 is damaged (%2) and could not be moved aside to %3; move it yourself or choose another with --db"_s
                            .arg(m_path, reason, target));
    // The write-ahead log and shared memory belong to the damaged file; keep them with it for inspection.
    for (const QString &side : {u"-wal"_s, u"-shm"_s}) {
        if (QFile::exists(m_path + side))
            QFile::rename(m_path + side, target + side);
    }
    m_notices << u"the history %1 was damaged (%2): it was moved aside to %3 and a new history started"_s.arg(m_path, reason, target);
}

void History::requireWritable() const
{
    if (m_readOnly)
        throw UserError(u"the history %1 is open read-only: nothing can be recorded in it"_s.arg(m_path));
}

void History::failWrite(const std::exception &e, const QString &what) const
{
    if (const auto *user = dynamic_cast<const UserError *>(&e))
        throw *user;
    const auto *sql = dynamic_cast<const SqliteError *>(&e);
    const QString detail = sql ? sql->message : QString::fromUtf8(e.what());
    if (sql && sql->isBusy())
        throw UserError(u"could not %1 in the history %2: another process kept it locked for more than %3 s (%4); the history is unchanged"_s
                            .arg(what, m_path).arg(m_busyTimeoutMs / 1000.0).arg(detail));
    if (sql && sql->isFull())
        throw UserError(u"could not %1 in the history %2: the disk is full (%3); the history is unchanged"_s.arg(what, m_path, detail));
    if (sql && sql->isReadOnly())
        throw UserError(u"could not %1 in the history %2: it is read-only (%3)"_s.arg(what, m_path, detail));
    throw UserError(u"could not %1 in the history %2: %3"_s.arg(what, m_path, detail));
}

int History::markInterrupted()
{
    if (m_readOnly)
        return 0;
    QVector<qint64> gone;
    {
        Statement s(*m_db, "SELECT id, runner_pid, runner_start FROM experiments WHERE status = 'running'");
        while (s.step()) {
            const qint64 pid = s.integer(1);
            const bool alive = pid > 0 && !s.text(2).isEmpty() && processStartTime(pid) == s.text(2);
            if (!alive)
                gone.push_back(s.integer(0));
        }
    }
    if (gone.isEmpty())
        return 0;
    Transaction t(*m_db);
    Statement u(*m_db, "UPDATE experiments SET status = 'interrupted', failure = ?2 WHERE id = ?1 AND status = 'running'");
    for (qint64 id : gone)
        u.bind(1, id).bind(2, u"the process running it ended before it finished (closed, crashed or killed)"_s).run();
    t.commit();
    return int(gone.size());
}

qint64 History::modelId(const ModelRef &m)
{
    Statement find(*m_db, "SELECT id FROM models WHERE sha256 = ?1");
    if (find.bind(1, m.sha256).step())
        return find.integer(0);
    Statement ins(*m_db, "INSERT INTO models(sha256, name, path, parameters, bytes) VALUES(?1, ?2, ?3, ?4, ?5)");
    ins.bind(1, m.sha256).bind(2, m.name).bind(3, m.path).bind(4, m.parameters).bind(5, m.bytes).run();
    return m_db->lastInsertId();
}

qint64 History::datasetId(const DatasetRef &d)
{
    Statement find(*m_db, "SELECT id FROM datasets WHERE sha256 = ?1");
    if (find.bind(1, d.sha256).step())
        return find.integer(0);
    Statement ins(*m_db, "INSERT INTO datasets(sha256, name, path, samples) VALUES(?1, ?2, ?3, ?4)");
    ins.bind(1, d.sha256).bind(2, d.name).bind(3, d.path).bind(4, d.samples).run();
    return m_db->lastInsertId();
}

qint64 History::deviceId(const DeviceRef &d)
{
    // Keyed by the profile's content: an edited profile is a new row, the old experiments keep theirs.
    const QString profile = compactJson(d.profile);
    const QString hash = QString::fromLatin1(QCryptographicHash::hash((d.name + u'\n' + profile).toUtf8(), QCryptographicHash::Sha256).toHex());
    Statement find(*m_db, "SELECT id FROM devices WHERE sha256 = ?1");
    if (find.bind(1, hash).step())
        return find.integer(0);
    Statement ins(*m_db, "INSERT INTO devices(sha256, name, profile) VALUES(?1, ?2, ?3)");
    ins.bind(1, hash).bind(2, d.name).bind(3, profile).run();
    return m_db->lastInsertId();
}

qint64 History::insertExperiment(const ExperimentStart &s, Status status)
{
    if (s.model.sha256.isEmpty())
        throw UserError(u"an experiment needs its model's hash"_s);
    const qint64 model = modelId(s.model);
    const QVariant dataset = s.dataset ? QVariant(datasetId(*s.dataset)) : QVariant();
    const QString uuid = s.uuid.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : s.uuid;
    const QString methods = s.methods.isEmpty() ? QString() : u","_s + s.methods.join(u',') + u","_s;
    const qint64 pid = qint64(::getpid());
    Statement ins(*m_db, "INSERT INTO experiments(uuid, kind, status, model_id, dataset_id, config, summary, methods, seed, environment,"
                         " started_at, runner_pid, runner_start, rerun_of, notes) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    ins.bind(1, uuid).bind(2, s.kind).bind(3, statusName(status)).bind(4, model).bind(5, dataset).bind(6, compactJson(s.config))
        .bind(7, s.summary).bind(8, methods).bind(9, s.seed).bind(10, compactJson(s.environment))
        .bind(11, isoTime(s.started.isValid() ? s.started : QDateTime::currentDateTimeUtc()))
        .bind(12, status == Status::Running ? QVariant(pid) : QVariant())
        .bind(13, status == Status::Running ? QVariant(processStartTime(pid)) : QVariant())
        .bind(14, s.rerunOf > 0 ? QVariant(s.rerunOf) : QVariant()).bind(15, s.notes);
    ins.run();
    const qint64 id = m_db->lastInsertId();
    Statement tag(*m_db, "INSERT OR IGNORE INTO tags(experiment_id, tag) VALUES(?1, ?2)");
    for (const QString &t : s.tags)
        tag.bind(1, id).bind(2, t).run();
    return id;
}

void History::writeOutcome(qint64 id, const ExperimentOutcome &o)
{
    if (o.status == Status::Running)
        throw UserError(u"an experiment's outcome needs a final status"_s);
    QHash<QString, qint64> devices;
    for (const DeviceRef &d : o.devices)
        devices.insert(d.name, deviceId(d));
    Statement metric(*m_db, "INSERT INTO metrics(experiment_id, role, key, device_id, value, unit, higher_is_better, provenance, detail)"
                            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    for (const MetricValue &m : o.metrics) {
        if (!m.device.isEmpty() && !devices.contains(m.device))
            throw UserError(u"metric %1 names device '%2', whose profile was not given"_s.arg(m.key, m.device));
        if (m.provenance == Provenance::Estimated && m.device.isEmpty())
            throw UserError(u"estimated metric %1 needs the device profile it was estimated for"_s.arg(m.key));
        metric.bind(1, id).bind(2, m.role).bind(3, m.key).bind(4, m.device.isEmpty() ? QVariant() : QVariant(devices.value(m.device)))
            .bind(5, m.value).bind(6, m.unit).bind(7, qint64(m.higherIsBetter)).bind(8, provenanceName(m.provenance)).bind(9, m.detail).run();
    }
    Statement layer(*m_db, "INSERT INTO layers(experiment_id, idx, path, type, encoding, bits, sparsity, error, original_bytes, deployed_bytes, extra)"
                           " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    for (qsizetype i = 0; i < o.layers.size(); ++i) {
        const LayerResult &l = o.layers.at(i);
        layer.bind(1, id).bind(2, qint64(i)).bind(3, l.path).bind(4, l.type).bind(5, l.encoding).bind(6, l.bits).bind(7, l.sparsity)
            .bind(8, l.error).bind(9, l.originalBytes).bind(10, l.deployedBytes).bind(11, compactJson(l.extra)).run();
    }
    Statement curve(*m_db, "INSERT OR REPLACE INTO curves(experiment_id, curve, step, value) VALUES(?1, ?2, ?3, ?4)");
    for (const CurvePoint &c : o.curves)
        curve.bind(1, id).bind(2, c.curve).bind(3, c.step).bind(4, c.value).run();
    Statement artifact(*m_db, "INSERT INTO artifacts(experiment_id, path, format, bytes, sha256) VALUES(?1, ?2, ?3, ?4, ?5)");
    for (const Artifact &a : o.artifacts)
        artifact.bind(1, id).bind(2, a.path).bind(3, a.format).bind(4, a.bytes).bind(5, a.sha256).run();
    Statement done(*m_db, "UPDATE experiments SET status = ?2, failure = ?3, finished_at = ?4,"
                          " seconds = (julianday(?4) - julianday(started_at)) * 86400.0, reproduction = ?5,"
                          " runner_pid = NULL, runner_start = NULL WHERE id = ?1");
    done.bind(1, id).bind(2, statusName(o.status)).bind(3, o.failure)
        .bind(4, isoTime(o.finished.isValid() ? o.finished : QDateTime::currentDateTimeUtc())).bind(5, o.reproduction).run();
}

qint64 History::begin(const ExperimentStart &start)
{
    requireWritable();
    try {
        Transaction t(*m_db);
        const qint64 id = insertExperiment(start, Status::Running);
        t.commit();
        return id;
    } catch (const std::exception &e) {
        failWrite(e, u"start an experiment"_s);
    }
}

void History::finish(qint64 id, const ExperimentOutcome &outcome)
{
    requireWritable();
    try {
        Transaction t(*m_db);
        Statement s(*m_db, "SELECT status FROM experiments WHERE id = ?1");
        if (!s.bind(1, id).step())
            throw UserError(u"experiment %1 is not in the history"_s.arg(id));
        if (s.text(0) != "running"_L1)
            throw UserError(u"experiment %1 has already ended (%2)"_s.arg(id).arg(s.text(0)));
        writeOutcome(id, outcome);
        t.commit();
    } catch (const std::exception &e) {
        failWrite(e, u"record experiment %1"_s.arg(id));
    }
}

qint64 History::record(const Experiment &e)
{
    requireWritable();
    try {
        Transaction t(*m_db);
        const qint64 id = insertExperiment(e.start, e.outcome.status);
        writeOutcome(id, e.outcome);
        t.commit();
        return id;
    } catch (const std::exception &ex) {
        failWrite(ex, u"record an experiment"_s);
    }
}

void History::setNotes(qint64 id, const QString &notes)
{
    requireWritable();
    try {
        Transaction t(*m_db);
        Statement(*m_db, "UPDATE experiments SET notes = ?2 WHERE id = ?1").bind(1, id).bind(2, notes).run();
        t.commit();
    } catch (const std::exception &e) {
        failWrite(e, u"save the notes"_s);
    }
}

void History::setTags(qint64 id, const QStringList &tags)
{
    requireWritable();
    try {
        Transaction t(*m_db);
        Statement(*m_db, "DELETE FROM tags WHERE experiment_id = ?1").bind(1, id).run();
        Statement tag(*m_db, "INSERT OR IGNORE INTO tags(experiment_id, tag) VALUES(?1, ?2)");
        for (const QString &s : tags)
            tag.bind(1, id).bind(2, s.trimmed()).run();
        t.commit();
    } catch (const std::exception &e) {
        failWrite(e, u"save the tags"_s);
    }
}

void History::remove(qint64 id)
{
    requireWritable();
    try {
        Transaction t(*m_db);
        Statement(*m_db, "DELETE FROM experiments WHERE id = ?1").bind(1, id).run();
        t.commit();
    } catch (const std::exception &e) {
        failWrite(e, u"delete experiment %1"_s.arg(id));
    }
}

QString History::integrityCheck() const
{
    QStringList problems;
    Statement s(*m_db, "PRAGMA integrity_check");
    while (s.step())
        problems << s.text(0);
    return problems.join(u"; "_s);
}

} // namespace compresslab::history
