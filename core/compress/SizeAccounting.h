#pragma once
// Core-internal: the exact deployed size of one stored matrix (see CompressionReport.h). Sparse masks
// are stored in the cheapest honest encoding: N:M position indices, a row bitmap for removed rows, or
// a bitmap + packed non-zeros when that beats storing the zeros densely; zeros are never free.
#include "compress/CompressionArtifacts.h"
#include "compress/CompressionReport.h"

namespace compresslab {

struct MatrixSize {
    SizeBreakdown breakdown;
    QString sparseEncoding; // "" when dense
    QString note;
};

MatrixSize storedSize(const StoredMatrix &m);

} // namespace compresslab
