#include "compress/CompressionConfig.h"

#include "common/JsonFile.h"
#include "common/JsonFields.h"

#include "common/UserError.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

const JsonFields kFields{u"invalid compression configuration: "_s};

const QStringList kStepNames{u"prune"_s, u"low_rank"_s, u"quantize"_s, u"codebook"_s};

QString stepName(Step s) { return kStepNames.at(int(s)); }

QString percent(double v) { return QString::number(v * 100, 'g', 3) + u'%'; }

} // namespace

QString CompressionConfig::describe() const
{
    QStringList parts;
    for (Step s : steps) {
        switch (s) {
        case Step::Prune:
            if (prune.method == PruneMethod::SemiStructured)
                parts << u"prune %1:%2"_s.arg(prune.n).arg(prune.m);
            else
                parts << u"prune %1 %2"_s.arg(percent(prune.sparsity),
                                              prune.method == PruneMethod::Structured ? u"structured"_s
                                              : prune.scope == PruneScope::Global ? u"unstructured global"_s
                                                                                  : u"unstructured"_s);
            break;
        case Step::LowRank:
            parts << (lowRank.rankRatio > 0 ? u"low-rank %1 of rank"_s.arg(percent(lowRank.rankRatio))
                                            : u"low-rank %1 energy"_s.arg(percent(lowRank.energy)));
            break;
        case Step::Quantize:
            if (quantize.format == QuantFormat::Float16)
                parts << u"fp16"_s;
            else if (quantize.format == QuantFormat::BFloat16)
                parts << u"bf16"_s;
            else
                parts << u"int%1 %2 %3 %4"_s.arg(quantize.bits)
                             .arg(quantize.granularity == Granularity::Tensor ? u"per-tensor"_s
                                  : quantize.granularity == Granularity::Channel ? u"per-channel"_s
                                                                                  : u"group-%1"_s.arg(quantize.groupSize))
                             .arg(quantize.symmetric ? u"sym"_s : u"asym"_s)
                             .arg(quantize.method == QuantMethod::Gptq ? u"GPTQ"_s : u"RTN"_s);
            break;
        case Step::Codebook:
            parts << u"codebook %1-bit"_s.arg(codebook.bits);
            break;
        }
    }
    if (int8Kernels)
        parts << u"int8 kernels (%1)"_s.arg(int8Engine);
    return parts.isEmpty() ? u"uncompressed"_s : parts.join(u" → "_s);
}

void validate(const CompressionConfig &c)
{
    if (c.has(Step::Quantize) && c.has(Step::Codebook))
        kFields.bad(u"'quantize' and 'codebook' both replace the weights' values: choose one"_s);
    if (c.quantize.format == QuantFormat::Int && (c.quantize.bits < 2 || c.quantize.bits > 8))
        kFields.bad(u"quantize.bits is %1 but must be 2 to 8, or \"fp16\" / \"bf16\""_s.arg(c.quantize.bits));
    if (c.quantize.method == QuantMethod::Gptq && c.quantize.format != QuantFormat::Int)
        kFields.bad(u"GPTQ needs integer bits, not fp16/bf16"_s);
    if (c.quantize.granularity == Granularity::Group && c.quantize.groupSize < 1)
        kFields.bad(u"quantize.group_size must be at least 1"_s);
    if (c.prune.sparsity < 0 || c.prune.sparsity > 0.99)
        kFields.bad(u"prune.sparsity is %1 but must be between 0 and 0.99"_s.arg(c.prune.sparsity));
    if (c.prune.method == PruneMethod::SemiStructured && !(c.prune.n >= 1 && c.prune.n < c.prune.m && c.prune.m <= 16))
        kFields.bad(u"N:M pruning needs 1 <= N < M <= 16 (e.g. 2:4)"_s);
    if (c.has(Step::LowRank) && !(c.lowRank.rankRatio > 0) && !(c.lowRank.energy > 0))
        kFields.bad(u"low_rank needs rank_ratio or energy"_s);
    if (c.int8Kernels && c.has(Step::Quantize) && c.quantize.format == QuantFormat::Int && c.quantize.bits != 8)
        kFields.bad(u"int8_kernels runs 8-bit weights; with quantize.bits %1 the kernels would change the result"_s.arg(c.quantize.bits));
    for (auto it = c.layers.begin(); it != c.layers.end(); ++it) {
        if (it->bits && (*it->bits < 2 || *it->bits > 8))
            kFields.bad(u"layers.%1.bits must be 2 to 8"_s.arg(it.key()));
        if (it->sparsity && (*it->sparsity < 0 || *it->sparsity > 0.99))
            kFields.bad(u"layers.%1.sparsity must be between 0 and 0.99"_s.arg(it.key()));
    }
}

CompressionConfig parseCompressionConfig(const QJsonObject &json)
{
    kFields.allowOnly(json, QString(), {u"version"_s, u"steps"_s, u"quantize"_s, u"prune"_s, u"low_rank"_s, u"codebook"_s,
                                u"modules"_s, u"layers"_s, u"int8_kernels"_s, u"int8_engine"_s});
    if (json.contains("version"_L1) && json.value("version"_L1).toInt() != 1)
        kFields.bad(u"version %1 is not supported (this app reads version 1)"_s.arg(json.value("version"_L1).toInt()));
    CompressionConfig c;

    const QJsonObject q = kFields.section(json, u"quantize"_s);
    kFields.allowOnly(q, u"quantize"_s, {u"bits"_s, u"granularity"_s, u"group_size"_s, u"symmetric"_s, u"method"_s,
                                  u"calibration_samples"_s, u"dampening"_s, u"group_fallback"_s});
    const QJsonValue bits = q.value("bits"_L1);
    if (bits.isString()) {
        const QString b = bits.toString();
        if (b == "fp16"_L1)
            c.quantize.format = QuantFormat::Float16;
        else if (b == "bf16"_L1)
            c.quantize.format = QuantFormat::BFloat16;
        else
            kFields.bad(u"'quantize.bits' must be 2 to 8, \"fp16\" or \"bf16\""_s);
    } else {
        c.quantize.bits = kFields.integer(q, u"quantize"_s, u"bits"_s, 8, 2, 8);
    }
    const QString g = kFields.text(q, u"quantize"_s, u"granularity"_s, u"channel"_s, {u"tensor"_s, u"channel"_s, u"group"_s});
    c.quantize.granularity = g == "tensor"_L1 ? Granularity::Tensor : g == "channel"_L1 ? Granularity::Channel : Granularity::Group;
    c.quantize.groupSize = kFields.integer(q, u"quantize"_s, u"group_size"_s, 128, 1, 1 << 20);
    if (q.contains("symmetric"_L1) && !q.value("symmetric"_L1).isBool())
        kFields.bad(u"'quantize.symmetric' must be true or false"_s);
    c.quantize.symmetric = q.value("symmetric"_L1).toBool(true);
    c.quantize.groupFallbackToChannel = kFields.text(q, u"quantize"_s, u"group_fallback"_s, u"error"_s, {u"error"_s, u"channel"_s}) == "channel"_L1;
    c.quantize.method = kFields.text(q, u"quantize"_s, u"method"_s, u"rtn"_s, {u"rtn"_s, u"gptq"_s}) == "gptq"_L1 ? QuantMethod::Gptq : QuantMethod::RoundToNearest;
    c.quantize.calibrationSamples = kFields.integer(q, u"quantize"_s, u"calibration_samples"_s, 128, 1, 100000);
    c.quantize.dampening = kFields.number(q, u"quantize"_s, u"dampening"_s, 0.01, 0, 1);

    const QJsonObject p = kFields.section(json, u"prune"_s);
    kFields.allowOnly(p, u"prune"_s, {u"sparsity"_s, u"pattern"_s, u"scope"_s, u"norm"_s});
    c.prune.sparsity = kFields.number(p, u"prune"_s, u"sparsity"_s, 0.5, 0, 0.99);
    const QString pattern = p.value("pattern"_L1).toString(u"unstructured"_s);
    static const QRegularExpression nm(u"^(\\d+):(\\d+)$"_s);
    if (const auto match = nm.match(pattern); match.hasMatch()) {
        c.prune.method = PruneMethod::SemiStructured;
        c.prune.n = match.captured(1).toInt();
        c.prune.m = match.captured(2).toInt();
    } else if (pattern == "unstructured"_L1) {
        c.prune.method = PruneMethod::Unstructured;
    } else if (pattern == "structured"_L1) {
        c.prune.method = PruneMethod::Structured;
    } else {
        kFields.bad(u"'prune.pattern' must be unstructured, structured or N:M (e.g. 2:4)"_s);
    }
    c.prune.scope = kFields.text(p, u"prune"_s, u"scope"_s, u"layer"_s, {u"layer"_s, u"global"_s}) == "global"_L1 ? PruneScope::Global : PruneScope::Layer;
    c.prune.norm = kFields.text(p, u"prune"_s, u"norm"_s, u"l2"_s, {u"l1"_s, u"l2"_s}) == "l1"_L1 ? 1 : 2;

    const QJsonObject lr = kFields.section(json, u"low_rank"_s);
    kFields.allowOnly(lr, u"low_rank"_s, {u"rank_ratio"_s, u"energy"_s});
    c.lowRank.rankRatio = kFields.number(lr, u"low_rank"_s, u"rank_ratio"_s, 0, 0, 1);
    c.lowRank.energy = kFields.number(lr, u"low_rank"_s, u"energy"_s, 0, 0, 1);

    const QJsonObject cb = kFields.section(json, u"codebook"_s);
    kFields.allowOnly(cb, u"codebook"_s, {u"bits"_s, u"iterations"_s});
    c.codebook.bits = kFields.integer(cb, u"codebook"_s, u"bits"_s, 4, 1, 8);
    c.codebook.iterations = kFields.integer(cb, u"codebook"_s, u"iterations"_s, 20, 1, 1000);

    if (json.contains("modules"_L1)) {
        if (!json.value("modules"_L1).isArray())
            kFields.bad(u"'modules' must be a list such as [\"Linear\", \"Conv\", \"Embedding\"]"_s);
        c.moduleTypes.clear();
        for (const QJsonValue &v : json.value("modules"_L1).toArray()) {
            if (!QStringList{u"Linear"_s, u"Conv"_s, u"Embedding"_s}.contains(v.toString()))
                kFields.bad(u"'modules' may hold Linear, Conv and Embedding, not '%1'"_s.arg(v.toString()));
            c.moduleTypes << v.toString();
        }
    }
    const QJsonObject layers = kFields.section(json, u"layers"_s);
    for (auto it = layers.begin(); it != layers.end(); ++it) {
        if (!it.value().isObject())
            kFields.bad(u"'layers.%1' must be an object"_s.arg(it.key()));
        const QJsonObject o = it.value().toObject();
        const QString where = u"layers."_s + it.key();
        kFields.allowOnly(o, where, {u"skip"_s, u"bits"_s, u"sparsity"_s});
        LayerOverride override;
        override.skip = o.value("skip"_L1).toBool(false);
        if (o.contains("bits"_L1))
            override.bits = kFields.integer(o, where, u"bits"_s, 8, 2, 8);
        if (o.contains("sparsity"_L1))
            override.sparsity = kFields.number(o, where, u"sparsity"_s, 0, 0, 0.99);
        c.layers.insert(it.key(), override);
    }
    if (json.contains("int8_kernels"_L1) && !json.value("int8_kernels"_L1).isBool())
        kFields.bad(u"'int8_kernels' must be true or false"_s);
    c.int8Kernels = json.value("int8_kernels"_L1).toBool(false);
    c.int8Engine = kFields.text(json, u"config"_s, u"int8_engine"_s, u"auto"_s, {u"auto"_s, u"onednn"_s, u"qnnpack"_s});

    // Steps: explicit order, or the sections present in the canonical order.
    if (json.contains("steps"_L1)) {
        for (const QJsonValue &v : json.value("steps"_L1).toArray()) {
            const qsizetype index = kStepNames.indexOf(v.toString());
            if (index < 0)
                kFields.bad(u"'steps' may hold %1, not '%2'"_s.arg(kStepNames.join(u", "_s), v.toString()));
            if (c.steps.contains(Step(index)))
                kFields.bad(u"'steps' names '%1' twice"_s.arg(v.toString()));
            c.steps << Step(index);
        }
    } else {
        for (int i = 0; i < kStepNames.size(); ++i) {
            if (json.contains(kStepNames[i]))
                c.steps << Step(i);
        }
    }
    validate(c);
    return c;
}

CompressionConfig loadCompressionConfig(const QString &path)
{
    return parseCompressionConfig(readJsonObject(path));
}

QJsonObject toJson(const CompressionConfig &c)
{
    QJsonObject o{{u"version"_s, 1}};
    QJsonArray steps;
    for (Step s : c.steps)
        steps.push_back(stepName(s));
    o.insert(u"steps"_s, steps);
    if (c.has(Step::Quantize)) {
        QJsonObject q{{u"granularity"_s, c.quantize.granularity == Granularity::Tensor ? u"tensor"_s
                                          : c.quantize.granularity == Granularity::Channel ? u"channel"_s : u"group"_s},
                      {u"group_size"_s, c.quantize.groupSize}, {u"symmetric"_s, c.quantize.symmetric},
                      {u"method"_s, c.quantize.method == QuantMethod::Gptq ? u"gptq"_s : u"rtn"_s},
                      {u"calibration_samples"_s, c.quantize.calibrationSamples}, {u"dampening"_s, c.quantize.dampening},
                      {u"group_fallback"_s, c.quantize.groupFallbackToChannel ? u"channel"_s : u"error"_s}};
        if (c.quantize.format == QuantFormat::Float16)
            q.insert(u"bits"_s, u"fp16"_s);
        else if (c.quantize.format == QuantFormat::BFloat16)
            q.insert(u"bits"_s, u"bf16"_s);
        else
            q.insert(u"bits"_s, c.quantize.bits);
        o.insert(u"quantize"_s, q);
    }
    if (c.has(Step::Prune)) {
        const QString pattern = c.prune.method == PruneMethod::Unstructured ? u"unstructured"_s
                                : c.prune.method == PruneMethod::Structured ? u"structured"_s
                                                                             : u"%1:%2"_s.arg(c.prune.n).arg(c.prune.m);
        o.insert(u"prune"_s, QJsonObject{{u"sparsity"_s, c.prune.sparsity}, {u"pattern"_s, pattern},
                                         {u"scope"_s, c.prune.scope == PruneScope::Global ? u"global"_s : u"layer"_s},
                                         {u"norm"_s, c.prune.norm == 1 ? u"l1"_s : u"l2"_s}});
    }
    if (c.has(Step::LowRank)) {
        QJsonObject lr;
        if (c.lowRank.rankRatio > 0)
            lr.insert(u"rank_ratio"_s, c.lowRank.rankRatio);
        if (c.lowRank.energy > 0)
            lr.insert(u"energy"_s, c.lowRank.energy);
        o.insert(u"low_rank"_s, lr);
    }
    if (c.has(Step::Codebook))
        o.insert(u"codebook"_s, QJsonObject{{u"bits"_s, c.codebook.bits}, {u"iterations"_s, c.codebook.iterations}});
    o.insert(u"modules"_s, QJsonArray::fromStringList(c.moduleTypes));
    QJsonObject layers;
    for (auto it = c.layers.begin(); it != c.layers.end(); ++it) {
        QJsonObject l;
        if (it->skip)
            l.insert(u"skip"_s, true);
        if (it->bits)
            l.insert(u"bits"_s, *it->bits);
        if (it->sparsity)
            l.insert(u"sparsity"_s, *it->sparsity);
        layers.insert(it.key(), l);
    }
    if (!layers.isEmpty())
        o.insert(u"layers"_s, layers);
    o.insert(u"int8_kernels"_s, c.int8Kernels);
    o.insert(u"int8_engine"_s, c.int8Engine);
    return o;
}

} // namespace compresslab
