#include "CliCommon.h"

#include "common/AtomicFile.h"
#include "common/UserError.h"
#include "device/DeviceCatalog.h"
#include "experiment/CompressionRun.h"
#include "experiment/RecordedRun.h"
#include "history/History.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>

#include <atomic>
#include <csignal>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace compresslab::cli {

void addHistoryOptions(QCommandLineParser &parser, bool recording)
{
    parser.addOption({u"db"_s, u"The experiment history to use (default: %1)."_s.arg(history::History::defaultPath()), u"FILE"_s});
    if (recording)
        parser.addOption({u"no-history"_s, u"Do not record this run in the experiment history."_s});
}

std::unique_ptr<history::History> openHistory(const QCommandLineParser &parser, Io &io, bool recording)
{
    if (recording && parser.isSet(u"no-history"_s))
        return nullptr;
    auto h = std::make_unique<history::History>(parser.isSet(u"db"_s) ? parser.value(u"db"_s) : history::History::defaultPath());
    for (const QString &n : h->notices())
        io.err << "compresslab-cli: history: " << n << "\n";
    io.err.flush();
    return h;
}

void printRecorded(Io &io, const RecordedRun &recorded, const history::History *history)
{
    if (recorded.experimentId)
        io.err << "recorded as experiment " << recorded.experimentId << " in " << history->path() << "\n";
    if (!recorded.historyProblem.isEmpty())
        io.err << "compresslab-cli: not recorded in the history: " << recorded.historyProblem << "\n";
    io.err.flush();
}

void addDeviceOptions(QCommandLineParser &parser)
{
    parser.addOptions({{u"device"_s, u"Estimate latency, memory and energy on this device profile (see 'devices list'); repeatable."_s, u"NAME"_s},
                       {u"all-devices"_s, u"Estimate on every known device profile."_s}});
}

QVector<DeviceProfile> selectedDevices(const QCommandLineParser &parser, Io &io)
{
    if (!parser.isSet(u"device"_s) && !parser.isSet(u"all-devices"_s))
        return {};
    const DeviceCatalog catalog = DeviceCatalog::load();
    for (const QString &problem : catalog.problems())
        io.err << "compresslab-cli: devices: " << problem << "\n";
    QVector<DeviceProfile> devices;
    if (parser.isSet(u"all-devices"_s))
        devices = catalog.profiles();
    for (const QString &name : parser.values(u"device"_s))
        devices.push_back(catalog.find(name));
    return devices;
}

QCommandLineOption jsonOption()
{
    return {u"json"_s, u"Print one JSON object on stdout instead of text."_s};
}

void setUpParser(QCommandLineParser &parser, const QString &command, const QString &description)
{
    parser.setApplicationDescription(description);
    parser.addHelpOption();
    parser.addPositionalArgument(command, u"The command."_s, command);
}

int parseOrExit(QCommandLineParser &parser, const QStringList &args, Io &io, int minPositional, int maxPositional)
{
    QStringList full = args;
    full.prepend(u"compresslab-cli"_s);
    if (!parser.parse(full)) {
        io.err << "compresslab-cli: " << parser.errorText() << "\n";
        return ExitUsage;
    }
    if (parser.isSet(u"help"_s)) {
        io.out << parser.helpText();
        return ExitOk;
    }
    const qsizetype positional = parser.positionalArguments().size() - 1; // minus the command itself
    if (positional < minPositional || positional > maxPositional) {
        io.err << "compresslab-cli " << args.value(0) << ": expected " << minPositional
               << (maxPositional > minPositional ? u"+"_s : QString()) << " argument(s), got " << positional
               << " (see --help)\n";
        return ExitUsage;
    }
    return -1;
}

void printJson(Io &io, const QJsonObject &o)
{
    io.out << QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
    io.out.flush();
}

bool intOption(const QCommandLineParser &p, const QString &name, qint64 minimum, qint64 *value, Io &io)
{
    if (!p.isSet(name))
        return true;
    bool ok = false;
    const qint64 v = p.value(name).toLongLong(&ok);
    if (!ok || v < minimum) {
        io.err << "compresslab-cli: --" << name << " must be a whole number of at least " << minimum << ", not '"
               << p.value(name) << "'\n";
        return false;
    }
    *value = v;
    return true;
}

StderrProgress::StderrProgress(const QString &label) : m_label(label), m_tty(isatty(STDERR_FILENO) == 1) {}

bool StderrProgress::operator()(qint64 done, qint64 total)
{
    if (!m_tty)
        return true;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_lastMs < 100 && done < total)
        return true;
    m_lastMs = now;
    QTextStream err(stderr);
    err << "\r" << m_label << " " << done << "/" << total << Qt::flush;
    return true;
}

void StderrProgress::finish()
{
    if (m_tty)
        QTextStream(stderr) << "\r\x1b[K" << Qt::flush;
}

QJsonArray exportsJson(const QVector<ExportedFile> &exports)
{
    QJsonArray out;
    for (const ExportedFile &e : exports) {
        QJsonObject o{{u"path"_s, e.path}, {u"format"_s, e.format}, {u"file_bytes"_s, double(e.fileBytes)}};
        if (e.accountedBytes > 0) {
            o.insert(u"accounted_bytes"_s, double(e.accountedBytes));
            o.insert(u"header_bytes"_s, double(e.headerBytes));
        }
        out.push_back(o);
    }
    return out;
}

void writeReport(const QString &outDir, const QJsonObject &json)
{
    const QString reportPath = outDir + u"/report.json"_s;
    writeAtomically(reportPath, [&](const QString &temp) {
        QFile f(temp);
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0)
            throw UserError(u"cannot write %1: %2"_s.arg(reportPath, f.errorString()));
    });
}

namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void onInterrupt(int)
{
    g_interrupted = true;
    std::signal(SIGINT, SIG_DFL); // the second Ctrl-C ends the process
}
} // namespace

InterruptRequest::InterruptRequest()
{
    g_interrupted = false;
    std::signal(SIGINT, onInterrupt);
}

InterruptRequest::~InterruptRequest() { std::signal(SIGINT, SIG_DFL); }

bool InterruptRequest::requested() const { return g_interrupted; }

} // namespace compresslab::cli
