#include "history/Sqlite.h"

#include <sqlite3.h>

#include <atomic>

using namespace Qt::StringLiterals;

namespace compresslab::history {

bool SqliteError::isBusy() const { return primaryCode() == SQLITE_BUSY || primaryCode() == SQLITE_LOCKED; }
bool SqliteError::isFull() const { return primaryCode() == SQLITE_FULL; }
bool SqliteError::isCorrupt() const { return primaryCode() == SQLITE_CORRUPT || primaryCode() == SQLITE_NOTADB; }
bool SqliteError::isReadOnly() const { return primaryCode() == SQLITE_READONLY; }

Connection::Connection(const QString &path, bool readOnly, bool uri)
{
    int flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX; // one connection per thread; the history object is not shared
    if (uri)
        flags |= SQLITE_OPEN_URI;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const QString msg = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw SqliteError(rc, msg);
    }
    sqlite3_extended_result_codes(m_db, 1);
}

Connection::~Connection()
{
    sqlite3_close_v2(m_db);
}

QByteArray Connection::fileHeader(int bytes)
{
    sqlite3_file *file = nullptr;
    if (sqlite3_file_control(m_db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file || !file->pMethods)
        return {};
    sqlite3_int64 size = 0;
    if (file->pMethods->xFileSize(file, &size) != SQLITE_OK || size <= 0)
        return {};
    QByteArray header(int(qMin<sqlite3_int64>(bytes, size)), '\0');
    if (file->pMethods->xRead(file, header.data(), int(header.size()), 0) != SQLITE_OK)
        return {};
    return header;
}

void Connection::fail(int rc, const char *what) const
{
    const int code = m_db ? sqlite3_extended_errcode(m_db) : rc;
    throw SqliteError(code ? code : rc, u"%1: %2"_s.arg(QString::fromUtf8(what), QString::fromUtf8(m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc))));
}

void Connection::exec(const char *sql)
{
    char *err = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        const QString msg = QString::fromUtf8(err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
        throw SqliteError(sqlite3_extended_errcode(m_db), msg);
    }
}

QVariant Connection::scalar(const char *sql)
{
    Statement s(*this, sql);
    return s.step() ? s.value(0) : QVariant();
}

Statement Connection::prepare(const char *sql) { return Statement(*this, sql); }
qint64 Connection::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
bool Connection::readOnly() const { return sqlite3_db_readonly(m_db, "main") == 1; }
bool Connection::inTransaction() const { return sqlite3_get_autocommit(m_db) == 0; }
void Connection::setBusyTimeout(int ms) { sqlite3_busy_timeout(m_db, ms); }

Statement::Statement(Connection &db, const char *sql) : m_db(&db)
{
    const int rc = sqlite3_prepare_v2(db.handle(), sql, -1, &m_stmt, nullptr);
    if (rc != SQLITE_OK)
        db.fail(rc, sql);
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement &Statement::bind(int index, const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        sqlite3_bind_null(m_stmt, index);
    else if (value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Float)
        bind(index, value.toDouble());
    else if (value.typeId() == QMetaType::QString)
        bind(index, value.toString());
    else
        bind(index, value.toLongLong());
    return *this;
}

Statement &Statement::bind(int index, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    sqlite3_reset(m_stmt);
    m_db->fail(rc, sqlite3_sql(m_stmt));
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

qint64 Statement::integer(int column) const { return sqlite3_column_int64(m_stmt, column); }
double Statement::real(int column) const { return sqlite3_column_double(m_stmt, column); }
bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

QString Statement::text(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return p ? QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, column)) : QString();
}

QVariant Statement::value(int column) const
{
    switch (sqlite3_column_type(m_stmt, column)) {
    case SQLITE_INTEGER: return integer(column);
    case SQLITE_FLOAT: return real(column);
    case SQLITE_NULL: return {};
    default: return text(column);
    }
}

Transaction::Transaction(Connection &db) : m_db(db)
{
    static std::atomic<int> counter{0}; // histories may live on different threads (the window opens one on a worker)
    if (db.inTransaction()) {
        m_savepoint = "sp" + QByteArray::number(++counter);
        db.exec(("SAVEPOINT " + m_savepoint).constData());
    } else {
        // IMMEDIATE takes the write lock now, so the busy timeout applies here and not mid-transaction.
        db.exec("BEGIN IMMEDIATE");
    }
}

Transaction::~Transaction()
{
    if (m_done)
        return;
    try {
        if (m_savepoint.isEmpty())
            m_db.exec("ROLLBACK");
        else
            m_db.exec(("ROLLBACK TO " + m_savepoint + "; RELEASE " + m_savepoint).constData());
    } catch (const SqliteError &) {
        // A failed COMMIT or an I/O error may already have ended the transaction; nothing is left to undo.
    }
}

void Transaction::commit()
{
    m_db.exec(m_savepoint.isEmpty() ? "COMMIT" : ("RELEASE " + m_savepoint).constData());
    m_done = true;
}

} // namespace compresslab::history
