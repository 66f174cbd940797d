#include "CliCommon.h"
#include "Commands.h"

#include "host/ModelHostServer.h"

using namespace Qt::StringLiterals;

namespace compresslab::cli {

int runHost(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"host"_s,
                u"Run models for the compresslab window: JSON requests on stdin, answers on stdout "
                u"(core/host/HostProtocol.md). The window starts this itself."_s);
    if (int rc = parseOrExit(p, args, io, 0, 0); rc >= 0)
        return rc;
    io.out.flush(); // the protocol owns stdout from here on
    return serveModelHost(stdin, stdout);
}

} // namespace compresslab::cli
