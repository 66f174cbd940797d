#pragma once
// Reading typed fields out of a configuration object: each fault becomes a UserError that names the key,
// the allowed range or values, and what the configuration is ("invalid compression configuration: ...").
#include <QJsonObject>
#include <QStringList>

namespace compresslab {

class JsonFields {
public:
    explicit JsonFields(QString errorPrefix) : m_prefix(std::move(errorPrefix)) {}

    [[noreturn]] void bad(const QString &what) const;
    // Refuses keys not in `keys`; `where` names the enclosing section (empty at the top level).
    void allowOnly(const QJsonObject &o, const QString &where, const QStringList &keys) const;
    QJsonObject section(const QJsonObject &o, const QString &key) const;
    double number(const QJsonObject &o, const QString &where, const QString &key, double fallback, double lo, double hi) const;
    int integer(const QJsonObject &o, const QString &where, const QString &key, int fallback, int lo, int hi) const;
    QString text(const QJsonObject &o, const QString &where, const QString &key, const QString &fallback, const QStringList &allowed) const;
    bool boolean(const QJsonObject &o, const QString &where, const QString &key, bool fallback) const;

private:
    QString m_prefix;
};

} // namespace compresslab
