#pragma once
// Measured results of this session's evaluations and latency runs, newest first, each labelled
// "measured" with the kernels it ran with.
#include <QTableWidget>

namespace compresslab {

struct EvalResult;
struct LatencyResult;

class ResultsPanel : public QTableWidget {
    Q_OBJECT
public:
    explicit ResultsPanel(QWidget *parent = nullptr);
    void addEvaluation(const QString &modelName, const QString &datasetName, const EvalResult &result);
    void addLatency(const QString &modelName, const LatencyResult &result);
    // Files written by an export; `details` names them and, for ONNX, the measured comparison.
    void addExport(const QString &modelName, const QString &summary, const QString &details);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateHeader();
    void addRow(const QString &what, const QString &model, const QString &value, const QString &details);
};

} // namespace compresslab
