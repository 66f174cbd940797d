#include "panels/HistoryTableModel.h"
#include "CoreText.h"

#include "model/ModelSummary.h"

#include <QBrush>
#include <QColor>

#include <limits>

using namespace Qt::StringLiterals;

namespace compresslab {

void HistoryTableModel::setExperiments(const QVector<history::ExperimentSummary> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

QString HistoryTableModel::statusText(history::Status status)
{
    // The history stores statusName() ("done"); the table shows it in the window's language.
    switch (status) {
    case history::Status::Running: return tr("running");
    case history::Status::Done: return tr("done");
    case history::Status::Failed: return tr("failed");
    case history::Status::Cancelled: return tr("cancelled");
    case history::Status::Interrupted: return tr("interrupted");
    }
    return history::statusName(status);
}

void HistoryTableModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1), {Qt::DisplayRole, Qt::ToolTipRole});
}

int HistoryTableModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }
int HistoryTableModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant HistoryTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const history::ExperimentSummary &e = m_rows.at(index.row());
    if (role == Qt::ForegroundRole && index.column() == Status) {
        switch (e.status) {
        case history::Status::Failed: return QBrush(QColor(0xb0, 0x20, 0x20));
        case history::Status::Interrupted:
        case history::Status::Cancelled: return QBrush(QColor(0x99, 0x66, 0x00));
        default: return {};
        }
    }
    if (role == SortRole) {
        switch (index.column()) {
        case Id: return e.id;
        case Started: return e.started;
        // Rows without the number sort below every row with one.
        case Quality: return e.headlineKey.isEmpty() ? std::numeric_limits<double>::lowest() : e.headlineValue;
        case Size: return e.deployedBytes;
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Id || index.column() == Quality || index.column() == Size))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        QString tip = e.summary;
        if (!e.failure.isEmpty())
            tip += u"\n"_s + e.failure;
        if (e.rerunOf)
            tip += tr("\nRe-run of experiment %1: %2").arg(e.rerunOf).arg(e.reproduction);
        return tip;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Id: return e.id;
    case Started: return e.started.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s);
    case Status: return statusText(e.status);
    case Model: return e.modelName;
    case Quality: return e.headlineKey.isEmpty() ? u"—"_s : u"%1 %2"_s.arg(displayMetric(e.headlineKey)).arg(e.headlineValue, 0, 'f', 3);
    case Size: return e.deployedBytes > 0 ? formatBytes(qint64(e.deployedBytes)) : u"—"_s;
    case Configuration: return e.rerunOf ? tr("%1 (re-run of %2)").arg(e.summary).arg(e.rerunOf) : e.summary;
    case Tags: return e.tags.join(u", "_s);
    }
    return {};
}

QVariant HistoryTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id: return tr("#");
    case Started: return tr("Started");
    case Status: return tr("Status");
    case Model: return tr("Model");
    case Quality: return tr("Quality (measured)");
    case Size: return tr("Size (exact)");
    case Configuration: return tr("Configuration");
    case Tags: return tr("Tags");
    }
    return {};
}

} // namespace compresslab
