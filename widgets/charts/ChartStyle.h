#pragma once
// The look every chart shares: a bold title row above the plot, the legend in one row below it (so it
// never covers data). Also: exporting a chart as PNG, PDF or SVG.
#include <QString>

class QCustomPlot;
class QWidget;

namespace compresslab {

void addChartTitle(QCustomPlot *plot, const QString &title);
void setChartTitle(QCustomPlot *plot, const QString &title); // replaces the title row's text (adds the row if absent)
void placeLegendBelow(QCustomPlot *plot);

// Saves the chart as PNG (twice the screen resolution), PDF or SVG (both vector), by the file's suffix, atomically.
// Throws UserError with the reason (unknown suffix, cannot write).
void exportChart(QCustomPlot *plot, const QString &path);
// A context menu on the chart: Export Chart as PNG… / PDF… / SVG…
void enableChartExport(QCustomPlot *plot);

// Presentation mode: every chart under `root` draws its lines, markers and texts `scale` times their normal
// size (1 = normal; the normal sizes are remembered on the first call), then replots.
void setChartsScale(QWidget *root, double scale);

} // namespace compresslab
