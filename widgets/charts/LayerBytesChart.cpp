#include "charts/LayerBytesChart.h"

#include "model/ModelSummary.h"

#include "charts/ChartStyle.h"
#include "panels/SensitivityHeat.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {
QCPBars *makeBars(QCustomPlot *plot, const QPen &pen, const QBrush &brush, double width)
{
    auto *bars = new QCPBars(plot->yAxis, plot->xAxis); // layers on the vertical axis, values on the horizontal one
    bars->setPen(pen);
    bars->setBrush(brush);
    bars->setWidth(width);
    return bars;
}
} // namespace

LayerBytesChart::LayerBytesChart(QWidget *parent)
    : QWidget(parent), m_view(new QComboBox), m_settingLabel(new QLabel), m_setting(new QComboBox), m_plot(new QCustomPlot(this))
{
    for (int v = 0; v < ViewCount; ++v)
        m_view->addItem(QString(), v);
    m_view->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_view->setMinimumContentsLength(18);
    m_setting->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_settingLabel->setBuddy(m_setting);
    auto *controls = new QHBoxLayout;
    controls->setContentsMargins(4, 2, 4, 0);
    controls->addWidget(m_view, 1);
    controls->addWidget(m_settingLabel);
    controls->addWidget(m_setting);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(controls);
    layout->addWidget(m_plot, 1);

    m_plot->setNoAntialiasingOnDrag(true);
    addChartTitle(m_plot, QString());
    m_before = makeBars(m_plot, QPen(QColor(150, 150, 150), 1), QColor(215, 215, 215), 0.8);
    m_bars = makeBars(m_plot, QPen(QColor(40, 90, 160), 1), QColor(70, 130, 200, 200), 0.7);
    m_shared = makeBars(m_plot, QPen(QColor(150, 150, 150), 1), QBrush(QColor(190, 190, 190), Qt::BDiagPattern), 0.7);
    m_shared->moveAbove(m_bars);
    m_highlight = makeBars(m_plot, QPen(QColor(200, 90, 20), 1), QColor(240, 140, 40, 230), 0.7);
    m_message = new QCPItemText(m_plot);
    m_message->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_message->position->setCoords(0.5, 0.4);
    m_message->setTextAlignment(Qt::AlignCenter);
    m_message->setColor(QColor(90, 90, 90));
    placeLegendBelow(m_plot);
    enableChartExport(m_plot);
    m_highlight->removeFromLegend(); // "selected" needs no legend entry
    m_plot->yAxis->setRangeReversed(true); // first layer at the top, as in the tree
    m_plot->yAxis->grid()->setVisible(false);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Vertical);
    m_plot->axisRect()->setRangeZoom(Qt::Vertical);
    setMinimumSize(280, 240);
    connect(m_plot, &QCustomPlot::beforeReplot, this, &LayerBytesChart::labelRows);
    connect(m_view, &QComboBox::currentIndexChanged, this, &LayerBytesChart::rebuild);
    connect(m_setting, &QComboBox::currentIndexChanged, this, &LayerBytesChart::rebuild);
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
    m_view->setItemText(BytesNow, tr("Bytes: as stored now"));
    m_view->setItemText(BytesAfter, tr("Bytes: now and after compression"));
    m_view->setItemText(SensitivityKl, tr("Sensitivity: output drift (KL)"));
    m_view->setItemText(SensitivityMetric, tr("Sensitivity: metric change"));
    m_view->setItemText(WeightError, tr("Weight error after compression"));
    m_view->setToolTip(tr("What the bars show per layer: its bytes now; its bytes with the Compression panel's current "
                          "configuration; its measured sensitivity (Model ▸ Analyse Sensitivity) as the drift of the model's "
                          "output or the change of its metric with only that layer compressed; or its relative weight error "
                          "after the current compression."));
    m_settingLabel->setText(tr("at:"));
    for (int i = 0; i < m_setting->count(); ++i)
        m_setting->setItemText(i, probeSettingText(m_setting->itemData(i).toString()));
    m_setting->setToolTip(tr("The compression the sensitivity views show: each layer alone quantized to this many bits (per "
                             "channel, round to nearest), or pruned by this share of its smallest weights."));
    m_bars->setName(tr("bytes this layer owns"));
    m_shared->setName(tr("tied to an earlier layer (counted once)"));
    m_before->setName(tr("now"));
    rebuild();
}

void LayerBytesChart::setSummary(const ModelSummary &summary)
{
    m_rows.clear();
    for (const ModuleNode &m : summary.modules)
        if (m.directBytes > 0)
            m_rows.push_back({m.path, m.path.isEmpty() ? m.name : m.path, double(m.directBytes - m.directSharedBytes), double(m.directSharedBytes)});
    m_anyShared = summary.sharedTensors > 0;
    m_report = {};
    m_hasReport = false;
    m_sensitivity = {};
    m_hasSensitivity = false;
    m_setting->clear();
    m_highlighted.clear();
    rebuild();
}

void LayerBytesChart::setReport(const CompressionReport &report)
{
    m_report = report;
    m_hasReport = true;
    rebuild();
}

void LayerBytesChart::setSensitivity(const SensitivityResult &result)
{
    m_sensitivity = result;
    m_hasSensitivity = true;
    const QString previous = m_setting->currentData().toString();
    const QSignalBlocker block(m_setting);
    m_setting->clear();
    if (!result.layers.isEmpty())
        for (const SensitivityProbe &p : result.layers.first().probes)
            m_setting->addItem(probeSettingText(p.setting), p.setting);
    const int keep = m_setting->findData(previous.isEmpty() ? result.referenceSetting : previous);
    m_setting->setCurrentIndex(std::max(0, keep));
    rebuild();
}

void LayerBytesChart::setView(View view) { m_view->setCurrentIndex(int(view)); }

LayerBytesChart::View LayerBytesChart::view() const { return View(std::max(0, m_view->currentIndex())); }

bool LayerBytesChart::showsMessage() const { return !m_message->text().isEmpty(); }

void LayerBytesChart::showMessage(const QString &text)
{
    m_message->setText(text);
}

void LayerBytesChart::rebuild()
{
    const View v = view();
    const bool sensitivityView = v == SensitivityKl || v == SensitivityMetric;
    m_settingLabel->setVisible(sensitivityView && m_hasSensitivity);
    m_setting->setVisible(sensitivityView && m_hasSensitivity);
    for (QCPBars *b : {m_before, m_bars, m_shared, m_highlight}) {
        b->data()->clear();
        b->setBaseValue(0);
    }
    // The selected layer: filled orange over bytes; outlined only where colours mean sensitivity (orange = sensitive).
    m_highlight->setBrush(sensitivityView ? QBrush(Qt::NoBrush) : QBrush(QColor(240, 140, 40, 230)));
    m_highlight->setPen(sensitivityView ? QPen(QColor(20, 20, 20), 2) : QPen(QColor(200, 90, 20), 1));
    m_plot->xAxis->setScaleType(QCPAxis::stLinear);
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    m_plot->xAxis->setNumberFormat(u"g"_s);
    m_plot->xAxis->setNumberPrecision(3);
    m_before->setVisible(false);
    m_shared->setVisible(false);
    m_plot->legend->setVisible(false);
    showMessage(QString());
    m_unit = 1;

    QStringList labels;
    QVector<double> values;
    m_paths.clear();
    const QString setting = m_setting->currentData().toString();
    switch (v) {
    case BytesNow:
    case BytesAfter: {
        // Plot in the unit that keeps tick labels short (kB or MB); values stay exact in the tree.
        double maxValue = 1;
        for (const BytesRow &r : m_rows)
            maxValue = std::max(maxValue, r.owned + r.shared);
        m_unit = maxValue >= 2e6 ? 1e6 : maxValue >= 2e3 ? 1e3 : 1;
        m_plot->xAxis->setNumberFormat(u"f"_s);
        m_plot->xAxis->setNumberPrecision(m_unit == 1 ? 0 : 1);
        m_plot->xAxis->setLabel(m_unit == 1e6 ? tr("MB") : m_unit == 1e3 ? tr("kB") : tr("bytes"));
        if (v == BytesNow) {
            setChartTitle(m_plot, tr("Bytes per layer (as stored now)"));
            m_bars->setName(tr("bytes this layer owns"));
            for (int i = 0; i < m_rows.size(); ++i) {
                labels << m_rows[i].label;
                m_paths << m_rows[i].path;
                values << (m_rows[i].owned + m_rows[i].shared) / m_unit;
                m_bars->addData(i, m_rows[i].owned / m_unit);
                m_shared->addData(i, m_rows[i].shared / m_unit);
            }
            m_shared->setVisible(m_anyShared);
            m_plot->legend->setVisible(m_anyShared);
            m_before->removeFromLegend();
            m_shared->addToLegend();
            break;
        }
        setChartTitle(m_plot, tr("Bytes per layer, now and after compression"));
        if (!m_hasReport || m_report.layers.isEmpty()) {
            showMessage(m_hasReport ? tr("The Compression panel is off:\nnothing is compressed.")
                                    : tr("No compressed model yet: choose a dataset\nand set the Compression panel."));
            break;
        }
        m_bars->setName(tr("after compression (exact)"));
        for (int i = 0; i < m_rows.size(); ++i) {
            double after = m_rows[i].owned;
            for (const LayerReport &l : m_report.layers)
                if (l.path == m_rows[i].path && l.tiedTo.isEmpty())
                    after = m_rows[i].owned - double(l.originalBytes) + double(l.deployedBytes); // biases stay as they are
            labels << m_rows[i].label;
            m_paths << m_rows[i].path;
            values << after / m_unit;
            m_before->addData(i, m_rows[i].owned / m_unit);
        }
        m_before->setVisible(true);
        m_before->addToLegend();
        m_shared->removeFromLegend();
        m_plot->legend->setVisible(true);
        break;
    }
    case SensitivityKl:
    case SensitivityMetric: {
        if (!m_hasSensitivity) {
            setChartTitle(m_plot, tr("Sensitivity per layer"));
            showMessage(tr("Not measured yet: Model ▸ Analyse Sensitivity\n(needs a dataset)."));
            break;
        }
        for (const LayerSensitivity &l : m_sensitivity.layers) {
            labels << l.layer;
            m_paths << l.layer;
            values << (v == SensitivityKl ? std::max(0.0, probeKl(l, setting)) : probeDelta(l, setting));
        }
        if (v == SensitivityKl) {
            setChartTitle(m_plot, tr("Output drift with only this layer at %1").arg(probeSettingText(setting)));
            m_plot->xAxis->setLabel(tr("KL divergence, nats (measured; log scale)"));
            // KL spans orders of magnitude between layers: a log axis, the bars starting below the smallest.
            double low = 0;
            for (double x : values)
                if (x > 0)
                    low = low > 0 ? std::min(low, x) : x;
            low = low > 0 ? low / 3 : 1e-9;
            for (double &x : values)
                x = std::max(x, low);
            m_plot->xAxis->setScaleType(QCPAxis::stLogarithmic);
            m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog));
            m_plot->xAxis->setNumberFormat(u"eb"_s);
            m_plot->xAxis->setNumberPrecision(0);
            for (QCPBars *b : {m_bars, m_highlight})
                b->setBaseValue(low);
        } else {
            setChartTitle(m_plot, tr("%1 change with only this layer at %2").arg(m_sensitivity.metricLabel, probeSettingText(setting)));
            m_plot->xAxis->setLabel(m_sensitivity.higherIsBetter ? tr("change in %1 (measured; higher is better)").arg(m_sensitivity.metricLabel)
                                                                 : tr("change in %1 (measured; lower is better)").arg(m_sensitivity.metricLabel));
        }
        m_bars->setName(QString());
        break;
    }
    case WeightError: {
        setChartTitle(m_plot, tr("Weight error per layer after compression"));
        m_plot->xAxis->setLabel(tr("relative weight error ‖W′ − W‖ / ‖W‖, % (computed exactly)"));
        if (!m_hasReport || m_report.layers.isEmpty()) {
            showMessage(m_hasReport ? tr("The Compression panel is off:\nnothing is compressed.")
                                    : tr("No compressed model yet: choose a dataset\nand set the Compression panel."));
            break;
        }
        for (const LayerReport &l : m_report.layers) {
            labels << (l.tiedTo.isEmpty() ? l.path : tr("%1 (tied)").arg(l.path));
            m_paths << l.path;
            values << 100.0 * l.relativeError;
        }
        break;
    }
    case ViewCount: break;
    }
    setBars(labels, values);
}

void LayerBytesChart::setBars(const QStringList &labels, const QVector<double> &values)
{
    for (int i = 0; i < labels.size(); ++i)
        if (view() != BytesNow) // the bytes-now bars are stacked (owned + tied) and added above
            m_bars->addData(i, values[i]);
    m_values = values;
    m_labels = labels;
    m_labelStride = 0; // labelRows() sets the ticker
    m_plot->yAxis->setRange(-0.6, std::max(1.0, double(labels.size()) - 0.4));
    double low = 0, high = 0;
    for (double x : values) {
        low = std::min(low, x);
        high = std::max(high, x);
    }
    if (m_plot->xAxis->scaleType() == QCPAxis::stLogarithmic) {
        low = m_bars->baseValue();
        high = std::max(high, low * 10);
        m_plot->xAxis->setRange(low, high * 1.5);
    } else {
        if (high <= low)
            high = low + 1;
        if (view() == BytesAfter)
            for (const auto &d : *m_before->data())
                high = std::max(high, d.value);
        m_plot->xAxis->setRange(low < 0 ? low * 1.08 : 0, high > 0 ? high * 1.08 : 0.1);
    }
    highlight(m_highlighted);
}

void LayerBytesChart::labelRows()
{
    const double rowPixels = m_plot->axisRect()->height() / std::max(1.0, m_plot->yAxis->range().size());
    const double labelPixels = QFontMetricsF(m_plot->yAxis->tickLabelFont()).height();
    const int stride = std::max(1, int(std::ceil(labelPixels / std::max(1.0, rowPixels))));
    if (stride == m_labelStride)
        return;
    m_labelStride = stride;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int selected = std::max(0, int(m_paths.indexOf(m_highlighted))); // its name is one of those written
    for (int i = 0; i < m_labels.size(); ++i)
        if (i % stride == selected % stride)
            ticker->addTick(i, m_labels[i]);
    m_plot->yAxis->setTicker(ticker);
}

void LayerBytesChart::highlight(const QString &modulePath)
{
    m_highlighted = modulePath;
    m_labelStride = 0; // the selected layer's name is always shown
    m_highlight->data()->clear();
    const int index = int(m_paths.indexOf(modulePath));
    if (index >= 0 && index < m_values.size())
        m_highlight->addData(double(index), m_values[index]);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace compresslab
