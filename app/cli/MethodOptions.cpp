#include "MethodOptions.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace compresslab::cli {

namespace {

const QStringList kMethodFlags{u"bits"_s, u"granularity"_s, u"group-size"_s, u"group-fallback"_s, u"symmetric"_s, u"asymmetric"_s, u"method"_s,
                               u"sparsity"_s, u"pruning"_s, u"global"_s, u"rank-ratio"_s, u"energy"_s, u"codebook-bits"_s,
                               u"modules"_s, u"skip"_s, u"order"_s, u"int8-kernels"_s, u"int8-engine"_s};

// Turns the method flags into the same JSON a --config file holds, so both paths validate identically.
QJsonObject configFromFlags(const QCommandLineParser &p)
{
    QJsonObject json;
    QJsonObject quantize;
    if (p.isSet(u"bits"_s)) {
        bool isNumber = false;
        const int bits = p.value(u"bits"_s).toInt(&isNumber);
        quantize.insert(u"bits"_s, isNumber ? QJsonValue(bits) : QJsonValue(p.value(u"bits"_s)));
    }
    if (p.isSet(u"granularity"_s))
        quantize.insert(u"granularity"_s, p.value(u"granularity"_s));
    if (p.isSet(u"group-size"_s))
        quantize.insert(u"group_size"_s, p.value(u"group-size"_s).toInt());
    if (p.isSet(u"group-fallback"_s))
        quantize.insert(u"group_fallback"_s, u"channel"_s);
    if (p.isSet(u"symmetric"_s) || p.isSet(u"asymmetric"_s))
        quantize.insert(u"symmetric"_s, !p.isSet(u"asymmetric"_s));
    if (p.isSet(u"method"_s))
        quantize.insert(u"method"_s, p.value(u"method"_s));
    if (!quantize.isEmpty())
        json.insert(u"quantize"_s, quantize);
    QJsonObject prune;
    if (p.isSet(u"sparsity"_s))
        prune.insert(u"sparsity"_s, p.value(u"sparsity"_s).toDouble());
    if (p.isSet(u"pruning"_s))
        prune.insert(u"pattern"_s, p.value(u"pruning"_s));
    if (p.isSet(u"global"_s))
        prune.insert(u"scope"_s, u"global"_s);
    if (!prune.isEmpty())
        json.insert(u"prune"_s, prune);
    if (p.isSet(u"rank-ratio"_s))
        json.insert(u"low_rank"_s, QJsonObject{{u"rank_ratio"_s, p.value(u"rank-ratio"_s).toDouble()}});
    else if (p.isSet(u"energy"_s))
        json.insert(u"low_rank"_s, QJsonObject{{u"energy"_s, p.value(u"energy"_s).toDouble()}});
    if (p.isSet(u"codebook-bits"_s))
        json.insert(u"codebook"_s, QJsonObject{{u"bits"_s, p.value(u"codebook-bits"_s).toInt()}});
    if (p.isSet(u"modules"_s))
        json.insert(u"modules"_s, QJsonArray::fromStringList(p.value(u"modules"_s).split(u',', Qt::SkipEmptyParts)));
    if (p.isSet(u"skip"_s)) {
        QJsonObject layers;
        for (const QString &layer : p.values(u"skip"_s))
            layers.insert(layer, QJsonObject{{u"skip"_s, true}});
        json.insert(u"layers"_s, layers);
    }
    if (p.isSet(u"order"_s))
        json.insert(u"steps"_s, QJsonArray::fromStringList(p.value(u"order"_s).split(u',', Qt::SkipEmptyParts)));
    if (p.isSet(u"int8-kernels"_s))
        json.insert(u"int8_kernels"_s, true);
    if (p.isSet(u"int8-engine"_s))
        json.insert(u"int8_engine"_s, p.value(u"int8-engine"_s));
    return json;
}

} // namespace

void addMethodOptions(QCommandLineParser &p)
{
    p.addOptions({
        {u"config"_s, u"Compression configuration (JSON, see docs/compression.md)."_s, u"FILE"_s},
        {u"bits"_s, u"Quantize weights to B bits (2-8), or fp16 / bf16."_s, u"B"_s},
        {u"granularity"_s, u"Quantization scales per tensor, channel (default) or group."_s, u"G"_s},
        {u"group-size"_s, u"Values per scale with --granularity group (default 128)."_s, u"N"_s},
        {u"group-fallback"_s, u"Layers whose inputs the group size does not divide use per-channel scales."_s},
        {u"symmetric"_s, u"Symmetric quantization (default)."_s},
        {u"asymmetric"_s, u"Asymmetric quantization with zero-points."_s},
        {u"method"_s, u"rtn (round to nearest, default) or gptq (needs --data)."_s, u"M"_s},
        {u"sparsity"_s, u"Prune this fraction of weights (0-0.99)."_s, u"S"_s},
        {u"pruning"_s, u"unstructured (default), structured, or N:M such as 2:4."_s, u"P"_s},
        {u"global"_s, u"Unstructured pruning with one threshold across layers."_s},
        {u"rank-ratio"_s, u"Low-rank factorisation keeping this fraction of the rank."_s, u"R"_s},
        {u"energy"_s, u"Low-rank factorisation keeping this share of the spectrum's energy."_s, u"E"_s},
        {u"codebook-bits"_s, u"Weight sharing: a k-means codebook of 2^K values per layer."_s, u"K"_s},
        {u"modules"_s, u"Layer types to compress (default Linear,Conv,Embedding)."_s, u"LIST"_s},
        {u"skip"_s, u"Leave this layer (module path) uncompressed; repeatable."_s, u"LAYER"_s},
        {u"order"_s, u"Step order, e.g. prune,quantize (default prune,low_rank,quantize,codebook)."_s, u"STEPS"_s},
        {u"int8-kernels"_s, u"Run Linear layers with int8 kernels (quantized::linear_dynamic)."_s},
        {u"int8-engine"_s, u"Kernels for --int8-kernels: auto (default: both timed on the model's input, the faster kept), onednn or qnnpack."_s, u"E"_s},
    });
}

int configFromOptions(const QCommandLineParser &p, const QString &command, bool required, Io &io, std::optional<CompressionConfig> &config)
{
    bool anyFlag = false;
    for (const QString &f : kMethodFlags)
        anyFlag = anyFlag || p.isSet(f);
    if (p.isSet(u"config"_s) && anyFlag) {
        io.err << "compresslab-cli " << command << ": give either --config or method flags, not both\n";
        return ExitUsage;
    }
    if (!p.isSet(u"config"_s) && !anyFlag) {
        if (!required)
            return -1;
        io.err << "compresslab-cli " << command << ": say what to do: --config FILE, or flags such as --bits 4 (see --help)\n";
        return ExitUsage;
    }
    config = p.isSet(u"config"_s) ? loadCompressionConfig(p.value(u"config"_s)) : parseCompressionConfig(configFromFlags(p));
    return -1;
}

} // namespace compresslab::cli
