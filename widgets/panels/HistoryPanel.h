#pragma once
// The experiment history in the window: which file, what it said when opened (moved aside, read-only,
// interrupted runs), and every experiment, filterable by model, tag and kind, sortable by any column.
// On the selected rows: compare, re-run in the Compression controls, edit tags and notes, delete (with
// Undo) and export the listed rows as CSV. The file is opened on a worker thread (quick_check of a large
// history takes a moment), and so is a CSV export (it reads every listed experiment whole: 0.4 s for 1,000).
// Queries and the single-transaction writes take milliseconds (docs/user-guide.md gives the measured
// times) and run on the GUI thread.
#include "panels/HistoryAnnotationDialog.h"

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QToolBar;

namespace compresslab {

namespace history {
class History;
struct Filter;
}
class CompareDialog;
class HistoryTableModel;
class HistoryTrash;
class Job;

class HistoryPanel : public QWidget {
    Q_OBJECT
public:
    explicit HistoryPanel(QWidget *parent = nullptr);
    ~HistoryPanel() override;

    HistoryTableModel *tableModel() const { return m_model; }      // every listed row, in the history's order
    QSortFilterProxyModel *sortModel() const { return m_sorted; }  // the same rows as the view shows them
    QTableView *tableView() const { return m_table; }
    QString path() const { return m_path; }
    qint64 selectedExperiment() const;                // 0 when none; the first selected row in view order
    QVector<qint64> selectedExperiments() const;      // in view order
    CompareDialog *compareDialog() const; // the last one opened, while it is open
    QString message() const;                          // the message bar's text (after a delete, a refusal, ...)

    QAction *compareAction() const { return m_compareAction; }
    QAction *rerunAction() const { return m_rerunAction; }
    QAction *annotateAction() const { return m_annotateAction; }
    QAction *deleteAction() const { return m_deleteAction; }
    QAction *undoAction() const { return m_undoAction; }
    QAction *exportAction() const { return m_exportAction; }

    // Asked for the tags and notes (default: the Tags and Notes dialog); nullopt = cancelled. Tests answer it.
    using AnnotationEditor = std::function<std::optional<HistoryAnnotation>(const QString &title, const HistoryAnnotation &current)>;
    void setAnnotationEditor(AnnotationEditor edit) { m_editAnnotation = std::move(edit); }
    // Asked where to write the CSV (default: a save dialog); an empty path = cancelled. Tests answer it.
    using CsvPathChooser = std::function<QString(const QString &suggestedPath)>;
    void setCsvPathChooser(CsvPathChooser choose) { m_chooseCsvPath = std::move(choose); }

public Q_SLOTS:
    void openHistory(const QString &path); // in the background; emits loaded() or failed()
    void refresh();                        // re-reads the list with the current filters
    bool selectExperiment(qint64 id);      // selects and shows its row; false when it is not listed
    // The model open in the window and its dataset: a re-run measures that model on that dataset.
    void setOpenModel(const QString &modelPath, const QString &datasetPath);
    void compareSelected();
    void rerunSelected();      // emits rerunRequested, or says in the message bar why not
    void annotateSelected();
    void deleteSelected();
    void undoDelete();
    void exportCsv();

Q_SIGNALS:
    void loaded();
    void failed(const QString &message);
    // The compression configuration JSON of the selected experiment (as recorded; parseCompressionConfig reads it).
    void rerunRequested(const QJsonObject &config);
    void experimentsChanged(); // this panel deleted, restored or re-tagged experiments

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void createActions();
    void chooseFile();
    void updateActions();
    void showContextMenu(const QPoint &pos);
    void showMessage(const QString &text, bool error = false, bool offerUndo = false);
    QString rerunRefusal() const; // empty when the selection can be re-run
    QString writeRefusal() const; // empty when the history can be written
    history::Filter currentFilter() const;

    QString m_path;
    QString m_openModelPath;
    QString m_openDatasetPath;
    std::shared_ptr<history::History> m_history;
    std::unique_ptr<Job> m_job;
    std::unique_ptr<Job> m_exportJob;
    std::unique_ptr<HistoryTrash> m_trash;
    HistoryTableModel *m_model;
    QSortFilterProxyModel *m_sorted;
    QTableView *m_table;
    QLabel *m_header;
    QComboBox *m_modelFilter;
    QLineEdit *m_tagFilter;
    QComboBox *m_kindFilter;
    QLabel *m_modelLabel;
    QPushButton *m_refreshButton;
    QPushButton *m_chooseButton;
    QToolBar *m_toolBar;
    QWidget *m_messageBar;
    QLabel *m_message;
    QPushButton *m_messageUndo;
    QAction *m_compareAction = nullptr;
    QAction *m_rerunAction = nullptr;
    QAction *m_annotateAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_exportAction = nullptr;
    QPointer<CompareDialog> m_compare;
    AnnotationEditor m_editAnnotation;
    CsvPathChooser m_chooseCsvPath;
};

} // namespace compresslab
