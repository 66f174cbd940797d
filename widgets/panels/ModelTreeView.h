#pragma once
// The module tree of a model: name, type, parameters and bytes per module (subtree totals, and what they become
// under the Compression panel's configuration); for every layer the
// compressor can change, its measured sensitivity as a heat colour and its per-layer overrides (bits, sparsity,
// skip), edited in place and emitted as the configuration's "layers" object.
#include <QJsonObject>
#include <QTreeWidget>

namespace compresslab {

struct CompressionReport;
struct ModelSummary;
struct SensitivityResult;

class ModelTreeView : public QTreeWidget {
    Q_OBJECT
public:
    enum Column {
        NameColumn, TypeColumn, ParametersColumn, BytesColumn, ShareColumn,
        SensitivityColumn, BitsColumn, SparsityColumn, SkipColumn, ColumnCount
    };
    enum Role {
        CompressibleRole = Qt::UserRole + 10, // bool, on every cell of a layer the compressor can change
        OverrideRole,                         // Bits/Sparsity cells: int (bits, percent) or invalid = default
        HeatRole,                             // Sensitivity cell: 0..1 on the log scale, or invalid
    };
    explicit ModelTreeView(QWidget *parent = nullptr);
    void setSummary(const ModelSummary &summary); // also clears sensitivity and overrides

    void setSensitivity(const SensitivityResult &result);
    void clearSensitivity();
    bool hasSensitivity() const { return !m_sensitivitySetting.isEmpty(); }
    QString sensitivitySetting() const { return m_sensitivitySetting; } // the probe the colour shows ("int4")

    QJsonObject layerOverrides() const; // {"fc1": {"bits": 4, "sparsity": 0.3, "skip": true}, ...}
    QTreeWidgetItem *layerItem(const QString &path) const;
    // What the Compression panel does now: overrides that would change nothing are shown greyed, saying why.
    void setCompressionConfig(const QJsonObject &config);
    // The bytes the configuration's live compression deploys: the Size column reads "now → after" on every module
    // it changes (exact, from the report). A report without layers (nothing compressed) shows sizes as they are.
    void setCompressionReport(const CompressionReport &report);

public Q_SLOTS:
    void clearOverrides();

Q_SIGNALS:
    void modulePicked(const QString &path);
    void overridesChanged(const QJsonObject &layers);
    void sensitivityChanged(); // shown, or cleared (a new model)

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateHeader();
    void retranslateItem(QTreeWidgetItem *item);
    void showBytes(QTreeWidgetItem *item); // the Size cell: now, or now → after, and its tooltip
    void showSensitivity(QTreeWidgetItem *item);
    void showOverrides(QTreeWidgetItem *item); // texts, marks and tooltips of the override cells
    void itemEdited(QTreeWidgetItem *item, int column);

    QString m_sensitivitySetting;
    int m_sensitivitySamples = 0;
    QString m_metricLabel;
    double m_heatLow = 0, m_heatHigh = 0;
    bool m_quantizesToInt = false, m_prunes = false, m_compresses = false;
    bool m_updating = false; // our own writes to the items are not user edits
    QJsonObject m_emitted;   // the overrides last emitted
};

} // namespace compresslab
