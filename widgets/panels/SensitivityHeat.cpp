#include "panels/SensitivityHeat.h"

#include "analysis/Sensitivity.h"

#include <QCoreApplication>
#include <QLinearGradient>
#include <QPainter>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {
const QColor kLow(255, 255, 255), kMiddle(255, 165, 50), kHigh(205, 30, 30);

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}
} // namespace

double probeKl(const LayerSensitivity &layer, const QString &setting)
{
    for (const SensitivityProbe &p : layer.probes)
        if (p.setting == setting)
            return p.kl;
    return -1;
}

double probeDelta(const LayerSensitivity &layer, const QString &setting)
{
    for (const SensitivityProbe &p : layer.probes)
        if (p.setting == setting)
            return p.delta;
    return 0;
}

HeatScale HeatScale::of(const SensitivityResult &result, const QString &setting)
{
    HeatScale s;
    for (const LayerSensitivity &l : result.layers) {
        const double kl = probeKl(l, setting);
        if (kl <= 0)
            continue;
        s.low = s.low > 0 ? std::min(s.low, kl) : kl;
        s.high = std::max(s.high, kl);
    }
    return s;
}

double HeatScale::position(double kl) const
{
    if (kl <= 0 || high <= 0)
        return 0;
    if (high <= low)
        return 0.5; // one layer, or all alike: no ranking to show
    return std::clamp((std::log(kl) - std::log(low)) / (std::log(high) - std::log(low)), 0.0, 1.0);
}

QColor heatColour(double position)
{
    position = std::clamp(position, 0.0, 1.0);
    return position < 0.5 ? mix(kLow, kMiddle, position * 2) : mix(kMiddle, kHigh, (position - 0.5) * 2);
}

QColor heatTextColour(double position) { return position > 0.8 ? QColor(Qt::white) : QColor(Qt::black); }

QPixmap heatLegendPixmap(int width, int height)
{
    QPixmap pixmap(width, height);
    QPainter painter(&pixmap);
    QLinearGradient gradient(0, 0, width, 0);
    for (double t : {0.0, 0.25, 0.5, 0.75, 1.0})
        gradient.setColorAt(t, heatColour(t));
    painter.fillRect(pixmap.rect(), gradient);
    painter.setPen(QColor(120, 120, 120));
    painter.drawRect(pixmap.rect().adjusted(0, 0, -1, -1));
    return pixmap;
}

QString probeSettingText(const QString &setting)
{
    static const QRegularExpression bits(u"^int(\\d+)$"_s), prune(u"^prune ([\\d.]+)%$"_s);
    if (const auto m = bits.match(setting); m.hasMatch())
        return QCoreApplication::translate("SensitivityHeat", "%1 bits").arg(m.captured(1));
    if (const auto m = prune.match(setting); m.hasMatch())
        return QCoreApplication::translate("SensitivityHeat", "%1% pruned").arg(m.captured(1));
    return setting;
}

} // namespace compresslab
