#include "devices/DeviceView.h"

#include "Settings.h"
#include "devices/DeviceChart.h"
#include "devices/DeviceEstimates.h"
#include "devices/DevicePanel.h"
#include "devices/DeviceProfilesDialog.h"
#include "panels/TunePanel.h"

namespace compresslab {

DeviceView::DeviceView(TunePanel *tune, QWidget *dialogParent)
    : QObject(dialogParent), m_dialogParent(dialogParent), m_panel(new DevicePanel), m_chart(new DeviceChart), m_estimates(new DeviceEstimates(this))
{
    m_panel->setProfiles(m_estimates->catalog());
    m_panel->pickDevice(Settings::instance().lastDevice());
    m_chart->setPickedDevice(m_panel->pickedDevice());
    connect(tune, &TunePanel::configChanged, m_estimates, &DeviceEstimates::setConfig);
    connect(m_estimates, &DeviceEstimates::estimated, this, [this](std::shared_ptr<const ModelEstimate> estimate, const QString &configuration) {
        m_panel->setEstimate(estimate, configuration);
        m_chart->setEstimate(estimate);
    });
    connect(m_estimates, &DeviceEstimates::failed, m_panel, &DevicePanel::setStatus);
    connect(m_estimates, &DeviceEstimates::profilesChanged, this, [this] { m_panel->setProfiles(m_estimates->catalog()); });
    connect(m_panel, &DevicePanel::deviceChanged, this, [this](const QString &name) {
        m_chart->setPickedDevice(name);
        Settings::instance().setLastDevice(name);
    });
    connect(m_panel, &DevicePanel::editProfilesRequested, this, &DeviceView::editProfiles);
    m_estimates->setConfig(tune->configJson());
}

void DeviceView::setHost(std::shared_ptr<ModelHostClient> host)
{
    m_estimates->setHost(std::move(host));
}

void DeviceView::setModel(std::shared_ptr<const ModelDescription> model)
{
    m_panel->setStatus(tr("Estimating…"));
    m_estimates->setModel(std::move(model));
}

DeviceProfilesDialog *DeviceView::editProfiles()
{
    auto *dialog = new DeviceProfilesDialog(m_panel->pickedDevice(), m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DeviceProfilesDialog::profilesChanged, m_estimates, &DeviceEstimates::reloadProfiles);
    dialog->show();
    return dialog;
}

} // namespace compresslab
