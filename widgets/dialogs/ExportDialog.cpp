#include "dialogs/ExportDialog.h"

#include "export/OnnxExportTool.h"
#include "jobs/Job.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// The probe imports torch in a child Python (seconds): once per session is enough.
std::optional<OnnxToolStatus> &cachedOnnxStatus()
{
    static std::optional<OnnxToolStatus> status;
    return status;
}

} // namespace

ExportDialog::ExportDialog(const QString &modelName, const QString &configSummary, const QString &defaultDir,
                           bool haveDataset, const QString &int8Unavailable, QWidget *parent)
    : QDialog(parent), m_haveDataset(haveDataset), m_dir(new QLineEdit(defaultDir)),
      m_int8(new QCheckBox(tr("Also a TorchScript model with real int8 kernels (model-int8.pt)"))),
      m_onnx(new QCheckBox(tr("ONNX: model.onnx, and model-qdq.onnx for the int8 layers"))),
      m_compare(new QCheckBox(tr("Compare the ONNX models with TorchScript on the dataset"))), m_onnxStatus(new QLabel)
{
    setWindowTitle(tr("Export Compressed Model"));
    auto *browse = new QPushButton(tr("Choose…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export Folder"), m_dir->text());
        if (!dir.isEmpty())
            m_dir->setText(dir);
    });
    auto *dirRow = new QHBoxLayout;
    dirRow->addWidget(m_dir, 1);
    dirRow->addWidget(browse);

    auto *always = new QLabel(tr("Always written: model-dequantized.pt (TorchScript with the compressed weights, runs "
                                 "anywhere), model-packed.safetensors (the packed low-bit weights; restores the model "
                                 "bit-exactly). The original model file is never changed."));
    always->setWordWrap(true);
    m_int8->setToolTip(tr("Linear layers become quantized::linear_dynamic: the file really runs int8 matrix kernels "
                          "(oneDNN or QNNPACK: both are timed on the model's input on this machine and the faster is kept), so its "
                          "speed can be measured, not assumed. Needs Linear layers."));
    m_onnx->setToolTip(tr("Writes ONNX files for other runtimes with tools/onnx/export_onnx.py (Debian's python3-torch "
                          "and python3-onnx) and checks them with onnx.checker."));
    m_compare->setToolTip(tr("Runs both ONNX files under ONNX Runtime on the chosen dataset and reports how far their "
                             "outputs and metrics are from the TorchScript models'."));
    if (!int8Unavailable.isEmpty()) {
        m_int8->setEnabled(false);
        m_int8->setToolTip(tr("Not for this configuration: %1").arg(int8Unavailable));
    }
    m_onnxStatus->setWordWrap(true);
    m_onnx->setEnabled(false);
    m_compare->setEnabled(false);
    connect(m_onnx, &QCheckBox::toggled, this, [this] { updateCompareBox(); });
    connect(m_int8, &QCheckBox::toggled, this, [this] { updateCompareBox(); });

    auto *form = new QFormLayout;
    form->addRow(tr("Model:"), new QLabel(modelName));
    auto *config = new QLabel(configSummary);
    config->setWordWrap(true);
    form->addRow(tr("Compression:"), config);
    form->addRow(tr("Folder:"), dirRow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_dir, &QLineEdit::textChanged, this, [this, buttons] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_dir->text().trimmed().isEmpty());
    });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(always);
    layout->addWidget(m_int8);
    layout->addWidget(m_onnx);
    layout->addWidget(m_compare);
    layout->addWidget(m_onnxStatus);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());

    if (cachedOnnxStatus())
        showOnnxStatus();
    else
        probeOnnx();
}

ExportChoice ExportDialog::choice() const
{
    ExportChoice c;
    c.outDir = QDir::cleanPath(m_dir->text().trimmed());
    c.int8Kernels = m_int8->isEnabled() && m_int8->isChecked();
    c.onnx = m_onnx->isEnabled() && m_onnx->isChecked();
    c.compareOnnx = c.onnx && m_compare->isEnabled() && m_compare->isChecked();
    return c;
}

void ExportDialog::probeOnnx()
{
    m_onnxStatus->setText(tr("Checking whether ONNX export can run here…"));
    auto status = std::make_shared<OnnxToolStatus>();
    // Owned by the application, not the dialog: closing the dialog must not wait for the probe's Python.
    m_probe = new Job(tr("Checking the ONNX tool"), [status](const ProgressCallback &) { *status = probeOnnxTool(); }, qApp);
    connect(m_probe, &Job::succeeded, qApp, [status] { cachedOnnxStatus() = *status; });
    connect(m_probe, &Job::succeeded, this, [this] { showOnnxStatus(); });
    connect(m_probe, &Job::finished, m_probe, &QObject::deleteLater);
    m_probe->start();
}

void ExportDialog::showOnnxStatus()
{
    const OnnxToolStatus &status = *cachedOnnxStatus();
    m_onnx->setEnabled(status.canExport);
    if (!status.canExport) {
        m_onnx->setChecked(false);
        m_onnxStatus->setText(tr("ONNX export is not available here: %1").arg(status.reason));
    } else if (!status.canCompare) {
        m_onnxStatus->setText(tr("ONNX files can be written and checked, but not compared with TorchScript: %1").arg(status.reason));
    } else if (!m_haveDataset) {
        m_onnxStatus->setText(tr("Choose a dataset (File ▸ Choose Dataset) to compare the ONNX models on it."));
    } else {
        m_onnxStatus->clear();
    }
    updateCompareBox();
}

void ExportDialog::updateCompareBox()
{
    const bool onnxReady = cachedOnnxStatus() && cachedOnnxStatus()->canExport;
    m_compare->setEnabled(onnxReady && m_onnx->isChecked() && cachedOnnxStatus()->canCompare && m_haveDataset);
    if (!m_compare->isEnabled())
        m_compare->setChecked(false);
}

} // namespace compresslab
