#include "panels/ModelTreeView.h"
#include "CoreText.h"

#include "analysis/Sensitivity.h"
#include "compress/CompressionReport.h"
#include "model/ModelSummary.h"
#include "panels/LayerOverrideDelegate.h"
#include "panels/SensitivityHeat.h"

#include <QEvent>
#include <QHeaderView>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// Beside Qt::UserRole (the sort key): the raw type name and the tied bytes, for retranslateItem().
constexpr int kTypeRole = Qt::UserRole + 1;
constexpr int kTiedBytesRole = Qt::UserRole + 2;
constexpr int kAfterBytesRole = Qt::UserRole + 3; // on the Size cell: bytes after compression, or invalid
// On the Sensitivity cell: the measured KL and metric change at the shown probe.
constexpr int kKlRole = Qt::UserRole + 3;
constexpr int kDeltaRole = Qt::UserRole + 4;

const QColor kOverriddenBackground(214, 232, 255);
const QColor kDefaultText(140, 140, 140);

// Numeric columns sort by value, not by their formatted text.
class NumericItem : public QTreeWidgetItem {
public:
    using QTreeWidgetItem::QTreeWidgetItem;
    bool operator<(const QTreeWidgetItem &other) const override
    {
        const int column = treeWidget() ? treeWidget()->sortColumn() : 0;
        const QVariant a = data(column, Qt::UserRole), b = other.data(column, Qt::UserRole);
        if (a.isValid() && b.isValid())
            return a.toLongLong() < b.toLongLong();
        return QTreeWidgetItem::operator<(other);
    }
};

// The layers the compressor selects (core/compress/Compressor.cpp): Linear, Conv and Embedding modules with a
// floating-point weight of two or more dimensions.
bool isCompressible(const ModuleNode &m, const ModelSummary &summary)
{
    if (!m.type.contains("Linear"_L1) && !m.type.startsWith("Conv"_L1) && !m.type.startsWith("Embedding"_L1))
        return false;
    for (const TensorRecord &t : summary.tensors)
        if (t.module == m.path && t.name == "weight"_L1)
            return t.shape.size() >= 2 && t.numel > 0 && (t.dtype.startsWith("float"_L1) || t.dtype.startsWith("bfloat"_L1));
    return false;
}

} // namespace

ModelTreeView::ModelTreeView(QWidget *parent) : QTreeWidget(parent)
{
    setColumnCount(ColumnCount);
    retranslateHeader();
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSortingEnabled(false);
    setItemDelegate(new LayerOverrideDelegate(this));
    setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::SelectedClicked | QAbstractItemView::EditKeyPressed);
    // Every column as wide as its contents (names stay readable); a narrow panel scrolls sideways.
    for (int c = NameColumn; c < ColumnCount; ++c)
        header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    header()->setStretchLastSection(false);
    connect(this, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            Q_EMIT modulePicked(item->data(NameColumn, Qt::UserRole).toString());
    });
    connect(this, &QTreeWidget::itemChanged, this, &ModelTreeView::itemEdited);
}

void ModelTreeView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateHeader();
        m_updating = true;
        for (QTreeWidgetItemIterator it(this); *it; ++it) {
            retranslateItem(*it);
            showSensitivity(*it);
            showOverrides(*it);
        }
        m_updating = false;
    }
    QTreeWidget::changeEvent(event);
}

void ModelTreeView::retranslateHeader()
{
    setHeaderLabels({tr("Module"), tr("Type"), tr("Parameters"), tr("Size"), tr("Share"), tr("Sensitivity"), tr("Bits"),
                     tr("Sparsity"), tr("Skip")});
    headerItem()->setToolTip(ParametersColumn, tr("Parameter elements in this module and below; tied weights count once."));
    headerItem()->setToolTip(BytesColumn, tr("Bytes of parameters and buffers in this module and below as stored now; after the arrow, "
                                             "as the Compression panel's configuration deploys them (exact)."));
    headerItem()->setToolTip(ShareColumn, tr("This module's share of the whole model's bytes."));
    headerItem()->setToolTip(SensitivityColumn,
                             tr("Measured with Model ▸ Analyse Sensitivity: how far the model's output drifts (KL divergence from the "
                                "original, in nats) when only this layer is quantized to 4 bits. White: barely matters; red: the "
                                "model's most sensitive layer (log scale). Compress red layers gently."));
    headerItem()->setToolTip(BitsColumn, tr("Per-layer bits, used when the Compression panel quantizes to integer bits. "
                                            "Double-click a layer's cell to choose; default follows the panel."));
    headerItem()->setToolTip(SparsityColumn, tr("Per-layer pruning ratio, used when the Compression panel prunes. "
                                                "Double-click a layer's cell to set it; default follows the panel."));
    headerItem()->setToolTip(SkipColumn, tr("Checked: the layer stays as it is (32-bit floats), whatever the Compression panel does."));
}

void ModelTreeView::retranslateItem(QTreeWidgetItem *item)
{
    showBytes(item);
    if (item->data(BytesColumn, kTiedBytesRole).toLongLong() > 0)
        item->setText(TypeColumn, tr("%1 (tied)").arg(item->data(TypeColumn, kTypeRole).toString()));
}

void ModelTreeView::showBytes(QTreeWidgetItem *item)
{
    const qint64 now = item->data(BytesColumn, Qt::UserRole).toLongLong();
    const QVariant after = item->data(BytesColumn, kAfterBytesRole);
    QStringList tips;
    if (after.isValid()) {
        const qint64 a = after.toLongLong();
        item->setText(BytesColumn, u"%1 → %2"_s.arg(formatBytes(now), formatBytes(a)));
        tips << tr("%1 as stored now; %2 as the Compression panel's configuration deploys it (exact, %3× smaller).")
                    .arg(formatBytes(now), formatBytes(a), QLocale().toString(a > 0 ? double(now) / double(a) : 0.0, 'f', 1));
    } else {
        item->setText(BytesColumn, formatBytes(now));
    }
    if (const qint64 tied = item->data(BytesColumn, kTiedBytesRole).toLongLong(); tied > 0)
        tips << tr("Holds %1 tied to an earlier module; the model's totals count them once.").arg(formatBytes(tied));
    item->setToolTip(BytesColumn, tips.join(u'\n'));
}

void ModelTreeView::setCompressionReport(const CompressionReport &report)
{
    // Each layer's saving counts in its own row and in every module above it.
    QHash<QTreeWidgetItem *, qint64> saved;
    for (const LayerReport &layer : report.layers) {
        if (!layer.tiedTo.isEmpty()) // stored once, with the layer it is tied to
            continue;
        for (QTreeWidgetItem *item = layerItem(layer.path); item; item = item->parent())
            saved[item] += layer.originalBytes - layer.deployedBytes;
    }
    for (QTreeWidgetItemIterator it(this); *it; ++it) {
        QTreeWidgetItem *item = *it;
        const qint64 now = item->data(BytesColumn, Qt::UserRole).toLongLong();
        const auto s = saved.constFind(item);
        item->setData(BytesColumn, kAfterBytesRole, s != saved.cend() && *s != 0 ? QVariant(now - *s) : QVariant());
        showBytes(item);
    }
}

void ModelTreeView::setSummary(const ModelSummary &summary)
{
    m_updating = true;
    clear();
    m_sensitivitySetting.clear();
    const double total = summary.totalBytes() > 0 ? double(summary.totalBytes()) : 1.0; // a model may hold no tensors
    QVector<QTreeWidgetItem *> items(summary.modules.size(), nullptr);
    for (int i = 0; i < summary.modules.size(); ++i) {
        const ModuleNode &m = summary.modules[i];
        QTreeWidgetItem *item = m.parent >= 0 ? new NumericItem(items[m.parent]) : new NumericItem(this);
        items[i] = item;
        item->setText(NameColumn, m.path.isEmpty() ? m.name : m.name);
        item->setData(NameColumn, Qt::UserRole, m.path);
        item->setToolTip(NameColumn, m.path.isEmpty() ? m.name : m.path);
        item->setText(TypeColumn, m.type);
        item->setToolTip(TypeColumn, m.qualifiedType);
        item->setText(ParametersColumn, QLocale().toString(m.parameters));
        item->setData(ParametersColumn, Qt::UserRole, m.parameters);
        item->setData(BytesColumn, Qt::UserRole, m.bytes);
        item->setText(ShareColumn, u"%1 %"_s.arg(100.0 * double(m.bytes) / total, 0, 'f', 1));
        item->setData(ShareColumn, Qt::UserRole, m.bytes);
        // Kept on the item so that a language switch can write the "tied" texts again.
        item->setData(TypeColumn, kTypeRole, m.type);
        item->setData(BytesColumn, kTiedBytesRole, m.directSharedBytes);
        retranslateItem(item);
        for (int c = ParametersColumn; c <= SensitivityColumn; ++c)
            item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
        if (isCompressible(m, summary)) {
            for (int c = NameColumn; c < ColumnCount; ++c)
                item->setData(c, CompressibleRole, true);
            item->setFlags(item->flags() | Qt::ItemIsEditable | Qt::ItemIsUserCheckable);
            item->setCheckState(SkipColumn, Qt::Unchecked);
            showOverrides(item);
        }
    }
    expandToDepth(1);
    if (topLevelItemCount() > 0)
        setCurrentItem(topLevelItem(0));
    m_updating = false;
    Q_EMIT sensitivityChanged();
    if (!m_emitted.isEmpty()) { // the previous model's overrides are gone
        m_emitted = {};
        Q_EMIT overridesChanged(m_emitted);
    }
}

QTreeWidgetItem *ModelTreeView::layerItem(const QString &path) const
{
    for (QTreeWidgetItemIterator it(const_cast<ModelTreeView *>(this)); *it; ++it)
        if ((*it)->data(NameColumn, Qt::UserRole).toString() == path)
            return *it;
    return nullptr;
}

void ModelTreeView::setSensitivity(const SensitivityResult &result)
{
    // The colour shows the reference probe (int4, the bit width most configurations start from).
    QString setting = result.referenceSetting;
    if (!result.layers.isEmpty() && probeKl(result.layers.first(), setting) < 0 && !result.layers.first().probes.isEmpty())
        setting = result.layers.first().probes.first().setting;
    const HeatScale scale = HeatScale::of(result, setting);
    m_sensitivitySetting = setting;
    m_sensitivitySamples = int(result.samples);
    m_metricLabel = displayMetric(result.metricLabel);
    m_heatLow = scale.low;
    m_heatHigh = scale.high;
    m_updating = true;
    for (QTreeWidgetItemIterator it(this); *it; ++it) {
        QTreeWidgetItem *item = *it;
        const QString path = item->data(NameColumn, Qt::UserRole).toString();
        item->setData(SensitivityColumn, kKlRole, QVariant());
        item->setData(SensitivityColumn, HeatRole, QVariant());
        for (const LayerSensitivity &l : result.layers) {
            if (l.layer != path)
                continue;
            const double kl = probeKl(l, setting);
            if (kl >= 0) {
                item->setData(SensitivityColumn, kKlRole, kl);
                item->setData(SensitivityColumn, kDeltaRole, probeDelta(l, setting));
                item->setData(SensitivityColumn, HeatRole, scale.position(kl));
            }
        }
        showSensitivity(item);
    }
    m_updating = false;
    Q_EMIT sensitivityChanged();
}

void ModelTreeView::clearSensitivity()
{
    m_sensitivitySetting.clear();
    m_updating = true;
    for (QTreeWidgetItemIterator it(this); *it; ++it) {
        (*it)->setData(SensitivityColumn, kKlRole, QVariant());
        (*it)->setData(SensitivityColumn, HeatRole, QVariant());
        showSensitivity(*it);
    }
    m_updating = false;
    Q_EMIT sensitivityChanged();
}

void ModelTreeView::showSensitivity(QTreeWidgetItem *item)
{
    const QVariant heat = item->data(SensitivityColumn, HeatRole);
    if (!heat.isValid()) {
        item->setText(SensitivityColumn, QString());
        item->setData(SensitivityColumn, Qt::BackgroundRole, QVariant());
        item->setData(SensitivityColumn, Qt::ForegroundRole, QVariant());
        item->setToolTip(SensitivityColumn, QString());
        return;
    }
    const double kl = item->data(SensitivityColumn, kKlRole).toDouble();
    const double delta = item->data(SensitivityColumn, kDeltaRole).toDouble();
    item->setText(SensitivityColumn, QLocale().toString(kl, 'e', 1)); // one width for every order of magnitude
    item->setBackground(SensitivityColumn, heatColour(heat.toDouble()));
    item->setForeground(SensitivityColumn, heatTextColour(heat.toDouble()));
    item->setToolTip(SensitivityColumn,
                     tr("Measured on %1 samples: with only this layer at %2, the output drifts from the original's by KL %3 nats, "
                        "and %4 changes by %5.\nThe colour places it between this model's least sensitive layer (white, KL %6) "
                        "and its most sensitive (red, KL %7) on a log scale.")
                         .arg(m_sensitivitySamples)
                         .arg(probeSettingText(m_sensitivitySetting), QLocale().toString(kl, 'g', 3), m_metricLabel,
                              QLocale().toString(delta, 'f', 3), QLocale().toString(m_heatLow, 'g', 2),
                              QLocale().toString(m_heatHigh, 'g', 2)));
}

void ModelTreeView::showOverrides(QTreeWidgetItem *item)
{
    if (!item->data(NameColumn, CompressibleRole).toBool())
        return;
    const QVariant bits = item->data(BitsColumn, OverrideRole), sparsity = item->data(SparsityColumn, OverrideRole);
    const bool skip = item->checkState(SkipColumn) == Qt::Checked;
    const QString path = item->data(NameColumn, Qt::UserRole).toString();

    // Each cell: its text, a tint when it overrides, grey when it follows the panel or changes nothing now.
    auto show = [item](int column, bool overridden, bool effective, const QString &text, const QString &tip) {
        item->setText(column, text);
        item->setBackground(column, overridden ? QBrush(kOverriddenBackground) : QBrush());
        item->setForeground(column, overridden && effective ? QBrush() : QBrush(kDefaultText));
        QFont font = item->font(column);
        font.setItalic(overridden && !effective);
        item->setFont(column, font);
        item->setToolTip(column, tip);
    };
    const QString noCompression = tr("No effect now: the Compression panel compresses nothing.");
    QString bitsTip = tr("Bits for %1's weights. Double-click to choose; default follows the Compression panel.").arg(path);
    const bool bitsEffective = m_quantizesToInt && !skip;
    if (bits.isValid() && !bitsEffective)
        bitsTip += u"\n"_s + (skip ? tr("No effect: the layer is skipped.")
                                   : m_compresses ? tr("No effect now: the Compression panel does not quantize to integer bits.")
                                                  : noCompression);
    show(BitsColumn, bits.isValid(), bitsEffective, bits.isValid() ? tr("%1 bits").arg(bits.toInt()) : tr("default"), bitsTip);

    QString sparsityTip = tr("Share of %1's weights removed. Double-click to set; default follows the Compression panel.").arg(path);
    const bool sparsityEffective = m_prunes && !skip;
    if (sparsity.isValid() && !sparsityEffective)
        sparsityTip += u"\n"_s + (skip ? tr("No effect: the layer is skipped.")
                                       : m_compresses ? tr("No effect now: the Compression panel does not prune (or prunes 2:4, "
                                                           "which has a fixed ratio).")
                                                      : noCompression);
    show(SparsityColumn, sparsity.isValid(), sparsityEffective, sparsity.isValid() ? tr("%1 %").arg(sparsity.toInt()) : tr("default"),
         sparsityTip);

    QString skipTip = tr("Checked: %1 stays as it is (32-bit floats), whatever the Compression panel does.").arg(path);
    if (skip && !m_compresses)
        skipTip += u"\n"_s + noCompression;
    show(SkipColumn, skip, m_compresses, QString(), skipTip);

    // The row says it is overridden: its name in bold, and the name's tooltip lists what.
    const bool overridden = bits.isValid() || sparsity.isValid() || skip;
    QFont nameFont = item->font(NameColumn);
    nameFont.setBold(overridden);
    item->setFont(NameColumn, nameFont);
    item->setToolTip(NameColumn, overridden ? tr("%1 (per-layer overrides set)").arg(path) : path);
}

QJsonObject ModelTreeView::layerOverrides() const
{
    QJsonObject layers;
    for (QTreeWidgetItemIterator it(const_cast<ModelTreeView *>(this)); *it; ++it) {
        const QTreeWidgetItem *item = *it;
        if (!item->data(NameColumn, CompressibleRole).toBool())
            continue;
        QJsonObject o;
        if (item->checkState(SkipColumn) == Qt::Checked)
            o.insert(u"skip"_s, true);
        if (const QVariant bits = item->data(BitsColumn, OverrideRole); bits.isValid())
            o.insert(u"bits"_s, bits.toInt());
        if (const QVariant sparsity = item->data(SparsityColumn, OverrideRole); sparsity.isValid())
            o.insert(u"sparsity"_s, sparsity.toInt() / 100.0);
        if (!o.isEmpty())
            layers.insert(item->data(NameColumn, Qt::UserRole).toString(), o);
    }
    return layers;
}

void ModelTreeView::clearOverrides()
{
    m_updating = true;
    for (QTreeWidgetItemIterator it(this); *it; ++it) {
        QTreeWidgetItem *item = *it;
        if (!item->data(NameColumn, CompressibleRole).toBool())
            continue;
        item->setData(BitsColumn, OverrideRole, QVariant());
        item->setData(SparsityColumn, OverrideRole, QVariant());
        item->setCheckState(SkipColumn, Qt::Unchecked);
        showOverrides(item);
    }
    m_updating = false;
    if (!m_emitted.isEmpty()) {
        m_emitted = {};
        Q_EMIT overridesChanged(m_emitted);
    }
}

void ModelTreeView::setCompressionConfig(const QJsonObject &config)
{
    const QJsonObject quantize = config.value("quantize"_L1).toObject(), prune = config.value("prune"_L1).toObject();
    m_compresses = config.contains("quantize"_L1) || config.contains("prune"_L1) || config.contains("low_rank"_L1) ||
                   config.contains("codebook"_L1);
    m_quantizesToInt = quantize.value("bits"_L1).isDouble() && !config.contains("codebook"_L1);
    m_prunes = config.contains("prune"_L1) && prune.value("pattern"_L1).toString() != "2:4"_L1;
    m_updating = true;
    for (QTreeWidgetItemIterator it(this); *it; ++it)
        showOverrides(*it);
    m_updating = false;
}

void ModelTreeView::itemEdited(QTreeWidgetItem *item, int column)
{
    if (m_updating || (column != BitsColumn && column != SparsityColumn && column != SkipColumn))
        return;
    m_updating = true;
    showOverrides(item);
    m_updating = false;
    const QJsonObject layers = layerOverrides();
    if (layers == m_emitted)
        return;
    m_emitted = layers;
    Q_EMIT overridesChanged(layers);
}

} // namespace compresslab
