#include "devices/DeviceProfilesDialog.h"

#include "common/UserError.h"
#include "device/Calibration.h"
#include "jobs/Job.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

const char *const kPrecisions[4] = {"fp32", "fp16", "int8", "int4"};

QDoubleSpinBox *numberField(double lo, double hi, int decimals, const QString &suffix)
{
    auto *box = new QDoubleSpinBox;
    box->setRange(lo, hi);
    box->setDecimals(decimals);
    box->setSuffix(suffix);
    box->setAccelerated(true);
    return box;
}

} // namespace

DeviceProfilesDialog::DeviceProfilesDialog(const QString &current, QWidget *parent)
    : QDialog(parent), m_catalog(DeviceCatalog::load()), m_list(new QListWidget(this)), m_name(new QLineEdit), m_class(new QLineEdit),
      m_memoryGB(numberField(0.001, 10000, 3, u" GB"_s)), m_bandwidth(numberField(0.1, 100000, 1, u" GB/s"_s)),
      m_bandwidthEfficiency(numberField(0.01, 1, 2, QString())), m_computeEfficiency(numberField(0.01, 1, 2, QString())),
      m_power(numberField(0.1, 5000, 1, u" W"_s)), m_overhead(numberField(0, 10000, 1, u" µs"_s)), m_sources(new QTextBrowser),
      m_origin(new QLabel), m_error(new QLabel), m_duplicate(new QPushButton(tr("Duplicate…"))), m_save(new QPushButton(tr("Save"))),
      m_delete(new QPushButton(tr("Delete"))), m_calibrate(new QPushButton(tr("Calibrate This Computer"))), m_progress(new QProgressBar)
{
    setWindowTitle(tr("Device Profiles"));
    auto *form = new QFormLayout;
    form->addRow(m_origin);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Class:"), m_class);
    form->addRow(tr("Memory for the model:"), m_memoryGB);
    form->addRow(tr("Memory bandwidth:"), m_bandwidth);
    form->addRow(tr("Bandwidth efficiency:"), m_bandwidthEfficiency);
    m_memoryGB->setToolTip(tr("Memory the model may use: the device's RAM minus what the system and runtime keep."));
    m_bandwidth->setToolTip(tr("Peak DRAM bandwidth. Small models are limited by how fast weights stream from memory."));
    m_bandwidthEfficiency->setToolTip(tr("Share of the peak bandwidth real inference kernels reach (0.01–1)."));
    m_computeEfficiency->setToolTip(tr("Share of the peak arithmetic rate real kernels reach (0.01–1)."));
    m_power->setToolTip(tr("Typical power draw while running inference; energy = power × time."));
    m_overhead->setToolTip(tr("Fixed cost of each operator call (dispatch, kernel launch); dominates tiny models."));
    for (int i = 0; i < 4; ++i) {
        const QString precision = QString::fromLatin1(kPrecisions[i]);
        m_peak[i] = numberField(0, 1e8, 1, u" GOPS"_s);
        m_peak[i]->setSpecialValueText(tr("none"));
        m_peak[i]->setToolTip(tr("Peak %1 operations per second, in 10⁹ (a multiply-add counts as 2).").arg(precision));
        m_kernel[i] = new QCheckBox(tr("real kernels"));
        m_kernel[i]->setToolTip(tr("The device's runtime has %1 kernels; without them %1 weights are unpacked and run at a wider precision.").arg(precision));
        auto *row = new QHBoxLayout;
        row->addWidget(m_peak[i], 1);
        row->addWidget(m_kernel[i]);
        form->addRow(tr("Peak %1:").arg(precision), row);
    }
    m_kernel[0]->setEnabled(false); // fp32 always runs
    form->addRow(tr("Compute efficiency:"), m_computeEfficiency);
    form->addRow(tr("Power draw:"), m_power);
    form->addRow(tr("Per-operator cost:"), m_overhead);
    form->addRow(tr("Sources:"), m_sources);
    m_sources->setMaximumHeight(120);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"QLabel { color: #b02418; }"_s);
    m_origin->setWordWrap(true);

    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_duplicate, m_save, m_delete})
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(m_progress);
    buttons->addWidget(m_calibrate);
    m_progress->setVisible(false);
    m_duplicate->setToolTip(tr("An editable copy of the picked profile, under a new name."));
    m_calibrate->setToolTip(tr("Measures this machine's memory bandwidth and GEMM throughput with the kernels the app uses (about 10 s). Click again to cancel."));
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *right = new QVBoxLayout;
    right->addLayout(form);
    right->addWidget(m_error);
    auto *top = new QHBoxLayout;
    m_list->setMinimumWidth(230);
    top->addWidget(m_list);
    top->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(buttons);
    layout->addWidget(close);

    connect(m_list, &QListWidget::currentRowChanged, this, &DeviceProfilesDialog::showProfile);
    connect(m_duplicate, &QPushButton::clicked, this, &DeviceProfilesDialog::askAndDuplicate);
    connect(m_save, &QPushButton::clicked, this, &DeviceProfilesDialog::saveSelected);
    connect(m_delete, &QPushButton::clicked, this, &DeviceProfilesDialog::deleteSelected);
    connect(m_calibrate, &QPushButton::clicked, this, &DeviceProfilesDialog::calibrateThisComputer);
    fillList(current);
    if (!m_catalog.problems().isEmpty())
        setError(m_catalog.problems().join(u'\n'));
    resize(860, 620);
}

DeviceProfilesDialog::~DeviceProfilesDialog()
{
    delete m_job; // cancels and waits
}

void DeviceProfilesDialog::fillList(const QString &select)
{
    const QSignalBlocker block(m_list);
    m_list->clear();
    int row = 0;
    for (const DeviceProfile &p : m_catalog.profiles()) {
        auto *item = new QListWidgetItem(p.origin == DeviceProfile::Origin::BuiltIn ? p.name : u"%1 (%2)"_s.arg(p.name, originName(p.origin)), m_list);
        item->setData(Qt::UserRole, p.name);
        item->setToolTip(p.deviceClass);
        if (p.name == select)
            row = m_list->count() - 1;
    }
    m_list->setCurrentRow(row);
    showProfile();
}

QString DeviceProfilesDialog::selectedProfile() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

bool DeviceProfilesDialog::selectProfile(const QString &name)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(Qt::UserRole).toString() == name) {
            m_list->setCurrentRow(i);
            return true;
        }
    }
    return false;
}

QString DeviceProfilesDialog::errorText() const { return m_error->text(); }

void DeviceProfilesDialog::setError(const QString &text) { m_error->setText(text); }

bool DeviceProfilesDialog::isEditable() const
{
    const QString name = selectedProfile();
    return !name.isEmpty() && m_catalog.contains(name) && m_catalog.find(name).origin == DeviceProfile::Origin::User;
}

void DeviceProfilesDialog::showProfile()
{
    setError(QString());
    const QString name = selectedProfile();
    if (name.isEmpty() || !m_catalog.contains(name))
        return;
    const DeviceProfile &p = m_catalog.find(name);
    const bool editable = p.origin == DeviceProfile::Origin::User;
    m_origin->setText(editable ? tr("Your own profile: edit and save.")
                      : p.origin == DeviceProfile::Origin::Measured ? tr("Measured on this computer: re-calibrate to update, or duplicate to edit.")
                                                                    : tr("Built-in profile: read-only; duplicate it to make your own."));
    m_name->setText(p.name);
    m_class->setText(p.deviceClass);
    m_memoryGB->setValue(p.memoryBytes / 1e9);
    m_bandwidth->setValue(p.bandwidthGBs);
    m_bandwidthEfficiency->setValue(p.bandwidthEfficiency);
    m_computeEfficiency->setValue(p.computeEfficiency);
    m_power->setValue(p.powerW);
    m_overhead->setValue(p.opOverheadUs);
    for (int i = 0; i < 4; ++i) {
        const QString precision = QString::fromLatin1(kPrecisions[i]);
        m_peak[i]->setValue(p.peakGops.value(precision, 0));
        m_kernel[i]->setChecked(p.kernels.contains(precision));
    }
    QStringList sources;
    for (auto it = p.sources.begin(); it != p.sources.end(); ++it)
        sources << u"<b>%1</b>: %2"_s.arg(it.key().toHtmlEscaped(), it.value().toHtmlEscaped());
    m_sources->setHtml(sources.isEmpty() ? tr("No sources recorded.") : sources.join(u"<br>"_s));
    for (QWidget *w : std::initializer_list<QWidget *>{m_name, m_class, m_memoryGB, m_bandwidth, m_bandwidthEfficiency, m_computeEfficiency, m_power, m_overhead})
        w->setEnabled(editable);
    for (int i = 0; i < 4; ++i) {
        m_peak[i]->setEnabled(editable);
        m_kernel[i]->setEnabled(editable && i > 0);
    }
    m_save->setEnabled(editable);
    m_delete->setEnabled(editable);
}

DeviceProfile DeviceProfilesDialog::formProfile() const
{
    DeviceProfile p = m_catalog.find(selectedProfile());
    p.name = m_name->text().trimmed();
    p.deviceClass = m_class->text().trimmed();
    p.memoryBytes = m_memoryGB->value() * 1e9;
    p.bandwidthGBs = m_bandwidth->value();
    p.bandwidthEfficiency = m_bandwidthEfficiency->value();
    p.computeEfficiency = m_computeEfficiency->value();
    p.powerW = m_power->value();
    p.opOverheadUs = m_overhead->value();
    p.peakGops.clear();
    p.kernels.clear();
    for (int i = 0; i < 4; ++i) {
        const QString precision = QString::fromLatin1(kPrecisions[i]);
        if (m_peak[i]->value() > 0)
            p.peakGops.insert(precision, m_peak[i]->value());
        if (m_kernel[i]->isChecked() || i == 0)
            p.kernels << precision;
    }
    p.sources.insert(u"edited"_s, tr("values typed in the profile editor"));
    return p;
}

void DeviceProfilesDialog::askAndDuplicate()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Duplicate Profile"), tr("Name of the copy:"), QLineEdit::Normal,
                                               tr("%1 (copy)").arg(selectedProfile()), &ok);
    if (ok)
        duplicateSelected(name);
}

bool DeviceProfilesDialog::duplicateSelected(const QString &newName)
{
    try {
        if (newName.trimmed().isEmpty())
            throw UserError(tr("the copy needs a name"));
        const DeviceProfile copy = m_catalog.duplicate(selectedProfile(), newName);
        fillList(copy.name);
        Q_EMIT profilesChanged();
        return true;
    } catch (const UserError &e) {
        setError(e.message());
        return false;
    }
}

bool DeviceProfilesDialog::saveSelected()
{
    const QString old = selectedProfile();
    try {
        if (!isEditable())
            throw UserError(tr("'%1' is not your own profile: duplicate it first").arg(old));
        const DeviceProfile p = formProfile();
        if (p.name.compare(old, Qt::CaseInsensitive) != 0 && m_catalog.contains(p.name))
            throw UserError(tr("a device profile named '%1' exists already").arg(p.name));
        m_catalog.saveUserProfile(p); // validated with the rules the loader applies; atomic write
        if (p.name != old)
            m_catalog.removeUserProfile(old); // renamed: the new entry is written first, so nothing is lost
        fillList(p.name);
        Q_EMIT profilesChanged();
        return true;
    } catch (const UserError &e) {
        setError(e.message());
        return false;
    }
}

bool DeviceProfilesDialog::deleteSelected()
{
    try {
        const QString name = selectedProfile();
        m_catalog.removeUserProfile(name);
        fillList(QString());
        Q_EMIT profilesChanged();
        return true;
    } catch (const UserError &e) {
        setError(e.message());
        return false;
    }
}

void DeviceProfilesDialog::calibrateThisComputer()
{
    if (m_job && m_job->isRunning()) {
        m_job->cancel();
        return;
    }
    auto *job = new Job(tr("Calibrating this computer"), [](const ProgressCallback &progress) { calibrateAndSave({}, progress); }, this);
    m_job = job;
    m_progress->setVisible(true);
    m_progress->setRange(0, 0);
    m_calibrate->setText(tr("Cancel Calibration"));
    setError(QString());
    connect(job, &Job::progressChanged, this, [this](qint64 done, qint64 total) {
        m_progress->setRange(0, int(std::max<qint64>(total, 1)));
        m_progress->setValue(int(done));
    });
    connect(job, &Job::succeeded, this, [this] {
        m_catalog = DeviceCatalog::load();
        fillList(QString::fromLatin1(DeviceCatalog::kThisComputer));
        Q_EMIT profilesChanged();
    });
    connect(job, &Job::failed, this, &DeviceProfilesDialog::setError);
    connect(job, &Job::finished, this, [this, job] {
        m_progress->setVisible(false);
        m_calibrate->setText(tr("Calibrate This Computer"));
        job->deleteLater();
    });
    job->start();
}

} // namespace compresslab
