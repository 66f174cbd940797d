// compresslab-cli: the headless interface. All logic lives in app/cli and core.
#include "cli/Commands.h"
#include "runtime/ProcessSetup.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    compresslab::ensureShortThreadWaiting(argv);
    compresslab::keepFreedMemoryForReuse();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("compresslab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(COMPRESSLAB_VERSION));
    return compresslab::cli::runCli(QCoreApplication::arguments().mid(1));
}
