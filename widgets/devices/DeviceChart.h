#pragma once
// Latency and memory per device in one chart: a row per device profile with two bars, the estimated latency
// of one inference (bottom axis) and the memory the model needs as a share of what the device has (top
// axis, with the 100 % line where it stops fitting). Both axes are logarithmic: across devices latency
// spans four decades, and a small model takes a millionth of a large GPU's memory. The picked device's
// row is shaded.
#include <QWidget>

#include <memory>

class QCustomPlot;
class QCPBars;
class QCPItemRect;
class QCPItemStraightLine;

namespace compresslab {

struct ModelEstimate;

class DeviceChart : public QWidget {
    Q_OBJECT
public:
    explicit DeviceChart(QWidget *parent = nullptr);
    void setEstimate(std::shared_ptr<const ModelEstimate> estimate);
    void setPickedDevice(const QString &name);
    QCustomPlot *plot() const { return m_plot; }
    QStringList devices() const { return m_devices; }
    int devicesNotFitting() const; // bars drawn as "does not fit"

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void rebuild();

    QCustomPlot *m_plot;
    QCPBars *m_latency;
    QCPBars *m_memory;
    QCPBars *m_tooBig;
    QCPItemStraightLine *m_limit;
    QCPItemRect *m_pickedRow;
    std::shared_ptr<const ModelEstimate> m_estimate;
    QStringList m_devices;
    QString m_picked;
};

} // namespace compresslab
