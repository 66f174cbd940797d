#pragma once
// Whether a recorded experiment can be re-run by setting the Compression controls to its configuration.
// The controls show one configuration family (docs/user-guide.md); anything else (a distillation, per-layer
// overrides, int8 kernels, a global pruning threshold, ...) is refused with the reason, never approximated.
#include "history/HistoryTypes.h"

#include <QCoreApplication>

namespace compresslab {

struct CompressionConfig;

class HistoryRerun {
    Q_DECLARE_TR_FUNCTIONS(HistoryRerun)
public:
    // Why `experiment` cannot be re-run in the window with the model at `openModelPath` open; empty when it can.
    static QString refusal(const history::Experiment &experiment, const QString &openModelPath);
    // Why the Compression controls cannot show `config` exactly; empty when they can.
    static QString controlsCannotShow(const CompressionConfig &config);
};

} // namespace compresslab
