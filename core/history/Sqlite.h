#pragma once
// A thin RAII layer over the sqlite3 C API, private to the history module: one connection, prepared
// statements, and transactions that nest (BEGIN IMMEDIATE outside, SAVEPOINT inside). Every failure
// becomes a SqliteError carrying SQLite's extended code, so callers can tell "busy" from "full".
#include <QByteArray>
#include <QString>
#include <QVariant>

#include <stdexcept>

struct sqlite3;
struct sqlite3_stmt;

namespace compresslab::history {

class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, const QString &message) : std::runtime_error(message.toStdString()), code(code), message(message) {}
    int primaryCode() const { return code & 0xff; }
    bool isBusy() const;    // another connection holds the lock past the busy timeout
    bool isFull() const;    // disk (or the page limit) full
    bool isCorrupt() const; // not a database, or a damaged one
    bool isReadOnly() const;
    int code;
    QString message;
};

class Statement;

class Connection {
public:
    // Opens `path` (a file name, or a "file:" URI when `uri`); throws SqliteError.
    Connection(const QString &path, bool readOnly, bool uri = false);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    void exec(const char *sql);
    QVariant scalar(const char *sql);
    Statement prepare(const char *sql);
    qint64 lastInsertId() const;
    bool readOnly() const;
    bool inTransaction() const;
    void setBusyTimeout(int ms);
    // The file's first `bytes` bytes, read through SQLite's own file handle (empty for a new, empty file). A
    // QFile opened and closed on the same file would drop every POSIX lock this process holds on it, including
    // other connections' (fcntl locks belong to the process), and another process could then checkpoint the
    // WAL under them: the next reader here finds the file "malformed".
    QByteArray fileHeader(int bytes);
    [[noreturn]] void fail(int rc, const char *what) const;
    sqlite3 *handle() const { return m_db; }

private:
    sqlite3 *m_db = nullptr;
};

class Statement {
public:
    Statement(Connection &db, const char *sql);
    ~Statement();
    Statement(Statement &&o) noexcept : m_db(o.m_db), m_stmt(o.m_stmt) { o.m_stmt = nullptr; }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    // Binds 1-based parameters; a null QVariant binds NULL.
    Statement &bind(int index, const QVariant &value);
    Statement &bind(int index, const QString &value);
    Statement &bind(int index, qint64 value);
    Statement &bind(int index, double value);
    bool step();    // true while a row is available
    void run();     // steps a statement that returns no rows, then resets it for reuse
    void reset();
    qint64 integer(int column) const;
    double real(int column) const;
    QString text(int column) const;
    QVariant value(int column) const; // NULL → invalid QVariant
    bool isNull(int column) const;

private:
    Connection *m_db;
    sqlite3_stmt *m_stmt = nullptr;
};

// Commits on commit(), rolls back in the destructor otherwise; nests by savepoints.
class Transaction {
public:
    explicit Transaction(Connection &db);
    ~Transaction();
    void commit();

private:
    Connection &m_db;
    QByteArray m_savepoint; // empty for the outermost transaction
    bool m_done = false;
};

} // namespace compresslab::history
