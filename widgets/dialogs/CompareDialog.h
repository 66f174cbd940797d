#pragma once
// Two or more experiments side by side: only the configuration settings that differ, and every metric
// with its value per experiment and its change against the first one. A change is coloured and named
// better or worse by the metric's recorded direction (higher or lower is better); every metric says
// whether it was measured here or estimated for a device.
#include "history/HistoryTypes.h"

#include <QDialog>

class QLabel;
class QTableWidget;

namespace compresslab {

class CompareDialog : public QDialog {
    Q_OBJECT
public:
    // titles: one line per compared experiment ("#12 int4 per-channel sym RTN"), in comparison.ids order.
    CompareDialog(const history::Comparison &comparison, const QStringList &titles, QWidget *parent = nullptr);

    QTableWidget *configTable() const { return m_config; }   // rows: differing settings; one column per experiment
    // Columns: metric, source, then the reference's value, then for each other experiment its value and its change.
    QTableWidget *metricsTable() const { return m_metrics; }
    static constexpr int DeltaRole = Qt::UserRole;          // the change as a number, on change cells
    static constexpr int VerdictRole = Qt::UserRole + 1;    // +1 better, -1 worse, 0 equal, on change cells

    // "91.320 %", "213.7 kB"; with sign = true a change ("+0.670 %", "−12.3 kB").
    static QString formatValue(double value, const QString &unit, bool sign = false);

private:
    void fillConfig(const history::Comparison &c, const QStringList &titles);
    void fillMetrics(const history::Comparison &c, const QStringList &titles);

    QLabel *m_intro;
    QLabel *m_configLabel;
    QTableWidget *m_config;
    QTableWidget *m_metrics;
};

} // namespace compresslab
