#include "panels/ResultsPanel.h"
#include "CoreText.h"

#include "eval/EvalResult.h"
#include "eval/Latency.h"

#include <QEvent>
#include <QHeaderView>

using namespace Qt::StringLiterals;

namespace compresslab {

ResultsPanel::ResultsPanel(QWidget *parent) : QTableWidget(0, 4, parent)
{
    retranslateHeader();
    horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    verticalHeader()->setVisible(false);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setWordWrap(false);
}

void ResultsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateHeader(); // rows already measured keep the language they were written in
    QTableWidget::changeEvent(event);
}

void ResultsPanel::retranslateHeader()
{
    setHorizontalHeaderLabels({tr("Measurement"), tr("Model"), tr("Result (measured)"), tr("Details")});
}

void ResultsPanel::addRow(const QString &what, const QString &model, const QString &value, const QString &details)
{
    insertRow(0);
    const QStringList cells{what, model, value, details};
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QTableWidgetItem(cells[c]);
        item->setToolTip(cells[c]);
        setItem(0, c, item);
    }
}

void ResultsPanel::addEvaluation(const QString &modelName, const QString &datasetName, const EvalResult &r)
{
    QStringList values;
    for (const Metric &m : r.metrics) {
        if (m.key == "loss"_L1)
            continue; // perplexity says the same thing more readably
        values.push_back(u"%1 %2%3"_s.arg(displayMetric(m.label)).arg(m.value, 0, 'f', m.unit == "%"_L1 ? 2 : 3).arg(m.unit == "%"_L1 ? u" %"_s : QString()));
    }
    QString details = tr("%n sample(s) of %1 in %2 s; %3", nullptr, int(r.samples))
                          .arg(datasetName).arg(r.wallSeconds, 0, 'f', 2).arg(displayRuntime(r.runtime));
    if (r.nonFiniteOutputs > 0)
        details += tr("; %n output(s) were NaN/Inf", nullptr, int(r.nonFiniteOutputs));
    addRow(tr("Evaluation"), modelName, values.join(u", "_s), details);
}

void ResultsPanel::addLatency(const QString &modelName, const LatencyResult &r)
{
    addRow(tr("Latency, batch %1").arg(r.batch), modelName,
           tr("median %1 ms, p90 %2 ms").arg(r.medianMs, 0, 'f', 2).arg(r.p90Ms, 0, 'f', 2),
           tr("%n run(s); %1", nullptr, int(r.runs)).arg(displayRuntime(r.runtime)));
}

void ResultsPanel::addExport(const QString &modelName, const QString &summary, const QString &details)
{
    addRow(tr("Export"), modelName, summary, details);
}

} // namespace compresslab
