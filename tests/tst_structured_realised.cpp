// Structured pruning realised through convolutions (compress/GraphTools.cpp findChannelChains, LayerSteps.cpp)
// and attention heads (compress/AttentionHeads.cpp): conv -> BatchNorm -> relu -> pool -> conv and conv -> ...
// -> flatten -> Linear chains lose whole channels, BatchNorm entries and consumer inputs included; attention
// blocks lose whole heads (q/k/v rows, out_proj columns, n_head). The smaller model computes exactly what the
// original computes with the removed units' inputs zeroed. Where dropping them would not be sound, nothing shrinks.
#include "ConfigSupport.h"
#include "TestSupport.h"

#include "analysis/WeightHistogram.h"
#include "compress/AttentionHeads.h"
#include "compress/Compressor.h"
#include "compress/GraphTools.h"
#include "model/ModelImpl.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::config;
using testsupport::fixture;

namespace {

torch::Tensor tensorOf(const torch::jit::Module &root, const std::string &name)
{
    for (const auto &t : root.named_attributes(true)) {
        if (t.name == name)
            return t.value.toTensor();
    }
    return {};
}

// The rows a structured L2 step keeps of a 2-D matrix, ascending (LayerSteps: the largest norms).
torch::Tensor largestRows(const torch::Tensor &matrix, int64_t keep)
{
    return std::get<0>(std::get<1>(matrix.norm(2, 1).topk(keep)).sort());
}

// The inputs of a consumer fed by `kept` channels, each a run of `run` columns (a flattened channel).
torch::Tensor runsOf(const torch::Tensor &kept, int64_t run)
{
    return (kept.unsqueeze(1) * run + torch::arange(run)).reshape({-1});
}

std::vector<int64_t> shape(const torch::jit::Module &root, const std::string &name)
{
    return tensorOf(root, name).sizes().vec();
}

// Zeroes input columns of `name` (dim 1) except `kept`.
void keepOnlyInputs(torch::jit::Module &root, const std::string &name, const torch::Tensor &kept)
{
    torch::NoGradGuard noGrad;
    torch::Tensor w = tensorOf(root, name);
    torch::Tensor mask = torch::zeros({w.size(1)}).index_fill_(0, kept, 1.0);
    std::vector<int64_t> shape(size_t(w.dim()), 1);
    shape[1] = w.size(1);
    w.mul_(mask.reshape(shape));
}

torch::Tensor run(const torch::jit::Module &m, const torch::Tensor &x)
{
    torch::NoGradGuard noGrad;
    return const_cast<torch::jit::Module &>(m).forward({x}).toTensor();
}

} // namespace

class TestStructuredRealised : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void findsConvChainsThroughBatchNormPoolAndFlatten()
    {
        const auto model = Model::load(fixture(u"tiny_convnet.pt"_s));
        const auto chains = findChannelChains(inlinedForward(model->impl().module));
        QCOMPARE(int(chains.size()), 3);
        QCOMPARE(chains.at(u"conv1"_s).consumer, u"conv2"_s);
        QCOMPARE(chains.at(u"conv1"_s).perChannel, QStringList{u"bn1"_s});
        QVERIFY(!chains.at(u"conv1"_s).flattened);
        QCOMPARE(chains.at(u"conv2"_s).consumer, u"fc1"_s);
        QCOMPARE(chains.at(u"conv2"_s).perChannel, QStringList{u"bn2"_s});
        QVERIFY(chains.at(u"conv2"_s).flattened);
        QCOMPARE(chains.at(u"fc1"_s).consumer, u"fc2"_s); // through F.relu's constant `if inplace:`
    }

    void unsoundPatternsAreNotChains()
    {
        // A grouped consumer (conv2), an output with two readers (relu(conv2) feeds conv3 and the residual add),
        // and an add before the flatten (conv3): none of them may shrink.
        const auto model = Model::load(fixture(u"tiny_conv_unsound.pt"_s));
        QVERIFY(findChannelChains(inlinedForward(model->impl().module)).empty());
        const auto r = compressModel(*model, config(R"({"prune":{"pattern":"structured","sparsity":0.5}})"));
        QCOMPARE(r.model->summary().parameterCount, model->summary().parameterCount);
        for (const QString &conv : {u"conv1"_s, u"conv2"_s, u"conv3"_s}) {
            const auto l = std::find_if(r.report.layers.begin(), r.report.layers.end(), [&](const LayerReport &x) { return x.path == conv; });
            QVERIFY(l != r.report.layers.end());
            QCOMPARE(l->sparsity, 0.5); // 2 of 4 rows zeroed in place (row bitmap), not removed
        }
    }

    void smallerModelComputesTheSameAsZeroedInputs()
    {
        const auto model = Model::load(fixture(u"tiny_convnet.pt"_s));
        // fc2 (3 outputs, no consumer) is skipped so that every byte left is a plain fp32 tensor.
        const auto r = compressModel(*model, config(R"({"prune":{"pattern":"structured","sparsity":0.5},"layers":{"fc2":{"skip":true}}})"));
        const torch::jit::Module &small = r.model->impl().module;
        QCOMPARE(shape(small, "conv1.weight"), (std::vector<int64_t>{3, 1, 3, 3}));
        QCOMPARE(shape(small, "bn1.running_var"), (std::vector<int64_t>{3}));
        QCOMPARE(shape(small, "conv2.weight"), (std::vector<int64_t>{4, 3, 3, 3}));
        QCOMPARE(shape(small, "bn2.weight"), (std::vector<int64_t>{4}));
        QCOMPARE(shape(small, "fc1.weight"), (std::vector<int64_t>{5, 16})); // 4 channels x 2 x 2 positions
        QCOMPARE(shape(small, "fc2.weight"), (std::vector<int64_t>{3, 5}));
        // The accounting is exact: the deployed size is the smaller model's tensors, BatchNorm entries included.
        QCOMPARE(r.report.deployedBytes, r.model->summary().totalBytes());
        QVERIFY(r.report.deployedBytes < model->summary().totalBytes() / 3);

        // The same channels, chosen independently: each layer ranks its rows over the inputs it still has.
        const torch::jit::Module &original = model->impl().module;
        const auto kept1 = largestRows(tensorOf(original, "conv1.weight").reshape({6, -1}), 3);
        const auto kept2 = largestRows(tensorOf(original, "conv2.weight").index_select(1, kept1).reshape({8, -1}), 4);
        const auto keptFc1 = largestRows(tensorOf(original, "fc1.weight").index_select(1, runsOf(kept2, 4)), 5);
        torch::jit::Module zeroed = original.deepcopy();
        keepOnlyInputs(zeroed, "conv2.weight", kept1);
        keepOnlyInputs(zeroed, "fc1.weight", runsOf(kept2, 4));
        keepOnlyInputs(zeroed, "fc2.weight", keptFc1);
        torch::manual_seed(5);
        const torch::Tensor x = torch::rand({16, 1, 8, 8});
        const torch::Tensor expected = run(zeroed, x), actual = run(small, x);
        QVERIFY2(torch::allclose(actual, expected, 1e-5, 1e-5), qPrintable(u"max difference %1"_s.arg((actual - expected).abs().max().item<double>())));
        // ... and not what the unpruned model computes (the test would pass on an unchanged model otherwise).
        QVERIFY(!torch::allclose(run(original, x), expected, 1e-3, 1e-3));
    }

    void weightViewPutsRealisedChannelsBack()
    {
        // conv2 lost 3 of its 6 input channels (conv1's rows) and 4 of its 8 filters: 8x6x9 -> 4x3x9 weights.
        const auto model = Model::load(fixture(u"tiny_convnet.pt"_s));
        WeightHistogramParams p;
        p.layer = u"conv2"_s;
        const WeightHistogram h = computeWeightHistogram(*model, config(R"({"prune":{"pattern":"structured","sparsity":0.5}})"), p);
        QCOMPARE(h.weights, qint64(8 * 6 * 9));
        QCOMPARE(h.removedWeights, qint64(8 * 6 * 9 - 4 * 3 * 9));
        p.layer = u"fc1"_s; // 10 x 32 -> 5 x 16: its inputs are conv2's kept channels, 4 columns each
        QCOMPARE(computeWeightHistogram(*model, config(R"({"prune":{"pattern":"structured","sparsity":0.5}})"), p).removedWeights,
                 qint64(10 * 32 - 5 * 16));
    }
    void quantizedFirstThenPrunedShrinksToo_data()
    {
        QTest::addColumn<QByteArray>("first");
        QTest::newRow("int4 per channel") << R"("quantize":{"bits":4})"_ba;
        QTest::newRow("int5 per tensor") << R"("quantize":{"bits":5,"granularity":"tensor"})"_ba;
        QTest::newRow("int3 groups of 3, asymmetric") << R"("quantize":{"bits":3,"granularity":"group","group_size":3,"symmetric":false,"group_fallback":"channel"})"_ba;
        QTest::newRow("3-bit codebook") << R"("codebook":{"bits":3})"_ba;
    }
    // Pruning after quantization (or a codebook) removes the same channels as pruning first; the kept rows
    // keep their codes and scales. Before, this order stored the removed rows as a row bitmap at full shape.
    void quantizedFirstThenPrunedShrinksToo()
    {
        QFETCH(QByteArray, first);
        const auto model = Model::load(fixture(u"tiny_convnet.pt"_s));
        const QByteArray firstStep = first.startsWith("\"codebook") ? "codebook" : "quantize";
        const auto q = compressModel(*model, config("{" + first + R"(,"layers":{"fc2":{"skip":true}}})"));
        const auto r = compressModel(*model, config(R"({"steps":[")" + firstStep + R"(","prune"],"prune":{"pattern":"structured","sparsity":0.5},)" +
                                                    first + R"(,"layers":{"fc2":{"skip":true}}})"));
        const torch::jit::Module &small = r.model->impl().module;
        QCOMPARE(shape(small, "conv1.weight"), (std::vector<int64_t>{3, 1, 3, 3}));
        QCOMPARE(shape(small, "bn1.running_var"), (std::vector<int64_t>{3}));
        QCOMPARE(shape(small, "conv2.weight"), (std::vector<int64_t>{4, 3, 3, 3}));
        QCOMPARE(shape(small, "fc1.weight"), (std::vector<int64_t>{5, 16}));
        QCOMPARE(shape(small, "fc2.weight"), (std::vector<int64_t>{3, 5}));
        for (const LayerReport &l : r.report.layers) {
            if (l.path != "fc2"_L1)
                QVERIFY2(l.note.contains(u"rows removed; the tensors are smaller"_s), qPrintable(l.path + u": "_s + l.note));
        }
        // conv1 saw all its inputs either way: its kept filters are the quantized model's largest, value for value.
        const torch::Tensor quantizedConv1 = tensorOf(q.model->impl().module, "conv1.weight").reshape({6, -1});
        const torch::Tensor kept = largestRows(quantizedConv1, 3);
        QVERIFY(torch::equal(tensorOf(small, "conv1.weight").reshape({3, -1}), quantizedConv1.index_select(0, kept)));
        // Smaller than the same compression without pruning, and it runs.
        QVERIFY(r.report.deployedBytes < q.report.deployedBytes / 2);
        torch::manual_seed(5);
        QCOMPARE(run(small, torch::rand({4, 1, 8, 8})).sizes().vec(), (std::vector<int64_t>{4, 3}));
    }

    // A group size that would no longer divide the consumer's inputs keeps the rows in place (row bitmap), in
    // either order, and says why; with the per-channel fallback they go.
    void rowsStayWhereTheConsumersGroupsWouldBreak()
    {
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s)); // fc1 [8, 16] -> fc2 [3, 8]; 25 %: 6 rows
        for (const char *steps : {R"(["prune","quantize"])", R"(["quantize","prune"])"}) {
            const QByteArray json = QByteArray(R"({"steps":)") + steps +
                                    R"(,"quantize":{"bits":4,"granularity":"group","group_size":4},"prune":{"pattern":"structured","sparsity":0.25}})";
            const auto r = compressModel(*model, config(json.constData()));
            QCOMPARE(shape(r.model->impl().module, "fc2.weight"), (std::vector<int64_t>{3, 8}));
            const auto fc1 = std::find_if(r.report.layers.begin(), r.report.layers.end(), [](const LayerReport &l) { return l.path == "fc1"_L1; });
            QVERIFY(fc1 != r.report.layers.end());
            QVERIFY2(fc1->note.contains(u"fc2 with 6 inputs per output, which group size 4 does not divide"_s), qPrintable(fc1->note));
        }
        const auto r = compressModel(*model, config(R"({"steps":["quantize","prune"],"quantize":{"bits":4,"granularity":"group","group_size":4,)"
                                                    R"("group_fallback":"channel"},"prune":{"pattern":"structured","sparsity":0.25}})"));
        QCOMPARE(shape(r.model->impl().module, "fc2.weight"), (std::vector<int64_t>{3, 6}));
    }

    void attentionBlocksLoseWholeHeads()
    {
        const auto model = Model::load(fixture(u"tiny_gpt.pt"_s));
        const torch::jit::Module &original = model->impl().module;
        const auto blocks = findAttentionBlocks(original);
        QCOMPARE(int(blocks.size()), 1);
        QCOMPARE(blocks[0].path, u"block.attn"_s);
        QCOMPARE(blocks[0].heads, int64_t(4));
        QCOMPARE(blocks[0].width, int64_t(4));
        // The head and fc2 (no consumers: their rows would be zeroed in place, stored with a row bitmap) are
        // skipped so that every byte left is a plain fp32 tensor; the embeddings are not selected.
        const auto r = compressModel(*model, config(R"({"prune":{"pattern":"structured","sparsity":0.5},"modules":["Linear"],)"
                                                    R"("layers":{"head":{"skip":true},"block.mlp.fc2":{"skip":true}}})"));
        const torch::jit::Module &small = r.model->impl().module;
        for (const char *qkv : {"block.attn.q_proj.weight", "block.attn.k_proj.weight", "block.attn.v_proj.weight"})
            QCOMPARE(shape(small, qkv), (std::vector<int64_t>{8, 16})); // 2 of 4 heads x 4 features
        QCOMPARE(shape(small, "block.attn.q_proj.bias"), (std::vector<int64_t>{8}));
        QCOMPARE(shape(small, "block.attn.out_proj.weight"), (std::vector<int64_t>{16, 8}));
        QCOMPARE(shape(small, "block.mlp.fc1.weight"), (std::vector<int64_t>{16, 16})); // the MLP shrinks as before
        QCOMPARE(r.model->impl().module.attr("block").toModule().attr("attn").toModule().attr("n_head").toInt(), int64_t(2));
        QVERIFY(r.report.notes.join(u'\n').contains("block.attn: 2 of 4 attention heads removed"_L1));
        QCOMPARE(r.report.deployedBytes, r.model->summary().totalBytes());

        // The heads with the largest q/k/v rows and out_proj columns, chosen here independently.
        auto squares = [&](const char *name) { return tensorOf(original, name).pow(2).sum(1); };
        const torch::Tensor score = (squares("block.attn.q_proj.weight") + squares("block.attn.k_proj.weight") + squares("block.attn.v_proj.weight") +
                                     tensorOf(original, "block.attn.out_proj.weight").pow(2).sum(0)).reshape({4, 4}).sum(1);
        const torch::Tensor heads = std::get<0>(std::get<1>(score.topk(2)).sort());
        torch::jit::Module zeroed = original.deepcopy();
        keepOnlyInputs(zeroed, "block.attn.out_proj.weight", runsOf(heads, 4));
        keepOnlyInputs(zeroed, "block.mlp.fc2.weight", largestRows(tensorOf(original, "block.mlp.fc1.weight"), 16));
        torch::manual_seed(5);
        const torch::Tensor ids = torch::randint(0, 11, {8, 6});
        const torch::Tensor expected = run(zeroed, ids), actual = run(small, ids);
        QVERIFY2(torch::allclose(actual, expected, 1e-5, 1e-5), qPrintable(u"max difference %1"_s.arg((actual - expected).abs().max().item<double>())));
        QVERIFY(!torch::allclose(run(original, ids), expected, 1e-3, 1e-3));

        // The weight view puts the removed heads' rows back as zeros.
        WeightHistogramParams p;
        p.layer = u"block.attn.k_proj"_s;
        QCOMPARE(computeWeightHistogram(*model, config(R"({"prune":{"pattern":"structured","sparsity":0.5}})"), p).removedWeights, qint64(8 * 16));
        p.layer = u"block.attn.out_proj"_s;
        QCOMPARE(computeWeightHistogram(*model, config(R"({"prune":{"pattern":"structured","sparsity":0.5}})"), p).removedWeights, qint64(16 * 8));
    }

    // Quantized first: the heads still leave whole (before the quantization), and the note says so.
    void headsLeaveWholeWhateverTheOrder()
    {
        const auto model = Model::load(fixture(u"tiny_gpt.pt"_s));
        const auto r = compressModel(*model, config(R"({"steps":["quantize","prune"],"quantize":{"bits":4},)"
                                                    R"("prune":{"pattern":"structured","sparsity":0.5},"modules":["Linear"]})"));
        const torch::jit::Module &small = r.model->impl().module;
        QCOMPARE(shape(small, "block.attn.q_proj.weight"), (std::vector<int64_t>{8, 16}));
        QCOMPARE(shape(small, "block.attn.out_proj.weight"), (std::vector<int64_t>{16, 8}));
        QCOMPARE(shape(small, "block.mlp.fc1.weight"), (std::vector<int64_t>{16, 16}));
        QCOMPARE(small.attr("block").toModule().attr("attn").toModule().attr("n_head").toInt(), int64_t(2));
        QVERIFY2(r.report.notes.join(u'\n').contains("2 of 4 attention heads removed (before the other steps"_L1),
                 qPrintable(r.report.notes.join(u'\n')));
    }

    void headsStayWhereTheForwardDoesNotFollowNHead()
    {
        // This attention reshapes the heads to a constant 16 features: with fewer heads it cannot run. The
        // check notices, the heads stay, and q/k/v are pruned row by row in place as before.
        const auto model = Model::load(fixture(u"tiny_gpt_fixed_width.pt"_s));
        QCOMPARE(int(findAttentionBlocks(model->impl().module).size()), 1);
        const auto r = compressModel(*model, config(R"({"prune":{"pattern":"structured","sparsity":0.5},"modules":["Linear"]})"));
        QCOMPARE(shape(r.model->impl().module, "block.attn.q_proj.weight"), (std::vector<int64_t>{16, 16}));
        QCOMPARE(r.model->impl().module.attr("block").toModule().attr("attn").toModule().attr("n_head").toInt(), int64_t(4));
        QVERIFY2(r.report.notes.join(u'\n').contains("attention heads: not removed"_L1), qPrintable(r.report.notes.join(u'\n')));
        run(r.model->impl().module, torch::randint(0, 11, {2, 6})); // and the model still runs
    }
};

QTEST_GUILESS_MAIN(TestStructuredRealised)
#include "tst_structured_realised.moc"
