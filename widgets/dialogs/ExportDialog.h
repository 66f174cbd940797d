#pragma once
// Where and in which forms to write the compressed model of the current configuration: dequantized
// TorchScript and the packed artifact always, TorchScript with real int8 kernels on request, and ONNX
// when the ONNX tool can run here (probed in the background once per session; if it cannot, the dialog
// says why instead of offering it).
#include <QDialog>
#include <QPointer>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace compresslab {

class Job;

struct ExportChoice {
    QString outDir;
    bool int8Kernels = false;
    bool onnx = false;
    bool compareOnnx = false; // run ONNX Runtime on the dataset and compare with TorchScript
};

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    // int8Unavailable: why int8 kernels cannot be written for this configuration (empty: they can).
    ExportDialog(const QString &modelName, const QString &configSummary, const QString &defaultDir, bool haveDataset,
                 const QString &int8Unavailable, QWidget *parent = nullptr);
    ExportChoice choice() const;

private:
    void probeOnnx();
    void showOnnxStatus();
    void updateCompareBox(); // the compare box is usable only with ONNX chosen, a runtime and a dataset

    bool m_haveDataset;
    QLineEdit *m_dir;
    QCheckBox *m_int8;
    QCheckBox *m_onnx;
    QCheckBox *m_compare;
    QLabel *m_onnxStatus;
    QPointer<Job> m_probe;
};

} // namespace compresslab
