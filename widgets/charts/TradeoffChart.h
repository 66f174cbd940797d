#pragma once
// The trade-off scatter: every recorded experiment of the open model, deployed size (exact) against its
// quality (measured), with the Pareto front drawn, and the current configuration as a live point that
// moves as the controls change (hollow while it is a quick measurement on a subset, filled when full).
// Hover shows an experiment's configuration; a click selects it.
#include "history/HistoryTypes.h"

#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QMouseEvent;

namespace compresslab {

class TradeoffChart : public QWidget {
    Q_OBJECT
public:
    explicit TradeoffChart(QWidget *parent = nullptr);
    // x: deployed bytes, y: the quality metric (higherIsBetter says which way is better).
    void setExperiments(const history::ParetoResult &points, const QString &yLabel);
    void setLivePoint(double bytes, double quality, bool quick, const QString &label);
    void clearLivePoint();
    void setQualityLabel(const QString &yLabel);
    QCustomPlot *plot() const { return m_plot; }
    int experimentCount() const { return m_points.size(); }
    bool hasLivePoint() const;
    // The experiment nearest to a position in widget pixels within `radius`, or 0.
    qint64 experimentAt(const QPointF &pos, double radius = 8) const;

Q_SIGNALS:
    void experimentClicked(qint64 id);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void hover(QMouseEvent *event);
    void click(QMouseEvent *event);
    void rescale();
    QCustomPlot *m_plot;
    QCPGraph *m_all;
    QCPGraph *m_front;
    QCPGraph *m_live;
    QVector<history::ParetoPoint> m_points;
    double m_unit = 1000; // bytes per axis unit (kB)
};

} // namespace compresslab
