#pragma once
// The look every chart shares: a bold title row above the plot, the legend in one row below it (so it
// never covers data). Only chart sources include this (it needs qcustomplot.h's keywords).
#include <qcustomplot.h>

namespace compresslab {

void addChartTitle(QCustomPlot *plot, const QString &title);
void placeLegendBelow(QCustomPlot *plot);

} // namespace compresslab
