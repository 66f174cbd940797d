#pragma once
// The device view: a profile picker; for the current compression configuration whether the model fits the
// picked device and with what margin, its estimated latency, per-token time and energy, and the layers that
// dominate; and the same side by side for every profile as a compact table. All numbers are estimates.
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace compresslab {

class DeviceCatalog;
struct DeviceEstimate;
struct ModelEstimate;

class DevicePanel : public QWidget {
    Q_OBJECT
public:
    enum Column { DeviceColumn, MemoryColumn, LatencyColumn, TokenColumn, EnergyColumn, ColumnCount };
    explicit DevicePanel(QWidget *parent = nullptr);

    void setProfiles(const DeviceCatalog &catalog); // keeps the picked device when it still exists
    void setEstimate(std::shared_ptr<const ModelEstimate> estimate, const QString &configuration);
    void setStatus(const QString &text);
    QString pickedDevice() const;
    void pickDevice(const QString &name);
    QTableWidget *table() const { return m_table; }
    QString summaryText() const; // the picked device's verdict and figures, as shown

Q_SIGNALS:
    void deviceChanged(const QString &name);
    void editProfilesRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showPicked();
    void fillTable();
    const DeviceEstimate *pickedEstimate() const;

    QComboBox *m_picker;
    QPushButton *m_editButton;
    QLabel *m_pickerLabel;
    QLabel *m_verdict;
    QLabel *m_figures;
    QLabel *m_status;
    QTableWidget *m_table;
    std::shared_ptr<const ModelEstimate> m_estimate;
    QString m_configuration;
};

} // namespace compresslab
