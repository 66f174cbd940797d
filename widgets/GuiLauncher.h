#pragma once
// Start-up of the GUI: command line, first model, and the --screenshot mode used for the docs
// (open, optionally evaluate, grab the window to a PNG, quit).
#include <QStringList>

namespace compresslab {

int runGui(int &argc, char **argv);

} // namespace compresslab
