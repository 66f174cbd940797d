// Writes a model compressed by low-rank factorisation twice, to measure the two forms with compresslab-cli:
//   lowrank_export MODEL RANK_RATIO OUTDIR  ->  OUTDIR/dense-product.pt and OUTDIR/two-linears.pt
// (docs/compression.md, "Low-rank as two Linear layers"). Prints the report's low-rank notes.
#include "compress/CompressionConfig.h"
#include "compress/Compressor.h"
#include "compress/Export.h"
#include "model/Model.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace compresslab;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QTextStream out(stdout);
    if (args.size() != 4) {
        out << "usage: lowrank_export MODEL RANK_RATIO OUTDIR\n";
        return 1;
    }
    const auto model = Model::load(args[1]);
    const CompressionConfig config =
        parseCompressionConfig(QJsonObject{{u"low_rank"_s, QJsonObject{{u"rank_ratio"_s, args[2].toDouble()}}}});
    const CompressionResult r = compressModel(*model, config);
    QDir().mkpath(args[3]);
    for (const QString &note : r.report.notes)
        out << "note: " << note << '\n';
    const QString dense = args[3] + u"/dense-product.pt"_s, twoLinears = args[3] + u"/two-linears.pt"_s;
    saveTorchScript(*r.model, dense, args[1]);
    out << dense << ' ' << QFileInfo(dense).size() << " bytes\n";
    if (r.lowRankModel) {
        saveTorchScript(*r.lowRankModel, twoLinears, args[1]);
        out << twoLinears << ' ' << QFileInfo(twoLinears).size() << " bytes\n";
    }
    return 0;
}
