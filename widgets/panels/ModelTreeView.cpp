#include "panels/ModelTreeView.h"

#include "model/ModelSummary.h"

#include <QEvent>
#include <QHeaderView>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// Beside Qt::UserRole (the sort key): the raw type name and the tied bytes, for retranslateItem().
constexpr int kTypeRole = Qt::UserRole + 1;
constexpr int kTiedBytesRole = Qt::UserRole + 2;

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

} // namespace

ModelTreeView::ModelTreeView(QWidget *parent) : QTreeWidget(parent)
{
    setColumnCount(ColumnCount);
    retranslateHeader();
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSortingEnabled(false);
    header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    for (int c = TypeColumn; c < ColumnCount; ++c)
        header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    header()->setStretchLastSection(false);
    connect(this, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            Q_EMIT modulePicked(item->data(NameColumn, Qt::UserRole).toString());
    });
}

void ModelTreeView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateHeader();
        for (QTreeWidgetItemIterator it(this); *it; ++it)
            retranslateItem(*it);
    }
    QTreeWidget::changeEvent(event);
}

void ModelTreeView::retranslateHeader()
{
    setHeaderLabels({tr("Module"), tr("Type"), tr("Parameters"), tr("Size"), tr("Share")});
    headerItem()->setToolTip(ParametersColumn, tr("Parameter elements in this module and below; tied weights count once."));
    headerItem()->setToolTip(BytesColumn, tr("Bytes of parameters and buffers in this module and below (as stored now)."));
    headerItem()->setToolTip(ShareColumn, tr("This module's share of the whole model's bytes."));
}

void ModelTreeView::retranslateItem(QTreeWidgetItem *item)
{
    const qint64 tiedBytes = item->data(BytesColumn, kTiedBytesRole).toLongLong();
    if (tiedBytes <= 0)
        return;
    const QString type = item->data(TypeColumn, kTypeRole).toString();
    item->setToolTip(BytesColumn, tr("Holds %1 tied to an earlier module; the model's totals count them once.").arg(formatBytes(tiedBytes)));
    item->setText(TypeColumn, tr("%1 (tied)").arg(type));
}

void ModelTreeView::setSummary(const ModelSummary &summary)
{
    clear();
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
        item->setText(BytesColumn, formatBytes(m.bytes));
        item->setData(BytesColumn, Qt::UserRole, m.bytes);
        item->setText(ShareColumn, u"%1 %"_s.arg(100.0 * double(m.bytes) / total, 0, 'f', 1));
        item->setData(ShareColumn, Qt::UserRole, m.bytes);
        // Kept on the item so that a language switch can write the "tied" texts again.
        item->setData(TypeColumn, kTypeRole, m.type);
        item->setData(BytesColumn, kTiedBytesRole, m.directSharedBytes);
        retranslateItem(item);
        for (int c = ParametersColumn; c < ColumnCount; ++c)
            item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    }
    expandToDepth(1);
    if (topLevelItemCount() > 0)
        setCurrentItem(topLevelItem(0));
}

} // namespace compresslab
