#pragma once
// How a measured sensitivity becomes a colour: the layer's KL divergence at the reference probe (int4), placed
// on a log scale between the model's least and most sensitive layer, painted white → orange → red. The tree,
// its legend and the per-layer chart share these so that one colour means one thing everywhere.
#include <QColor>
#include <QPixmap>
#include <QString>

namespace compresslab {

struct SensitivityResult;
struct LayerSensitivity;

// The KL of `layer` at `setting`; -1 when the layer has no such probe.
double probeKl(const LayerSensitivity &layer, const QString &setting);
double probeDelta(const LayerSensitivity &layer, const QString &setting);

// The log-scale span of the positive KL values at `setting` over all layers.
struct HeatScale {
    double low = 0, high = 0; // 0, 0: nothing to scale
    static HeatScale of(const SensitivityResult &result, const QString &setting);
    double position(double kl) const; // 0 (least sensitive) .. 1 (most sensitive)
};

QColor heatColour(double position); // white (0), orange (0.5), red (1)
QColor heatTextColour(double position); // black on light, white on dark red
QPixmap heatLegendPixmap(int width, int height);

// "int4" → "4 bits", "prune 50%" → "50% pruned", in the window's language.
QString probeSettingText(const QString &setting);

} // namespace compresslab
