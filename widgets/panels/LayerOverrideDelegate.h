#pragma once
// In-place editors for the module tree's per-layer overrides: a combo box for the bits (default, 2..8) and a
// spin box for the sparsity (default, 0..99 %). Only layers the compressor can change get an editor; the
// chosen value is stored under ModelTreeView::OverrideRole (invalid = follow the Compression panel).
#include <QStyledItemDelegate>

namespace compresslab {

class LayerOverrideDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
};

} // namespace compresslab
