#include "panels/LayerOverrideDelegate.h"

#include "panels/ModelTreeView.h"

#include <QComboBox>
#include <QSpinBox>

namespace compresslab {

namespace {
constexpr int kDefault = -1; // the editors' "follow the Compression panel" value
}

QWidget *LayerOverrideDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &index) const
{
    if (!index.data(ModelTreeView::CompressibleRole).toBool())
        return nullptr;
    if (index.column() == ModelTreeView::BitsColumn) {
        auto *combo = new QComboBox(parent);
        combo->addItem(tr("default"), kDefault);
        for (int bits = 2; bits <= 8; ++bits)
            combo->addItem(tr("%1 bits").arg(bits), bits);
        combo->setToolTip(tr("Bits for this layer's weights when the Compression panel quantizes to integer bits; "
                             "default: the panel's bits."));
        // A choice from the list is the edit: commit it at once, as a checkbox would.
        connect(combo, &QComboBox::activated, this, [this, combo] {
            auto *self = const_cast<LayerOverrideDelegate *>(this);
            Q_EMIT self->commitData(combo);
            Q_EMIT self->closeEditor(combo);
        });
        return combo;
    }
    if (index.column() == ModelTreeView::SparsityColumn) {
        auto *spin = new QSpinBox(parent);
        spin->setRange(kDefault, 99);
        spin->setSingleStep(5);
        spin->setSpecialValueText(tr("default"));
        spin->setSuffix(tr(" %"));
        spin->setToolTip(tr("Share of this layer's weights removed when the Compression panel prunes; default: the panel's ratio."));
        return spin;
    }
    return nullptr;
}

void LayerOverrideDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    const QVariant value = index.data(ModelTreeView::OverrideRole);
    if (auto *combo = qobject_cast<QComboBox *>(editor))
        combo->setCurrentIndex(std::max(0, combo->findData(value.isValid() ? value.toInt() : kDefault)));
    else if (auto *spin = qobject_cast<QSpinBox *>(editor))
        spin->setValue(value.isValid() ? value.toInt() : kDefault);
}

void LayerOverrideDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    int value = kDefault;
    if (auto *combo = qobject_cast<QComboBox *>(editor))
        value = combo->currentData().toInt();
    else if (auto *spin = qobject_cast<QSpinBox *>(editor))
        value = spin->value();
    model->setData(index, value == kDefault ? QVariant() : QVariant(value), ModelTreeView::OverrideRole);
}

} // namespace compresslab
