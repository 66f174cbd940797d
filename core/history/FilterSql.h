#pragma once
// Turns a Filter into a WHERE clause over `experiments e` with its parameters, for every query that filters.
#include "history/HistoryTypes.h"

#include <QVariantList>

namespace compresslab::history {

struct FilterSql {
    QString where;        // " WHERE ..." or empty
    QVariantList params;  // bound as ?1, ?2, ... in order
};

// `firstParam` is the number of the first placeholder the clause may use.
FilterSql filterSql(const Filter &filter, int firstParam = 1);

} // namespace compresslab::history
