#include "charts/DistillCurvesChart.h"

#include "charts/ChartStyle.h"

#include <QEvent>
#include <QVBoxLayout>
#include <qcustomplot.h>

using namespace Qt::StringLiterals;

namespace compresslab {

DistillCurvesChart::DistillCurvesChart(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    addChartTitle(m_plot, QString());
    m_loss = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
    m_loss->setPen(QPen(QColor(40, 90, 160), 1.5));
    m_eval = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
    m_eval->setPen(QPen(QColor(220, 110, 20), 2));
    m_eval->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
    m_plot->yAxis2->setVisible(true);
    placeLegendBelow(m_plot);
    enableChartExport(m_plot);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setMinimumSize(320, 260);
    clear();
}

void DistillCurvesChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void DistillCurvesChart::retranslateUi()
{
    setChartTitle(m_plot, tr("Distillation (measured on this machine)"));
    m_loss->setName(tr("training loss"));
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(tr("training loss"));
    const QString evalLabel = m_metric == "accuracy"_L1     ? tr("accuracy on the evaluation set, %")
                              : m_metric == "perplexity"_L1 ? tr("perplexity on the evaluation set")
                                                            : tr("evaluation metric");
    m_eval->setName(evalLabel);
    m_plot->yAxis2->setLabel(evalLabel);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void DistillCurvesChart::clear()
{
    m_loss->data()->clear();
    m_eval->data()->clear();
    m_metric.clear();
    retranslateUi(); // the right axis says "evaluation metric" again until the first evaluation
    m_plot->xAxis->setRange(0, 1);
    m_plot->yAxis->setRange(0, 1);
    m_plot->yAxis2->setRange(0, 1);
    m_plot->replot();
}

void DistillCurvesChart::addPoints(const QVector<history::CurvePoint> &points)
{
    for (const history::CurvePoint &p : points) {
        if (p.curve == "train_loss"_L1) {
            m_loss->addData(double(p.step), p.value);
        } else if (p.curve.startsWith("eval_"_L1)) {
            const QString key = p.curve.mid(5);
            if (m_metric.isEmpty() && (key == "accuracy"_L1 || key == "perplexity"_L1)) {
                m_metric = key;
                retranslateUi();
            }
            if (key == m_metric)
                m_eval->addData(double(p.step), p.value);
        }
    }
    rescale();
    m_plot->replot(QCustomPlot::rpQueuedReplot); // many points per second: one repaint per event-loop turn
}

void DistillCurvesChart::rescale()
{
    m_loss->rescaleAxes();
    if (!m_eval->data()->isEmpty())
        m_eval->rescaleValueAxis(false, true);
    m_plot->xAxis->setRangeLower(0);
    for (QCPAxis *axis : {m_plot->yAxis, m_plot->yAxis2}) { // a little air above and below the curves
        const QCPRange r = axis->range();
        const double pad = std::max(r.size() * 0.08, 1e-3);
        axis->setRange(r.lower - pad, r.upper + pad);
    }
}

int DistillCurvesChart::lossPoints() const { return m_loss->dataCount(); }
int DistillCurvesChart::evalPoints() const { return m_eval->dataCount(); }

} // namespace compresslab
