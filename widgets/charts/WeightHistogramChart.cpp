#include "charts/WeightHistogramChart.h"

#include "charts/ChartStyle.h"
#include "model/ModelSummary.h"

#include <QCheckBox>
#include <QEvent>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

constexpr double kLogFloor = 0.5, kLogAxisLower = 0.7;

// Step-graph data for bins: each left edge with its count, plus the last right edge so the last bin is drawn.
// On a log axis an empty bin gets a count just under the axis (kLogFloor), so the outline drops out of view
// there instead of running to minus infinity.
void setBins(QCPGraph *graph, const QVector<double> &edges, const QVector<double> &counts, bool log)
{
    QVector<double> keys, values;
    for (int i = 0; i < counts.size(); ++i) {
        keys << edges[i];
        values << (log && counts[i] <= 0 ? kLogFloor : counts[i]);
    }
    if (!counts.isEmpty()) {
        keys << edges.last();
        values << values.last();
    }
    graph->setData(keys, values, true);
}

// Packs the parts into as few lines as fit `width` at `font` (a part wider than the line gets its own line).
QString wrapped(const QStringList &parts, const QString &separator, const QFont &font, double width)
{
    const QFontMetricsF metrics(font);
    QStringList lines;
    for (const QString &part : parts) {
        if (part.isEmpty())
            continue;
        if (!lines.isEmpty() && metrics.horizontalAdvance(lines.last() + separator + part) <= width)
            lines.last() += separator + part;
        else
            lines << part;
    }
    return lines.join(u'\n');
}

QString number(double v) { return QLocale().toString(v, 'g', 3); }
QString count(qint64 n) { return QLocale().toString(n); }

} // namespace

WeightHistogramChart::WeightHistogramChart(QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_log(new QCheckBox), m_status(new QLabel)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *controls = new QHBoxLayout;
    controls->setContentsMargins(6, 2, 6, 0);
    m_status->setWordWrap(true);
    controls->addWidget(m_status, 1);
    controls->addWidget(m_log);
    layout->addLayout(controls);
    layout->addWidget(m_plot, 1);

    addChartTitle(m_plot, QString());
    m_subtitle = new QCPTextElement(m_plot, QString(), QFont(m_plot->font().family(), 8));
    m_subtitle->setTextColor(QColor(70, 70, 70));
    m_plot->plotLayout()->insertRow(1);
    m_plot->plotLayout()->addElement(1, 0, m_subtitle);
    m_before = m_plot->addGraph();
    m_before->setLineStyle(QCPGraph::lsStepLeft);
    m_before->setPen(QPen(QColor(110, 150, 200), 1));
    m_before->setBrush(QColor(120, 165, 215, 110));
    m_after = m_plot->addGraph();
    m_after->setLineStyle(QCPGraph::lsStepLeft);
    m_after->setPen(QPen(QColor(215, 95, 20), 1.5));
    m_grid = m_plot->addGraph();
    m_grid->setLineStyle(QCPGraph::lsImpulse); // from the bottom of the axis (zero, or off a log axis) to its top
    m_grid->setPen(QPen(QColor(110, 60, 150, 190), 1));
    m_grid->setAdaptiveSampling(false);
    placeLegendBelow(m_plot);
    enableChartExport(m_plot);
    m_plot->xAxis->setNumberFormat(u"g"_s);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal); // zoom into the values; counts keep their scale
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    connect(m_plot->yAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this] { updateGridLines(); });
    connect(m_log, &QCheckBox::toggled, this, &WeightHistogramChart::setLogScale);
    connect(m_plot, &QCustomPlot::beforeReplot, this, &WeightHistogramChart::wrapTexts);
    setMinimumSize(360, 260);
    retranslateUi();
}

void WeightHistogramChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void WeightHistogramChart::retranslateUi()
{
    m_log->setText(tr("Log scale"));
    m_log->setToolTip(tr("Counts on a logarithmic axis: rare values (outliers, the tails) become visible"));
    m_before->setName(tr("before (original)"));
    m_after->setName(tr("after (as the compressed model holds them)"));
    m_plot->xAxis->setLabel(tr("weight value"));
    refresh();
}

void WeightHistogramChart::setHistogram(const WeightHistogram &histogram)
{
    m_histogram = histogram;
    m_message.clear();
    refresh();
}

void WeightHistogramChart::showMessage(const QString &text)
{
    m_histogram.reset();
    m_message = text;
    refresh();
}

void WeightHistogramChart::setStatus(const QString &text) { m_status->setText(text); }
QString WeightHistogramChart::status() const { return m_status->text(); }

void WeightHistogramChart::setLogScale(bool on)
{
    if (m_log->isChecked() != on)
        m_log->setChecked(on); // comes back here through toggled
    m_plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on)
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    else
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    refresh();
}

int WeightHistogramChart::gridLineCount() const { return m_grid->visible() ? m_grid->data()->size() : 0; }
int WeightHistogramChart::beforeBinCount() const { return std::max(0, m_before->data()->size() - 1); }
int WeightHistogramChart::afterBinCount() const { return std::max(0, m_after->data()->size() - 1); }
QString WeightHistogramChart::subtitle() const { return m_subtitle->text(); }
QString WeightHistogramChart::gridName() const { return m_grid->visible() ? m_grid->name() : QString(); }

QString WeightHistogramChart::title() const
{
    auto *element = qobject_cast<QCPTextElement *>(m_plot->plotLayout()->element(0, 0));
    return element ? element->text() : QString();
}

QStringList WeightHistogramChart::stateParts() const
{
    const WeightHistogram &h = *m_histogram;
    switch (h.state) {
    case WeightHistogramState::NoCompression: return {tr("no compression configured: after = before")};
    case WeightHistogramState::Skipped: return {tr("skipped by the configuration: after = before")};
    case WeightHistogramState::TypeNotSelected: return {tr("the configuration does not compress %1 layers: after = before").arg(h.type)};
    case WeightHistogramState::Empty: return {tr("the layer has no weights")};
    case WeightHistogramState::Compressed: break;
    }
    QStringList parts;
    if (!h.configSummary.contains(h.encoding)) // a per-layer override, a fallback: how this layer is stored
        parts << h.encoding;
    if (h.gridKind == WeightGridKind::None) {
        switch (h.noGridReason) {
        case WeightNoGridReason::HalfFloat: parts << tr("no uniform grid: each weight is rounded to the nearest 16-bit float"); break;
        case WeightNoGridReason::LowRank: parts << tr("no grid drawn: it applies to the two low-rank factors, not to their product"); break;
        case WeightNoGridReason::NotQuantized: parts << tr("not quantized: kept weights keep their 32-bit values"); break;
        case WeightNoGridReason::Unchanged: parts << tr("after = before"); break;
        }
    }
    if (!h.tiedTo.isEmpty())
        parts << tr("shares its weight with %1 (compressed once, as %1)").arg(h.tiedTo);
    return parts;
}

void WeightHistogramChart::refresh()
{
    const bool log = m_plot->yAxis->scaleType() == QCPAxis::stLogarithmic;
    if (!m_histogram) {
        m_titleParts = m_message.split(u' ');
        m_subtitleLines.clear();
        for (QCPGraph *g : {m_before, m_after, m_grid})
            g->data()->clear();
        m_grid->setVisible(false);
        m_grid->removeFromLegend();
        wrapTexts();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const WeightHistogram &h = *m_histogram;
    const QString shape = formatShape(h.shape);
    m_titleParts = QStringList{tr("%1 (%2 %3)").arg(h.layer, h.type, shape)};
    if (h.state != WeightHistogramState::NoCompression)
        m_titleParts << h.configSummary;
    QStringList stats{tr("%1 weights").arg(count(h.weights))};
    if (h.prunedZeros > 0)
        stats << (h.removedWeights > 0 ? tr("%1 set to zero by pruning (%2 removed with their rows or inputs)").arg(count(h.prunedZeros), count(h.removedWeights))
                                       : tr("%1 set to zero by pruning").arg(count(h.prunedZeros)));
    if (h.weights > 0)
        stats << tr("|error| mean %1, max %2").arg(number(h.meanAbsError), number(h.maxAbsError))
              << tr("%1 distinct values after (%2 before)").arg(count(h.distinctAfter), count(h.distinctBefore));
    m_subtitleLines = {stateParts(), stats};

    setBins(m_before, h.binEdges, h.before, log);
    setBins(m_after, h.binEdges, h.after, log);
    const bool grid = h.gridKind != WeightGridKind::None && !h.gridLevels.isEmpty();
    m_grid->setVisible(grid);
    if (grid) {
        const int n = int(h.gridLevels.size());
        if (h.gridKind == WeightGridKind::Codebook)
            m_grid->setName(tr("codebook: %1 shared values").arg(n));
        else if (h.groupUnit == WeightGroupUnit::Tensor)
            m_grid->setName(tr("grid of the tensor, %1 levels").arg(n));
        else if (h.groupUnit == WeightGroupUnit::Channel)
            m_grid->setName((h.gridWidest ? tr("grid of channel %1 of %2 (the widest), %3 levels") : tr("grid of channel %1 of %2, %3 levels"))
                                .arg(h.gridGroup).arg(h.gridCount).arg(n));
        else
            m_grid->setName((h.gridWidest ? tr("grid of group %1 of %2 (the widest), %3 levels") : tr("grid of group %1 of %2, %3 levels"))
                                .arg(h.gridGroup).arg(h.gridCount).arg(n));
        m_grid->addToLegend();
    } else {
        m_grid->removeFromLegend();
    }

    double top = 1;
    for (const QVector<double> *counts : {&h.before, &h.after})
        for (double c : *counts)
            top = std::max(top, c);
    m_plot->yAxis->setLabel(log ? tr("weights per bin (log scale)") : tr("weights per bin"));
    m_plot->yAxis->setRange(log ? kLogAxisLower : 0, log ? top * 2 : top * 1.08);
    if (!h.binEdges.isEmpty()) {
        const double pad = (h.binEdges.last() - h.binEdges.first()) * 0.02;
        m_plot->xAxis->setRange(h.binEdges.first() - pad, h.binEdges.last() + pad);
    }
    updateGridLines();
    wrapTexts();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void WeightHistogramChart::wrapTexts()
{
    const double width = 0.95 * m_plot->width();
    auto *title = qobject_cast<QCPTextElement *>(m_plot->plotLayout()->element(0, 0));
    const QString titleText = wrapped(m_titleParts, m_histogram ? u" · "_s : u" "_s, title->font(), width);
    if (title->text() != titleText)
        title->setText(titleText);
    QStringList lines;
    for (const QStringList &line : m_subtitleLines)
        lines << wrapped(line, u" · "_s, m_subtitle->font(), width);
    lines.removeAll(QString());
    m_subtitle->setText(lines.join(u'\n'));
    m_subtitle->setVisible(!lines.isEmpty());
}

void WeightHistogramChart::updateGridLines()
{
    if (!m_histogram || m_histogram->gridKind == WeightGridKind::None) {
        m_grid->data()->clear();
        return;
    }
    const double top = m_plot->yAxis->range().upper;
    QVector<double> values(m_histogram->gridLevels.size(), top);
    m_grid->setData(m_histogram->gridLevels, values, true);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace compresslab
