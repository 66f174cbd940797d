#pragma once
// The experiment list as a table: one row per experiment, newest first. Plain data from the history;
// no SQL here.
#include "history/HistoryTypes.h"

#include <QAbstractTableModel>

namespace compresslab {

class HistoryTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Started, Status, Model, Quality, Size, Configuration, Tags, ColumnCount };
    // What the view sorts by: numbers as numbers (sizes in bytes, ids, times), not their display text.
    static constexpr int SortRole = Qt::UserRole;
    using QAbstractTableModel::QAbstractTableModel;

    void setExperiments(const QVector<history::ExperimentSummary> &rows);
    const history::ExperimentSummary &experiment(int row) const { return m_rows.at(row); }
    void retranslate(); // after a language switch: the views re-read the headers
    static QString statusText(history::Status status);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<history::ExperimentSummary> m_rows;
};

} // namespace compresslab
