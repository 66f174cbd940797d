#pragma once
// The compression method options shared by compress, estimate and fit: --config FILE, or flags such as
// --bits 4 --granularity group, turned into the same JSON a configuration file holds.
#include "CliCommon.h"

#include "compress/CompressionConfig.h"

#include <optional>

namespace compresslab::cli {

void addMethodOptions(QCommandLineParser &parser);
// Sets `config` from --config or the flags. Returns -1 to continue, or the exit code for a usage error
// (both given, or, when `required`, neither). Invalid configurations throw UserError.
int configFromOptions(const QCommandLineParser &parser, const QString &command, bool required, Io &io,
                      std::optional<CompressionConfig> &config);

} // namespace compresslab::cli
