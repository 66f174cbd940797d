#pragma once
// One line for the user about an exception nobody anticipated (LibTorch, the standard library): never a
// crash, and an allocation failure says how much the model asked for. Shared by the CLI and the model host.
#include <QString>

#include <exception>

namespace compresslab {

QString unexpectedFailureText(const std::exception &e);

} // namespace compresslab
