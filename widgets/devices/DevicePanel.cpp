#include "devices/DevicePanel.h"
#include "CoreText.h"

#include "device/DeviceCatalog.h"
#include "device/ModelEstimate.h"
#include "model/ModelSummary.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// Short forms for the panel's texts: "12.3 ms", "1.2 s", "450 µs"; "3.2 mJ", "1.1 J".
QString formatMilliseconds(double ms)
{
    if (ms < 0)
        return QString();
    if (ms >= 1000)
        return u"%1 s"_s.arg(ms / 1000, 0, 'f', ms >= 10000 ? 1 : 2);
    if (ms >= 1)
        return u"%1 ms"_s.arg(ms, 0, 'f', ms >= 100 ? 0 : ms >= 10 ? 1 : 2);
    return u"%1 µs"_s.arg(ms * 1000, 0, 'f', 0);
}

QString formatMillijoules(double mj)
{
    if (mj >= 1000)
        return u"%1 J"_s.arg(mj / 1000, 0, 'f', 2);
    if (mj >= 1)
        return u"%1 mJ"_s.arg(mj, 0, 'f', mj >= 100 ? 0 : 1);
    return u"%1 µJ"_s.arg(mj * 1000, 0, 'f', 0);
}

const QColor kFits(30, 130, 60);
const QColor kDoesNotFit(190, 40, 30);

QString marginText(const DeviceEstimate &e)
{
    return e.fits ? DevicePanel::tr("✓ %1 free").arg(formatBytes(qint64(e.marginBytes)))
                  : DevicePanel::tr("✗ %1 short").arg(formatBytes(qint64(-e.marginBytes)));
}

} // namespace

DevicePanel::DevicePanel(QWidget *parent)
    : QWidget(parent), m_picker(new QComboBox(this)), m_editButton(new QPushButton(this)), m_pickerLabel(new QLabel(this)),
      m_verdict(new QLabel(this)), m_figures(new QLabel(this)), m_status(new QLabel(this)), m_table(new QTableWidget(0, ColumnCount, this))
{
    auto *pickRow = new QHBoxLayout;
    pickRow->addWidget(m_pickerLabel);
    pickRow->addWidget(m_picker, 1);
    pickRow->addWidget(m_editButton);
    m_picker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_picker->setMinimumContentsLength(16);
    m_verdict->setWordWrap(true);
    m_figures->setWordWrap(true);
    m_figures->setTextFormat(Qt::RichText);
    m_status->setWordWrap(true);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Every column as wide as its texts: in a narrow dock (or presentation mode) the table scrolls sideways
    // rather than eliding the device names to "…".
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setWordWrap(false);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(pickRow);
    layout->addWidget(m_verdict);
    layout->addWidget(m_figures);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    connect(m_picker, &QComboBox::currentTextChanged, this, [this](const QString &name) {
        showPicked();
        Q_EMIT deviceChanged(name);
    });
    connect(m_editButton, &QPushButton::clicked, this, &DevicePanel::editProfilesRequested);
    connect(m_table, &QTableWidget::cellClicked, this, [this](int row, int) {
        if (QTableWidgetItem *item = m_table->item(row, DeviceColumn))
            pickDevice(item->data(Qt::UserRole).toString());
    });
    retranslateUi();
}

void DevicePanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void DevicePanel::retranslateUi()
{
    m_pickerLabel->setText(tr("Device:"));
    m_picker->setToolTip(tr("The target device whose memory, latency and energy are shown above the table. "
                            "Estimates come from a roofline model of the device, not from running on it."));
    m_editButton->setText(tr("Profiles…"));
    m_editButton->setToolTip(tr("Create, duplicate, edit and delete your own device profiles, and calibrate This computer."));
    m_table->setHorizontalHeaderLabels({tr("Device"), tr("Memory"), tr("Latency"), tr("Per token"), tr("Energy")});
    m_table->setToolTip(tr("Every profile side by side; all numbers are estimates. Click a row to pick that device."));
    m_table->horizontalHeaderItem(MemoryColumn)->setToolTip(tr("Whether weights and peak activations fit the memory available to the model, and the margin."));
    m_table->horizontalHeaderItem(LatencyColumn)->setToolTip(tr("One inference (forward pass) at batch 1, estimated from bytes moved and operations at the precision the device has kernels for."));
    m_table->horizontalHeaderItem(TokenColumn)->setToolTip(tr("One decoding step of a language model: every weight is read once per new token."));
    m_table->horizontalHeaderItem(EnergyColumn)->setToolTip(tr("Energy of one inference at the profile's typical power draw."));
    showPicked();
    fillTable();
}

void DevicePanel::setProfiles(const DeviceCatalog &catalog)
{
    const QString picked = pickedDevice();
    {
        const QSignalBlocker block(m_picker);
        m_picker->clear();
        for (const DeviceProfile &p : catalog.profiles()) {
            m_picker->addItem(p.name);
            m_picker->setItemData(m_picker->count() - 1, u"%1 (%2)"_s.arg(p.deviceClass, originName(p.origin)), Qt::ToolTipRole);
        }
        const int keep = m_picker->findText(picked);
        m_picker->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    if (!catalog.problems().isEmpty())
        setStatus(catalog.problems().join(u'\n'));
    if (pickedDevice() != picked)
        Q_EMIT deviceChanged(pickedDevice());
    showPicked();
}

QString DevicePanel::pickedDevice() const { return m_picker->currentText(); }

void DevicePanel::pickDevice(const QString &name)
{
    const int index = m_picker->findText(name);
    if (index >= 0)
        m_picker->setCurrentIndex(index);
}

void DevicePanel::setEstimate(std::shared_ptr<const ModelEstimate> estimate, const QString &configuration)
{
    m_estimate = std::move(estimate);
    m_configuration = configuration;
    showPicked();
    fillTable();
    setStatus(tr("All numbers estimated for %1 at batch 1 from each device's profile (roofline: bytes moved vs operations), not measured.").arg(configuration));
}

void DevicePanel::setStatus(const QString &text) { m_status->setText(text); }

const DeviceEstimate *DevicePanel::pickedEstimate() const
{
    if (!m_estimate)
        return nullptr;
    for (const DeviceEstimate &e : m_estimate->devices) {
        if (e.device == pickedDevice())
            return &e;
    }
    return nullptr;
}

QString DevicePanel::summaryText() const { return m_verdict->text() + u'\n' + m_figures->text(); }

void DevicePanel::showPicked()
{
    const DeviceEstimate *e = pickedEstimate();
    if (!e) {
        m_verdict->setText(m_estimate ? tr("No estimate for this device yet.") : tr("Open a model to see whether it fits."));
        m_verdict->setStyleSheet(QString());
        m_figures->clear();
        return;
    }
    const double available = e->memoryBytes() + e->marginBytes;
    m_verdict->setText(e->fits ? tr("Fits, with %1 to spare (estimated)").arg(formatBytes(qint64(e->marginBytes)))
                               : tr("Does not fit: %1 short (estimated)").arg(formatBytes(qint64(-e->marginBytes))));
    m_verdict->setStyleSheet(u"QLabel { font-weight: bold; color: %1; }"_s.arg((e->fits ? kFits : kDoesNotFit).name()));
    QStringList lines;
    lines << tr("Memory: %1 weights + %2 peak activations of %3 available")
                 .arg(formatBytes(qint64(e->weightBytes)), formatBytes(qint64(e->peakActivationBytes)), formatBytes(qint64(available)));
    QString speed = tr("Latency: %1 per inference").arg(formatMilliseconds(e->latencyMs));
    if (e->tokenMs >= 0)
        speed += tr(", %1 per generated token").arg(formatMilliseconds(e->tokenMs));
    lines << speed + tr("; energy %1 per inference").arg(formatMillijoules(e->energyMj));
    lines << tr("Runs as: %1").arg(displayDeployment(e->deployment).toHtmlEscaped());
    QStringList slowest;
    for (int i = 0; i < std::min<qsizetype>(3, e->layers.size()); ++i) {
        const LayerEstimate &l = e->layers[i];
        const double share = e->latencyMs > 0 ? 100.0 * l.ms / e->latencyMs : 0;
        slowest << tr("%1 %2 % (%3)").arg(displayLayerKey(l.layer).toHtmlEscaped()).arg(share, 0, 'f', 0).arg(l.computeBound ? tr("compute-bound") : tr("memory-bound"));
    }
    if (!slowest.isEmpty())
        lines << tr("Slowest: %1").arg(slowest.join(u", "_s));
    m_figures->setText(lines.join(u"<br>"_s));
}

void DevicePanel::fillTable()
{
    if (!m_estimate) {
        m_table->setRowCount(0);
        return;
    }
    m_table->setColumnHidden(TokenColumn, !m_estimate->languageModel);
    m_table->setRowCount(int(m_estimate->devices.size()));
    int row = 0;
    for (const DeviceEstimate &e : m_estimate->devices) {
        auto set = [&](int column, const QString &text, const QString &tip) {
            auto *item = new QTableWidgetItem(text);
            item->setToolTip(tip);
            if (column != DeviceColumn)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(row, column, item);
            return item;
        };
        QTableWidgetItem *name = set(DeviceColumn, e.device, displayDeployment(e.deployment));
        name->setData(Qt::UserRole, e.device);
        if (e.device == pickedDevice()) {
            QFont bold = name->font();
            bold.setBold(true);
            name->setFont(bold);
        }
        QTableWidgetItem *memory = set(MemoryColumn, marginText(e),
                                       tr("%1 needed (weights and peak activations), estimated").arg(formatBytes(qint64(e.memoryBytes()))));
        memory->setForeground(e.fits ? kFits : kDoesNotFit);
        set(LatencyColumn, formatMilliseconds(e.latencyMs), tr("%1 of it per-operator overhead (%2 operators)").arg(formatMilliseconds(e.overheadMs)).arg(e.operators));
        set(TokenColumn, formatMilliseconds(e.tokenMs), QString());
        set(EnergyColumn, formatMillijoules(e.energyMj), QString());
        ++row;
    }
}

} // namespace compresslab
