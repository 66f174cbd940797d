#include "charts/LayerBytesChart.h"

#include "model/ModelSummary.h"

#include "charts/ChartStyle.h"

#include <QEvent>
#include <QVBoxLayout>
#include <qcustomplot.h>

using namespace Qt::StringLiterals;

namespace compresslab {

LayerBytesChart::LayerBytesChart(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setNoAntialiasingOnDrag(true);
    addChartTitle(m_plot, QString());
    // Layers on the vertical axis (names read left to right), bytes on the horizontal one.
    m_bars = new QCPBars(m_plot->yAxis, m_plot->xAxis);
    m_bars->setPen(QPen(QColor(40, 90, 160), 1));
    m_bars->setBrush(QColor(70, 130, 200, 200));
    m_bars->setWidth(0.7);
    m_shared = new QCPBars(m_plot->yAxis, m_plot->xAxis);
    m_shared->setPen(QPen(QColor(150, 150, 150), 1));
    m_shared->setBrush(QBrush(QColor(190, 190, 190), Qt::BDiagPattern));
    m_shared->setWidth(0.7);
    m_shared->moveAbove(m_bars);
    m_highlight = new QCPBars(m_plot->yAxis, m_plot->xAxis);
    m_highlight->setPen(QPen(QColor(200, 90, 20), 1));
    m_highlight->setBrush(QColor(240, 140, 40, 230));
    m_highlight->setWidth(0.7);
    placeLegendBelow(m_plot);
    enableChartExport(m_plot);
    m_highlight->removeFromLegend(); // "selected" needs no legend entry
    m_plot->xAxis->setNumberFormat(u"f"_s);
    m_plot->yAxis->setRangeReversed(true); // first layer at the top, as in the tree
    m_plot->yAxis->grid()->setVisible(false);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Vertical);
    m_plot->axisRect()->setRangeZoom(Qt::Vertical);
    setMinimumSize(320, 240);
    retranslateUi();
}

void LayerBytesChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void LayerBytesChart::retranslateUi()
{
    setChartTitle(m_plot, tr("Bytes per layer (as stored now)"));
    m_bars->setName(tr("bytes this layer owns"));
    m_shared->setName(tr("tied to an earlier layer (counted once)"));
    m_plot->xAxis->setLabel(m_unit == 1e6 ? tr("MB") : m_unit == 1e3 ? tr("kB") : tr("bytes"));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LayerBytesChart::setSummary(const ModelSummary &summary)
{
    m_paths.clear();
    m_values.clear();
    QVector<double> keys, owned, shared;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (const ModuleNode &m : summary.modules) {
        if (m.directBytes <= 0)
            continue;
        keys.push_back(double(m_paths.size()));
        ticker->addTick(keys.back(), m.path.isEmpty() ? m.name : m.path);
        m_paths.push_back(m.path);
        m_values.push_back(double(m.directBytes));
        owned.push_back(double(m.directBytes - m.directSharedBytes));
        shared.push_back(double(m.directSharedBytes));
    }
    // Plot in the unit that keeps tick labels short (kB or MB); values stay exact in the tree.
    double maxValue = 1;
    for (double v : m_values)
        maxValue = qMax(maxValue, v);
    const double unit = maxValue >= 2e6 ? 1e6 : maxValue >= 2e3 ? 1e3 : 1;
    m_plot->xAxis->setNumberPrecision(unit == 1 ? 0 : 1);
    m_unit = unit;
    retranslateUi(); // the axis label names the unit
    for (double &v : owned)
        v /= unit;
    for (double &v : shared)
        v /= unit;
    m_bars->setData(keys, owned, true);
    m_shared->setData(keys, shared, true);
    m_shared->setVisible(summary.sharedTensors > 0);
    m_plot->legend->setVisible(summary.sharedTensors > 0);
    m_highlight->data()->clear();
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis->setRange(-0.6, qMax(1.0, double(m_paths.size()) - 0.4));
    m_plot->xAxis->setRange(0, maxValue / unit * 1.08);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LayerBytesChart::highlight(const QString &modulePath)
{
    m_highlight->data()->clear();
    const int index = int(m_paths.indexOf(modulePath));
    if (index >= 0)
        m_highlight->addData(double(index), m_values[index] / m_unit);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace compresslab
