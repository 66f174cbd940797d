// A separate process that writes to or locks a history, for the crash and lock tests:
//   history_writer write DB    record experiments forever; print "ACK <uuid>" after each commit
//   history_writer lock DB     hold the write lock until stdin closes; print "LOCKED" once it is held
//   history_writer begin DB    start one experiment and wait, alive, until stdin closes; print "RUNNING <id>"
#include "HistorySamples.h"
#include "history/History.h"

#include <QCoreApplication>
#include <QTextStream>

#include <sqlite3.h>

#include <cstdio>
#include <iostream>

using namespace compresslab;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 3)
        return 1;
    const QString mode = QString::fromLocal8Bit(argv[1]);
    const QString path = QString::fromLocal8Bit(argv[2]);
    if (mode == QLatin1String("lock")) {
        sqlite3 *db = nullptr;
        if (sqlite3_open(argv[2], &db) != SQLITE_OK || sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
            return 2;
        std::printf("LOCKED\n");
        std::fflush(stdout);
        std::string line;
        while (std::getline(std::cin, line)) {
        }
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(db);
        return 0;
    }
    try {
        history::History h(path);
        QRandomGenerator rng(quint32(QCoreApplication::applicationPid()));
        if (mode == QLatin1String("begin")) {
            const qint64 id = h.begin(testing::sampleStart(0, rng));
            std::printf("RUNNING %lld\n", static_cast<long long>(id));
            std::fflush(stdout);
            std::string line;
            while (std::getline(std::cin, line)) {
            }
            return 0;
        }
        for (int i = 0;; ++i) {
            history::ExperimentStart start = testing::sampleStart(i, rng);
            const qint64 id = h.begin(start);
            h.finish(id, testing::sampleOutcome(200, rng));
            std::printf("ACK %lld\n", static_cast<long long>(id));
            std::fflush(stdout);
        }
    } catch (const std::exception &e) {
        std::fprintf(stderr, "history_writer: %s\n", e.what());
        return 2;
    }
}
