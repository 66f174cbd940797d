#pragma once
// Ties the device view together: the estimates (recomputed as the compression controls move), the device
// panel (verdict for the picked device and the all-profiles table), the latency/memory chart, and the
// profile editor. The picked device is remembered across sessions.
#include <QObject>

#include <memory>

namespace compresslab {

class DeviceChart;
class DeviceEstimates;
class ModelHostClient;
class DevicePanel;
class DeviceProfilesDialog;
struct ModelDescription;
class TunePanel;

class DeviceView : public QObject {
    Q_OBJECT
public:
    DeviceView(TunePanel *tune, QWidget *dialogParent);
    DevicePanel *panel() const { return m_panel; }
    DeviceChart *chart() const { return m_chart; }
    DeviceEstimates *estimates() const { return m_estimates; }
    void setModel(std::shared_ptr<const ModelDescription> model);
    void setHost(std::shared_ptr<ModelHostClient> host); // where the estimates' compression runs

public Q_SLOTS:
    DeviceProfilesDialog *editProfiles(); // non-modal; estimates follow every saved change

private:
    QWidget *m_dialogParent;
    DevicePanel *m_panel;
    DeviceChart *m_chart;
    DeviceEstimates *m_estimates;
};

} // namespace compresslab
