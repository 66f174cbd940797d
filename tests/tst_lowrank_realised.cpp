// Low-rank Linear layers realised as two smaller Linear layers (compress/LowRankLinears.cpp): the same
// outputs as the dense product, the factors' shapes as parameters, a saved file that reloads and matches,
// and the dense product kept, with a note, where the rewrite would not be sound.
#include "ConfigSupport.h"
#include "TestSupport.h"

#include "compress/Compressor.h"
#include "compress/Export.h"
#include "model/ModelImpl.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::config;
using testsupport::fixture;

namespace {

torch::Tensor inputFor(const QString &model)
{
    torch::manual_seed(7);
    if (model.contains("lm"_L1))
        return torch::randint(0, 11, {4, 6}, torch::kLong);
    return torch::randn({32, 16});
}

torch::Tensor run(const Model &m, const torch::Tensor &x)
{
    torch::NoGradGuard noGrad;
    return m.impl().module.forward({x}).toTensor();
}

std::map<std::string, torch::Tensor> parameters(const Model &m)
{
    std::map<std::string, torch::Tensor> out;
    for (const auto &p : m.impl().module.named_parameters(true))
        out.emplace(p.name, p.value);
    return out;
}

bool hasNote(const CompressionReport &r, const QString &text)
{
    return std::any_of(r.notes.begin(), r.notes.end(), [&](const QString &n) { return n.contains(text); });
}

// A TorchScript model whose Linear weight is also read outside its linear call (or whose Linear is
// called twice): the rewrite must leave it dense.
QString writeUnusualModel(const QTemporaryDir &dir, const QString &name, const std::string &forward)
{
    torch::manual_seed(3);
    torch::jit::Module fc("__torch__.torch.nn.modules.linear.Linear");
    fc.register_attribute("training", c10::BoolType::get(), false);
    fc.register_parameter("weight", torch::randn({8, 8}), false);
    fc.register_parameter("bias", torch::randn({8}), false);
    fc.define("def forward(self, x):\n  return torch.linear(x, self.weight, self.bias)\n");
    torch::jit::Module root("__torch__.Unusual");
    root.register_attribute("training", c10::BoolType::get(), false);
    root.register_module("fc", fc);
    root.define(forward);
    const QString path = dir.filePath(name);
    root.save(path.toStdString());
    return path;
}

} // namespace

class TestLowRankRealised : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesTheDenseProduct_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("realised"); // layer:rank
        QTest::newRow("mlp 50%") << u"tiny_mlp.pt"_s << R"({"low_rank":{"rank_ratio":0.5}})"_ba << QStringList{u"fc1:4"_s, u"fc2:2"_s};
        QTest::newRow("mlp 25% + int4 group") << u"tiny_mlp.pt"_s
                                              << R"({"low_rank":{"rank_ratio":0.25},"quantize":{"bits":4,"granularity":"group","group_size":2,"symmetric":false,"group_fallback":"channel"}})"_ba
                                              << QStringList{u"fc1:2"_s, u"fc2:1"_s};
        QTest::newRow("mlp 50% + codebook") << u"tiny_mlp.pt"_s << R"({"low_rank":{"rank_ratio":0.5},"codebook":{"bits":3}})"_ba
                                            << QStringList{u"fc1:4"_s, u"fc2:2"_s};
        QTest::newRow("mlp 50% + pruning after") << u"tiny_mlp.pt"_s
                                                 << R"({"steps":["low_rank","prune","quantize"],"low_rank":{"rank_ratio":0.5},"prune":{"sparsity":0.3},"quantize":{"bits":8}})"_ba
                                                 << QStringList{u"fc1:4"_s, u"fc2:2"_s};
        // lm_head is tied to the token embedding: it stays the product.
        QTest::newRow("lm 25%") << u"tiny_lm.pt"_s << R"({"low_rank":{"rank_ratio":0.25},"modules":["Linear"]})"_ba << QStringList{u"mlp:2"_s};
    }

    void matchesTheDenseProduct()
    {
        QFETCH(QString, model);
        QFETCH(QByteArray, json);
        QFETCH(QStringList, realised);
        const auto original = Model::load(fixture(model));
        const CompressionResult r = compressModel(*original, config(json.constData()));
        QVERIFY(r.lowRankModel);
        const auto x = inputFor(model);
        const auto dense = run(*r.model, x), twoLinears = run(*r.lowRankModel, x);
        QCOMPARE(twoLinears.sizes(), dense.sizes());
        QVERIFY2(torch::allclose(twoLinears, dense, 1e-5, 1e-5), qPrintable(u"max diff %1"_s.arg((twoLinears - dense).abs().max().item<double>())));

        // The factors are the parameters; the dense weights of realised layers are gone.
        const auto params = parameters(*r.lowRankModel);
        for (const QString &entry : realised) {
            const QString path = entry.section(u':', 0, 0);
            const int64_t rank = entry.section(u':', 1).toLongLong();
            const auto w = parameters(*r.model).at(path.toStdString() + ".weight");
            const std::string right = "lowrank_" + path.toStdString() + "_right.weight", left = "lowrank_" + path.toStdString() + "_left.weight";
            QVERIFY2(params.count(right) && params.count(left), qPrintable(path));
            QCOMPARE(params.at(right).sizes(), (c10::IntArrayRef{rank, w.size(1)}));
            QCOMPARE(params.at(left).sizes(), (c10::IntArrayRef{w.size(0), rank}));
            QCOMPARE(params.at("model." + path.toStdString() + ".weight").numel(), int64_t(0));
        }
        int64_t factorTensors = 0;
        for (const auto &[name, t] : params)
            factorTensors += name.rfind("lowrank_", 0) == 0 && name.find(".weight") != std::string::npos;
        QCOMPARE(factorTensors, int64_t(2 * realised.size()));
        // The dense model is what it was: distillation and the weight views read its weights.
        for (const auto &[name, t] : parameters(*r.model))
            QVERIFY2(t.numel() > 0, name.c_str());
    }

    void savedExportReloadsAndMatches()
    {
        const QString input = fixture(u"tiny_mlp.pt"_s);
        const auto original = Model::load(input);
        const CompressionResult r = compressModel(*original, config(R"({"low_rank":{"rank_ratio":0.25}})"));
        QTemporaryDir dir;
        const QString dense = dir.filePath(u"dense.pt"_s), realised = dir.filePath(u"two-linears.pt"_s);
        saveTorchScript(*r.model, dense, input);
        saveTorchScript(*r.lowRankModel, realised, input);
        const auto reloaded = Model::load(realised);
        const auto x = inputFor(u"tiny_mlp"_s);
        QVERIFY(torch::allclose(run(*reloaded, x), run(*Model::load(dense), x), 1e-5, 1e-5));
        QVERIFY(torch::equal(run(*reloaded, x), run(*r.lowRankModel, x)));
        // fc1 16→8 at rank 2 stores 48 weights instead of 128 (fc2 3·1 + 1·8 instead of 24): fewer tensor bytes
        // (the tiny file itself grows with the rewritten code; the zoo's files shrink, docs/compression.md).
        const qint64 saved = 4 * ((128 - 48) + (24 - 11));
        QCOMPARE(reloaded->summary().totalBytes(), Model::load(dense)->summary().totalBytes() - saved);
    }

    void int8KernelsRunTheFactors()
    {
        const auto original = Model::load(fixture(u"tiny_mlp.pt"_s));
        const CompressionResult r = compressModel(*original, config(R"({"low_rank":{"rank_ratio":0.5},"quantize":{"bits":8},"int8_kernels":true})"));
        QVERIFY(r.lowRankModel && r.int8Model);
        QVERIFY(hasNote(r.report, u"int8 kernels: 4 Linear layer(s)"_s));
        const auto x = inputFor(u"tiny_mlp"_s);
        const auto dense = run(*r.model, x), int8 = run(*r.int8Model, x);
        // Against the dense model's own int8 kernels: the factors as two int8 kernels add little error.
        const CompressionResult plain = compressModel(*original, config(R"({"quantize":{"bits":8},"int8_kernels":true})"));
        const double factorsError = (int8 - dense).norm().item<double>() / dense.norm().item<double>();
        const double plainError = (run(*plain.int8Model, x) - run(*plain.model, x)).norm().item<double>() / run(*plain.model, x).norm().item<double>();
        QVERIFY2(factorsError < 0.05 && factorsError < 4 * plainError + 1e-3, qPrintable(u"relative error %1 (int8 without low-rank: %2)"_s.arg(factorsError).arg(plainError)));
    }

    void unsoundCasesKeepTheProduct()
    {
        const auto lm = Model::load(fixture(u"tiny_lm.pt"_s));
        // Linear only: lm_head owns the weight the token embedding reads too.
        CompressionResult r = compressModel(*lm, config(R"({"low_rank":{"rank_ratio":0.25},"modules":["Linear"]})"));
        QVERIFY(hasNote(r.report, u"lm_head: low-rank runs as the product left·right: its weight is shared with another tensor"_s));
        // With embeddings, the embedding is compressed and lm_head is tied to it; the embedding is no Linear.
        r = compressModel(*lm, config(R"({"low_rank":{"rank_ratio":0.25}})"));
        QVERIFY2(hasNote(r.report, u"lm_head: low-rank runs as the product left·right: its weight is tied to tok"_s), qPrintable(r.report.notes.join(u" | "_s)));
        QVERIFY(hasNote(r.report, u"tok: low-rank runs as the product left·right: only Linear layers"_s));
        // 8×8 at rank 4: 64 factor weights are no saving.
        r = compressModel(*lm, config(R"({"low_rank":{"rank_ratio":0.5},"modules":["Linear"]})"));
        QVERIFY(hasNote(r.report, u"mlp: low-rank runs as the product left·right: rank 4 factors (64 weights) are no smaller"_s));
        QVERIFY(!r.lowRankModel);

        QTemporaryDir dir;
        const auto readTwice = Model::load(writeUnusualModel(dir, u"read-twice.pt"_s, "def forward(self, x):\n  return self.fc.forward(x) + self.fc.weight.sum()\n"));
        r = compressModel(*readTwice, config(R"({"low_rank":{"rank_ratio":0.25}})"));
        QVERIFY2(hasNote(r.report, u"fc: low-rank runs as the product left·right: its weight is read by more than its one linear call"_s),
                 qPrintable(r.report.notes.join(u" | "_s)));
        QVERIFY(!r.lowRankModel);
        const auto calledTwice = Model::load(writeUnusualModel(dir, u"twice.pt"_s, "def forward(self, x):\n  return self.fc.forward(self.fc.forward(x))\n"));
        r = compressModel(*calledTwice, config(R"({"low_rank":{"rank_ratio":0.25}})"));
        QVERIFY2(hasNote(r.report, u"fc: low-rank runs as the product left·right: forward calls it more than once"_s), qPrintable(r.report.notes.join(u" | "_s)));
    }

    void aWeightChangedAfterwardsStaysDense()
    {
        const auto original = Model::load(fixture(u"tiny_mlp.pt"_s));
        CompressionResult r = compressModel(*original, config(R"({"low_rank":{"rank_ratio":0.5}})"));
        {
            torch::NoGradGuard noGrad;
            parameters(*r.model).at("fc1.weight").add_(0.01); // as if trained further without its factors
        }
        attachLowRankModel(r);
        QVERIFY(hasNote(r.report, u"fc1: low-rank runs as the product left·right: its weight no longer equals the product"_s));
        QVERIFY(r.lowRankModel);
        const auto x = inputFor(u"tiny_mlp"_s);
        QVERIFY(torch::allclose(run(*r.lowRankModel, x), run(*r.model, x), 1e-5, 1e-5));
    }
};

QTEST_GUILESS_MAIN(TestLowRankRealised)
#include "tst_lowrank_realised.moc"
