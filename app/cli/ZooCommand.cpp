#include "CliCommon.h"
#include "Commands.h"

#include "report/ToJson.h"
#include "zoo/Zoo.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace compresslab::cli {

int runZoo(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"zoo"_s, u"The demo models: list them, build (train) them, or print where one is cached."_s);
    p.addPositionalArgument(u"ACTION"_s, u"list | build [NAME...] | path NAME"_s);
    p.addOption(jsonOption());
    const QCommandLineOption force(u"force"_s, u"With build: retrain even if cached."_s);
    p.addOption(force);
    if (int rc = parseOrExit(p, args, io, 1, 4); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments().mid(1);
    const QString action = pos.at(0);
    const bool json = p.isSet(u"json"_s);

    if (action == "list"_L1) {
        const QVector<ZooEntry> all = zooEntries();
        if (json) {
            QJsonArray models;
            for (const ZooEntry &e : all)
                models.push_back(toJson(e));
            printJson(io, {{u"directory"_s, zooDirectory()}, {u"models"_s, models}});
            return ExitOk;
        }
        io.out << "demo models in " << zooDirectory() << "\n";
        for (const ZooEntry &e : all)
            io.out << u"  %1 %2 %3\n"_s.arg(e.name, -18).arg(e.built ? u"built"_s : u"not built"_s, -10).arg(e.description);
        return ExitOk;
    }
    if (action == "path"_L1) {
        if (pos.size() != 2) {
            io.err << "compresslab-cli zoo path: give one model name\n";
            return ExitUsage;
        }
        const ZooEntry e = zooEntry(pos.at(1));
        if (json)
            printJson(io, toJson(e));
        else
            io.out << e.dir << "\n";
        return e.built ? ExitOk : ExitFailed;
    }
    if (action == "build"_L1) {
        // Progress of the (minutes-long) training goes to stderr so --json stdout stays one object.
        buildZoo(pos.mid(1), p.isSet(force), [&io](const QString &line) { io.err << line << "\n" << Qt::flush; });
        if (json) {
            QJsonArray models;
            for (const ZooEntry &e : zooEntries())
                models.push_back(toJson(e));
            printJson(io, {{u"directory"_s, zooDirectory()}, {u"models"_s, models}});
        }
        return ExitOk;
    }
    io.err << "compresslab-cli zoo: unknown action '" << action << "' (list, build, path)\n";
    return ExitUsage;
}

} // namespace compresslab::cli
