#include "charts/TradeoffChart.h"

#include "charts/ChartStyle.h"

#include <QEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace compresslab {

TradeoffChart::TradeoffChart(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    addChartTitle(m_plot, QString());
    m_all = m_plot->addGraph();
    m_all->setLineStyle(QCPGraph::lsNone);
    m_all->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(150, 150, 150), 6));
    m_front = m_plot->addGraph();
    m_front->setPen(QPen(QColor(40, 90, 160), 1.5));
    m_front->setLineStyle(QCPGraph::lsStepLeft);
    m_front->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(40, 90, 160), 7));
    m_live = m_plot->addGraph();
    m_live->setLineStyle(QCPGraph::lsNone);
    m_live->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QPen(QColor(220, 110, 20), 2), QColor(240, 140, 40), 12));
    placeLegendBelow(m_plot);
    enableChartExport(m_plot);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    connect(m_plot, &QCustomPlot::mouseMove, this, &TradeoffChart::hover);
    connect(m_plot, &QCustomPlot::mousePress, this, &TradeoffChart::click);
    setMinimumSize(360, 260);
    retranslateUi();
    m_plot->yAxis->setLabel(tr("quality (measured)")); // until setExperiments() names the metric
}

void TradeoffChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi(); // the metric's axis label and the live point's name come from LiveTuning
    QWidget::changeEvent(event);
}

void TradeoffChart::retranslateUi()
{
    setChartTitle(m_plot, tr("Size vs quality of every experiment on this model"));
    m_all->setName(tr("experiments (measured)"));
    m_front->setName(tr("Pareto front"));
    if (m_live->data()->isEmpty())
        m_live->setName(tr("current configuration"));
    m_plot->xAxis->setLabel(tr("deployed size, kB (exact)"));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TradeoffChart::setExperiments(const history::ParetoResult &result, const QString &yLabel)
{
    m_points = result.points;
    QVector<double> x, y;
    QVector<std::pair<double, double>> front;
    for (const history::ParetoPoint &p : m_points) {
        x << p.x / m_unit;
        y << p.y;
        if (p.onFront)
            front.push_back({p.x / m_unit, p.y});
    }
    std::sort(front.begin(), front.end());
    QVector<double> fx, fy;
    for (const auto &[a, b] : front) {
        fx << a;
        fy << b;
    }
    m_all->setData(x, y);
    m_front->setData(fx, fy, true);
    m_plot->yAxis->setLabel(yLabel);
    rescale();
    m_plot->replot();
}

void TradeoffChart::setLivePoint(double bytes, double quality, bool quick, const QString &label)
{
    m_live->setData({bytes / m_unit}, {quality});
    QCPScatterStyle style = m_live->scatterStyle();
    style.setBrush(quick ? QBrush(Qt::NoBrush) : QBrush(QColor(240, 140, 40)));
    m_live->setScatterStyle(style);
    m_live->setName(label);
    rescale();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TradeoffChart::clearLivePoint()
{
    m_live->data()->clear();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TradeoffChart::setQualityLabel(const QString &yLabel)
{
    m_plot->yAxis->setLabel(yLabel);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool TradeoffChart::hasLivePoint() const { return !m_live->data()->isEmpty(); }

void TradeoffChart::rescale()
{
    std::optional<QCPRange> x, y;
    for (QCPGraph *g : {m_all, m_live}) {
        bool keys = false, values = false;
        const QCPRange kx = g->getKeyRange(keys), vy = g->getValueRange(values);
        if (!keys || !values)
            continue;
        x = x ? QCPRange(std::min(x->lower, kx.lower), std::max(x->upper, kx.upper)) : kx;
        y = y ? QCPRange(std::min(y->lower, vy.lower), std::max(y->upper, vy.upper)) : vy;
    }
    if (!x)
        return;
    // Some air around the points, and never a zero-height range when every point has the same value.
    const double padX = std::max(x->size() * 0.08, std::max(std::abs(x->upper) * 0.05, 0.5));
    const double padY = std::max(y->size() * 0.08, std::max(std::abs(y->upper) * 0.01, 0.05));
    m_plot->xAxis->setRange(std::max(0.0, x->lower - padX), x->upper + padX);
    m_plot->yAxis->setRange(y->lower - padY, y->upper + padY);
}

qint64 TradeoffChart::experimentAt(const QPointF &pos, double radius) const
{
    qint64 best = 0;
    double bestDistance = radius;
    for (const history::ParetoPoint &p : m_points) {
        const double px = m_plot->xAxis->coordToPixel(p.x / m_unit), py = m_plot->yAxis->coordToPixel(p.y);
        const double d = std::hypot(px - pos.x(), py - pos.y());
        if (d <= bestDistance) {
            bestDistance = d;
            best = p.id;
        }
    }
    return best;
}

void TradeoffChart::hover(QMouseEvent *event)
{
    const qint64 id = experimentAt(event->position());
    const auto it = std::find_if(m_points.begin(), m_points.end(), [id](const history::ParetoPoint &p) { return p.id == id; });
    if (it == m_points.end()) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("Experiment %1%2\n%3\n%4 kB (exact), %5 (measured)").arg(it->id).arg(it->onFront ? tr(", on the Pareto front") : QString())
                           .arg(it->summary).arg(it->x / m_unit, 0, 'f', 1).arg(it->y, 0, 'f', 3),
                       m_plot);
}

void TradeoffChart::click(QMouseEvent *event)
{
    if (const qint64 id = experimentAt(event->position()))
        Q_EMIT experimentClicked(id);
}

} // namespace compresslab
