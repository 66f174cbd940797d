#include "MainWindow.h"

// The window's actions, menus and their texts: what each one does, its shortcut, and when it is enabled.

#include "Settings.h"
#include "Translation.h"
#include "WeightHistogramView.h"
#include "charts/LayerBytesChart.h"
#include "charts/WeightHistogramChart.h"
#include "charts/TradeoffChart.h"
#include "devices/DeviceChart.h"
#include "devices/DeviceView.h"
#include "jobs/Job.h"
#include "jobs/JobRegistry.h"
#include "panels/ModelPanel.h"
#include "panels/TunePanel.h"
#include "zoo/Zoo.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenuBar>
#include <QTabWidget>
#include <QMessageBox>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace compresslab {

QString MainWindow::jobsDockTitle(int running)
{
    return running ? tr("Jobs (%1 running)").arg(running) : tr("Jobs");
}

void MainWindow::createActions()
{
    m_openAction = new QAction(this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::chooseModelFile);

    m_datasetAction = new QAction(this);
    m_datasetAction->setShortcut(Qt::CTRL | Qt::Key_D);
    connect(m_datasetAction, &QAction::triggered, this, &MainWindow::chooseDatasetFile);

    m_evaluateAction = new QAction(this);
    m_evaluateAction->setShortcut(Qt::CTRL | Qt::Key_E);
    connect(m_evaluateAction, &QAction::triggered, this, &MainWindow::evaluate);

    m_latencyAction = new QAction(this);
    m_latencyAction->setShortcut(Qt::CTRL | Qt::Key_L);
    connect(m_latencyAction, &QAction::triggered, this, &MainWindow::measureLatency);

    m_sensitivityAction = new QAction(this);
    connect(m_sensitivityAction, &QAction::triggered, this, &MainWindow::analyseSensitivity);
    m_modelPanel->analyseButton()->setDefaultAction(m_sensitivityAction);
    m_sweepAction = new QAction(this);
    m_sweepAction->setObjectName(u"sweepAction"_s);
    connect(m_sweepAction, &QAction::triggered, this, &MainWindow::openSweepDialog);
    m_fitAction = new QAction(this);
    connect(m_fitAction, &QAction::triggered, this, &MainWindow::openFitDialog);

    m_exportAction = new QAction(this);
    m_exportAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_S);
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportCompressedModel);
    connect(m_tune, &TunePanel::configChanged, this, [this] { updateActions(); });

    m_presentationAction = new QAction(this);
    m_presentationAction->setCheckable(true);
    m_presentationAction->setShortcut(Qt::Key_F5);
    connect(m_presentationAction, &QAction::toggled, this, &MainWindow::setPresentationMode);

    m_cancelAction = new QAction(this);
    m_cancelAction->setShortcut(Qt::Key_Escape);
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancelJob);

    m_quitAction = new QAction(this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_aboutAction = new QAction(this);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About CompressLab"),
                           tr("<b>CompressLab %1</b><p>A workbench for compressing neural networks.</p>")
                               .arg(QStringLiteral(COMPRESSLAB_VERSION)));
    });

    // The language names are each written in their own language, as language menus do.
    m_languageGroup = new QActionGroup(this);
    const UiLanguage chosen = Settings::instance().language();
    for (const auto &[language, name] : {std::pair{UiLanguage::System, QString()}, std::pair{UiLanguage::English, u"&English"_s},
                                         std::pair{UiLanguage::German, u"&Deutsch"_s}}) {
        QAction *a = m_languageGroup->addAction(name);
        a->setCheckable(true);
        a->setChecked(language == chosen);
        a->setData(int(language));
        connect(a, &QAction::triggered, this, [this, language = language] { setUiLanguage(language); });
    }
}

void MainWindow::retranslateUi()
{
    m_chartTabs->setTabText(m_chartTabs->indexOf(m_tradeoff), tr("Trade-off"));
    m_chartTabs->setTabText(m_chartTabs->indexOf(m_chart), tr("Bytes per Layer"));
    m_chartTabs->setTabText(m_chartTabs->indexOf(m_weights->chart()), tr("Weights"));
    m_historyDock->setWindowTitle(tr("Experiment History"));
    m_distillDock->setWindowTitle(tr("Distillation"));
    m_tuneDock->setWindowTitle(tr("Compression"));
    m_deviceDock->setWindowTitle(tr("Devices"));
    m_jobsDock->setWindowTitle(jobsDockTitle(JobRegistry::instance().runningCount()));
    m_chartTabs->setTabText(m_chartTabs->indexOf(m_deviceView->chart()), tr("Devices"));

    m_openAction->setText(tr("&Open Model…"));
    m_openAction->setToolTip(tr("Open a TorchScript model (.pt) saved with torch.jit.save"));
    m_datasetAction->setText(tr("Choose Data&set…"));
    m_datasetAction->setToolTip(tr("Pick the evaluation set (.safetensors in the CompressLab dataset format)"));
    m_evaluateAction->setText(tr("&Evaluate"));
    m_evaluateAction->setToolTip(tr("Measure accuracy or perplexity of the model on the dataset, on this machine"));
    m_latencyAction->setText(tr("Measure &Latency"));
    m_latencyAction->setToolTip(tr("Time inference at batch 1 on this machine (warm-up, then repeated runs)"));
    m_fitAction->setText(tr("&Fit to Device…"));
    m_fitAction->setToolTip(tr("Plan a bit width and a pruning ratio per layer for a device under memory, latency and loss budgets, "
                               "from the measured sensitivity; then measure the plan."));
    m_sensitivityAction->setText(tr("Analyse &Sensitivity"));
    m_sensitivityAction->setToolTip(tr("Measure, layer by layer, how much the model's output changes when only that layer is "
                                       "quantized or pruned, on the dataset's first samples; the tree colours the layers by it"));
    m_sweepAction->setText(tr("S&weep…"));
    m_sweepAction->setToolTip(tr("Compress and evaluate every combination of chosen bit widths and pruning ratios, each recorded "
                                 "in the history (measured)"));
    m_presentationAction->setText(tr("&Presentation Mode"));
    m_presentationAction->setToolTip(tr("Larger texts, lines and markers, readable on a projector (F5 toggles)"));
    m_exportAction->setText(tr("&Export Compressed Model…"));
    m_exportAction->setToolTip(tr("Write the model as the Compression controls set it: TorchScript, the packed artifact, "
                                  "int8 kernels and ONNX"));
    m_cancelAction->setText(tr("Cancel"));
    m_cancelAction->setToolTip(tr("Stop the running job after its current batch"));
    m_quitAction->setText(tr("&Quit"));
    m_aboutAction->setText(tr("&About CompressLab"));
    m_languageGroup->actions().at(int(UiLanguage::System))->setText(tr("&System Default"));

    m_fileMenu->setTitle(tr("&File"));
    m_zooMenu->setTitle(tr("Open &Demo Model"));
    m_recentMenu->setTitle(tr("Open &Recent"));
    m_modelMenu->setTitle(tr("&Model"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_toolBar->setWindowTitle(tr("Main"));
    rebuildRecentMenu();
    updateInfo();
}

void MainWindow::createMenus()
{
    // Titles and texts come from retranslateUi().
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_openAction);
    m_zooMenu = m_fileMenu->addMenu(QString());
    connect(m_zooMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildZooMenu);
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_datasetAction);
    m_fileMenu->addAction(m_exportAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);

    m_modelMenu = menuBar()->addMenu(QString());
    m_modelMenu->addAction(m_evaluateAction);
    m_modelMenu->addAction(m_latencyAction);
    m_modelMenu->addAction(m_sensitivityAction);
    m_modelMenu->addAction(m_sweepAction);
    m_modelMenu->addAction(m_fitAction);
    m_modelMenu->addAction(m_modelPanel->clearOverridesAction());
    m_modelMenu->addSeparator();
    m_modelMenu->addAction(m_cancelAction);

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(m_historyDock->toggleViewAction());
    m_viewMenu->addAction(m_distillDock->toggleViewAction());
    m_viewMenu->addAction(m_tuneDock->toggleViewAction());
    m_viewMenu->addAction(m_deviceDock->toggleViewAction());
    m_viewMenu->addAction(m_jobsDock->toggleViewAction());
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_presentationAction);
    m_languageMenu = m_viewMenu->addMenu(QString());
    m_languageMenu->setObjectName(u"languageMenu"_s);
    m_languageMenu->addActions(m_languageGroup->actions());

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_aboutAction);

    m_toolBar = addToolBar(QString());
    m_toolBar->setObjectName(u"mainToolBar"_s);
    m_toolBar->addAction(m_openAction);
    m_toolBar->addAction(m_datasetAction);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_evaluateAction);
    m_toolBar->addAction(m_latencyAction);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = Settings::instance().recentFiles();
    for (const QString &f : files)
        m_recentMenu->addAction(QFileInfo(f).fileName() + u"  —  "_s + QFileInfo(f).absolutePath(), this, [this, f] { openModel(f); });
    if (files.isEmpty())
        m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
    else {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear List"), this, [] { Settings::instance().clearRecentFiles(); });
    }
}

void MainWindow::rebuildZooMenu()
{
    m_zooMenu->clear();
    for (const ZooEntry &e : zooEntries()) {
        QAction *a = m_zooMenu->addAction(e.name, this, [this, e] { openModel(e.modelPath); });
        a->setToolTip(e.description);
        if (!e.built) {
            a->setEnabled(false);
            a->setText(tr("%1 (not built: run compresslab-cli zoo build)").arg(e.name));
        }
    }
}

void MainWindow::updateActions()
{
    const bool busy = m_job && m_job->isRunning();
    m_openAction->setEnabled(!busy);
    m_recentMenu->setEnabled(!busy);
    m_zooMenu->setEnabled(!busy);
    m_datasetAction->setEnabled(!busy && m_model);
    m_evaluateAction->setEnabled(!busy && m_model && !m_datasetPath.isEmpty());
    m_latencyAction->setEnabled(!busy && m_model);
    m_sensitivityAction->setEnabled(!busy && m_model);
    m_sweepAction->setEnabled(!busy && m_model && !m_datasetPath.isEmpty());
    m_fitAction->setEnabled(!busy && m_model && !m_datasetPath.isEmpty());
    m_exportAction->setEnabled(!busy && m_model && !m_tune->configJson().isEmpty());
    m_cancelAction->setEnabled(busy);
}

} // namespace compresslab
