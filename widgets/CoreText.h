#pragma once
// The window's German for texts the core writes in English. The core keeps English on purpose: its texts go
// into the CLI's output and into the history file, which must read the same whatever the window's language.
// The window translates them only where it shows them; a text it does not know is shown as it is.
#include <QString>

namespace compresslab {

struct RuntimeInfo;

// A metric in the user's language, from the core's label ("Accuracy", "Perplexity") or the history's key
// ("accuracy", "perplexity"): both are in the same table of known terms.
QString displayMetric(const QString &labelOrKey);
QString displayDeployment(const QString &coreText);    // DeviceEstimate::deployment
QString displayLayerKey(const QString &coreKey);       // a layer path, or "(other operators)"
QString displayRuntime(const RuntimeInfo &runtime);     // RuntimeInfo::describe(), in the window's language

} // namespace compresslab
