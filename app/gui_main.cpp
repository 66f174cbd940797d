// compresslab: the desktop workbench. Everything lives in the widgets and core libraries.
#include "GuiLauncher.h"

int main(int argc, char **argv)
{
    return compresslab::runGui(argc, argv);
}
