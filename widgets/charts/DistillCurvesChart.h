#pragma once
// Live distillation curves: training loss per step (left axis) and the evaluation metric at each
// evaluation (right axis), both measured on this machine while the student trains.
#include "history/HistoryTypes.h"

#include <QWidget>

class QCustomPlot;
class QCPGraph;

namespace compresslab {

class DistillCurvesChart : public QWidget {
    Q_OBJECT
public:
    explicit DistillCurvesChart(QWidget *parent = nullptr);
    void clear();
    void addPoints(const QVector<history::CurvePoint> &points);
    QCustomPlot *plot() const { return m_plot; }
    int lossPoints() const;
    int evalPoints() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void rescale();
    QCustomPlot *m_plot;
    QCPGraph *m_loss;
    QCPGraph *m_eval;
    QString m_metric; // "accuracy" or "perplexity", from the first evaluation point
};

} // namespace compresslab
