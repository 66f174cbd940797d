#pragma once
// One layer's weights before and after a compression, as histograms over the same bins, with the
// quantization grid of one scale group, the pruned zeros, the error and the distinct values after.
// "After" is what the compressed model holds: the layer is run through compressModel itself (the other
// layers skipped unless the configuration couples layers), so the chart never shows a re-implementation.
#include "common/Progress.h"
#include "compress/CompressionConfig.h"

#include <QString>
#include <QVector>

namespace compresslab {

class Dataset;
class Model;
struct ModelSummary;

struct WeightHistogramParams {
    QString layer;       // module path of a Linear, Conv or Embedding layer
    int bins = 120;      // equal-width bins over [min, max] of before, after and the grid
    qint64 group = -1;   // the scale group whose grid is shown; -1: the one with the widest range
};

// Why a layer's "after" equals its "before", or why no grid is drawn.
enum class WeightHistogramState {
    Compressed,     // after differs from before (or could)
    NoCompression,  // the configuration has no steps
    Skipped,        // a per-layer override skips the layer
    TypeNotSelected, // the configuration's module types leave this layer's type out
    Empty,          // the weight has no elements
};

enum class WeightGridKind {
    None,
    Integer,  // a uniform integer grid: (code - zero) * scale for one scale group
    Codebook, // the layer's shared k-means values
};

enum class WeightNoGridReason {
    NotQuantized, // pruning or low-rank only: values keep their fp32 precision
    HalfFloat,    // fp16/bf16: rounded to the nearest half-precision number, no uniform grid
    LowRank,      // the grid applies to the two factors, not to their product
    Unchanged,    // after = before
};

enum class WeightGroupUnit { Tensor, Channel, Group };

struct WeightHistogram {
    QString layer;
    QString type;                  // "Linear", "Conv2d", "Embedding"
    QVector<qint64> shape;         // of the original weight
    QString configSummary;         // CompressionConfig::describe()
    QString encoding;              // how the layer is stored: "int3 per-channel sym" (from the compression report)
    QString tiedTo;                // the layer whose weight this one shares (compressed once, as that layer)
    WeightHistogramState state = WeightHistogramState::Compressed;
    qint64 weights = 0;            // elements of the original weight

    QVector<double> binEdges;      // bins + 1 ascending edges, shared by both histograms
    QVector<double> before;        // count per bin of the original weights (sums to weights)
    QVector<double> after;         // count per bin of the compressed weights (sums to weights; removed ones count as 0)

    WeightGridKind gridKind = WeightGridKind::None;
    WeightNoGridReason noGridReason = WeightNoGridReason::Unchanged; // when gridKind is None
    QVector<double> gridLevels;    // ascending: the values the shown group can take
    int bits = 0;                  // integer bits or codebook index bits; 16 for fp16/bf16
    WeightGroupUnit groupUnit = WeightGroupUnit::Tensor;
    qint64 groupSize = 0;          // weights per scale
    qint64 gridGroup = -1;         // the shown group, 0-based (a channel is a weight row: an output channel)
    qint64 gridCount = 0;          // how many groups (grids) the layer has
    bool gridWidest = false;       // the shown group is the one with the widest range (none was asked for)

    qint64 prunedZeros = 0;        // weights set to zero by pruning (masked or removed with their rows/columns)
    qint64 removedWeights = 0;     // of which structured pruning removed from the tensors (counted as zeros)
    qint64 zerosBefore = 0, zerosAfter = 0;
    double minAbsError = 0, maxAbsError = 0, meanAbsError = 0; // |after - before| per weight
    qint64 distinctBefore = 0, distinctAfter = 0;
    double seconds = 0;            // measured: the whole computation (compression included)
};

// True for a module the histogram can show: a Linear/Conv/Embedding with a 2-D+ floating-point weight.
bool isHistogramLayer(const ModelSummary &summary, const QString &path);
// The Linear layer with the most weight elements (the default to show); empty when there is none.
QString largestLinearLayer(const ModelSummary &summary);

// Throws UserError for a missing or non-compressible layer and for configurations that do not fit it
// (the same messages compression gives), Cancelled when progress says stop. `calibration` is needed for GPTQ.
WeightHistogram computeWeightHistogram(const Model &model, const CompressionConfig &config, const WeightHistogramParams &params,
                                       const Dataset *calibration = nullptr, const ProgressCallback &progress = {});

} // namespace compresslab
