#pragma once
// The experiment history in the window: which file, what it said when opened (moved aside, read-only,
// interrupted runs), and every experiment, filterable by model or tag. The file is opened on a worker
// thread (quick_check of a large history takes a moment); queries then run in milliseconds.
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace compresslab {

namespace history {
class History;
}
class HistoryTableModel;
class Job;

class HistoryPanel : public QWidget {
    Q_OBJECT
public:
    explicit HistoryPanel(QWidget *parent = nullptr);
    ~HistoryPanel() override;

    HistoryTableModel *tableModel() const { return m_model; }
    QString path() const { return m_path; }
    qint64 selectedExperiment() const; // 0 when none

public Q_SLOTS:
    void openHistory(const QString &path); // in the background; emits loaded() or failed()
    void refresh();                        // re-reads the list with the current filters
    bool selectExperiment(qint64 id);      // selects and shows its row; false when it is not listed

Q_SIGNALS:
    void loaded();
    void failed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void chooseFile();

    QString m_path;
    std::shared_ptr<history::History> m_history;
    std::unique_ptr<Job> m_job;
    HistoryTableModel *m_model;
    QTableView *m_table;
    QLabel *m_header;
    QComboBox *m_modelFilter;
    QLineEdit *m_tagFilter;
    QLabel *m_modelLabel;
    QPushButton *m_refreshButton;
    QPushButton *m_chooseButton;
};

} // namespace compresslab
