#pragma once
// Device profiles: every profile the app knows in a list (built-in, measured, your own); the picked one's
// values in a form, read-only with their sources for built-in and measured profiles, editable for your own.
// Duplicate makes an editable copy; Save and Delete write the user file atomically; "Calibrate This
// Computer" measures this machine in the background (progress, Cancel).
#include "device/DeviceCatalog.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTextBrowser;

namespace compresslab {

class Job;

class DeviceProfilesDialog : public QDialog {
    Q_OBJECT
public:
    explicit DeviceProfilesDialog(const QString &current, QWidget *parent = nullptr);
    ~DeviceProfilesDialog() override;

    const DeviceCatalog &catalog() const { return m_catalog; }
    QString selectedProfile() const;
    bool selectProfile(const QString &name);
    QString errorText() const;
    bool isEditable() const; // the selected profile is the user's own
    // The form's fields, for tests and for the few lines that set them together.
    QLineEdit *nameEdit() const { return m_name; }
    QDoubleSpinBox *memoryEdit() const { return m_memoryGB; }
    QDoubleSpinBox *bandwidthEdit() const { return m_bandwidth; }

public Q_SLOTS:
    bool duplicateSelected(const QString &newName); // the copy is selected and editable
    bool saveSelected();                            // validates with the same rules as loading
    bool deleteSelected();
    void calibrateThisComputer();

Q_SIGNALS:
    void profilesChanged(); // something was saved, deleted or calibrated

private:
    void fillList(const QString &select);
    void showProfile();
    DeviceProfile formProfile() const;
    void setError(const QString &text);
    void askAndDuplicate();

    DeviceCatalog m_catalog;
    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_class;
    QDoubleSpinBox *m_memoryGB;
    QDoubleSpinBox *m_bandwidth;
    QDoubleSpinBox *m_bandwidthEfficiency;
    QDoubleSpinBox *m_peak[4]; // fp32, fp16, int8, int4
    QCheckBox *m_kernel[4];
    QDoubleSpinBox *m_computeEfficiency;
    QDoubleSpinBox *m_power;
    QDoubleSpinBox *m_overhead;
    QTextBrowser *m_sources;
    QLabel *m_origin;
    QLabel *m_error;
    QPushButton *m_duplicate;
    QPushButton *m_save;
    QPushButton *m_delete;
    QPushButton *m_calibrate;
    QProgressBar *m_progress;
    QPointer<Job> m_job;
};

} // namespace compresslab
