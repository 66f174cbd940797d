#include "panels/HistoryRerun.h"

#include "common/UserError.h"
#include "compress/CompressionConfig.h"

#include <QFileInfo>

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

bool onGrid(double value, double step) { return std::abs(value / step - std::round(value / step)) < 1e-9; }

QString filePath(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() ? info.canonicalFilePath() : info.absoluteFilePath();
}

} // namespace

QString HistoryRerun::controlsCannotShow(const CompressionConfig &c)
{
    // Mirrors what TunePanel's controls can express; the test holds setConfigJson() to these answers.
    if (!c.layers.isEmpty())
        return tr("it has per-layer overrides (%n layer pattern(s)), which the Compression controls cannot show yet", nullptr, int(c.layers.size()));
    if (c.int8Kernels)
        return tr("it exports int8 kernels, which the Compression controls do not offer");
    if (QStringList(c.moduleTypes).size() != 3 || !c.moduleTypes.contains(u"Linear"_s) || !c.moduleTypes.contains(u"Conv"_s)
        || !c.moduleTypes.contains(u"Embedding"_s))
        return tr("it compresses only %1 layers; the Compression controls always compress Linear, Conv and Embedding layers")
            .arg(c.moduleTypes.join(u", "_s));
    QList<Step> canonical;
    for (Step s : {Step::Prune, Step::LowRank, Step::Quantize, Step::Codebook}) {
        if (c.has(s))
            canonical << s;
    }
    if (canonical != c.steps)
        return tr("its steps run in an order the Compression controls do not use (they prune, factorise, then quantize)");
    if (c.has(Step::Quantize)) {
        const QuantizeSettings &q = c.quantize;
        if (q.format == QuantFormat::BFloat16)
            return tr("it quantizes to bf16; the Compression controls offer fp16");
        if (q.format == QuantFormat::Int) {
            if (q.granularity == Granularity::Group && (q.groupSize < 8 || q.groupSize > 1024))
                return tr("its group size %1 is outside the controls' range (8 to 1024)").arg(q.groupSize);
            if (q.granularity == Granularity::Group && !q.groupFallbackToChannel)
                return tr("it refuses layers its group size does not divide; the Compression controls fall back to per-channel scales");
            if (q.method == QuantMethod::Gptq && (q.calibrationSamples != QuantizeSettings().calibrationSamples
                                                  || q.dampening != QuantizeSettings().dampening))
                return tr("its GPTQ calibration settings (%1 samples, dampening %2) are not the controls' defaults")
                    .arg(q.calibrationSamples).arg(q.dampening);
        }
    }
    if (c.has(Step::Prune)) {
        const PruneSettings &p = c.prune;
        if (p.method == PruneMethod::SemiStructured) {
            if (p.n != 2 || p.m != 4)
                return tr("it prunes %1:%2; the Compression controls offer 2:4").arg(p.n).arg(p.m);
        } else {
            if (p.scope == PruneScope::Global)
                return tr("it prunes with one global threshold; the Compression controls prune each layer on its own");
            if (p.method == PruneMethod::Structured && p.norm != 2)
                return tr("it ranks neurons by their L1 norm; the Compression controls use the L2 norm");
            if (!(p.sparsity > 0) || p.sparsity > 0.9 + 1e-12 || !onGrid(p.sparsity, 0.01))
                return tr("it prunes %1%, which the pruning slider (whole percents, 1 to 90) cannot show").arg(p.sparsity * 100);
        }
    }
    if (c.has(Step::LowRank)) {
        if (c.lowRank.energy > 0 || !(c.lowRank.rankRatio > 0))
            return tr("its low-rank step keeps a share of the energy; the Compression controls set a share of the rank");
        if (!onGrid(c.lowRank.rankRatio, 0.01))
            return tr("its rank ratio %1 has more than two decimals").arg(c.lowRank.rankRatio);
    }
    if (c.has(Step::Codebook)) {
        if (c.codebook.bits < 2)
            return tr("its codebook has %1 bit; the Compression controls offer 2 to 8").arg(c.codebook.bits);
        if (c.codebook.iterations != CodebookSettings().iterations)
            return tr("its k-means runs %1 iterations; the Compression controls run %2").arg(c.codebook.iterations).arg(CodebookSettings().iterations);
    }
    return {};
}

QString HistoryRerun::refusal(const history::Experiment &e, const QString &openModelPath)
{
    if (e.start.kind == "distill"_L1)
        return tr("Experiment %1 is a distillation: repeat it in the Distillation panel or with compresslab-cli history rerun %1.").arg(e.id);
    if (e.start.kind != "compress"_L1)
        return tr("Experiment %1 is a %2 run, not a compression: only compressions can be re-run with the Compression controls.")
            .arg(e.id).arg(e.start.kind);
    CompressionConfig config;
    try {
        config = parseCompressionConfig(e.start.config);
    } catch (const UserError &error) {
        return tr("Experiment %1 cannot be re-run: %2").arg(e.id).arg(error.message());
    }
    if (const QString why = controlsCannotShow(config); !why.isEmpty())
        return tr("Experiment %1 cannot be re-run with the Compression controls: %2. Use compresslab-cli history rerun %1.").arg(e.id).arg(why);
    const QString recorded = e.start.model.path;
    if (openModelPath.isEmpty())
        return tr("Open %1 (%2) first: a re-run measures the model open in the window.").arg(e.start.model.name, recorded);
    if (filePath(openModelPath) != filePath(recorded))
        return tr("Experiment %1 ran on %2 (%3), not on the open model: open that model to re-run it.").arg(e.id).arg(e.start.model.name, recorded);
    return {};
}

} // namespace compresslab
