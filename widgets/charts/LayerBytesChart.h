#pragma once
// Horizontal bars: bytes held directly by each layer that owns tensors, in model order, so the
// layers that dominate the model's size stand out at a glance.
#include <QWidget>

class QCustomPlot;
class QCPBars;

namespace compresslab {

struct ModelSummary;

class LayerBytesChart : public QWidget {
    Q_OBJECT
public:
    explicit LayerBytesChart(QWidget *parent = nullptr);
    void setSummary(const ModelSummary &summary);
    void highlight(const QString &modulePath);
    QCustomPlot *plot() const { return m_plot; }
    int barCount() const { return m_paths.size(); }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    QCustomPlot *m_plot;
    QCPBars *m_bars;
    QCPBars *m_shared; // tied weights, stacked on the owned bytes and counted once in the totals
    QCPBars *m_highlight;
    QStringList m_paths;
    QVector<double> m_values; // bytes
    double m_unit = 1;        // bytes per axis unit
};

} // namespace compresslab
