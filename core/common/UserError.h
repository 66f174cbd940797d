#pragma once
// An error whose message is written for the user: what went wrong and, where we know it, how to fix it.
// Core code throws it; the CLI prints it to stderr (exit code 2) and the GUI shows it in a dialog.
#include <QString>
#include <stdexcept>

namespace compresslab {

class UserError : public std::runtime_error {
public:
    explicit UserError(const QString &message)
        : std::runtime_error(message.toStdString()), m_message(message) {}
    const QString &message() const { return m_message; }

private:
    QString m_message;
};

// Raised when a progress callback asked to stop; not an error for the user, just an early end.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

} // namespace compresslab
