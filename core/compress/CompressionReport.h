#pragma once
// What a compression did, layer by layer, with the exact deployed size of every tensor: packed value
// bits + scales + zero-points + sparse indices + codebooks. Plain data for the CLI, GUI and history.
#include "compress/CompressionConfig.h"

#include <QStringList>
#include <QVector>

namespace compresslab {

struct SizeBreakdown {
    double valueBits = 0;    // the stored values (packed), or fp32/fp16 words
    double scaleBits = 0;    // quantization scales (fp16 each)
    double zeroBits = 0;     // zero-points (b bits each, asymmetric only)
    double indexBits = 0;    // sparse bitmap / N:M positions / codebook indices
    double codebookBits = 0; // codebook entries (fp16 each)
    double totalBits() const { return valueBits + scaleBits + zeroBits + indexBits + codebookBits; }
    qint64 bytes() const;    // rounded up to whole bytes
    SizeBreakdown &operator+=(const SizeBreakdown &o);
};

struct LayerReport {
    QString path;           // module path, e.g. "blocks.0.mlp.fc1"
    QString type;           // "Linear", "Conv2d", "Embedding"
    QVector<qint64> shape;  // of the original weight
    qint64 weights = 0;     // elements of the original weight
    qint64 originalBytes = 0;
    qint64 deployedBytes = 0;
    SizeBreakdown size;
    double effectiveBits = 32; // deployed bits per original weight
    double sparsity = 0;       // share of zeros in the effective weight
    double relativeError = 0;  // ||W' - W|| / ||W|| (Frobenius)
    QString encoding;          // e.g. "int4 group-128 sym, bitmap-sparse"
    QString tiedTo;            // set when this weight is the same tensor as an earlier layer's
    bool skipped = false;
    QString note;              // an honest remark (e.g. why a pattern was stored dense)
};

struct Int8EngineTiming {
    QString engine;      // "onednn", "qnnpack"
    double medianMs = 0; // measured on this machine, batch 1
    int runs = 0;
};

// Which engine the int8 kernels were packed for, and why: the configuration named it, or "auto" timed
// every engine on the model's declared input and kept the faster (`timings`, `inputShape`).
struct Int8EngineReport {
    QString engine;
    bool measured = false;
    QString reason; // "auto" not timed: why (no input shape, a single engine, ...); empty when configured or timed
    QVector<qint64> inputShape;
    QVector<Int8EngineTiming> timings;
    QString inputShapeText() const // "1, 128"
    {
        QStringList dims;
        for (qint64 d : inputShape)
            dims << QString::number(d);
        return dims.join(QStringLiteral(", "));
    }
};

struct CompressionReport {
    CompressionConfig config;
    QVector<LayerReport> layers;
    qint64 originalBytes = 0;     // the whole model as loaded (fp32), tied tensors once
    qint64 deployedBytes = 0;     // the whole model as deployed: compressed layers + every other tensor
    qint64 compressedWeights = 0; // elements in the layers the configuration touched
    double effectiveBits = 32;    // over the touched weights
    double seconds = 0;           // measured time of the compression itself (copy + methods + accounting)
    double reduction() const { return deployedBytes > 0 ? double(originalBytes) / double(deployedBytes) : 0; }
    QStringList notes;
    Int8EngineReport int8Engine; // with int8_kernels only
};

} // namespace compresslab
