#include "dialogs/CompareDialog.h"

#include "model/ModelSummary.h"

#include <QBrush>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

const QColor kBetter(0x1a, 0x7f, 0x37);
const QColor kWorse(0xb0, 0x20, 0x20);
const QColor kSame(0x70, 0x70, 0x70);

QTableWidgetItem *cell(const QString &text, Qt::Alignment align = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setTextAlignment(align);
    return item;
}

QTableWidget *table()
{
    auto *t = new QTableWidget;
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setAlternatingRowColors(true);
    t->verticalHeader()->hide();
    t->setWordWrap(false);
    t->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    return t;
}

// The history writes numbers with 17 digits so they round-trip ("0.29999999999999999"); 15 show what was meant.
QString settingText(const QString &recorded)
{
    bool number = false;
    const double v = recorded.toDouble(&number);
    return number ? QString::number(v, 'g', 15) : recorded;
}

} // namespace

QString CompareDialog::formatValue(double value, const QString &unit, bool sign)
{
    // U+2212 for negative changes: a real minus sign, as wide as the plus.
    const QString prefix = !sign ? (value < 0 ? u"−"_s : QString()) : value > 0 ? u"+"_s : value < 0 ? u"−"_s : u"±"_s;
    const double v = std::abs(value);
    if (unit == "B"_L1)
        return prefix + formatBytes(qint64(std::llround(v)));
    const int decimals = v >= 100 ? 2 : v >= 1 ? 3 : 4;
    const QString number = QString::number(v, 'f', decimals);
    return unit.isEmpty() ? prefix + number : u"%1%2 %3"_s.arg(prefix, number, unit);
}

CompareDialog::CompareDialog(const history::Comparison &comparison, const QStringList &titles, QWidget *parent)
    : QDialog(parent), m_intro(new QLabel), m_configLabel(new QLabel), m_config(table()), m_metrics(table())
{
    setWindowTitle(tr("Compare Experiments"));
    m_intro->setWordWrap(true);
    QStringList ids;
    for (qint64 id : comparison.ids)
        ids << u"#%1"_s.arg(id);
    m_intro->setText(tr("Comparing %1. Changes are against <b>#%2</b>, the first selected; "
                        "<span style='color:%3'>green: better</span>, <span style='color:%4'>red: worse</span>, "
                        "by each metric's direction (higher or lower is better).")
                         .arg(ids.join(u", "_s))
                         .arg(comparison.ids.value(0))
                         .arg(kBetter.name(), kWorse.name()));
    fillConfig(comparison, titles);
    fillMetrics(comparison, titles);

    auto *metricsLabel = new QLabel(tr("<b>Metrics</b>"));
    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_configLabel);
    topLayout->addWidget(m_config);
    auto *bottom = new QWidget;
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(metricsLabel);
    bottomLayout->addWidget(m_metrics);
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(top);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    resize(qMin(1200, 360 + 260 * int(comparison.ids.size())), 640);
}

void CompareDialog::fillConfig(const history::Comparison &c, const QStringList &titles)
{
    m_configLabel->setText(c.config.isEmpty() ? tr("<b>Configuration</b>: identical")
                                              : tr("<b>Configuration</b>: %n setting(s) differ (only those are shown)", nullptr,
                                                   int(c.config.size())));
    m_config->setColumnCount(1 + int(c.ids.size()));
    QStringList headers{tr("Setting")};
    headers << titles;
    m_config->setHorizontalHeaderLabels(headers);
    m_config->setRowCount(int(c.config.size()));
    for (int row = 0; row < c.config.size(); ++row) {
        const history::ConfigDifference &d = c.config.at(row);
        m_config->setItem(row, 0, cell(d.path));
        for (int i = 0; i < d.values.size(); ++i) {
            QTableWidgetItem *item = cell(settingText(d.values.at(i)));
            item->setToolTip(d.values.at(i));
            if (i > 0 && d.values.at(i) != d.values.first()) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold); // what differs from the reference
            }
            m_config->setItem(row, 1 + i, item);
        }
    }
    m_config->resizeColumnsToContents();
    m_config->horizontalHeader()->setStretchLastSection(true);
}

void CompareDialog::fillMetrics(const history::Comparison &c, const QStringList &titles)
{
    const int n = int(c.ids.size());
    QStringList headers{tr("Metric"), tr("Source"), titles.value(0)};
    for (int i = 1; i < n; ++i)
        headers << titles.value(i) << tr("Change vs #%1").arg(c.ids.first());
    m_metrics->setColumnCount(int(headers.size()));
    m_metrics->setHorizontalHeaderLabels(headers);
    m_metrics->setRowCount(int(c.metrics.size()));
    const Qt::Alignment right = Qt::AlignRight | Qt::AlignVCenter;
    for (int row = 0; row < c.metrics.size(); ++row) {
        const history::MetricComparison &m = c.metrics.at(row);
        QTableWidgetItem *name = cell(m.unit.isEmpty() ? m.name : u"%1 [%2]"_s.arg(m.name, m.unit));
        name->setToolTip(m.higherIsBetter ? tr("Higher is better") : tr("Lower is better"));
        m_metrics->setItem(row, 0, name);
        m_metrics->setItem(row, 1, cell(m.provenance == history::Provenance::Measured ? tr("measured") : tr("estimated")));
        const std::optional<double> reference = m.values.value(0);
        for (int i = 0; i < n; ++i) {
            const std::optional<double> v = m.values.value(i);
            QTableWidgetItem *value = cell(v ? formatValue(*v, m.unit) : u"—"_s, right);
            if (v)
                value->setToolTip(QString::number(*v, 'g', 17));
            m_metrics->setItem(row, i == 0 ? 2 : 1 + 2 * i, value);
            if (i == 0)
                continue;
            QTableWidgetItem *change = cell(u"—"_s, right);
            if (v && reference) {
                const double delta = *v - *reference;
                const int verdict = delta == 0 ? 0 : ((delta > 0) == m.higherIsBetter ? 1 : -1);
                change->setText(verdict == 0 ? tr("same") : verdict > 0 ? tr("%1 better").arg(formatValue(delta, m.unit, true))
                                                                        : tr("%1 worse").arg(formatValue(delta, m.unit, true)));
                change->setForeground(verdict == 0 ? kSame : verdict > 0 ? kBetter : kWorse);
                change->setData(DeltaRole, delta);
                change->setData(VerdictRole, verdict);
                if (*reference != 0)
                    change->setToolTip(tr("%1 (%2% relative)").arg(QString::number(delta, 'g', 17)).arg(100 * delta / std::abs(*reference), 0, 'f', 2));
            }
            m_metrics->setItem(row, 2 + 2 * i, change);
        }
    }
    m_metrics->resizeColumnsToContents();
    m_metrics->horizontalHeader()->setStretchLastSection(true);
}

} // namespace compresslab
