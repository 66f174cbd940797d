#include "CoreText.h"

#include "runtime/RuntimeInfo.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// The same texts as core/eval/MetricAccumulator.cpp and core/device/Estimator.cpp, marked for lupdate.
const char *const kContext = "CoreText";
const char *const kKnown[] = {
    QT_TRANSLATE_NOOP("CoreText", "Accuracy"),
    QT_TRANSLATE_NOOP("CoreText", "Top-5 accuracy"),
    QT_TRANSLATE_NOOP("CoreText", "Perplexity"),
    QT_TRANSLATE_NOOP("CoreText", "Cross-entropy"),
    QT_TRANSLATE_NOOP("CoreText", "Next-token accuracy"),
    QT_TRANSLATE_NOOP("CoreText", "(other operators)"),
    // Metric keys, as the history names them (core/eval/MetricAccumulator.cpp).
    QT_TRANSLATE_NOOP("CoreText", "accuracy"),
    QT_TRANSLATE_NOOP("CoreText", "top5_accuracy"),
    QT_TRANSLATE_NOOP("CoreText", "perplexity"),
    QT_TRANSLATE_NOOP("CoreText", "loss"),
    QT_TRANSLATE_NOOP("CoreText", "token_accuracy"),
    QT_TRANSLATE_NOOP("CoreText", "as CompressLab runs it here: Linear layers on int8 kernels (quantized::linear_dynamic), the rest fp32"),
    QT_TRANSLATE_NOOP("CoreText", "as CompressLab runs it here: compressed weights dequantized to fp32"),
};

QString known(const QString &text)
{
    for (const char *k : kKnown) {
        if (text == QLatin1StringView(k))
            return QCoreApplication::translate(kContext, k);
    }
    return text;
}

} // namespace

QString displayMetric(const QString &labelOrKey) { return known(labelOrKey); }

QString displayLayerKey(const QString &coreKey)
{
    // Only the one fixed key: a layer could be named like a metric.
    return coreKey == "(other operators)"_L1 ? QCoreApplication::translate("CoreText", "(other operators)") : coreKey;
}

QString displayRuntime(const RuntimeInfo &r)
{
    return QCoreApplication::translate("CoreText", "%n thread(s), %1, int8 engine %2, LibTorch %3, OpenMP waiting %4, allocator: %5", nullptr, r.threads)
        .arg(r.blas, r.quantizedEngine, r.torchVersion, r.ompWaitPolicy, r.allocator.isEmpty() ? QCoreApplication::translate("CoreText", "not recorded") : r.allocator);
}

QString displayDeployment(const QString &coreText)
{
    // The native form names the device's kernels at its end: "... with kernels (fp32, int8)".
    const auto nativePrefix = "native kernels: packed weights read as stored, computed in the narrowest precision with kernels ("_L1;
    if (coreText.startsWith(nativePrefix) && coreText.endsWith(u')'))
        return QCoreApplication::translate("CoreText", "native kernels: packed weights read as stored, computed in the narrowest "
                                                     "precision with kernels (%1)")
            .arg(coreText.mid(nativePrefix.size()).chopped(1));
    return known(coreText);
}

} // namespace compresslab
