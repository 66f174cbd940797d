#pragma once
// The jobs panel: every long task the window runs (loading, evaluation, live measurement, sensitivity,
// distillation, export, estimates, history reads), running ones first, each with its progress, elapsed
// time, estimated time left and a Cancel button; finished ones say how they ended.
#include <QWidget>

class QLabel;
class QPushButton;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace compresslab {

class JobsPanel : public QWidget {
    Q_OBJECT
public:
    enum Column { TaskColumn, ProgressColumn, ElapsedColumn, StateColumn, CancelColumn, ColumnCount };
    explicit JobsPanel(QWidget *parent = nullptr);
    QTreeWidget *list() const { return m_list; }
    QPushButton *cancelAllButton() const { return m_cancelAll; }

Q_SIGNALS:
    void runningCountChanged(int running);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void rebuild();     // rows follow the registry's records
    void tick();        // elapsed times of running jobs, four times a second

    QTreeWidget *m_list;
    QLabel *m_summary;
    QPushButton *m_cancelAll;
    QPushButton *m_clear;
    QTimer *m_timer;
    bool m_rebuildQueued = false;
    int m_lastRunning = -1;
};

} // namespace compresslab
