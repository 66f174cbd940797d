#include "panels/TunePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

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
      m_symmetric(new QCheckBox(tr("Symmetric"))), m_method(new QComboBox), m_sparsity(new QSlider(Qt::Horizontal)), m_sparsityLabel(new QLabel),
      m_pattern(new QComboBox), m_rank(new QDoubleSpinBox), m_codebook(new QComboBox), m_status(new QLabel)
{
    m_bits->setRange(kBitsOff, kBitsFp16);
    m_bits->setValue(kBitsOff);
    m_bits->setTickPosition(QSlider::TicksBelow);
    m_bits->setToolTip(tr("How many bits each weight keeps. Fewer bits: a smaller model, less accurate. Far left: off (32-bit "
                          "floats); far right: 16-bit floats."));
    m_granularity->addItem(tr("per channel"), u"channel"_s);
    m_granularity->addItem(tr("per group"), u"group"_s);
    m_granularity->addItem(tr("per tensor"), u"tensor"_s);
    m_granularity->setToolTip(tr("How many weights share one scale. Per channel: each output row has its own; per group: every "
                                 "N weights (more scales, more accurate, slightly larger); per tensor: one for the whole layer."));
    m_groupSize->setRange(8, 1024);
    m_groupSize->setSingleStep(32);
    m_groupSize->setValue(64);
    m_groupSize->setToolTip(tr("Weights per scale with per-group quantization. Layers whose width it does not divide use per-channel scales."));
    m_symmetric->setChecked(true);
    m_symmetric->setToolTip(tr("Symmetric: the grid is centred on zero. Asymmetric adds a zero-point per scale, which fits "
                               "lopsided weights better at a small cost in size."));
    m_method->addItem(tr("Round to nearest"), u"rtn"_s);
    m_method->addItem(tr("GPTQ (uses data)"), u"gptq"_s);
    m_method->setToolTip(tr("Round to nearest treats each weight alone. GPTQ corrects the rounding error of each weight in the "
                            "ones not yet rounded, using the evaluation data: slower, and better at 2–4 bits."));
    m_sparsity->setRange(0, 90);
    m_sparsity->setSingleStep(5);
    m_sparsity->setPageStep(10);
    m_sparsity->setTickPosition(QSlider::TicksBelow);
    m_sparsity->setTickInterval(10);
    m_sparsity->setToolTip(tr("Share of weights removed (set to zero), smallest first. Zeros are only free when the pattern "
                              "lets the tensor really shrink; the size shown counts how they are stored."));
    m_pattern->addItem(tr("unstructured"), u"unstructured"_s);
    m_pattern->addItem(tr("structured (whole neurons)"), u"structured"_s);
    m_pattern->addItem(tr("2:4"), u"2:4"_s);
    m_pattern->setToolTip(tr("Unstructured removes single weights anywhere; structured removes whole neurons, so layers really "
                             "get smaller and faster; 2:4 keeps 2 of every 4 (the sparsity is then always 50%)."));
    m_rank->setRange(0, 1);
    m_rank->setSingleStep(0.05);
    m_rank->setSpecialValueText(tr("off"));
    m_rank->setToolTip(tr("Low-rank factorisation: each Linear layer becomes two thinner ones keeping this share of its rank. "
                          "0 turns it off."));
    m_codebook->addItem(tr("off"), 0);
    for (int k = 2; k <= 8; ++k)
        m_codebook->addItem(tr("%1 values (%2 bits)").arg(1 << k).arg(k), k);
    m_codebook->setToolTip(tr("Weight sharing: every weight of a layer becomes one of 2^k shared values found by k-means "
                              "(Deep Compression). Replaces bit quantization when on."));
    m_status->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Quantize:"), sliderRow(m_bits, m_bitsLabel));
    form->addRow(tr("Scales:"), m_granularity);
    form->addRow(tr("Group size:"), m_groupSize);
    form->addRow(QString(), m_symmetric);
    form->addRow(tr("Rounding:"), m_method);
    form->addRow(tr("Prune:"), sliderRow(m_sparsity, m_sparsityLabel));
    form->addRow(tr("Pattern:"), m_pattern);
    form->addRow(tr("Low rank:"), m_rank);
    form->addRow(tr("Codebook:"), m_codebook);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addStretch(1);

    for (QSlider *s : {m_bits, m_sparsity})
        connect(s, &QSlider::valueChanged, this, &TunePanel::changed);
    for (QComboBox *c : {m_granularity, m_method, m_pattern, m_codebook})
        connect(c, &QComboBox::currentIndexChanged, this, &TunePanel::changed);
    connect(m_groupSize, &QSpinBox::valueChanged, this, &TunePanel::changed);
    connect(m_rank, &QDoubleSpinBox::valueChanged, this, &TunePanel::changed);
    connect(m_symmetric, &QCheckBox::toggled, this, &TunePanel::changed);
    changed();
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
    return config;
}

void TunePanel::setStatus(const QString &text) { m_status->setText(text); }

void TunePanel::changed()
{
    const int bits = m_bits->value();
    m_bitsLabel->setText(bits == kBitsOff ? tr("off") : bits == kBitsFp16 ? tr("fp16") : tr("%1 bits").arg(bits));
    m_sparsityLabel->setText(m_pattern->currentData().toString() == "2:4"_L1 ? tr("2:4") : tr("%1%").arg(m_sparsity->value()));
    const bool integer = bits != kBitsOff && bits != kBitsFp16 && m_codebook->currentData().toInt() == 0;
    for (QWidget *w : std::initializer_list<QWidget *>{m_granularity, m_symmetric, m_method})
        w->setEnabled(integer);
    m_groupSize->setEnabled(integer && m_granularity->currentData().toString() == "group"_L1);
    m_sparsity->setEnabled(m_pattern->currentData().toString() != "2:4"_L1);
    Q_EMIT configChanged(configJson());
}

} // namespace compresslab
