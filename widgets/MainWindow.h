#pragma once
// The workbench window: a model's module tree and per-layer bytes chart, with evaluation and latency
// measurement running as background jobs (progress, ETA, Cancel) while the window stays responsive.
#include "Settings.h"
#include "common/Task.h"
#include "dialogs/ExportDialog.h"

#include <QFont>
#include <QMainWindow>
#include <QPointer>
#include <QRect>

#include <memory>
#include <optional>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;
class QToolBar;
class QToolButton;

namespace compresslab {

class Dataset;
class DeviceView;
class ModelHostClient;
class SweepDialog;
class FitDialog;
class JobsPanel;
class DistillPanel;
class LiveTuning;
class WeightHistogramView;
class TradeoffChart;
class TunePanel;
class HistoryPanel;
class Job;
class LayerBytesChart;
struct ModelDescription;
class ModelPanel;
class ModelTreeView;
class ResultsPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    const ModelDescription *model() const { return m_model.get(); }
    QString datasetPath() const { return m_datasetPath; }
    Job *currentJob() const { return m_job; }
    ModelTreeView *treeView() const { return m_tree; }
    ModelPanel *modelPanel() const { return m_modelPanel; }
    LayerBytesChart *layerChart() const { return m_chart; }
    ResultsPanel *resultsPanel() const { return m_results; }
    HistoryPanel *historyPanel() const { return m_history; }
    DistillPanel *distillPanel() const { return m_distill; }
    TunePanel *tunePanel() const { return m_tune; }
    TradeoffChart *tradeoffChart() const { return m_tradeoff; }
    LiveTuning *liveTuning() const { return m_live; }
    WeightHistogramView *weightHistogramView() const { return m_weights; }
    DeviceView *deviceView() const { return m_deviceView; }
    JobsPanel *jobsPanel() const { return m_jobs; }
    // Asked when a model's weights hold NaN/Inf (default: a question box); tests answer it themselves.
    using NonFiniteConfirmation = std::function<bool(const QString &path, const QStringList &tensors)>;
    void setNonFiniteConfirmation(NonFiniteConfirmation confirm) { m_confirmNonFinite = std::move(confirm); }
    // Asked where and how to export (default: the Export dialog); nullopt = cancelled. Tests answer it themselves.
    // int8Unavailable: why the configuration cannot also be written with int8 kernels (empty when it can).
    using ExportChooser = std::function<std::optional<ExportChoice>(const QString &configSummary, const QString &defaultDir,
                                                                    const QString &int8Unavailable)>;
    void setExportChooser(ExportChooser choose) { m_chooseExport = std::move(choose); }

public Q_SLOTS:
    void openModel(const QString &path); // loads in the background; emits modelLoaded or errorShown
    void setDatasetPath(const QString &path);
    void evaluate();
    void measureLatency();
    void analyseSensitivity(); // per-layer sensitivity on the dataset: the tree's heat column and the layer chart
    SweepDialog *openSweepDialog(); // Model ▸ Sweep…: one non-modal dialog at a time
    FitDialog *openFitDialog(); // Model ▸ Fit to Device…: one non-modal dialog at a time
    void exportCompressedModel(); // the current compression configuration's model, as files
    void setPresentationMode(bool on); // larger texts, lines and markers for workshops (F5)
    void cancelJob();
    // Stores the choice and installs its translation: every window and panel re-sets its texts at once.
    void setUiLanguage(compresslab::UiLanguage language);

Q_SIGNALS:
    void modelLoaded();
    void jobFinished();
    void errorShown(const QString &message);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    bool askAboutNonFinite(const QString &path, const QStringList &tensors);
    void createActions();
    void createMenus();
    void retranslateUi(); // every text of the window's own menus, actions, docks and tabs
    static QString jobsDockTitle(int running); // "Jobs", or "Jobs (2 running)"
    void updateActions();
    void updateInfo();
    static QString taskText(Task task);
    void rebuildRecentMenu();
    void rebuildZooMenu();
    void showError(const QString &title, const QString &message);
    void runJob(const QString &title, std::function<void(const std::function<bool(qint64, qint64)> &)> work,
                std::function<void()> onSuccess);
    void chooseModelFile();
    void chooseDatasetFile();

    std::shared_ptr<const ModelDescription> m_model;
    QString m_datasetPath;
    QPointer<Job> m_job;
    // Runs the model for evaluations, latency and the live point in a separate process (core/host): before
    // the widgets below, which share it.
    std::shared_ptr<ModelHostClient> m_host;

    ModelTreeView *m_tree;
    LayerBytesChart *m_chart;
    ResultsPanel *m_results;
    HistoryPanel *m_history;
    DistillPanel *m_distill;
    TunePanel *m_tune;
    TradeoffChart *m_tradeoff;
    LiveTuning *m_live;
    WeightHistogramView *m_weights = nullptr;
    NonFiniteConfirmation m_confirmNonFinite;
    ExportChooser m_chooseExport;
    QLabel *m_info;
    QLabel *m_status;
    QProgressBar *m_progress;
    QToolButton *m_cancelButton;
    QTabWidget *m_chartTabs;
    QDockWidget *m_historyDock;
    QDockWidget *m_distillDock;
    QDockWidget *m_tuneDock;
    // Saved dock layouts of another version are not restored: a layout without a newer dock would misplace it.
    static constexpr int kLayoutVersion = 2; // 2: the Devices dock below the compression controls
    DeviceView *m_deviceView; // device panel, latency/memory chart, estimates and profile editor
    QDockWidget *m_deviceDock;
    JobsPanel *m_jobs;        // every running and recently finished job, with Cancel
    QDockWidget *m_jobsDock;

    QAction *m_openAction = nullptr;
    QAction *m_datasetAction = nullptr;
    QAction *m_evaluateAction = nullptr;
    QAction *m_latencyAction = nullptr;
    QAction *m_sensitivityAction = nullptr;
    QAction *m_sweepAction = nullptr;
    QPointer<SweepDialog> m_sweepDialog;
    QAction *m_fitAction = nullptr;
    QPointer<FitDialog> m_fitDialog;
    ModelPanel *m_modelPanel = nullptr; // the tree with its sensitivity and override controls
    QAction *m_exportAction = nullptr;
    QAction *m_presentationAction = nullptr;
    QFont m_normalFont; // the application font before presentation mode
    bool m_presenting = false;
    QRect m_normalGeometry; // before presentation mode maximized the window (invalid: it was maximized)
    int m_normalRightDockWidth = 480; // the right docks' width before presentation mode widened them
    QAction *m_cancelAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QActionGroup *m_languageGroup = nullptr; // System, English, Deutsch; each action's data is its UiLanguage
    QMenu *m_fileMenu = nullptr;
    QMenu *m_modelMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_zooMenu = nullptr;
    QToolBar *m_toolBar = nullptr;
};

} // namespace compresslab
