#include "devices/DeviceChart.h"

#include "charts/ChartStyle.h"
#include "device/ModelEstimate.h"

#include <QEvent>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QCPBars *makeBars(QCPAxis *keys, QCPAxis *values, const QColor &line, const QColor &fill)
{
    auto *bars = new QCPBars(keys, values);
    bars->setPen(QPen(line, 1));
    bars->setBrush(fill);
    bars->setWidth(0.36);
    return bars;
}

// Whole decades around the data, so a log axis has labelled ticks at both ends; bars start at the lower end.
void setDecadeRange(QCPAxis *axis, std::initializer_list<QCPBars *> bars, double lo, double hi)
{
    const double from = std::pow(10, std::floor(std::log10(lo)));
    axis->setRange(from, std::pow(10, std::ceil(std::log10(hi * 1.05))));
    for (QCPBars *b : bars)
        b->setBaseValue(from);
}

void makeLogAxis(QCPAxis *axis)
{
    axis->setScaleType(QCPAxis::stLogarithmic);
    axis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    axis->setNumberFormat(u"gb"_s);
}

} // namespace

DeviceChart::DeviceChart(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    addChartTitle(m_plot, QString());
    QCPAxis *devices = m_plot->yAxis;
    devices->setRangeReversed(true); // first device at the top, as in the table
    devices->grid()->setVisible(false);
    devices->setTickLength(0, 0);
    makeLogAxis(m_plot->xAxis);
    makeLogAxis(m_plot->xAxis2);
    m_plot->xAxis2->setVisible(true);
    m_plot->xAxis2->grid()->setVisible(false); // the bottom axis's grid is enough; two grids would be noise
    m_pickedRow = new QCPItemRect(m_plot);
    m_pickedRow->topLeft->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_pickedRow->bottomRight->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_pickedRow->topLeft->setTypeY(QCPItemPosition::ptPlotCoords);
    m_pickedRow->bottomRight->setTypeY(QCPItemPosition::ptPlotCoords);
    m_pickedRow->setPen(Qt::NoPen);
    m_pickedRow->setBrush(QColor(240, 140, 40, 60));
    m_pickedRow->setLayer(u"background"_s);
    m_latency = makeBars(devices, m_plot->xAxis, QColor(40, 90, 160), QColor(70, 130, 200, 220));
    m_memory = makeBars(devices, m_plot->xAxis2, QColor(30, 120, 60), QColor(60, 170, 90, 220));
    m_tooBig = makeBars(devices, m_plot->xAxis2, QColor(170, 30, 20), QColor(220, 60, 40, 220));
    // Latency above memory within each device's row; a device's memory bar is either "fits" or "does not fit".
    auto *group = new QCPBarsGroup(m_plot);
    group->setSpacingType(QCPBarsGroup::stAbsolute);
    group->setSpacing(1);
    m_latency->setBarsGroup(group);
    m_memory->setBarsGroup(group);
    m_tooBig->setBarsGroup(group);
    m_limit = new QCPItemStraightLine(m_plot);
    for (QCPItemPosition *p : {m_limit->point1, m_limit->point2})
        p->setAxes(m_plot->xAxis2, devices);
    m_limit->point1->setCoords(100, 0);
    m_limit->point2->setCoords(100, 1);
    m_limit->setPen(QPen(QColor(170, 30, 20), 1.5, Qt::DashLine));
    placeLegendBelow(m_plot);
    enableChartExport(m_plot);
    setMinimumSize(320, 240);
    retranslateUi();
}

void DeviceChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void DeviceChart::retranslateUi()
{
    setChartTitle(m_plot, tr("Latency and memory per device (estimated)"));
    m_plot->xAxis->setLabel(tr("latency per inference, ms"));
    m_plot->xAxis2->setLabel(tr("memory, % of the device (dashed: 100 %)"));
    m_latency->setName(tr("latency (bottom axis)"));
    m_memory->setName(tr("memory, fits (top axis)"));
    m_tooBig->setName(tr("memory, does not fit"));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void DeviceChart::setEstimate(std::shared_ptr<const ModelEstimate> estimate)
{
    m_estimate = std::move(estimate);
    rebuild();
}

void DeviceChart::setPickedDevice(const QString &name)
{
    m_picked = name;
    rebuild();
}

int DeviceChart::devicesNotFitting() const { return m_tooBig->data()->size(); }

void DeviceChart::rebuild()
{
    for (QCPBars *b : {m_latency, m_memory, m_tooBig})
        b->data()->clear();
    m_devices.clear();
    QSharedPointer<QCPAxisTickerText> names(new QCPAxisTickerText);
    double minMs = 1e300, maxMs = 0, minShare = 1e300, maxShare = 100;
    int picked = -1;
    if (m_estimate) {
        for (const DeviceEstimate &e : m_estimate->devices) {
            const double key = double(m_devices.size());
            if (e.device == m_picked)
                picked = int(key);
            m_devices << e.device;
            names->addTick(key, e.device);
            const double ms = std::max(e.latencyMs, 1e-4);
            m_latency->addData(key, ms);
            minMs = std::min(minMs, ms);
            maxMs = std::max(maxMs, ms);
            const double available = e.memoryBytes() + e.marginBytes;
            const double share = std::max(available > 0 ? 100.0 * e.memoryBytes() / available : 0, 1e-9);
            (e.fits ? m_memory : m_tooBig)->addData(key, share);
            minShare = std::min(minShare, share);
            maxShare = std::max(maxShare, share);
        }
    }
    m_plot->yAxis->setTicker(names);
    m_plot->yAxis->setRange(-0.6, std::max(1.0, double(m_devices.size()) - 0.4));
    if (maxMs > 0) {
        setDecadeRange(m_plot->xAxis, {m_latency}, minMs, maxMs);
        setDecadeRange(m_plot->xAxis2, {m_memory, m_tooBig}, minShare, maxShare);
    }
    m_pickedRow->setVisible(picked >= 0);
    m_pickedRow->topLeft->setCoords(0, picked - 0.5);
    m_pickedRow->bottomRight->setCoords(1, picked + 0.5);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace compresslab
