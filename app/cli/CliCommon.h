#pragma once
// Shared plumbing of the compresslab-cli commands: argument parsing, output, exit codes.
#include "common/UserError.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>
#include <QVector>

#include <memory>

namespace compresslab {
struct RecordedRun;
struct ExportedFile;
struct DeviceProfile;
namespace history {
class History;
}
} // namespace compresslab

namespace compresslab::cli {

// Exit codes, documented in docs/cli.md.
enum ExitCode { ExitOk = 0, ExitUsage = 1, ExitFailed = 2, ExitCancelled = 130 };

struct Io {
    QTextStream out{stdout};
    QTextStream err{stderr};
};

// A parser preset for one subcommand: "compresslab-cli NAME ..." with --help and --json.
void setUpParser(QCommandLineParser &parser, const QString &command, const QString &description);
QCommandLineOption jsonOption();

// Parses `args` (args[0] is the subcommand); prints usage errors or --help itself.
// Returns -1 to continue, or the exit code to return.
int parseOrExit(QCommandLineParser &parser, const QStringList &args, Io &io, int minPositional, int maxPositional);

void printJson(Io &io, const QJsonObject &o);
// Parses a positive integer option; prints the error and returns false when it is not one.
bool intOption(const QCommandLineParser &p, const QString &name, qint64 minimum, qint64 *value, Io &io);

// A comma-separated list of numbers ("2,3,4"), or a UserError naming the option and the bad part.
template <typename T>
QVector<T> numberList(const QString &text, const QString &option)
{
    QVector<T> out;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = part.trimmed().toDouble(&ok);
        if (!ok)
            throw UserError(QStringLiteral("--%1: '%2' is not a number").arg(option, part));
        out.push_back(T(v));
    }
    return out;
}

// The history options: --db FILE, and for commands that record a run, --no-history.
void addHistoryOptions(QCommandLineParser &parser, bool recording);
// Opens the history --db names (else the default one); nullptr with --no-history. Notices go to stderr.
std::unique_ptr<history::History> openHistory(const QCommandLineParser &parser, Io &io, bool recording);
// "recorded as experiment 12 in FILE", or why it was not, on stderr (stdout may be JSON).
void printRecorded(Io &io, const RecordedRun &recorded, const history::History *history);

// --device NAME (repeatable) and --all-devices, shared by compress and estimate.
void addDeviceOptions(QCommandLineParser &parser);
// The profiles those options name (empty when neither is given); catalog problems go to stderr.
QVector<DeviceProfile> selectedDevices(const QCommandLineParser &parser, Io &io);

// The exports of a run as JSON (path, format, sizes), and report.json written atomically into `outDir`.
QJsonArray exportsJson(const QVector<ExportedFile> &exports);
void writeReport(const QString &outDir, const QJsonObject &json);

// Ctrl-C while this lives asks the running job to stop after its current batch (a second Ctrl-C kills).
class InterruptRequest {
public:
    InterruptRequest();
    ~InterruptRequest();
    bool requested() const;
};

// Progress on stderr when it is a terminal (a carriage-return line), silent otherwise.
class StderrProgress {
public:
    explicit StderrProgress(const QString &label);
    bool operator()(qint64 done, qint64 total);
    void finish();

private:
    QString m_label;
    bool m_tty = false;
    qint64 m_lastMs = -1000;
};

} // namespace compresslab::cli
