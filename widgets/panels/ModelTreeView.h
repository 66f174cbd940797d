#pragma once
// The module tree of a model: name, type, parameters and bytes per module (subtree totals).
#include <QTreeWidget>

namespace compresslab {

struct ModelSummary;

class ModelTreeView : public QTreeWidget {
    Q_OBJECT
public:
    enum Column { NameColumn, TypeColumn, ParametersColumn, BytesColumn, ShareColumn, ColumnCount };
    explicit ModelTreeView(QWidget *parent = nullptr);
    void setSummary(const ModelSummary &summary);

Q_SIGNALS:
    void modulePicked(const QString &path);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateHeader();
    void retranslateItem(QTreeWidgetItem *item);
};

} // namespace compresslab
