#include "MainWindow.h"

#include "LiveTuning.h"
#include "WeightHistogramView.h"
#include "charts/WeightHistogramChart.h"
#include "Settings.h"
#include "Translation.h"
#include "charts/TradeoffChart.h"
#include "panels/TunePanel.h"
#include "charts/LayerBytesChart.h"
#include "common/UserError.h"
#include "eval/EvalResult.h"
#include "eval/Latency.h"
#include "host/ModelHostClient.h"
#include "jobs/Job.h"
#include "jobs/JobRegistry.h"
#include "jobs/ModelProbe.h"
#include "model/Model.h"
#include "model/ModelDescription.h"
#include "panels/DistillPanel.h"
#include "panels/HistoryPanel.h"
#include "panels/ModelPanel.h"
#include "panels/ModelTreeView.h"
#include "panels/ResultsPanel.h"
#include "report/FromJson.h"
#include "charts/ChartStyle.h"
#include "devices/DeviceChart.h"
#include "devices/DevicePanel.h"
#include "devices/DeviceView.h"
#include "dialogs/SweepDialog.h"
#include "dialogs/FitDialog.h"
#include "panels/JobsPanel.h"
#include "jobs/ExportWork.h"
#include "compress/CompressionConfig.h"
#include "zoo/Zoo.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// Dock contents scroll rather than impose their full height on the window: the right column holds the
// controls (or distillation) and the device view, and must still fit a 768-pixel screen.
QScrollArea *scrollable(QWidget *content)
{
    auto *area = new QScrollArea;
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    return area;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_host(std::make_shared<ModelHostClient>()), m_tree(new ModelTreeView), m_chart(new LayerBytesChart), m_results(new ResultsPanel),
      m_history(new HistoryPanel), m_distill(new DistillPanel), m_tune(new TunePanel), m_tradeoff(new TradeoffChart),
      m_live(new LiveTuning(m_tune, m_tradeoff, m_host, this)),
      m_info(new QLabel), m_status(new QLabel), m_progress(new QProgressBar), m_cancelButton(new QToolButton),
      m_chartTabs(new QTabWidget), m_historyDock(new QDockWidget(this)), m_distillDock(new QDockWidget(this)),
      m_tuneDock(new QDockWidget(this)), m_deviceView(new DeviceView(m_tune, this)), m_deviceDock(new QDockWidget(this)),
      m_jobs(new JobsPanel), m_jobsDock(new QDockWidget(this))
{
    m_deviceView->setHost(m_host);
    m_distill->setHost(m_host);
    m_confirmNonFinite = [this](const QString &path, const QStringList &tensors) { return askAboutNonFinite(path, tensors); };
    m_chooseExport = [this](const QString &configSummary, const QString &defaultDir,
                            const QString &int8Unavailable) -> std::optional<ExportChoice> {
        ExportDialog dialog(m_model->displayName(), configSummary, defaultDir, !m_datasetPath.isEmpty(), int8Unavailable, this);
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        return dialog.choice();
    };
    setAcceptDrops(true);
    m_info->setTextFormat(Qt::RichText);
    m_info->setWordWrap(true);
    m_info->setMargin(6);

    m_chartTabs->addTab(m_tradeoff, QString());
    m_chartTabs->addTab(m_chart, QString());
    m_chartTabs->addTab(m_deviceView->chart(), QString());
    m_weights = new WeightHistogramView(m_tree, m_tune, this); // the picked layer's weights under the current configuration
    m_weights->setHost(m_host);
    m_chartTabs->addTab(m_weights->chart(), QString());
    auto *top = new QSplitter(Qt::Horizontal);
    m_modelPanel = new ModelPanel(m_tree);
    top->addWidget(m_modelPanel);
    top->addWidget(m_chartTabs);
    top->setStretchFactor(0, 1);
    top->setStretchFactor(1, 1);
    top->setSizes({500, 500}); // the tree scrolls sideways to its override columns; the charts need the width more
    auto *vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(top);
    vertical->addWidget(m_results);
    vertical->setStretchFactor(0, 4);
    vertical->setStretchFactor(1, 1);
    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_info);
    layout->addWidget(vertical, 1);
    setCentralWidget(central);

    m_progress->setMaximumWidth(260);
    m_progress->setVisible(false);
    m_cancelButton->setVisible(false);
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);
    if (const QString aside = Settings::instance().damagedFileKeptAt(); !aside.isEmpty())
        m_status->setText(tr("The settings file was damaged: it was kept as %1 and defaults apply").arg(aside));

    // The experiment history docks below; it opens (and checks) its file in the background.
    m_historyDock->setObjectName(u"historyDock"_s);
    m_historyDock->setWidget(m_history);
    addDockWidget(Qt::BottomDockWidgetArea, m_historyDock);
    m_history->openHistory(Settings::instance().historyPath());

    // The jobs list shares the bottom with the history; its title counts the running jobs.
    m_jobsDock->setObjectName(u"jobsDock"_s);
    m_jobsDock->setWidget(m_jobs);
    addDockWidget(Qt::BottomDockWidgetArea, m_jobsDock);
    tabifyDockWidget(m_historyDock, m_jobsDock);
    m_historyDock->raise();
    connect(m_jobs, &JobsPanel::runningCountChanged, this, [this](int running) { m_jobsDock->setWindowTitle(jobsDockTitle(running)); });

    // Distillation docks on the right; its runs land in the history, which then re-reads its list.
    m_distillDock->setObjectName(u"distillDock"_s);
    m_distillDock->setWidget(scrollable(m_distill));
    addDockWidget(Qt::RightDockWidgetArea, m_distillDock);
    connect(m_distill, &DistillPanel::recorded, m_history, &HistoryPanel::refresh);
    connect(m_distill, &DistillPanel::recorded, m_live, &LiveTuning::refreshChart);

    // The compression controls: every change is measured in the background and lands on the trade-off chart.
    m_tuneDock->setObjectName(u"tuneDock"_s);
    m_tuneDock->setWidget(scrollable(m_tune));
    addDockWidget(Qt::RightDockWidgetArea, m_tuneDock);
    connect(m_live, &LiveTuning::recorded, m_history, &HistoryPanel::refresh);
    connect(m_tradeoff, &TradeoffChart::experimentClicked, m_history, &HistoryPanel::selectExperiment);
    // Re-run from the history: the controls take the recorded configuration and measure it (a new experiment).
    connect(m_history, &HistoryPanel::rerunRequested, this, [this](const QJsonObject &config) {
        m_tune->setConfigJson(config);
        m_tuneDock->show();
        m_tuneDock->raise();
    });
    connect(m_history, &HistoryPanel::experimentsChanged, m_live, &LiveTuning::refreshChart);

    // The device view under the controls: fit, margin, latency and energy (estimated) as the controls move.
    m_deviceDock->setObjectName(u"deviceDock"_s);
    m_deviceDock->setWidget(m_deviceView->panel());
    addDockWidget(Qt::RightDockWidgetArea, m_deviceDock);
    splitDockWidget(m_tuneDock, m_deviceDock, Qt::Vertical); // before tabifying: a tabbed dock cannot be split
    tabifyDockWidget(m_tuneDock, m_distillDock);
    m_tuneDock->raise();
    // The right column runs down to the status bar, so the controls and the device view share its full height.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    createActions();
    createMenus();
    retranslateUi();
    m_cancelButton->setDefaultAction(m_cancelAction);
    connect(m_tree, &ModelTreeView::modulePicked, m_chart, &LayerBytesChart::highlight);
    // Per-layer overrides edited in the tree become the configuration's "layers"; the chart shows each configuration's report.
    connect(m_tree, &ModelTreeView::overridesChanged, m_tune, &TunePanel::setLayerOverrides);
    connect(m_tune, &TunePanel::configChanged, m_tree, &ModelTreeView::setCompressionConfig);
    m_tree->setCompressionConfig(m_tune->configJson());
    connect(m_tune, &TunePanel::configChanged, m_tree, [this] { // a configuration set whole (a re-run) drops the overrides
        if (m_tune->layerOverrides().isEmpty() && !m_tree->layerOverrides().isEmpty())
            m_tree->clearOverrides();
    });
    connect(m_live, &LiveTuning::compressed, m_chart, &LayerBytesChart::setReport);
    connect(m_live, &LiveTuning::compressed, m_tree, &ModelTreeView::setCompressionReport);
    connect(&Settings::instance(), &Settings::recentFilesChanged, this, &MainWindow::rebuildRecentMenu);
    connect(&Settings::instance(), &Settings::languageChanged, this, [this](UiLanguage language) {
        for (QAction *a : m_languageGroup->actions())
            a->setChecked(a->data().toInt() == int(language));
    });

    resize(1280, 800);
    restoreGeometry(Settings::instance().windowGeometry());
    if (!restoreState(Settings::instance().windowState(), kLayoutVersion)) {
        // First start (or a layout of another version): the controls get about 330 px, the device table the rest
        // and room for its five columns. Docks take their sizes only once the window is laid out.
        QTimer::singleShot(0, this, [this] {
            resizeDocks({m_deviceDock}, {height() - 420}, Qt::Vertical); // a dock in a tab group cannot be sized itself
            resizeDocks({m_deviceDock}, {530}, Qt::Horizontal); // five columns for a language model
        });
    }
    updateInfo();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::setUiLanguage(UiLanguage language)
{
    Settings::instance().setLanguage(language);
    const QString shown = installTranslators(language);
    if (language == UiLanguage::German && shown != "de"_L1)
        m_status->setText(tr("The German translation compresslab_de.qm was not found in %1").arg(translationDirectories().join(u", "_s)));
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

QString MainWindow::taskText(Task task)
{
    // compresslab.json says "classification"; the window says it in its language.
    switch (task) {
    case Task::Classification: return tr("classification");
    case Task::LanguageModeling: return tr("language modeling");
    case Task::Unknown: return tr("unknown");
    }
    return taskName(task);
}

void MainWindow::updateInfo()
{
    if (!m_model) {
        m_info->setText(tr("<b>No model open.</b> Open a TorchScript model with File ▸ Open, drop a .pt file here, "
                           "or pick a demo model from File ▸ Open Demo Model."));
        setWindowTitle(tr("CompressLab"));
        return;
    }
    const ModelSummary &s = m_model->summary;
    const ModelMetadata &meta = m_model->metadata;
    QString text = tr("<b>%1</b> — %2 parameters, %3 of weights and buffers (file %4)")
                       .arg(m_model->displayName().toHtmlEscaped(), formatCount(s.parameterCount),
                            formatBytes(s.totalBytes()), formatBytes(s.fileBytes));
    if (s.sharedTensors > 0)
        text += tr(", %n tied tensor(s) counted once", nullptr, int(s.sharedTensors));
    if (meta.present)
        text += tr("<br>Task: %1; input %2 %3").arg(taskText(meta.task), formatShape(meta.inputShape), meta.inputDtype);
    text += m_datasetPath.isEmpty() ? tr("<br>Dataset: none chosen (File ▸ Choose Dataset)")
                                    : tr("<br>Dataset: %1").arg(m_datasetPath.toHtmlEscaped());
    m_info->setText(text);
    setWindowTitle(tr("%1 — CompressLab").arg(m_model->displayName()));
}

void MainWindow::showError(const QString &title, const QString &message)
{
    m_status->setText(message);
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // window-modal but not blocking: jobs and tests keep running
    Q_EMIT errorShown(message);
}

void MainWindow::runJob(const QString &title, std::function<void(const std::function<bool(qint64, qint64)> &)> work,
                        std::function<void()> onSuccess)
{
    if (m_job && m_job->isRunning())
        return;
    auto *job = new Job(title, std::move(work), this);
    m_job = job;
    m_status->setText(tr("%1…").arg(title));
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    m_cancelButton->setVisible(true);
    connect(job, &Job::progressChanged, this, [this, job](qint64 done, qint64 total) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(total > 0 ? int(1000 * done / total) : 0);
        const qint64 eta = job->etaMs(done, total);
        m_progress->setFormat(eta >= 0 ? tr("%p% — %1 s left").arg((eta + 999) / 1000) : tr("%p%"));
    });
    connect(job, &Job::succeeded, this, [this, title, onSuccess, job] {
        onSuccess();
        m_status->setText(tr("%1 finished in %2 s").arg(title).arg(double(job->elapsedMs()) / 1000.0, 0, 'f', 1));
    });
    connect(job, &Job::failed, this, [this, title](const QString &reason) { showError(tr("%1 failed").arg(title), reason); });
    connect(job, &Job::cancelled, this, [this, title] { m_status->setText(tr("%1 cancelled").arg(title)); });
    connect(job, &Job::finished, this, [this, job] {
        m_progress->setVisible(false);
        m_cancelButton->setVisible(false);
        job->deleteLater();
        updateActions();
        updateInfo();
        Q_EMIT jobFinished();
    });
    job->start();
    updateActions();
}

void MainWindow::openModel(const QString &path)
{
    auto probe = std::make_shared<ModelProbe>();
    runJob(tr("Loading %1").arg(QFileInfo(path).fileName()),
           [path, probe](const ProgressCallback &progress) {
               // An isolated worker loads the file and runs it once: if it crashes or exhausts memory,
               // that worker dies and this window reports why. The window keeps only its description.
               *probe = probeModelFile(path, progress);
           },
           [this, path, probe] {
               if (!probe->nonFinite.isEmpty() && !Model::nonFiniteAccepted(path)) { // NaN/Inf weights: the user decides
                   if (!m_confirmNonFinite(path, probe->nonFinite)) {
                       // After runJob's own "finished" text, which would otherwise replace this one.
                       QTimer::singleShot(0, this, [this, path] {
                           m_status->setText(tr("%1 not opened: its weights hold NaN or Inf").arg(QFileInfo(path).fileName()));
                       });
                       return;
                   }
                   Model::acceptNonFinite(path); // the model host's requests now say so
               }
               m_model = std::make_shared<const ModelDescription>(probe->description);
               m_tree->setSummary(m_model->summary);
               m_chart->setSummary(m_model->summary);
               Settings::instance().addRecentFile(path);
               Settings::instance().setLastModel(m_model->path);
               Settings::instance().setLastDirectory(QFileInfo(path).absolutePath());
               // A model shipped with its evaluation set (the zoo layout) gets it chosen automatically.
               const QString sibling = QFileInfo(path).absolutePath() + u"/eval.safetensors"_s;
               m_datasetPath = QFileInfo::exists(sibling) ? sibling : QString();
               QTimer::singleShot(0, this, [this, probe] {
                   if (!probe->nonFinite.isEmpty())
                       m_status->setText(tr("Opened with NaN/Inf weights in: %1").arg(probe->nonFinite.join(u"; "_s)));
               });
               for (const QString &w : m_model->metadata.warnings)
                   m_status->setText(tr("Metadata warning: %1").arg(w));
               m_distill->setTeacher(m_model->path, m_datasetPath);
               m_live->setModel(m_model, m_datasetPath);
               m_weights->setModel(m_model, m_datasetPath);
               m_deviceView->setModel(m_model);
               m_history->setOpenModel(m_model->path, m_datasetPath);
               updateInfo();
               Q_EMIT modelLoaded();
           });
}

bool MainWindow::askAboutNonFinite(const QString &path, const QStringList &tensors)
{
    const QString list = QStringList(tensors.mid(0, 8)).join(u"\n"_s) + (tensors.size() > 8 ? u"\n…"_s : QString());
    return QMessageBox::warning(this, tr("NaN or Inf weights"),
                                tr("%1 holds NaN or Inf values in %n tensor(s):\n\n%2\n\nEvery size is still right, but accuracy, "
                                   "perplexity and compression errors computed from these weights will be meaningless. Open it anyway?",
                                   nullptr, int(tensors.size()))
                                    .arg(QFileInfo(path).fileName(), list),
                                QMessageBox::Open | QMessageBox::Cancel, QMessageBox::Cancel) == QMessageBox::Open;
}

void MainWindow::setDatasetPath(const QString &path)
{
    m_datasetPath = path;
    if (m_model) {
        m_distill->setTeacher(m_model->path, m_datasetPath);
        m_live->setModel(m_model, m_datasetPath);
        m_weights->setModel(m_model, m_datasetPath);
        m_history->setOpenModel(m_model->path, m_datasetPath);
    }
    updateInfo();
    updateActions();
}

namespace {

// A request to the model host about `model` and the chosen dataset.
QJsonObject hostRequest(const QString &op, const ModelDescription &model, const QString &dataPath)
{
    QJsonObject request = ModelHostClient::request(op, model.path);
    request.insert(u"data"_s, dataPath);
    return request;
}

} // namespace

void MainWindow::evaluate()
{
    if (!m_model || m_datasetPath.isEmpty())
        return;
    auto model = m_model;
    auto host = m_host;
    const QJsonObject request = hostRequest(u"evaluate"_s, *m_model, m_datasetPath);
    auto result = std::make_shared<EvalResult>();
    auto datasetName = std::make_shared<QString>();
    runJob(tr("Evaluating %1").arg(m_model->displayName()),
           [host, request, result, datasetName](const ProgressCallback &progress) {
               const QJsonObject answer = host->call(request, progress);
               *result = evalResultFromJson(answer.value(u"eval"_s).toObject());
               *datasetName = answer.value(u"dataset_name"_s).toString();
           },
           [this, model, result, datasetName] { m_results->addEvaluation(model->displayName(), *datasetName, *result); });
}

void MainWindow::measureLatency()
{
    if (!m_model)
        return;
    auto model = m_model;
    auto host = m_host;
    const QJsonObject request = hostRequest(u"latency"_s, *m_model, m_datasetPath);
    auto result = std::make_shared<LatencyResult>();
    runJob(tr("Measuring latency of %1").arg(m_model->displayName()),
           [host, request, result](const ProgressCallback &progress) { *result = latencyResultFromJson(host->call(request, progress)); },
           [this, model, result] { m_results->addLatency(model->displayName(), *result); });
}

void MainWindow::analyseSensitivity()
{
    if (!m_model)
        return;
    if (m_datasetPath.isEmpty()) {
        showError(tr("Analyse Sensitivity"), tr("Sensitivity is measured on data: choose a dataset first (File ▸ Choose Dataset)."));
        return;
    }
    const QString dataPath = m_datasetPath;
    const SensitivityParams params = m_modelPanel->sensitivityParams();
    auto result = std::make_shared<SensitivityResult>();
    auto host = m_host;
    QJsonObject request = hostRequest(u"sensitivity"_s, *m_model, dataPath);
    request.insert(u"params"_s, toJson(params));
    runJob(tr("Analysing the sensitivity of %1").arg(m_model->displayName()),
           [host, request, result](const ProgressCallback &progress) {
               const QJsonObject answer = host->call(request, progress); // a cached result returns at once
               *result = sensitivityFromJson(answer);
               result->cachePath = answer.value(u"cache_path"_s).toString();
           },
           [this, result] {
               m_modelPanel->setSensitivity(*result);
               m_chart->setSensitivity(*result);
           });
}

namespace {

// One non-modal dialog per model and dataset: for another model or dataset, `make` builds a fresh one (deleting
// the old one cancels its job, whose results were for the other model).
template <class Dialog, class Make>
Dialog *showDialogFor(QPointer<Dialog> &dialog, const QString &modelPath, const QString &datasetPath, Make make)
{
    if (!dialog || dialog->property("modelPath").toString() != modelPath || dialog->property("datasetPath").toString() != datasetPath) {
        delete dialog;
        dialog = make();
        dialog->setProperty("modelPath", modelPath);
        dialog->setProperty("datasetPath", datasetPath);
    }
    dialog->show();
    dialog->raise();
    return dialog;
}

} // namespace

FitDialog *MainWindow::openFitDialog()
{
    if (!m_model || m_datasetPath.isEmpty())
        return nullptr;
    return showDialogFor(m_fitDialog, m_model->path, m_datasetPath,
                         [this] {
                             auto *dialog = new FitDialog(m_model->path, m_datasetPath, m_tune, this);
                             dialog->setHost(m_host);
                             return dialog;
                         });
}

SweepDialog *MainWindow::openSweepDialog()
{
    if (!m_model || m_datasetPath.isEmpty())
        return nullptr;
    return showDialogFor(m_sweepDialog, m_model->path, m_datasetPath, [this] {
        auto *dialog = new SweepDialog(m_model->path, m_datasetPath, m_tune, this);
        dialog->setHost(m_host);
        // Each configuration recorded: the history list and the trade-off chart re-read it.
        connect(dialog, &SweepDialog::recorded, m_history, &HistoryPanel::refresh);
        connect(dialog, &SweepDialog::recorded, m_live, &LiveTuning::refreshChart);
        return dialog;
    });
}

void MainWindow::exportCompressedModel()
{
    const QJsonObject config = m_tune->configJson();
    if (!m_model || config.isEmpty())
        return;
    QString summary, int8Unavailable;
    try {
        CompressionConfig parsed = parseCompressionConfig(config);
        summary = parsed.describe();
        parsed.int8Kernels = true;
        try {
            validate(parsed);
        } catch (const UserError &e) { // e.g. int8 kernels with 4-bit weights would change the result
            int8Unavailable = e.message();
        }
    } catch (const UserError &e) {
        showError(tr("Export failed"), e.message());
        return;
    }
    const QString defaultDir = Settings::instance().lastDirectory() + u'/' + QFileInfo(m_model->path).completeBaseName()
                               + u"-compressed"_s;
    const std::optional<ExportChoice> choice = m_chooseExport(summary, defaultDir, int8Unavailable);
    if (!choice)
        return;
    const QString modelPath = m_model->path, dataPath = m_datasetPath, name = m_model->displayName();
    auto outcome = std::make_shared<ExportOutcome>();
    runJob(tr("Exporting %1").arg(name),
           [host = m_host, modelPath, config, choice, dataPath, outcome](const ProgressCallback &progress) {
               *outcome = writeCompressedModel(*host, modelPath, config, *choice, dataPath, progress);
           },
           [this, name, summary, choice, outcome] {
               QStringList details{tr("%1 in %2").arg(summary, choice->outDir), outcome->files.join(u", "_s)};
               if (!outcome->int8Engine.isEmpty()) // first: what was measured matters more than where the files went
                   details.prepend(outcome->int8Engine);
               if (!outcome->onnxSummary.isEmpty())
                   details << outcome->onnxSummary;
               m_results->addExport(name, tr("%n file(s) written", nullptr, int(outcome->files.size())), details.join(u"; "_s));
           });
}

void MainWindow::setPresentationMode(bool on)
{
    constexpr double kScale = 1.5; // a projector at the back of a classroom
    if (on == m_presenting)
        return;
    m_presenting = on;
    if (on) {
        m_normalFont = QApplication::font();
        QFont large = m_normalFont;
        large.setPointSizeF(m_normalFont.pointSizeF() * kScale);
        QApplication::setFont(large);
        // The larger texts need the whole screen; the explicit size also holds where no window manager maximizes.
        m_normalGeometry = isMaximized() ? QRect() : geometry();
        showMaximized();
        if (screen())
            setGeometry(screen()->availableGeometry());
    } else {
        QApplication::setFont(m_normalFont);
        if (m_normalGeometry.isValid()) {
            showNormal();
            setGeometry(m_normalGeometry);
        }
    }
    setChartsScale(this, on ? kScale : 1.0);
    // The device table's five columns at 1.5x text need about 3/8 of the screen; back to the user's width after.
    if (on)
        m_normalRightDockWidth = m_deviceDock->width();
    QTimer::singleShot(0, this, [this, on] {
        resizeDocks({m_deviceDock}, {on ? width() * 3 / 8 : m_normalRightDockWidth}, Qt::Horizontal);
    });
    m_presentationAction->setChecked(on);
}

void MainWindow::cancelJob()
{
    if (m_job) {
        m_job->cancel();
        m_status->setText(tr("Cancelling after the current batch…"));
    }
}

void MainWindow::chooseModelFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), Settings::instance().lastDirectory(),
                                                      tr("TorchScript models (*.pt *.pth *.ptl *.torchscript);;All files (*)"));
    if (!path.isEmpty())
        openModel(path);
}

void MainWindow::chooseDatasetFile()
{
    const QString start = m_datasetPath.isEmpty() ? Settings::instance().lastDirectory() : QFileInfo(m_datasetPath).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose Dataset"), start,
                                                      tr("CompressLab datasets (*.safetensors);;All files (*)"));
    if (!path.isEmpty())
        setDatasetPath(path);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_job && m_job->isRunning()) {
        m_job->cancel(); // the Job destructor waits for the current batch to finish
    }
    Settings::instance().setWindowLayout(saveGeometry(), saveState(kLayoutVersion));
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().size() == 1 && event->mimeData()->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = event->mimeData()->urls().first().toLocalFile();
    if (path.endsWith(".safetensors"_L1) && m_model)
        setDatasetPath(path);
    else
        openModel(path);
    event->acceptProposedAction();
}

} // namespace compresslab
