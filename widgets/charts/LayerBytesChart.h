#pragma once
// Horizontal bars, one per layer in model order, in one of several views: the bytes each layer holds now (so
// the layers that dominate the model's size stand out), its bytes after the current compression, its measured
// sensitivity (output drift as KL, or the metric's change, with only that layer compressed at a chosen setting),
// or its weight error after the current compression.
#include "analysis/Sensitivity.h"
#include "compress/CompressionReport.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QCPBars;
class QCPItemText;
class QLabel;

namespace compresslab {

struct ModelSummary;

class LayerBytesChart : public QWidget {
    Q_OBJECT
public:
    enum View { BytesNow, BytesAfter, SensitivityKl, SensitivityMetric, WeightError, ViewCount };
    explicit LayerBytesChart(QWidget *parent = nullptr);
    void setSummary(const ModelSummary &summary); // a new model: its report and sensitivity are cleared
    void setReport(const CompressionReport &report); // the current configuration's; no layers = no compression
    void setSensitivity(const SensitivityResult &result);
    void highlight(const QString &modulePath);

    void setView(View view);
    View view() const;
    QComboBox *viewSelector() const { return m_view; }
    QComboBox *settingSelector() const { return m_setting; } // the probe the sensitivity views show
    QCustomPlot *plot() const { return m_plot; }
    int barCount() const { return int(m_paths.size()); }
    QStringList barPaths() const { return m_paths; }
    QVector<double> barValues() const { return m_values; } // in the axis' unit
    bool showsMessage() const;                             // the view has no data yet and says how to get it

protected:
    void changeEvent(QEvent *event) override;

private:
    struct BytesRow {
        QString path, label;
        double owned = 0, shared = 0; // shared: tied to an earlier layer, counted once
    };
    void retranslateUi();
    void rebuild(); // the bars of the current view
    void setBars(const QStringList &labels, const QVector<double> &values);
    void showMessage(const QString &text);
    void labelRows(); // as many layer names as fit the rows' height (all, once zoomed in)

    QComboBox *m_view;
    QLabel *m_settingLabel;
    QComboBox *m_setting;
    QCustomPlot *m_plot;
    QCPBars *m_before; // the bytes now, behind the bytes after compression
    QCPBars *m_bars;
    QCPBars *m_shared; // tied weights, stacked on the owned bytes and counted once in the totals
    QCPBars *m_highlight;
    QCPItemText *m_message;

    QVector<BytesRow> m_rows; // every module that owns tensors
    bool m_anyShared = false;
    CompressionReport m_report;
    bool m_hasReport = false;
    SensitivityResult m_sensitivity;
    bool m_hasSensitivity = false;

    QStringList m_paths;      // of the bars shown
    QStringList m_labels;
    int m_labelStride = 0;    // every how many rows a name is shown
    QVector<double> m_values; // in the axis' unit
    double m_unit = 1;        // bytes per axis unit in the bytes views
    QString m_highlighted;
};

} // namespace compresslab
