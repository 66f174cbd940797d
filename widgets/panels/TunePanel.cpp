#include "panels/TunePanel.h"

#include "common/UserError.h"
#include "compress/CompressionConfig.h"
#include "panels/HistoryRerun.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {
// Bits slider positions: 1 = off (fp32), 2..8 = integer bits, 9 = fp16.
constexpr int kBitsOff = 1, kBitsFp16 = 9;

QWidget *sliderRow(QSlider *slider, QLabel *label)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(slider, 1);
    label->setMinimumWidth(48);
    layout->addWidget(label);
    return row;
}
} // namespace

TunePanel::TunePanel(QWidget *parent)
    : QWidget(parent), m_bits(new QSlider(Qt::Horizontal)), m_bitsLabel(new QLabel), m_granularity(new QComboBox), m_groupSize(new QSpinBox),
      m_symmetric(new QCheckBox), m_method(new QComboBox), m_sparsity(new QSlider(Qt::Horizontal)), m_sparsityLabel(new QLabel),
      m_pattern(new QComboBox), m_rank(new QDoubleSpinBox), m_codebook(new QComboBox), m_status(new QLabel), m_form(new QFormLayout)
{
    // Item texts, labels and tooltips come from retranslateUi(); the item data is what the configuration JSON stores.
    m_bits->setRange(kBitsOff, kBitsFp16);
    m_bits->setValue(kBitsOff);
    m_bits->setTickPosition(QSlider::TicksBelow);
    for (const QString &g : {u"channel"_s, u"group"_s, u"tensor"_s})
        m_granularity->addItem(QString(), g);
    m_groupSize->setRange(8, 1024);
    m_groupSize->setSingleStep(32);
    m_groupSize->setValue(64);
    m_symmetric->setChecked(true);
    m_method->addItem(QString(), u"rtn"_s);
    m_method->addItem(QString(), u"gptq"_s);
    m_sparsity->setRange(0, 90);
    m_sparsity->setSingleStep(5);
    m_sparsity->setPageStep(10);
    m_sparsity->setTickPosition(QSlider::TicksBelow);
    m_sparsity->setTickInterval(10);
    for (const QString &p : {u"unstructured"_s, u"structured"_s, u"2:4"_s})
        m_pattern->addItem(QString(), p);
    m_rank->setRange(0, 1);
    m_rank->setSingleStep(0.05);
    m_codebook->addItem(QString(), 0);
    for (int k = 2; k <= 8; ++k)
        m_codebook->addItem(QString(), k);
    m_status->setWordWrap(true);
    // The dock's width must not follow the longest item (German ones are longer); the pop-ups still show them whole.
    for (QComboBox *c : {m_granularity, m_method, m_pattern, m_codebook}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(12);
    }

    auto addLabelledRow = [this](QWidget *field) {
        auto *label = new QLabel;
        label->setBuddy(field);
        m_form->addRow(label, field);
    };
    addLabelledRow(sliderRow(m_bits, m_bitsLabel));
    addLabelledRow(m_granularity);
    addLabelledRow(m_groupSize);
    m_form->addRow(QString(), m_symmetric);
    addLabelledRow(m_method);
    addLabelledRow(sliderRow(m_sparsity, m_sparsityLabel));
    addLabelledRow(m_pattern);
    addLabelledRow(m_rank);
    addLabelledRow(m_codebook);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(m_status);
    layout->addStretch(1);
    retranslateUi();

    for (QSlider *s : {m_bits, m_sparsity})
        connect(s, &QSlider::valueChanged, this, &TunePanel::changed);
    for (QComboBox *c : {m_granularity, m_method, m_pattern, m_codebook})
        connect(c, &QComboBox::currentIndexChanged, this, &TunePanel::changed);
    connect(m_groupSize, &QSpinBox::valueChanged, this, &TunePanel::changed);
    connect(m_rank, &QDoubleSpinBox::valueChanged, this, &TunePanel::changed);
    connect(m_symmetric, &QCheckBox::toggled, this, &TunePanel::changed);
    changed();
}

void TunePanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        updateValueLabels();
    }
    QWidget::changeEvent(event);
}

void TunePanel::retranslateUi()
{
    auto setRowLabel = [this](QWidget *field, const QString &text) {
        if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(field)))
            label->setText(text);
    };
    setRowLabel(m_bits->parentWidget(), tr("Quantize:"));
    setRowLabel(m_granularity, tr("Scales:"));
    setRowLabel(m_groupSize, tr("Group size:"));
    setRowLabel(m_method, tr("Rounding:"));
    setRowLabel(m_sparsity->parentWidget(), tr("Prune:"));
    setRowLabel(m_pattern, tr("Pattern:"));
    setRowLabel(m_rank, tr("Low rank:"));
    setRowLabel(m_codebook, tr("Codebook:"));

    m_bits->setToolTip(tr("How many bits each weight keeps. Fewer bits: a smaller model, less accurate. Far left: off (32-bit "
                          "floats); far right: 16-bit floats."));
    m_granularity->setItemText(0, tr("per channel"));
    m_granularity->setItemText(1, tr("per group"));
    m_granularity->setItemText(2, tr("per tensor"));
    m_granularity->setToolTip(tr("How many weights share one scale. Per channel: each output row has its own; per group: every "
                                 "N weights (more scales, more accurate, slightly larger); per tensor: one for the whole layer."));
    m_groupSize->setToolTip(tr("Weights per scale with per-group quantization. Layers whose width it does not divide use per-channel scales."));
    m_symmetric->setText(tr("Symmetric"));
    m_symmetric->setToolTip(tr("Symmetric: the grid is centred on zero. Asymmetric adds a zero-point per scale, which fits "
                               "lopsided weights better at a small cost in size."));
    m_method->setItemText(0, tr("Round to nearest"));
    m_method->setItemText(1, tr("GPTQ (uses data)"));
    m_method->setToolTip(tr("Round to nearest treats each weight alone. GPTQ corrects the rounding error of each weight in the "
                            "ones not yet rounded, using the evaluation data: slower, and better at 2–4 bits."));
    m_sparsity->setToolTip(tr("Share of weights removed (set to zero), smallest first. Zeros are only free when the pattern "
                              "lets the tensor really shrink; the size shown counts how they are stored."));
    m_pattern->setItemText(0, tr("unstructured"));
    m_pattern->setItemText(1, tr("structured (whole neurons)"));
    m_pattern->setItemText(2, tr("2:4"));
    m_pattern->setToolTip(tr("Unstructured removes single weights anywhere; structured removes whole neurons, so layers really "
                             "get smaller and faster; 2:4 keeps 2 of every 4 (the sparsity is then always 50%)."));
    m_rank->setSpecialValueText(tr("off"));
    m_rank->setToolTip(tr("Low-rank factorisation: each Linear layer becomes two thinner ones keeping this share of its rank. "
                          "0 turns it off."));
    m_codebook->setItemText(0, tr("off"));
    for (int i = 1; i < m_codebook->count(); ++i) {
        const int k = m_codebook->itemData(i).toInt();
        m_codebook->setItemText(i, tr("%1 values (%2 bits)").arg(1 << k).arg(k));
    }
    m_codebook->setToolTip(tr("Weight sharing: every weight of a layer becomes one of 2^k shared values found by k-means "
                              "(Deep Compression). Replaces bit quantization when on."));
}

QJsonObject TunePanel::configJson() const
{
    QJsonObject config;
    const int bits = m_bits->value();
    const bool codebook = m_codebook->currentData().toInt() > 0;
    if (bits != kBitsOff && !codebook) {
        QJsonObject q;
        if (bits == kBitsFp16) {
            q.insert(u"bits"_s, u"fp16"_s);
        } else {
            q.insert(u"bits"_s, bits);
            q.insert(u"granularity"_s, m_granularity->currentData().toString());
            if (m_granularity->currentData().toString() == "group"_L1) {
                q.insert(u"group_size"_s, m_groupSize->value());
                q.insert(u"group_fallback"_s, u"channel"_s);
            }
            q.insert(u"symmetric"_s, m_symmetric->isChecked());
            q.insert(u"method"_s, m_method->currentData().toString());
        }
        config.insert(u"quantize"_s, q);
    }
    const QString pattern = m_pattern->currentData().toString();
    if (m_sparsity->value() > 0 || pattern == "2:4"_L1)
        config.insert(u"prune"_s, QJsonObject{{u"sparsity"_s, pattern == "2:4"_L1 ? 0.5 : m_sparsity->value() / 100.0}, {u"pattern"_s, pattern}});
    if (m_rank->value() > 0)
        config.insert(u"low_rank"_s, QJsonObject{{u"rank_ratio"_s, m_rank->value()}});
    if (codebook)
        config.insert(u"codebook"_s, QJsonObject{{u"bits"_s, m_codebook->currentData().toInt()}});
    if (!config.isEmpty() && !m_layerOverrides.isEmpty()) { // overrides alone compress nothing: {} stays "off"
        config.insert(u"layers"_s, m_layerOverrides);
        // A layer's own sparsity needs the pruning step; at 0 it prunes no other layer (and stores them dense).
        bool layerSparsity = false;
        for (const QJsonValue &layer : m_layerOverrides)
            layerSparsity = layerSparsity || layer.toObject().value(u"sparsity"_s).toDouble() > 0;
        if (layerSparsity && !config.contains(u"prune"_s))
            config.insert(u"prune"_s, QJsonObject{{u"sparsity"_s, 0}});
    }
    return config;
}

void TunePanel::setLayerOverrides(const QJsonObject &layers)
{
    if (layers == m_layerOverrides)
        return;
    m_layerOverrides = layers;
    Q_EMIT configChanged(configJson());
}

bool TunePanel::setConfigJson(const QJsonObject &json)
{
    CompressionConfig c;
    try {
        c = parseCompressionConfig(json);
    } catch (const UserError &) {
        return false;
    }
    if (!HistoryRerun::controlsCannotShow(c).isEmpty())
        return false;
    {
        // One configChanged for the whole configuration, not one per control (each would start a measurement).
        const QList<QObject *> controls{m_bits, m_granularity, m_groupSize, m_symmetric, m_method, m_sparsity, m_pattern, m_rank, m_codebook};
        std::vector<std::unique_ptr<QSignalBlocker>> blocked;
        for (QObject *o : controls)
            blocked.push_back(std::make_unique<QSignalBlocker>(o));
        if (c.has(Step::Quantize)) {
            m_bits->setValue(c.quantize.format == QuantFormat::Float16 ? kBitsFp16 : c.quantize.bits);
            if (c.quantize.format == QuantFormat::Int) {
                const QString granularity = c.quantize.granularity == Granularity::Tensor ? u"tensor"_s
                                            : c.quantize.granularity == Granularity::Group ? u"group"_s : u"channel"_s;
                m_granularity->setCurrentIndex(m_granularity->findData(granularity));
                if (c.quantize.granularity == Granularity::Group)
                    m_groupSize->setValue(c.quantize.groupSize);
                m_symmetric->setChecked(c.quantize.symmetric);
                m_method->setCurrentIndex(m_method->findData(c.quantize.method == QuantMethod::Gptq ? u"gptq"_s : u"rtn"_s));
            }
        } else {
            m_bits->setValue(kBitsOff);
        }
        if (c.has(Step::Prune)) {
            const bool nm = c.prune.method == PruneMethod::SemiStructured;
            m_pattern->setCurrentIndex(m_pattern->findData(nm ? u"2:4"_s : c.prune.method == PruneMethod::Structured ? u"structured"_s : u"unstructured"_s));
            m_sparsity->setValue(nm ? 50 : int(std::lround(c.prune.sparsity * 100)));
        } else {
            m_pattern->setCurrentIndex(m_pattern->findData(u"unstructured"_s));
            m_sparsity->setValue(0);
        }
        m_rank->setValue(c.has(Step::LowRank) ? c.lowRank.rankRatio : 0);
        m_codebook->setCurrentIndex(m_codebook->findData(c.has(Step::Codebook) ? c.codebook.bits : 0));
        m_layerOverrides = QJsonObject(); // the configuration has none (refused above): none stay from before
    }
    changed();
    return true;
}

void TunePanel::setStatus(const QString &text) { m_status->setText(text); }
QString TunePanel::status() const { return m_status->text(); }

void TunePanel::updateValueLabels()
{
    const int bits = m_bits->value();
    m_bitsLabel->setText(bits == kBitsOff ? tr("off") : bits == kBitsFp16 ? tr("fp16") : tr("%1 bits").arg(bits));
    m_sparsityLabel->setText(m_pattern->currentData().toString() == "2:4"_L1 ? tr("2:4") : tr("%1%").arg(m_sparsity->value()));
}

void TunePanel::changed()
{
    updateValueLabels();
    const int bits = m_bits->value();
    const bool integer = bits != kBitsOff && bits != kBitsFp16 && m_codebook->currentData().toInt() == 0;
    for (QWidget *w : std::initializer_list<QWidget *>{m_granularity, m_symmetric, m_method})
        w->setEnabled(integer);
    m_groupSize->setEnabled(integer && m_granularity->currentData().toString() == "group"_L1);
    m_sparsity->setEnabled(m_pattern->currentData().toString() != "2:4"_L1);
    Q_EMIT configChanged(configJson());
}

} // namespace compresslab
