// compresslab: the desktop workbench. Everything lives in the widgets and core libraries.
#include "GuiLauncher.h"
#include "runtime/ProcessSetup.h"

int main(int argc, char **argv)
{
    compresslab::ensureShortThreadWaiting(argv);
    return compresslab::runGui(argc, argv);
}
