#pragma once
// One layer's weights before (light filled histogram) and after compression (outline), over the same bins,
// with the quantization grid of one scale group as thin vertical lines; the title names the layer and the
// configuration, a second line the error, pruned zeros and distinct values. Log-scale counts on request.
#include "analysis/WeightHistogram.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QCPGraph;
class QCPTextElement;
class QCustomPlot;
class QLabel;

namespace compresslab {

class WeightHistogramChart : public QWidget {
    Q_OBJECT
public:
    explicit WeightHistogramChart(QWidget *parent = nullptr);
    void setHistogram(const WeightHistogram &histogram);
    void showMessage(const QString &text); // no histogram: why (pick a layer, an error)
    void setStatus(const QString &text);   // beside the controls, kept with the histogram (e.g. "computing…")
    void setLogScale(bool on);

    QCustomPlot *plot() const { return m_plot; }
    bool hasHistogram() const { return m_histogram.has_value(); }
    int gridLineCount() const;   // levels drawn
    int beforeBinCount() const;  // bins drawn (every bin, zero or not)
    int afterBinCount() const;
    QString title() const;
    QString subtitle() const;
    QString gridName() const;    // the grid's legend entry, empty when no grid is drawn
    QString status() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void refresh();         // data, texts and ranges from m_histogram
    void updateGridLines(); // impulses up to the top of the count axis
    QStringList stateParts() const; // what the state and the grid mean for this layer
    void wrapTexts();               // title and subtitle lines re-packed for the chart's width (before each replot)
    QCustomPlot *m_plot;
    QCPGraph *m_before;
    QCPGraph *m_after;
    QCPGraph *m_grid;
    QCPTextElement *m_subtitle;
    QCheckBox *m_log;
    QLabel *m_status;
    QString m_message;
    QStringList m_titleParts;
    QList<QStringList> m_subtitleLines; // each a line of parts, wrapped further where the chart is narrow
    std::optional<WeightHistogram> m_histogram;
};

} // namespace compresslab
