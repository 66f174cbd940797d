// The compression pipeline on real (tiny) TorchScript models: exact size accounting, configuration
// validation, per-layer overrides, tied weights, and the input model left untouched.
#include "ConfigSupport.h"
#include "TestSupport.h"

#include "common/UserError.h"
#include "compress/Compressor.h"
#include "compress/Int8Kernels.h"
#include "compress/Export.h"
#include "compress/LayerSteps.h"
#include "compress/PackedArtifact.h"
#include "data/Dataset.h"
#include "eval/Evaluator.h"
#include "model/ModelImpl.h"
#include "report/FromJson.h"
#include "report/ToJson.h"
#include "runtime/RuntimeInfo.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::config;
using testsupport::fixture;

namespace {


const LayerReport &layer(const CompressionReport &r, const QString &path)
{
    for (const LayerReport &l : r.layers) {
        if (l.path == path)
            return l;
    }
    static LayerReport none;
    return none;
}

// Two Linear layers (8 -> 2) `a` and `b` under a root whose forward is `forward`.
QString writeTwoHeads(const QTemporaryDir &dir, const QString &name, const std::string &forward)
{
    torch::manual_seed(4);
    torch::jit::Module root("__torch__.TwoHeads");
    root.register_attribute("training", c10::BoolType::get(), false);
    for (const char *head : {"a", "b"}) {
        torch::jit::Module fc("__torch__.torch.nn.modules.linear.Linear");
        fc.register_attribute("training", c10::BoolType::get(), false);
        fc.register_parameter("weight", torch::randn({2, 8}), false);
        fc.register_parameter("bias", torch::randn({2}), false);
        fc.define("def forward(self, x):\n  return torch.linear(x, self.weight, self.bias)\n");
        root.register_module(head, fc);
    }
    root.define(forward);
    const QString path = dir.filePath(name);
    root.save(path.toStdString());
    return path;
}

} // namespace

class TestCompressor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void accountsExactBits_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<qint64>("fc1Bits"); // fc1 is [8, 16]: 128 weights
        // int4 per-channel sym: 128*4 values + 8 fp16 scales.
        QTest::newRow("int4 channel sym") << R"({"quantize":{"bits":4}})"_ba << qint64(128 * 4 + 8 * 16);
        // int4 group-8 asym: 16 groups, each an fp16 scale and a 4-bit zero-point.
        QTest::newRow("int4 group-8 asym") << R"({"quantize":{"bits":4,"granularity":"group","group_size":8,"symmetric":false}})"_ba
                                           << qint64(128 * 4 + 16 * 16 + 16 * 4);
        QTest::newRow("int8 per-tensor") << R"({"quantize":{"bits":8,"granularity":"tensor"}})"_ba << qint64(128 * 8 + 16);
        QTest::newRow("fp16") << R"({"quantize":{"bits":"fp16"}})"_ba << qint64(128 * 16);
        // 2:4 then int8 per-channel: 64 kept values at 8 bits + 2-bit positions + scales.
        QTest::newRow("2:4 + int8") << R"({"prune":{"pattern":"2:4"},"quantize":{"bits":8}})"_ba << qint64(64 * 8 + 64 * 2 + 8 * 16);
        // 75% unstructured at fp32: bitmap (128 bits) + 32 values beats dense.
        QTest::newRow("75% unstructured fp32") << R"({"prune":{"sparsity":0.75}})"_ba << qint64(128 + 32 * 32);
        // 2-bit codebook: 2-bit indices + 4 fp16 centroids.
        QTest::newRow("codebook 2-bit") << R"({"codebook":{"bits":2}})"_ba << qint64(128 * 2 + 4 * 16);
        // rank 4 of 8: factors [8,4] and [4,16] in fp32.
        QTest::newRow("low-rank 50%") << R"({"low_rank":{"rank_ratio":0.5}})"_ba << qint64((8 * 4 + 4 * 16) * 32);
    }
    void accountsExactBits()
    {
        QFETCH(QByteArray, json);
        QFETCH(qint64, fc1Bits);
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s));
        const CompressionResult r = compressModel(*model, config(json.constData()));
        const LayerReport &fc1 = layer(r.report, u"fc1"_s);
        QCOMPARE(qint64(fc1.size.totalBits()), fc1Bits);
        QCOMPARE(fc1.deployedBytes, (fc1Bits + 7) / 8);
        QCOMPARE(fc1.effectiveBits, double(fc1Bits) / 128.0);
        // Whole model: untouched tensors (biases) stay fp32 and are counted.
        qint64 layers = 0;
        for (const LayerReport &l : r.report.layers)
            layers += l.deployedBytes;
        QCOMPARE(r.report.deployedBytes, layers + (8 + 3) * 4);
        QCOMPARE(r.report.originalBytes, qint64(163 * 4));
    }

    void fusedAndGeneralPathsAgree_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("int3 group-4 asym") << R"({"quantize":{"bits":3,"granularity":"group","group_size":4,"symmetric":false}})"_ba;
        QTest::newRow("50% pruned, int3 group-4 asym") << R"({"prune":{"sparsity":0.5},"quantize":{"bits":3,"granularity":"group","group_size":4,"symmetric":false}})"_ba;
        QTest::newRow("30% pruned, int4 channel sym, one override")
            << R"({"prune":{"sparsity":0.3},"quantize":{"bits":4},"layers":{"mlp":{"sparsity":0.8,"bits":2}}})"_ba;
    }

    void fusedAndGeneralPathsAgree()
    {
        // The same configuration with the fused one-pass path and with the general step-by-step one.
        QFETCH(QByteArray, json);
        const auto model = Model::load(fixture(u"tiny_lm.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_lm_eval.safetensors"_s));
        const auto fused = compressModel(*model, config(json.constData()));
        setFusedPathEnabled(false);
        const auto general = compressModel(*model, config(json.constData()));
        setFusedPathEnabled(true);
        QCOMPARE(evaluate(*fused.model, *data).value(u"loss"_s), evaluate(*general.model, *data).value(u"loss"_s));
        QCOMPARE(fused.report.deployedBytes, general.report.deployedBytes);
        const auto fusedParams = fused.model->impl().module.named_parameters(), generalParams = general.model->impl().module.named_parameters();
        for (auto f = fusedParams.begin(), g = generalParams.begin(); f != fusedParams.end(); ++f, ++g)
            QVERIFY2(torch::equal((*f).value, (*g).value), (*f).name.c_str()); // bit-exact weights
        for (int i = 0; i < fused.report.layers.size(); ++i) {
            const LayerReport &f = fused.report.layers[i], &g = general.report.layers[i];
            QVERIFY(qAbs(f.relativeError - g.relativeError) <= 1e-5 * g.relativeError);
            QCOMPARE(f.sparsity, g.sparsity);
            QCOMPARE(f.deployedBytes, g.deployedBytes);
            QCOMPARE(f.encoding, g.encoding);
        }
        QCOMPARE(fused.model->summary().sharedTensors, 1);
    }

    void sparsityAndPatternsHold()
    {
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s));
        const auto r = compressModel(*model, config(R"({"prune":{"sparsity":0.5},"quantize":{"bits":4}})"));
        QCOMPARE(layer(r.report, u"fc1"_s).sparsity, 0.5); // still exactly 50% zeros after quantization
        const auto nm = compressModel(*model, config(R"({"prune":{"pattern":"2:4"}})"));
        QCOMPARE(layer(nm.report, u"fc1"_s).sparsity, 0.5);
        // fc2 (the output layer) feeds no Linear: its removed row stays as a zero row, stored with a row bitmap.
        const auto structured = compressModel(*model, config(R"({"prune":{"pattern":"structured","sparsity":0.25}})"));
        QCOMPARE(layer(structured.report, u"fc2"_s).sparsity, 1.0 / 3.0); // 1 of 3 rows
    }

    void structuredPruningShrinksChainedLayers()
    {
        // fc1 -> relu -> fc2: fc1 loses 2 of its 8 rows (and bias entries), fc2 the same 2 input columns.
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_mlp_eval.safetensors"_s));
        const auto r = compressModel(*model, config(R"({"prune":{"pattern":"structured","sparsity":0.25},"layers":{"fc2":{"skip":true}}})"));
        QCOMPARE(layer(r.report, u"fc1"_s).shape, (QVector<qint64>{8, 16})); // the report keeps the original shape
        QCOMPARE(r.model->summary().parameterCount, qint64(6 * 16 + 6 + 3 * 6 + 3));
        QCOMPARE(r.report.deployedBytes, qint64((6 * 16 + 6 + 3 * 6 + 3) * 4)); // exact, biases included
        QVERIFY(layer(r.report, u"fc1"_s).note.contains("2 of 8 rows removed"_L1));
        QVERIFY(layer(r.report, u"fc2"_s).note.contains("2 of its 8 inputs removed"_L1));
        QVERIFY(layer(r.report, u"fc1"_s).relativeError > 0); // the removed rows count as error
        evaluate(*r.model, *data);                             // the smaller model runs
        // With quantization after it, and GPTQ on the shrunk consumer (its Hessian is sliced the same way).
        const auto q = compressModel(*model, config(R"({"prune":{"pattern":"structured","sparsity":0.5},"quantize":{"bits":4,"method":"gptq"}})"), data.get());
        QCOMPARE(r.model->summary().modules.size(), q.model->summary().modules.size());
        evaluate(*q.model, *data);
        // A residual connection (tiny_lm: h + relu(mlp(h))) is not a chain: nothing may shrink there.
        const auto lm = Model::load(fixture(u"tiny_lm.pt"_s));
        const auto res = compressModel(*lm, config(R"({"prune":{"pattern":"structured","sparsity":0.5},"modules":["Linear"]})"));
        QCOMPARE(res.model->summary().parameterCount, lm->summary().parameterCount);
    }

    void overridesAndSkips()
    {
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s));
        const auto r = compressModel(*model, config(R"({"quantize":{"bits":4},"layers":{"fc2":{"skip":true},"fc*":{"bits":8}}})"));
        QVERIFY(layer(r.report, u"fc2"_s).skipped);
        QCOMPARE(layer(r.report, u"fc2"_s).deployedBytes, qint64(96));
        QCOMPARE(layer(r.report, u"fc1"_s).encoding, u"int8 per-channel sym"_s); // the wildcard override
        const auto onlyEmbeddings = compressModel(*Model::load(fixture(u"tiny_lm.pt"_s)), config(R"({"quantize":{"bits":4},"modules":["Embedding"]})"));
        QCOMPARE(onlyEmbeddings.report.layers.size(), 2); // tok and pos; the Linear layers are not selected
    }

    void tiedWeightsStayTiedAndCountOnce()
    {
        const auto model = Model::load(fixture(u"tiny_lm.pt"_s));
        const auto r = compressModel(*model, config(R"({"quantize":{"bits":4}})"));
        QCOMPARE(layer(r.report, u"lm_head"_s).tiedTo, u"tok"_s);
        QCOMPARE(layer(r.report, u"lm_head"_s).deployedBytes, qint64(0));
        QCOMPARE(r.model->summary().sharedTensors, 1);
    }

    void inputModelIsNeverChanged()
    {
        const QString path = fixture(u"tiny_mlp.pt"_s);
        const QByteArray hash = testsupport::sha256(path);
        const auto model = Model::load(path);
        const auto data = Dataset::load(fixture(u"tiny_mlp_eval.safetensors"_s));
        const double before = evaluate(*model, *data).value(u"accuracy"_s);
        const auto r = compressModel(*model, config(R"({"quantize":{"bits":2,"granularity":"tensor"}})"));
        QCOMPARE(evaluate(*model, *data).value(u"accuracy"_s), before); // the loaded model is unchanged...
        QCOMPARE(testsupport::sha256(path), hash);                       // ...and so is its file
        QVERIFY(r.report.layers.first().relativeError > 0.1);            // while the copy really changed
        // Export: atomic, loadable, and never over the input model.
        QTemporaryDir dir;
        const QString out = dir.filePath(u"m.pt"_s);
        saveTorchScript(*r.model, out, path);
        const auto reloaded = Model::load(out);
        QCOMPARE(evaluate(*reloaded, *data).value(u"accuracy"_s), evaluate(*r.model, *data).value(u"accuracy"_s));
        QVERIFY_THROWS_EXCEPTION(UserError, saveTorchScript(*r.model, path, path));
        QCOMPARE(testsupport::sha256(path), hash);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no temporary left behind
    }

    void gptqCalibratesOnData()
    {
        const auto model = Model::load(fixture(u"tiny_lm.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_lm_eval.safetensors"_s));
        const auto gptq = compressModel(*model, config(R"({"quantize":{"bits":3,"method":"gptq"},"modules":["Linear"]})"), data.get());
        const auto rtn = compressModel(*model, config(R"({"quantize":{"bits":3},"modules":["Linear"]})"));
        QCOMPARE(gptq.report.deployedBytes, rtn.report.deployedBytes); // same storage, different values
        QVERIFY(layer(gptq.report, u"mlp"_s).relativeError != layer(rtn.report, u"mlp"_s).relativeError);
        QVERIFY_THROWS_EXCEPTION(UserError, compressModel(*model, config(R"({"quantize":{"bits":3,"method":"gptq"}})")));
    }

    void badConfigurationsAreExplained_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("reason");
        QTest::newRow("unknown key") << R"({"quantise":{"bits":4}})"_ba << u"unknown key 'quantise'"_s;
        QTest::newRow("unknown nested key") << R"({"quantize":{"bit":4}})"_ba << u"unknown key 'bit' in 'quantize'"_s;
        QTest::newRow("bits too low") << R"({"quantize":{"bits":1}})"_ba << u"between 2 and 8"_s;
        QTest::newRow("bits not a number") << R"({"quantize":{"bits":"four"}})"_ba << u"fp16"_s;
        QTest::newRow("sparsity too high") << R"({"prune":{"sparsity":1.0}})"_ba << u"between 0 and 0.99"_s;
        QTest::newRow("bad pattern") << R"({"prune":{"pattern":"4:2"}})"_ba << u"1 <= N < M"_s;
        QTest::newRow("quantize and codebook") << R"({"quantize":{},"codebook":{}})"_ba << u"choose one"_s;
        QTest::newRow("gptq on fp16") << R"({"quantize":{"bits":"fp16","method":"gptq"}})"_ba << u"integer bits"_s;
        QTest::newRow("unknown step") << R"({"steps":["prune","shrink"]})"_ba << u"not 'shrink'"_s;
        QTest::newRow("unknown module type") << R"({"modules":["LSTM"]})"_ba << u"not 'LSTM'"_s;
        QTest::newRow("low rank without size") << R"({"low_rank":{}})"_ba << u"rank_ratio or energy"_s;
    }
    void badConfigurationsAreExplained()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, reason);
        try {
            config(json.constData());
            QFAIL("accepted a bad configuration");
        } catch (const UserError &e) {
            QVERIFY2(e.message().contains(reason), qPrintable(e.message()));
        }
    }

    void modelFaultsAreExplained()
    {
        const auto mlp = Model::load(fixture(u"tiny_mlp.pt"_s));
        auto expectError = [](const std::function<void()> &f, const QString &reason) {
            try {
                f();
                QFAIL("no error");
            } catch (const UserError &e) {
                QVERIFY2(e.message().contains(reason), qPrintable(e.message()));
            }
        };
        expectError([&] { compressModel(*mlp, config(R"({"quantize":{"granularity":"group","group_size":5}})")); }, u"does not divide the 16 inputs"_s);
        expectError([&] { compressModel(*mlp, config(R"({"prune":{"pattern":"2:3"}})")); }, u"multiple of 3"_s);
        expectError([&] { compressModel(*mlp, config(R"({"quantize":{},"modules":["Embedding"]})")); }, u"no Embedding layers"_s);
    }

    void packedArtifactRestoresBitExactly_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("int4 group asym + 60% bitmap") << u"tiny_mlp.pt"_s << R"({"prune":{"sparsity":0.6},"quantize":{"bits":4,"granularity":"group","group_size":8,"symmetric":false}})"_ba;
        QTest::newRow("2:4 + int8") << u"tiny_mlp.pt"_s << R"({"prune":{"pattern":"2:4"},"quantize":{"bits":8}})"_ba;
        QTest::newRow("quantize then prune") << u"tiny_mlp.pt"_s << R"({"steps":["quantize","prune"],"prune":{"sparsity":0.7},"quantize":{"bits":3,"symmetric":false}})"_ba;
        QTest::newRow("structured + int6") << u"tiny_mlp.pt"_s << R"({"prune":{"pattern":"structured","sparsity":0.25},"quantize":{"bits":6}})"_ba;
        QTest::newRow("codebook after pruning") << u"tiny_mlp.pt"_s << R"({"prune":{"sparsity":0.8},"codebook":{"bits":3}})"_ba;
        QTest::newRow("low-rank + int8") << u"tiny_mlp.pt"_s << R"({"low_rank":{"rank_ratio":0.5},"quantize":{"bits":8}})"_ba;
        QTest::newRow("bf16, one layer skipped") << u"tiny_mlp.pt"_s << R"({"quantize":{"bits":"bf16"},"layers":{"fc2":{"skip":true}}})"_ba;
        QTest::newRow("conv + buffers, per-tensor") << u"tiny_cnn.pt"_s << R"({"quantize":{"bits":5,"granularity":"tensor"}})"_ba;
        // Channels removed through BatchNorm: its shrunk buffers are restored as buffers of the stored shape.
        QTest::newRow("conv chains, structured + int6") << u"tiny_convnet.pt"_s << R"({"prune":{"pattern":"structured","sparsity":0.5},"quantize":{"bits":6}})"_ba;
        // Pruned after quantization: the kept rows' codes and scales (per group, per tensor) and a codebook's indices.
        QTest::newRow("conv chains, int3 groups asym, then structured") << u"tiny_convnet.pt"_s
            << R"({"steps":["quantize","prune"],"prune":{"pattern":"structured","sparsity":0.5},"quantize":{"bits":3,"granularity":"group","group_size":3,"symmetric":false,"group_fallback":"channel"}})"_ba;
        QTest::newRow("conv chains, int5 per tensor, then structured") << u"tiny_convnet.pt"_s
            << R"({"steps":["quantize","prune"],"prune":{"pattern":"structured","sparsity":0.5},"quantize":{"bits":5,"granularity":"tensor"}})"_ba;
        QTest::newRow("mlp, codebook, then structured") << u"tiny_mlp.pt"_s
            << R"({"steps":["codebook","prune"],"prune":{"pattern":"structured","sparsity":0.25},"codebook":{"bits":3}})"_ba;
        QTest::newRow("tied weights, int2") << u"tiny_lm.pt"_s << R"({"quantize":{"bits":2,"granularity":"group","group_size":4}})"_ba;
    }
    void packedArtifactRestoresBitExactly()
    {
        QFETCH(QString, model);
        QFETCH(QByteArray, json);
        const auto base = Model::load(fixture(model));
        const CompressionResult r = compressModel(*base, config(json.constData()));
        QTemporaryDir dir;
        const QString path = dir.filePath(u"packed.safetensors"_s);
        const PackedFileInfo info = writePackedArtifact(r, path, base->path());
        QCOMPARE(info.fileBytes, QFileInfo(path).size());
        // The blobs hold exactly what the accounting counts, up to byte padding of each component.
        QVERIFY2(qAbs(info.dataBytes - r.report.deployedBytes) <= 8 * r.report.layers.size(),
                 qPrintable(u"data %1 vs accounted %2"_s.arg(info.dataBytes).arg(r.report.deployedBytes)));
        const auto restored = restoreFromPackedArtifact(*base, path);
        const auto &a = r.model->impl().module, &b = restored->impl().module;
        const auto pa = a.named_parameters(true), pb = b.named_parameters(true);
        QCOMPARE(pa.size(), pb.size());
        for (auto ia = pa.begin(), ib = pb.begin(); ia != pa.end(); ++ia, ++ib)
            QVERIFY2(torch::equal((*ia).value, (*ib).value), (*ia).name.c_str());
        const auto ba = a.named_buffers(true), bb = b.named_buffers(true);
        for (auto ia = ba.begin(), ib = bb.begin(); ia != ba.end(); ++ia, ++ib)
            QVERIFY2(torch::equal((*ia).value, (*ib).value), (*ia).name.c_str());
        QCOMPARE(restored->summary().sharedTensors, base->summary().sharedTensors);
    }

    void packedArtifactRefusesAnotherBase()
    {
        const auto mlp = Model::load(fixture(u"tiny_mlp.pt"_s));
        const CompressionResult r = compressModel(*mlp, config(R"({"quantize":{"bits":4}})"));
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.safetensors"_s);
        writePackedArtifact(r, path, mlp->path());
        QVERIFY_THROWS_EXCEPTION(UserError, restoreFromPackedArtifact(*Model::load(fixture(u"no_metadata.pt"_s)), path));
        QVERIFY_THROWS_EXCEPTION(UserError, writePackedArtifact(r, mlp->path(), mlp->path()));
    }

    void int8KernelsRunAndSave()
    {
        const auto lm = Model::load(fixture(u"tiny_lm.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_lm_eval.safetensors"_s));
        const CompressionResult r = compressModel(*lm, config(R"({"quantize":{"bits":8},"int8_kernels":true})"));
        QVERIFY(r.int8Model);
        // The tied head runs from its own packed int8 copy; the embedding keeps its (int8-grid) fp32 table.
        QCOMPARE(r.int8Model->summary().sharedTensors, 0);
        QCOMPARE(r.int8Model->summary().parameterCount, qint64(88 + 48 + 16 + 8)); // tok, pos, norm, mlp.bias
        const double dequantized = evaluate(*r.model, *data).value(u"loss"_s);
        const double int8 = evaluate(*r.int8Model, *data).value(u"loss"_s);
        QVERIFY2(qAbs(int8 - dequantized) < 0.05 * dequantized, qPrintable(u"%1 vs %2"_s.arg(int8).arg(dequantized)));
        QTemporaryDir dir;
        saveTorchScript(*r.int8Model, dir.filePath(u"int8.pt"_s), lm->path());
        const auto reloaded = Model::load(dir.filePath(u"int8.pt"_s));
        QCOMPARE(evaluate(*reloaded, *data).value(u"loss"_s), int8); // saves and loads with identical outputs
        QVERIFY_THROWS_EXCEPTION(UserError, config(R"({"quantize":{"bits":4},"int8_kernels":true})"));
        QVERIFY_THROWS_EXCEPTION(UserError, config(R"({"int8_kernels":true,"int8_engine":"fbgemm"})")); // not in Debian's build

        // qnnpack: packed for it, recorded in the file, and run on it after reloading.
        const CompressionResult q = compressModel(*lm, config(R"({"quantize":{"bits":8},"int8_kernels":true,"int8_engine":"qnnpack"})"));
        saveTorchScript(*q.int8Model, dir.filePath(u"q.pt"_s), lm->path());
        const auto reloadedQ = Model::load(dir.filePath(u"q.pt"_s));
        QCOMPARE(reloadedQ->metadata().int8Engine, u"qnnpack"_s);
        const EvalResult onQnnpack = evaluate(*reloadedQ, *data);
        QCOMPARE(onQnnpack.runtime.quantizedEngine, u"qnnpack"_s);
        QVERIFY(qAbs(onQnnpack.value(u"loss"_s) - dequantized) < 0.05 * dequantized);
        QCOMPARE(evaluate(*lm, *data).runtime.quantizedEngine, u"onednn"_s); // other models go back to onednn
        // Packed weights take the kernels of the engine in force as the file loads: each file its own,
        // whichever engine the process was on before.
        QCOMPARE(packedInt8Engine(*Model::load(dir.filePath(u"q.pt"_s))), u"qnnpack"_s);
        const CompressionResult o = compressModel(*lm, config(R"({"quantize":{"bits":8},"int8_kernels":true,"int8_engine":"onednn"})"));
        QCOMPARE(packedInt8Engine(*o.int8Model), u"onednn"_s);
        saveTorchScript(*o.int8Model, dir.filePath(u"o.pt"_s), lm->path());
        QCOMPARE(configureRuntime(0, u"qnnpack"_s).quantizedEngine, u"qnnpack"_s); // the other engine in force
        QCOMPARE(packedInt8Engine(*Model::load(dir.filePath(u"o.pt"_s))), u"onednn"_s);
        QCOMPARE(packedInt8Engine(*lm), QString());
    }

    // "auto" (the default) packs for every engine, times them on the model's input and keeps the faster;
    // a configured engine is used untimed.
    void int8AutoKeepsTheFasterEngine()
    {
        const auto lm = Model::load(fixture(u"tiny_lm.pt"_s));
        QVector<double> fractions;
        const CompressionResult r = compressModel(*lm, config(R"({"quantize":{"bits":8},"int8_kernels":true})"), nullptr,
                                                  [&](qint64 done, qint64 total) {
                                                      fractions << double(done) / double(total);
                                                      return true;
                                                  });
        // The bar keeps moving while the engines are packed and timed, and ends full.
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.back(), 1.0);
        QVERIFY(fractions.indexOf(1.0) >= fractions.size() - 2); // not full before the engines are timed
        QVERIFY(std::count_if(fractions.begin(), fractions.end(), [](double f) { return f > 0.7 && f < 1.0; }) >= 3);
        const Int8EngineReport &e = r.report.int8Engine;
        QVERIFY(e.measured);
        QCOMPARE(e.inputShape, lm->metadata().inputShape);
        QCOMPARE(e.timings.size(), availableInt8Engines().size());
        QVERIFY(e.timings.size() >= 2); // Debian's LibTorch has onednn and qnnpack
        const Int8EngineTiming *fastest = &e.timings.front();
        for (const Int8EngineTiming &t : e.timings) {
            QVERIFY(t.medianMs > 0);
            QVERIFY(t.runs >= 12);
            if (t.medianMs < fastest->medianMs)
                fastest = &t;
        }
        QCOMPARE(e.engine, fastest->engine);
        QCOMPARE(packedInt8Engine(*r.int8Model), e.engine);
        QCOMPARE(r.int8Model->metadata().int8Engine, e.engine);
        QVERIFY(r.report.notes.join(u'\n').contains(u"int8 engine: %1, the faster"_s.arg(e.engine)));
        const CompressionReport back = compressionReportFromJson(toJson(r.report));
        QCOMPARE(back.int8Engine.engine, e.engine);
        QCOMPARE(back.int8Engine.measured, true);
        QCOMPARE(back.int8Engine.inputShape, e.inputShape);
        QCOMPARE(back.int8Engine.timings.size(), e.timings.size());
        QCOMPARE(back.int8Engine.timings.back().medianMs, e.timings.back().medianMs);

        const CompressionResult q = compressModel(*lm, config(R"({"quantize":{"bits":8},"int8_kernels":true,"int8_engine":"qnnpack"})"));
        QCOMPARE(q.report.int8Engine.engine, u"qnnpack"_s);
        QVERIFY(!q.report.int8Engine.measured);
        QVERIFY(q.report.int8Engine.timings.isEmpty());
        QVERIFY(!compressModel(*lm, config(R"({"quantize":{"bits":8}})")).report.int8Engine.measured);

        // Nothing tells the input shape: not timed, onednn, and the note says why.
        const auto bare = Model::load(fixture(u"no_metadata.pt"_s));
        const CompressionResult b = compressModel(*bare, config(R"({"quantize":{"bits":8},"int8_kernels":true})"));
        QCOMPARE(b.report.int8Engine.engine, u"onednn"_s);
        QVERIFY(b.report.notes.join(u'\n').contains(u"int8 engine: onednn, not timed"_s));
        QVERIFY(b.report.int8Engine.reason.contains(u"input"_s));
        QCOMPARE(toJson(b.report).value("int8_engine"_L1).toObject().value("chosen_by"_L1).toString(), u"default"_s);
        QCOMPARE(compressionReportFromJson(toJson(b.report)).int8Engine.reason, b.report.int8Engine.reason);
        // Attached again (after training): one set of int8 notes, naming one engine.
        CompressionResult again = b;
        attachInt8Model(again);
        QCOMPARE(again.report.notes.filter(u"int8 engine: "_s).size(), 1);
    }

    // q, k and v read the same input: one int8 call on their stacked weights, outputs bit-identical to three.
    void int8FusesLayersThatReadTheSameInput()
    {
        const auto gpt = Model::load(fixture(u"tiny_gpt.pt"_s));
        const Int8Conversion fused = convertLinearsToInt8(*gpt);
        const Int8Conversion separate = convertLinearsToInt8(*gpt, {}, u"onednn"_s, false);
        QStringList a = fused.converted, b = separate.converted;
        a.sort();
        b.sort();
        QCOMPARE(a, b);
        QVERIFY(a.contains(u"block.attn.q_proj"_s));
        auto int8Calls = [](const Model &m) {
            int n = 0;
            for (const torch::jit::Node *node : m.impl().module.get_method("forward").graph()->nodes())
                n += node->kind() == c10::Symbol::fromQualString("quantized::linear_dynamic");
            return n;
        };
        QCOMPARE(int8Calls(*fused.model), int8Calls(*separate.model) - 2);
        QVERIFY(fused.notes.join(u'\n').contains(u"block.attn.q_proj, block.attn.k_proj, block.attn.v_proj read the same input"_s));
        torch::manual_seed(3);
        const torch::Tensor ids = torch::randint(0, 11, {3, 6});
        auto run = [&](const Model &m) { return m.impl().module.forward({ids}).toTensor(); };
        QVERIFY(torch::equal(run(*fused.model), run(*separate.model)));
        QVERIFY(!torch::equal(run(*fused.model), run(*gpt))); // int8 really ran
        QTemporaryDir dir;
        saveTorchScript(*fused.model, dir.filePath(u"fused.pt"_s), gpt->path());
        QVERIFY(torch::equal(run(*Model::load(dir.filePath(u"fused.pt"_s))), run(*separate.model)));
    }

    // Stacked outputs come back contiguous (a merging view() works), and an input written in place between
    // two readers is not stacked: both keep computing what the separate calls computed.
    void int8StacksOnlyWhereItIsSafe()
    {
        QTemporaryDir dir;
        const torch::Tensor x = torch::randn({4, 8});
        auto run = [&](const Model &m) { return m.impl().module.forward({x}).toTensor(); };
        const auto merged = Model::load(writeTwoHeads(dir, u"merged.pt"_s, "def forward(self, x):\n  return self.a.forward(x).view(-1) + self.b.forward(x).view(-1)\n"));
        const Int8Conversion stacked = convertLinearsToInt8(*merged);
        QVERIFY(stacked.notes.join(u'\n').contains(u"a, b read the same input"_s));
        QVERIFY(torch::equal(run(*stacked.model), run(*convertLinearsToInt8(*merged, {}, u"onednn"_s, false).model)));
        const auto written = Model::load(writeTwoHeads(dir, u"written.pt"_s,
                                                       "def forward(self, x):\n  h = x * 1.0\n  y = self.a.forward(h)\n  h.relu_()\n  return y + self.b.forward(h)\n"));
        const Int8Conversion apart = convertLinearsToInt8(*written);
        QVERIFY(!apart.notes.join(u'\n').contains(u"read the same input"_s));
        QCOMPARE(apart.converted.size(), 2);
        QVERIFY(torch::equal(run(*apart.model), run(*convertLinearsToInt8(*written, {}, u"onednn"_s, false).model)));
    }

    void configRoundTripsThroughJson()
    {
        const CompressionConfig c = config(R"({"steps":["quantize","prune"],"quantize":{"bits":3,"granularity":"group","group_size":64,"symmetric":false,"method":"gptq"},"prune":{"pattern":"2:4"},"layers":{"head":{"bits":8}}})");
        const CompressionConfig again = parseCompressionConfig(toJson(c));
        QCOMPARE(toJson(again), toJson(c));
        QCOMPARE(c.steps.first(), Step::Quantize);
        QCOMPARE(c.describe(), u"int3 group-64 asym GPTQ → prune 2:4"_s);
    }
};

QTEST_GUILESS_MAIN(TestCompressor)
#include "tst_compressor.moc"
