#include "charts/ChartStyle.h"

#include "common/AtomicFile.h"
#include "common/UserError.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QMenu>
#include <QMessageBox>
#include <QSvgGenerator>
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
    if (suffix != QLatin1String("png") && suffix != QLatin1String("pdf") && suffix != QLatin1String("svg"))
        throw UserError(QCoreApplication::translate("ChartStyle", "charts are exported as .png, .pdf or .svg, not .%1").arg(suffix));
    writeAtomically(path, [&](const QString &temp) {
        bool ok = false;
        if (suffix == QLatin1String("png")) {
            ok = plot->savePng(temp, 0, 0, 2.0);
        } else if (suffix == QLatin1String("pdf")) {
            ok = plot->savePdf(temp);
        } else { // QCustomPlot has no SVG writer: draw the chart into Qt's SVG paint device (vector)
            QSvgGenerator svg;
            svg.setFileName(temp);
            svg.setSize(plot->size());
            svg.setViewBox(QRect(QPoint(0, 0), plot->size()));
            svg.setTitle(plot->windowTitle());
            QCPPainter painter;
            ok = painter.begin(&svg);
            if (ok) {
                plot->toPainter(&painter, plot->width(), plot->height());
                ok = painter.end();
            }
        }
        if (!ok)
            throw UserError(QCoreApplication::translate("ChartStyle", "cannot write %1").arg(path));
    });
}

void enableChartExport(QCustomPlot *plot)
{
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [plot](const QPoint &pos) {
        QMenu menu(plot);
        for (const QString &kind : {QStringLiteral("PNG"), QStringLiteral("PDF"), QStringLiteral("SVG")}) { // format names: not translated
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

namespace {

// A chart element's size as first seen, kept on the element so scaling never compounds.
template <class T>
T normalValue(QObject *element, const char *key, const T &current)
{
    const QVariant stored = element->property(key);
    if (stored.isValid())
        return stored.value<T>();
    element->setProperty(key, QVariant::fromValue(current));
    return current;
}

QFont scaledFont(QObject *element, const char *key, const QFont &current, double scale)
{
    QFont f = normalValue(element, key, current);
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * scale);
    return f;
}

// Titles at the presentation scale, but never wider than the chart (they would be clipped at both ends);
// run again whenever the chart is resized.
void fitTitles(QCustomPlot *plot)
{
    const double scale = plot->property("chartScale").toDouble();
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
        auto *text = qobject_cast<QCPTextElement *>(plot->plotLayout()->elementAt(i));
        if (!text)
            continue;
        const QFont normal = normalValue(text, "normalFont", text->font());
        QFont font = scaledFont(text, "normalFont", text->font(), scale);
        const double width = QFontMetricsF(font).horizontalAdvance(text->text()), room = 0.95 * plot->width();
        if (width > room && font.pointSizeF() > 0)
            font.setPointSizeF(std::max(font.pointSizeF() * room / width, std::min(normal.pointSizeF(), font.pointSizeF())));
        text->setFont(font);
    }
}

class TitleFitter : public QObject {
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Resize)
            fitTitles(static_cast<QCustomPlot *>(watched));
        return false;
    }
};

void scaleChart(QCustomPlot *plot, double scale)
{
    plot->setProperty("chartScale", scale);
    if (!plot->property("titleFitter").toBool()) {
        plot->installEventFilter(new TitleFitter(plot));
        plot->setProperty("titleFitter", true);
    }
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable *p = plot->plottable(i);
        QPen pen = p->pen();
        pen.setWidthF(normalValue(p, "normalPenWidth", pen.widthF()) * scale);
        p->setPen(pen);
        if (auto *graph = qobject_cast<QCPGraph *>(p)) {
            QCPScatterStyle style = graph->scatterStyle();
            style.setSize(normalValue(p, "normalScatterSize", style.size()) * scale);
            QPen outline = style.pen();
            outline.setWidthF(normalValue(p, "normalScatterPen", outline.widthF()) * scale);
            style.setPen(outline);
            graph->setScatterStyle(style);
        }
    }
    for (QCPAxisRect *rect : plot->axisRects()) {
        for (QCPAxis *axis : rect->axes()) {
            axis->setLabelFont(scaledFont(axis, "normalLabelFont", axis->labelFont(), scale));
            axis->setTickLabelFont(scaledFont(axis, "normalTickFont", axis->tickLabelFont(), scale));
        }
    }
    if (plot->legend)
        plot->legend->setFont(scaledFont(plot->legend, "normalFont", plot->legend->font(), scale));
    fitTitles(plot);
    plot->replot();
}

} // namespace

void setChartsScale(QWidget *root, double scale)
{
    for (QCustomPlot *plot : root->findChildren<QCustomPlot *>())
        scaleChart(plot, scale);
}

} // namespace compresslab
