#pragma once
// A compression configuration written inline as JSON, the way users write them, for tests.
#include "compress/CompressionConfig.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace testsupport {

inline compresslab::CompressionConfig config(const char *json)
{
    return compresslab::parseCompressionConfig(QJsonDocument::fromJson(QByteArray(json)).object());
}

} // namespace testsupport
