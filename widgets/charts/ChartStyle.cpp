#include "charts/ChartStyle.h"

#include "common/AtomicFile.h"
#include "common/UserError.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <qcustomplot.h>

#include <algorithm>

namespace compresslab {

void addChartTitle(QCustomPlot *plot, const QString &title)
{
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, QFont(plot->font().family(), 10, QFont::Bold)));
}

void setChartTitle(QCustomPlot *plot, const QString &title)
{
    if (auto *element = qobject_cast<QCPTextElement *>(plot->plotLayout()->element(0, 0)))
        element->setText(title);
    else
        addChartTitle(plot, title);
}

void placeLegendBelow(QCustomPlot *plot)
{
    plot->legend->setVisible(true);
    plot->legend->setFont(QFont(plot->font().family(), 8));
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->addElement(plot->plotLayout()->rowCount(), 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(plot->plotLayout()->rowCount() - 1, 0.001);
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->legend->setBorderPen(Qt::NoPen);
    // One row while it fits; a long legend (German names, a narrow chart) wraps into two columns, not cut off.
    QObject::connect(plot, &QCustomPlot::beforeReplot, plot, [plot] {
        QCPLegend *legend = plot->legend;
        QVector<int> widths;
        for (int i = 0; i < legend->elementCount(); ++i)
            if (QCPLayoutElement *item = legend->elementAt(i))
                widths << item->minimumOuterSizeHint().width();
        // The most columns whose widest items still fit side by side (items fill the rows left to right).
        int columns = int(widths.size());
        for (; columns > 1; --columns) {
            int total = (columns - 1) * legend->columnSpacing();
            for (int c = 0; c < columns; ++c) {
                int widest = 0;
                for (int i = c; i < widths.size(); i += columns)
                    widest = std::max(widest, widths[i]);
                total += widest;
            }
            if (total <= plot->width() - 20)
                break;
        }
        const int wrap = columns >= widths.size() ? 0 : columns;
        if (wrap != legend->wrap()) {
            legend->setWrap(wrap);
            legend->setFillOrder(QCPLegend::foColumnsFirst, true); // rearranges the items already there
        }
    });
}

void exportChart(QCustomPlot *plot, const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("pdf"))
        throw UserError(QCoreApplication::translate("ChartStyle", "charts are exported as .png or .pdf, not .%1").arg(suffix));
    writeAtomically(path, [&](const QString &temp) {
        const bool ok = suffix == QLatin1String("png") ? plot->savePng(temp, 0, 0, 2.0) : plot->savePdf(temp);
        if (!ok)
            throw UserError(QCoreApplication::translate("ChartStyle", "cannot write %1").arg(path));
    });
}

void enableChartExport(QCustomPlot *plot)
{
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [plot](const QPoint &pos) {
        QMenu menu(plot);
        for (const QString &kind : {QStringLiteral("PNG"), QStringLiteral("PDF")}) { // format names: not translated
            menu.addAction(QCoreApplication::translate("ChartStyle", "Export Chart as %1…").arg(kind), plot, [plot, kind] {
                const QString path = QFileDialog::getSaveFileName(plot, QCoreApplication::translate("ChartStyle", "Export Chart"),
                                                                  QStringLiteral("chart.") + kind.toLower(),
                                                                  QCoreApplication::translate("ChartStyle", "%1 files (*.%2)").arg(kind, kind.toLower()));
                if (path.isEmpty())
                    return;
                try {
                    exportChart(plot, path);
                } catch (const UserError &e) {
                    QMessageBox::warning(plot, QCoreApplication::translate("ChartStyle", "Export Chart"), e.message());
                }
            });
        }
        menu.exec(plot->mapToGlobal(pos));
    });
}

} // namespace compresslab
