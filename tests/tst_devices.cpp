// Device profiles (built-in, user, measured), the roofline estimator held to hand-computed values, the
// workload capture held to the model's own shapes, and the devices / estimate commands.
#include "TestSupport.h"

#include "common/UserError.h"
#include "device/Calibration.h"
#include "device/DeviceCatalog.h"
#include "device/Estimator.h"
#include "device/Workload.h"
#include "model/Model.h"
#include "model/ModelSummary.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::cli;
using testsupport::fixture;

namespace {

QJsonObject validProfile()
{
    return {{u"name"_s, u"Test board"_s}, {u"class"_s, u"test"_s}, {u"memory_bytes"_s, 1e9}, {u"bandwidth_gbs"_s, 10.0},
            {u"bandwidth_efficiency"_s, 0.5}, {u"peak_gops"_s, QJsonObject{{u"fp32"_s, 100.0}, {u"int8"_s, 400.0}}},
            {u"compute_efficiency"_s, 0.5}, {u"kernels"_s, QJsonArray{u"fp32"_s, u"int8"_s}}, {u"power_w"_s, 5.0}, {u"op_overhead_us"_s, 10.0}};
}

} // namespace

class TestDevices : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("COMPRESSLAB_DEVICES", m_dir.filePath(u"devices.json"_s).toUtf8());
        qputenv("COMPRESSLAB_CALIBRATION", m_dir.filePath(u"calibration.json"_s).toUtf8());
    }

    void builtInProfilesCarryTheirSources()
    {
        const DeviceCatalog c = DeviceCatalog::load();
        QVERIFY(c.problems().isEmpty());
        for (const char *name : {"Raspberry Pi 4", "Raspberry Pi 5", "Jetson Orin Nano", "Snapdragon 8 Gen 3", "Apple M2", "x86 laptop", "NVIDIA A100"})
            QCOMPARE(c.find(QString::fromLatin1(name)).origin, DeviceProfile::Origin::BuiltIn); // a unique prefix finds it
        for (const DeviceProfile &p : c.profiles()) {
            for (const char *field : {"memory_bytes", "bandwidth_gbs", "peak_gops", "power_w", "kernels"})
                QVERIFY2(!p.sources.value(QString::fromLatin1(field)).isEmpty(), qPrintable(p.name + u": no source for "_s + QString::fromLatin1(field)));
        }
        try {
            c.find(u"Pentium"_s);
            QFAIL("an unknown device was found");
        } catch (const UserError &e) {
            QVERIFY(e.message().contains(u"Raspberry Pi 4"_s)); // the message lists what exists
        }
        QVERIFY_THROWS_EXCEPTION(UserError, c.find(u"Raspberry"_s)); // ambiguous prefix
    }

    void badProfilesAreRefused_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("zero bandwidth") << u"bandwidth_gbs"_s << QJsonValue(0.0) << u"bandwidth_gbs"_s;
        QTest::newRow("efficiency above 1") << u"compute_efficiency"_s << QJsonValue(2.0) << u"compute_efficiency"_s;
        QTest::newRow("missing power") << u"power_w"_s << QJsonValue(QJsonValue::Undefined) << u"power_w"_s;
        QTest::newRow("text for a number") << u"memory_bytes"_s << QJsonValue(u"lots"_s) << u"memory_bytes"_s;
        QTest::newRow("unknown precision") << u"kernels"_s << QJsonValue(QJsonArray{u"int3"_s}) << u"int3"_s;
        QTest::newRow("unknown field") << u"colour"_s << QJsonValue(u"red"_s) << u"colour"_s;
        QTest::newRow("no name") << u"name"_s << QJsonValue(u""_s) << u"no name"_s;
    }

    void badProfilesAreRefused()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, message);
        QJsonObject o = validProfile();
        if (value.isUndefined())
            o.remove(field);
        else
            o.insert(field, value);
        try {
            parseDeviceProfile(o, DeviceProfile::Origin::User);
            QFAIL("a bad profile was accepted");
        } catch (const UserError &e) {
            QVERIFY2(e.message().contains(message), qPrintable(e.message()));
        }
    }

    void userProfilesAreCreatedEditedDeleted()
    {
        DeviceCatalog c = DeviceCatalog::load();
        const DeviceProfile copy = c.duplicate(u"Raspberry Pi 5"_s, u"My Pi 5"_s);
        QCOMPARE(copy.origin, DeviceProfile::Origin::User);
        DeviceProfile edited = copy;
        edited.bandwidthGBs = 12.5;
        c.saveUserProfile(edited);
        QCOMPARE(DeviceCatalog::load().find(u"My Pi 5"_s).bandwidthGBs, 12.5); // persisted
        QVERIFY_THROWS_EXCEPTION(UserError, c.removeUserProfile(u"Raspberry Pi 4"_s)); // built-ins stay
        DeviceProfile clash = DeviceCatalog::load().find(u"Raspberry Pi 4"_s);
        clash.origin = DeviceProfile::Origin::User;
        QVERIFY_THROWS_EXCEPTION(UserError, c.saveUserProfile(clash));
        c.removeUserProfile(u"My Pi 5"_s);
        QVERIFY(!DeviceCatalog::load().contains(u"My Pi 5"_s));
    }

    void damagedUserFileNeverHidesBuiltIns()
    {
        QFile f(DeviceCatalog::userProfilesPath());
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ not json");
        f.close();
        const DeviceCatalog c = DeviceCatalog::load();
        QCOMPARE(c.problems().size(), 1);
        QVERIFY(c.problems().first().contains(u"built-in profiles are still available"_s));
        QVERIFY(c.profiles().size() >= 7);
        QFile::remove(DeviceCatalog::userProfilesPath());
    }

    void rooflineMatchesHandComputation()
    {
        const DeviceProfile dev = parseDeviceProfile(validProfile(), DeviceProfile::Origin::BuiltIn);
        Workload w;
        WorkloadOp linear;
        linear.kind = u"aten::linear"_s;
        linear.layer = u"fc"_s;
        linear.flops = 2.0 * 64 * 1000 * 1000; // 64 rows x 1000 x 1000
        linear.gemmRows = 64;
        linear.gemmInner = 1000;
        linear.weightBytes = 4e6;
        linear.activationBytes = 4.0 * 64 * 2000;
        WorkloadOp relu;
        relu.kind = u"aten::relu"_s;
        relu.activationBytes = 4.0 * 64 * 1000 * 2;
        w.ops = {linear, relu};
        w.peakActivationBytes = 1e6;
        EstimateInput in;
        in.workload = &w;
        in.modelBytes = 4e6;
        const DeviceEstimate fp32 = estimateOnDevice(in, dev);
        // fc: compute 128 MFLOP at 100 x 0.5 GOPS = 2.56 ms > memory (4 MB + 512 kB) at 5 GB/s = 0.9024 ms; + 10 µs
        // relu: 512 kB at 5 GB/s = 0.1024 ms; + 10 µs
        QCOMPARE(fp32.latencyMs, 2.56 + 0.01 + 0.1024 + 0.01);
        QCOMPARE(fp32.layers.first().layer, u"fc"_s);
        QVERIFY(fp32.layers.first().computeBound);
        QCOMPARE(fp32.memoryBytes(), 5e6);
        QCOMPARE(fp32.marginBytes, 1e9 - 5e6);
        QVERIFY(fp32.fits);
        QCOMPARE(fp32.energyMj, fp32.latencyMs * 5.0); // ms x W = mJ

        // int4 weights: an eighth of the bytes, computed on the int8 kernels (the narrowest that holds 4 bits).
        CompressionReport report;
        LayerReport l;
        l.path = u"fc"_s;
        l.originalBytes = 4000000;
        l.deployedBytes = 500000;
        l.effectiveBits = 4.0;
        report.layers = {l};
        report.originalBytes = 4000000;
        report.deployedBytes = 500000;
        in.report = &report;
        const DeviceEstimate int4 = estimateOnDevice(in, dev);
        QCOMPARE(int4.layers.first().precision, u"int8"_s);
        // compute 128 MFLOP at 400 x 0.5 = 0.64 ms > memory (0.5 MB + 512 kB) at 5 GB/s = 0.2024 ms
        QCOMPARE(int4.latencyMs, 0.64 + 0.01 + 0.1024 + 0.01);
        QCOMPARE(int4.weightBytes, 5e5);

        DeviceProfile tiny = dev;
        tiny.memoryBytes = 1e6;
        const DeviceEstimate tooBig = estimateOnDevice(in, tiny);
        QVERIFY(!tooBig.fits);
        QCOMPARE(tooBig.marginBytes, 1e6 - 1.5e6);
    }

    void int8CallsPayTheirFixedCostAtAnyWidth()
    {
        // "This computer": int8 Linear time affine in outputs between the 64- and 512-output grids.
        DeviceProfile dev = parseDeviceProfile(validProfile(), DeviceProfile::Origin::BuiltIn);
        dev.origin = DeviceProfile::Origin::Measured;
        auto grid = [](double gops) { return QJsonObject{{u"onednn"_s, QJsonObject{{u"64"_s, QJsonObject{{u"1"_s, gops}}}}}}; };
        dev.calibration = QJsonObject{{u"int8_engine"_s, u"onednn"_s}, {u"int8_gops"_s, grid(1.0)}, {u"int8_gops_64_outputs"_s, grid(0.5)}};
        Workload w;
        CompressionReport report;
        for (const auto &[name, outputs] : {std::pair{u"wide"_s, 192.0}, std::pair{u"head"_s, 2.0}}) {
            WorkloadOp op;
            op.kind = u"aten::linear"_s;
            op.layer = name;
            op.gemmRows = 1;
            op.gemmInner = 64;
            op.flops = 2.0 * 64 * outputs;
            w.ops.push_back(op);
            LayerReport l;
            l.path = name;
            l.originalBytes = l.deployedBytes = 1;
            report.layers.push_back(l);
        }
        EstimateInput in;
        in.workload = &w;
        in.report = &report;
        in.int8Kernels = true;
        const DeviceEstimate e = estimateOnDevice(in, dev);
        QHash<QString, double> ms;
        for (const LayerEstimate &l : e.layers)
            ms.insert(l.layer, l.ms);
        // 512 outputs: 2 x 64 x 512 / 1 GOPS = 65.536 us; 64 outputs: 2 x 64 x 64 / 0.5 GOPS = 16.384 us;
        // 192 outputs: 16.384 + (65.536 - 16.384) x 128 / 448 = 30.427 us; 2 outputs: the 64-output call. + 10 us each.
        QVERIFY2(qAbs(ms.value(u"wide"_s) - (0.030427 + 0.01)) < 1e-6, qPrintable(QString::number(ms.value(u"wide"_s), 'g', 10)));
        QVERIFY2(qAbs(ms.value(u"head"_s) - (0.016384 + 0.01)) < 1e-6, qPrintable(QString::number(ms.value(u"head"_s), 'g', 10)));

        // Two layers reading one input (q and k) run as one 384-output call: 16.384 + 49.152 x 320 / 448
        // = 51.493 us, half each (their outputs are equal), + 10 us each. "wide" alone is unchanged.
        for (const QString &name : {u"q"_s, u"k"_s}) {
            WorkloadOp op = w.ops.front();
            op.layer = name;
            op.sharedInput = 7;
            w.ops.push_back(op);
            LayerReport l = report.layers.front();
            l.path = name;
            report.layers.push_back(l);
        }
        ms.clear();
        for (const LayerEstimate &l : estimateOnDevice(in, dev).layers)
            ms.insert(l.layer, l.ms);
        for (const QString &name : {u"q"_s, u"k"_s})
            QVERIFY2(qAbs(ms.value(name) - (0.051493 / 2 + 0.01)) < 1e-6, qPrintable(QString::number(ms.value(name), 'g', 10)));
        QVERIFY2(qAbs(ms.value(u"wide"_s) - (0.030427 + 0.01)) < 1e-6, qPrintable(QString::number(ms.value(u"wide"_s), 'g', 10)));
    }

    // "This computer": each attention block pays what the calibration's transformer block took beyond its
    // estimate, once, at its softmax over scores (after q·kᵀ); a classifier's softmax after a Linear does not.
    void attentionBlocksPayTheCalibratedExtraOnce()
    {
        DeviceProfile dev = parseDeviceProfile(validProfile(), DeviceProfile::Origin::BuiltIn);
        dev.origin = DeviceProfile::Origin::Measured;
        auto op = [](const QString &kind, double elements, double weightBytes = 0) {
            WorkloadOp o;
            o.kind = kind;
            o.outputElements = elements;
            o.activationBytes = 8 * elements;
            o.weightBytes = weightBytes;
            return o;
        };
        Workload w;
        for (int block = 0; block < 2; ++block) // q·kᵀ → mask → softmax → ·v → out_proj
            w.ops << op(u"aten::linear"_s, 64, 4096) << op(u"aten::matmul"_s, 256) << op(u"aten::masked_fill"_s, 256)
                  << op(u"aten::softmax"_s, 256) << op(u"aten::matmul"_s, 64) << op(u"aten::linear"_s, 64, 4096);
        w.ops << op(u"aten::softmax"_s, 2); // the classifier's
        EstimateInput in;
        in.workload = &w;
        const double without = estimateOnDevice(in, dev).latencyMs;
        dev.calibration.insert(u"transformer_block"_s, QJsonObject{{u"extra_us_per_block"_s, 150.0}});
        QVERIFY2(qAbs(estimateOnDevice(in, dev).latencyMs - without - 2 * 0.150) < 1e-9,
                 qPrintable(QString::number(estimateOnDevice(in, dev).latencyMs - without, 'g', 10)));
        dev.origin = DeviceProfile::Origin::BuiltIn; // other devices: the profile's own figures only
        QCOMPARE(estimateOnDevice(in, dev).latencyMs, estimateOnDevice(in, parseDeviceProfile(validProfile(), DeviceProfile::Origin::BuiltIn)).latencyMs);
    }

    void cnnOperatorsCostWhatTheCalibrationTimed()
    {
        // "This computer": a convolution costs its timed fixed cost plus its multiply-adds at the timed rate,
        // a pool its fixed cost plus its input elements at the pool rate; each plus the profile's dispatch cost.
        DeviceProfile dev = parseDeviceProfile(validProfile(), DeviceProfile::Origin::BuiltIn);
        dev.origin = DeviceProfile::Origin::Measured;
        auto cost = [](double fixedUs, double perSecond) { return QJsonObject{{u"fixed_us"_s, fixedUs}, {u"per_second"_s, perSecond}}; };
        dev.calibration = QJsonObject{{u"op_costs"_s, QJsonObject{{u"conv2d"_s, cost(20, 1e10)}, {u"max_pool2d"_s, cost(4, 1e9)}}},
                                      {u"parallel_grain"_s, 32768}, {u"parallel_op_overhead_us"_s, 5.0}};
        Workload w;
        WorkloadOp conv;
        conv.kind = u"aten::conv2d"_s;
        conv.layer = u"conv"_s;
        conv.flops = 2e6;
        conv.gemmRows = 196;
        conv.gemmInner = 288;
        conv.outputElements = 1000;
        conv.activationBytes = 8000;
        WorkloadOp pool;
        pool.kind = u"aten::max_pool2d"_s;
        pool.outputElements = 1000;
        pool.activationBytes = 4 * 5000; // reads 4000 elements, writes 1000
        w.ops = {conv, pool};
        EstimateInput in;
        in.workload = &w;
        const DeviceEstimate e = estimateOnDevice(in, dev);
        QHash<QString, double> ms;
        for (const LayerEstimate &l : e.layers)
            ms.insert(l.layer, l.ms);
        // conv: 20 us + 2e6 / 1e10 s = 220 us; pool: 4 us + 4000 / 1e9 s = 8 us (memory time is far below
        // both); + 10 us of dispatch each (validProfile's op_overhead_us); + 5 us of waking threads for the
        // conv's GEMM, none for the pool (the conv before it left the threads awake).
        QVERIFY2(qAbs(ms.value(u"conv"_s) - 0.235) < 1e-6, qPrintable(QString::number(ms.value(u"conv"_s), 'g', 10)));
        QVERIFY2(qAbs(ms.value(u"(other operators)"_s) - 0.018) < 1e-6, qPrintable(QString::number(ms.value(u"(other operators)"_s), 'g', 10)));
    }

    void workloadCountsTheModelsOwnShapes()
    {
        const auto model = Model::load(fixture(u"tiny_lm.pt"_s));
        const Workload w = captureWorkload(*model, nullptr, 2);
        int linears = 0;
        for (const WorkloadOp &op : w.ops) {
            if (op.kind != "aten::linear"_L1)
                continue;
            ++linears;
            // 2 x rows x (inputs x outputs): the weight's element count, from the model's own summary.
            qint64 weightElements = 0;
            for (const TensorRecord &t : model->summary().tensors)
                if (t.path == op.layer + u".weight"_s)
                    weightElements = t.numel;
            QVERIFY2(weightElements > 0, qPrintable(op.layer));
            QCOMPARE(op.flops, 2.0 * op.gemmRows * double(weightElements));
            QCOMPARE(op.gemmRows, double(w.inputShape.at(0) * w.inputShape.at(1)));
        }
        QVERIFY(linears >= 2);
        QVERIFY(w.peakActivationBytes > 0);
        const Workload token = captureWorkload(*model, nullptr, 1, 1); // one decoding step: one position
        QCOMPARE(token.inputShape, (QVector<qint64>{1, 1}));
        QVERIFY(token.totalFlops() < w.totalFlops() / 4);
    }

    void workloadChargesReshapesThatCopy()
    {
        // An attention block splits q/k/v into heads with view (no data moved) and joins them back with
        // transpose + reshape, which must copy: that reshape moves its bytes, the views move none.
        const Workload w = captureWorkload(*Model::load(fixture(u"tiny_gpt.pt"_s)), nullptr, 2);
        int views = 0, copies = 0;
        for (const WorkloadOp &op : w.ops) {
            if (op.kind == "aten::view"_L1 && op.isView)
                ++views;
            if (op.kind == "aten::reshape"_L1 && !op.isView) {
                ++copies;
                QCOMPARE(op.activationBytes, 2 * 2 * 6 * 16 * 4.0); // [2, 6, 16] fp32 read and written
            }
        }
        QCOMPARE(views, 3);  // q, k, v
        QCOMPARE(copies, 1); // the heads joined
        // q, k and v read one input (the int8 rewrite stacks them); out_proj and the MLP read others.
        QHash<QString, int> input;
        for (const WorkloadOp &op : w.ops) {
            if (op.kind == "aten::linear"_L1)
                input.insert(op.layer, op.sharedInput);
        }
        for (const QString &layer : {u"block.attn.q_proj"_s, u"block.attn.k_proj"_s, u"block.attn.v_proj"_s, u"block.attn.out_proj"_s, u"block.mlp.fc1"_s})
            QVERIFY2(input.contains(layer), qPrintable(layer));
        QVERIFY(input.value(u"block.attn.q_proj"_s) >= 0);
        QCOMPARE(input.value(u"block.attn.k_proj"_s), input.value(u"block.attn.q_proj"_s));
        QCOMPARE(input.value(u"block.attn.v_proj"_s), input.value(u"block.attn.q_proj"_s));
        QVERIFY(input.value(u"block.attn.out_proj"_s) != input.value(u"block.attn.q_proj"_s));
        QVERIFY(input.value(u"block.mlp.fc1"_s) != input.value(u"block.attn.q_proj"_s));
    }

    // "This computer": a model whose weights overflow the last-level cache reads its fp32 weights at the rate
    // the calibration's one-row product streamed them, not at copy speed; a model that fits keeps copy speed.
    void largeModelsStreamTheirWeightsAtTheMeasuredRate()
    {
        DeviceProfile dev = parseDeviceProfile(validProfile(), DeviceProfile::Origin::BuiltIn);
        dev.origin = DeviceProfile::Origin::Measured;
        Workload w;
        WorkloadOp linear; // one token through a 1000 -> 10000 layer: 40 MB of weights, 20 MFLOP
        linear.kind = u"aten::linear"_s;
        linear.layer = u"head"_s;
        linear.gemmRows = 1;
        linear.gemmInner = 1000;
        linear.flops = 2.0 * 1000 * 10000;
        linear.weightBytes = 40e6;
        w.ops = {linear};
        EstimateInput in;
        in.workload = &w;
        const double atCopySpeed = estimateOnDevice(in, dev).latencyMs; // 40 MB at 5 GB/s = 8 ms
        dev.calibration.insert(u"weight_stream_gbs"_s, 2.0);
        dev.calibration.insert(u"last_level_cache_bytes"_s, 32e6);
        // 40 MB at 2 GB/s = 20 ms: 12 ms more.
        QVERIFY2(qAbs(estimateOnDevice(in, dev).latencyMs - atCopySpeed - 12.0) < 1e-9,
                 qPrintable(QString::number(estimateOnDevice(in, dev).latencyMs - atCopySpeed, 'g', 10)));
        dev.calibration.insert(u"last_level_cache_bytes"_s, 64e6); // the model fits the cache
        QCOMPARE(estimateOnDevice(in, dev).latencyMs, atCopySpeed);
        dev.calibration.insert(u"last_level_cache_bytes"_s, 32e6);
        CompressionReport report; // int8 kernels: a quarter of the bytes, on the int8 calls' own timing
        LayerReport l;
        l.path = u"head"_s;
        l.originalBytes = l.deployedBytes = 40000000;
        report.layers = {l};
        in.report = &report;
        in.int8Kernels = true;
        const double int8 = estimateOnDevice(in, dev).latencyMs; // 10 MB at 5 GB/s: no int8 stream rate measured
        dev.calibration.remove(u"weight_stream_gbs"_s);
        QCOMPARE(estimateOnDevice(in, dev).latencyMs, int8);
        dev.calibration.insert(u"int8_engine"_s, u"onednn"_s);
        dev.calibration.insert(u"int8_weight_stream_gbs"_s, QJsonObject{{u"onednn"_s, 0.5}, {u"qnnpack"_s, 5.0}});
        QCOMPARE(estimateOnDevice(in, dev).latencyMs, int8); // its 10 MB of int8 weights fit the 32 MB cache
        dev.calibration.insert(u"last_level_cache_bytes"_s, 8e6);
        // 10 MB at 0.5 GB/s = 20 ms against 2 ms: 18 ms more, at the rate of the engine in use.
        QVERIFY2(qAbs(estimateOnDevice(in, dev).latencyMs - int8 - 18.0) < 1e-9,
                 qPrintable(QString::number(estimateOnDevice(in, dev).latencyMs - int8, 'g', 10)));
    }

    void calibrationMeasuresThisComputer()
    {
        CalibrationParams quick;
        quick.secondsPerProbe = 0.02;
        const DeviceProfile p = calibrateAndSave(quick);
        QCOMPARE(p.origin, DeviceProfile::Origin::Measured);
        QVERIFY(p.bandwidthGBs > 0.5);
        QVERIFY(p.peakGops.value(u"fp32"_s) > 1);
        QVERIFY(p.opOverheadUs > 0);
        QVERIFY(p.sources.value(u"bandwidth_gbs"_s).startsWith("measured"_L1));
        QCOMPARE(DeviceCatalog::load().find(u"This computer"_s).bandwidthGBs, p.bandwidthGBs); // cached
        QCOMPARE(p.calibration.value("passes"_L1).toInt(), 3);
        QVERIFY(p.calibration.value("weight_stream_gbs"_L1).toDouble() > 0.1);
        QVERIFY(p.calibration.value("last_level_cache_bytes"_L1).toDouble() >= 0); // 0 where sysfs does not say
        // The transformer block, timed whole and estimated from the other figures: both real times.
        const QJsonObject block = p.calibration.value("transformer_block"_L1).toObject();
        QVERIFY(block.value("measured_ms"_L1).toDouble() > 0.01);
        QVERIFY(block.value("estimated_ms"_L1).toDouble() > 0.01);
        QCOMPARE(block.value("extra_us_per_block"_L1).toDouble(),
                 std::max(0.0, block.value("measured_ms"_L1).toDouble() - block.value("estimated_ms"_L1).toDouble()) * 1e3);
    }

    // Several passes give one profile: each number the median of its passes, nested ones too.
    void calibrationPassesCombineByMedian()
    {
        auto pass = [](double bandwidth, double gemm, double wake, const QString &engine, double convFixed, double convRate) {
            DeviceProfile p;
            p.bandwidthGBs = bandwidth;
            p.peakGops.insert(u"fp32"_s, gemm);
            p.calibration = QJsonObject{{u"int8_engine"_s, engine}, {u"measured_at"_s, engine},
                                        {u"parallel_op_overhead_us"_s, wake},
                                        {u"fp32_gops"_s, QJsonObject{{u"64"_s, QJsonObject{{u"8"_s, gemm / 2}}}}},
                                        {u"op_costs"_s, QJsonObject{{u"conv2d"_s, QJsonObject{{u"fixed_us"_s, convFixed}, {u"per_second"_s, convRate}}}}}};
            return p;
        };
        const DeviceProfile p = combineCalibrationPasses({pass(10, 70, 9, u"onednn"_s, 10, 1), pass(30, 35, 12, u"qnnpack"_s, 50, 3),
                                                          pass(20, 72, 3, u"onednn"_s, 5, 2)});
        // A fixed cost and its rate are one fit: both from the pass with the median rate (not 10 µs with 2/s).
        const QJsonObject conv = p.calibration.value("op_costs"_L1).toObject().value("conv2d"_L1).toObject();
        QCOMPARE(conv.value("fixed_us"_L1).toDouble(), 5.0);
        QCOMPARE(conv.value("per_second"_L1).toDouble(), 2.0);
        QVERIFY_THROWS_EXCEPTION(UserError, combineCalibrationPasses({}));
        QCOMPARE(p.bandwidthGBs, 20.0);
        QCOMPARE(p.peakGops.value(u"fp32"_s), 70.0); // the slow pass (35) does not decide it
        QCOMPARE(p.calibration.value("parallel_op_overhead_us"_L1).toDouble(), 9.0);
        QCOMPARE(p.calibration.value("fp32_gops"_L1).toObject().value("64"_L1).toObject().value("8"_L1).toDouble(), 35.0);
        QCOMPARE(p.calibration.value("int8_engine"_L1).toString(), u"onednn"_s);
        QCOMPARE(p.calibration.value("passes"_L1).toInt(), 3);
        QCOMPARE(p.calibration.value("measured_at"_L1).toString(), u"onednn"_s); // text: the first pass's
    }

    void commandLine()
    {
        const auto list = cli({u"devices"_s, u"list"_s, u"--json"_s});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.json().value("devices"_L1).toArray().size() >= 7);
        const auto est = cli({u"estimate"_s, fixture(u"tiny_mlp.pt"_s), u"--bits"_s, u"4"_s, u"--device"_s, u"Raspberry Pi 4"_s,
                              u"--device"_s, u"NVIDIA A100"_s, u"--json"_s});
        QVERIFY2(est.exitCode == 0, est.err.constData());
        const QJsonArray e = est.json().value("estimates"_L1).toArray();
        QCOMPARE(e.size(), 2);
        QCOMPARE(e.first()[u"kind"_s].toString(), u"estimated"_s);
        QVERIFY(e.first()[u"latency_ms"_s].toDouble() > e.last()[u"latency_ms"_s].toDouble()); // a Pi is slower than an A100
        QVERIFY(e.first()[u"fits"_s].toBool());
        const auto text = cli({u"estimate"_s, fixture(u"tiny_mlp.pt"_s), u"--device"_s, u"Raspberry Pi 4"_s});
        QVERIFY(text.out.contains("ESTIMATED"));
        const auto unknown = cli({u"estimate"_s, fixture(u"tiny_mlp.pt"_s), u"--device"_s, u"Pentium"_s});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("no device profile 'Pentium'"));
        QCOMPARE(cli({u"estimate"_s, fixture(u"tiny_mlp.pt"_s)}).exitCode, 1);
        QCOMPARE(cli({u"estimate"_s, fixture(u"truncated.pt"_s), u"--all-devices"_s}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestDevices)
#include "tst_devices.moc"
