// Distillation on fixtures: the student learns, its compression stays true (grid, masks, codebooks, shapes,
// tied weights), runs repeat exactly, bad input is refused, divergence and cancel keep the last good student.
#include "TestSupport.h"

#include "common/Duration.h"
#include "common/UserError.h"
#include "compress/Compressor.h"
#include "compress/PackedArtifact.h"
#include "data/Dataset.h"
#include "distill/Distiller.h"
#include "eval/Evaluator.h"
#include "experiment/DistillRun.h"
#include "history/History.h"
#include "model/ModelImpl.h"

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <set>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::fixture;

namespace {

CompressionConfig config(const QJsonObject &json) { return parseCompressionConfig(json); }

DistillSettings quick(qint64 steps = 30, double lr = 1e-2)
{
    DistillSettings s;
    s.steps = steps;
    s.learningRate = lr;
    s.batchSize = 32;
    s.seed = 7;
    return s;
}

std::map<std::string, torch::Tensor> namedParameters(const Model &m)
{
    std::map<std::string, torch::Tensor> out;
    for (const auto &p : m.impl().module.named_parameters(true))
        out[p.name] = p.value;
    return out;
}

struct Fixture {
    std::shared_ptr<Model> teacher = Model::load(fixture(u"tiny_mlp.pt"_s));
    std::shared_ptr<Dataset> train = Dataset::load(fixture(u"tiny_mlp_train.safetensors"_s));
    std::shared_ptr<Dataset> eval = Dataset::load(fixture(u"tiny_mlp_eval.safetensors"_s));
};

} // namespace

class TestDistill : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Progress lines and results print durations; a minute or more once came out as "1m10.000…0s".
    void durationsReadAsMinutesAndSeconds()
    {
        QCOMPARE(formatDuration(0.4), u"0s"_s);
        QCOMPARE(formatDuration(42.4), u"42s"_s);
        QCOMPARE(formatDuration(70.2), u"1m10s"_s);
        QCOMPARE(formatDuration(725), u"12m05s"_s);
        QCOMPARE(formatDuration(-1), u"0s"_s);
    }

    void settingsRoundTripAndRefusals()
    {
        DistillSettings s = quick();
        s.alpha = 0.7;
        s.softLoss = SoftLoss::MSE;
        s.optimizer = Optimizer::Sgd;
        s.evalEvery = 5;
        s.patience = 2;
        const DistillSettings back = parseDistillSettings(toJson(s));
        QCOMPARE(toJson(back), toJson(s));
        auto refused = [](const QJsonObject &o, const QString &needle) {
            try {
                parseDistillSettings(o);
            } catch (const UserError &e) {
                QVERIFY2(e.message().contains(needle), qPrintable(e.message()));
                return;
            }
            QFAIL("accepted");
        };
        refused({{u"temprature"_s, 2}}, u"unknown key 'temprature'"_s);
        refused({{u"alpha"_s, 1.5}}, u"'alpha' is 1.5 but must be between 0 and 1"_s);
        refused({{u"optimizer"_s, u"lion"_s}}, u"'optimizer' must be one of adamw, adam, sgd"_s);
        refused({{u"steps"_s, 2.5}}, u"'steps' must be a whole number"_s);
        refused({{u"patience"_s, 3}}, u"needs 'eval_every'"_s);
    }

    void learningRateSchedule()
    {
        DistillSettings s;
        s.learningRate = 1.0;
        s.warmupSteps = 9;
        QCOMPARE(s.learningRateAt(0, 109), 0.1);    // warm-up ramps from lr/(warmup+1)
        QCOMPARE(s.learningRateAt(9, 109), 1.0);    // peak right after warm-up
        QVERIFY(std::abs(s.learningRateAt(59, 109) - 0.5) < 1e-12); // cosine: half-way is half
        s.decay = Decay::Linear;
        s.minLrRatio = 0.1;
        QVERIFY(std::abs(s.learningRateAt(59, 109) - 0.55) < 1e-12);
        s.decay = Decay::Constant;
        QCOMPARE(s.learningRateAt(100, 109), 1.0);
        QCOMPARE(quick(0).totalSteps(600), qint64(19)); // one epoch of 600 in batches of 32
    }

    // For each kind of compression: training changes the weights, and the result is still exactly what the
    // packed artifact restores (on the grid, masked zeros, codebook values), with the sizes unchanged.
    void constraintsStayTrue_data()
    {
        QTest::addColumn<QJsonObject>("json");
        QTest::addColumn<bool>("learnScales");
        QTest::newRow("int2 per-channel") << QJsonObject{{u"quantize"_s, QJsonObject{{u"bits"_s, 2}}}} << false;
        QTest::newRow("int3 learned scales") << QJsonObject{{u"quantize"_s, QJsonObject{{u"bits"_s, 3}}}} << true;
        QTest::newRow("prune 50% + int4 group asym")
            << QJsonObject{{u"prune"_s, QJsonObject{{u"sparsity"_s, 0.5}}},
                           {u"quantize"_s, QJsonObject{{u"bits"_s, 4}, {u"granularity"_s, u"group"_s}, {u"group_size"_s, 4}, {u"symmetric"_s, false}}}}
            << true;
        QTest::newRow("2:4 + fp16") << QJsonObject{{u"prune"_s, QJsonObject{{u"pattern"_s, u"2:4"_s}}}, {u"quantize"_s, QJsonObject{{u"bits"_s, u"fp16"_s}}}} << false;
        QTest::newRow("codebook 2-bit") << QJsonObject{{u"codebook"_s, QJsonObject{{u"bits"_s, 2}}}} << false;
        // Light pruning: 2-bit indices would be cheaper stored densely, but a codebook keeps the bitmap.
        QTest::newRow("prune 30% + codebook 2-bit") << QJsonObject{{u"prune"_s, QJsonObject{{u"sparsity"_s, 0.3}}}, {u"codebook"_s, QJsonObject{{u"bits"_s, 2}}}} << false;
        QTest::newRow("low-rank + int8") << QJsonObject{{u"low_rank"_s, QJsonObject{{u"rank_ratio"_s, 0.5}}}, {u"quantize"_s, QJsonObject{{u"bits"_s, 8}}}} << false;
        QTest::newRow("structured, realised") << QJsonObject{{u"prune"_s, QJsonObject{{u"pattern"_s, u"structured"_s}, {u"sparsity"_s, 0.5}}}} << false;
    }

    void constraintsStayTrue()
    {
        QFETCH(QJsonObject, json);
        QFETCH(bool, learnScales);
        Fixture f;
        const CompressionResult compressed = compressModel(*f.teacher, config(json));
        const auto before = namedParameters(*compressed.model);
        DistillSettings s = quick();
        s.learnScales = learnScales;
        const DistillOutcome o = distill(*f.teacher, *compressed.model, compressed.artifacts, *f.train, f.eval.get(), s, {});
        QCOMPARE(o.stop, DistillStop::Completed);
        QCOMPARE(o.steps, qint64(30));
        QVERIFY(o.artifacts);

        // The compressed model given in is untouched; the student moved.
        QVERIFY(torch::equal(namedParameters(*compressed.model).at("fc1.weight"), before.at("fc1.weight")));
        const auto after = namedParameters(*o.student);
        QVERIFY(!torch::equal(after.at("fc1.weight"), before.at("fc1.weight"))); // the constrained weights themselves moved
        QCOMPARE(after.at("fc1.weight").sizes(), before.at("fc1.weight").sizes()); // realised shrinking keeps its shape
        for (const auto &[name, t] : after)
            QVERIFY(!t.requires_grad());

        // Exactly what the packed artifact restores, and the pruned positions are still zero.
        CompressionResult trained{compressed.report, o.student, nullptr, o.artifacts, nullptr};
        QTemporaryDir dir;
        const QString packed = dir.filePath(u"student.safetensors"_s);
        writePackedArtifact(trained, packed, fixture(u"tiny_mlp.pt"_s));
        const auto restored = namedParameters(*restoreFromPackedArtifact(*f.teacher, packed));
        for (const auto &[name, t] : after)
            QVERIFY2(torch::equal(restored.at(name), t), name.c_str());
        for (const char *name : {"fc1.weight", "fc2.weight"}) {
            const auto wasZero = before.at(name) == 0;
            QVERIFY(torch::equal(after.at(name).masked_select(wasZero).abs().sum(), torch::zeros({})) || !json.contains(u"prune"_s));
        }
        // Integer grids: at most 2^bits levels per row; codebooks: at most 2^k values per layer.
        const auto w = after.at("fc1.weight");
        if (json.contains(u"codebook"_s)) {
            QVERIFY(std::get<0>(torch::_unique(w)).numel() <= 4 + 1); // + the pruned zero, if any
        } else if (json.value(u"quantize"_s).toObject().value(u"bits"_s).toInt() > 0 && !json.contains(u"low_rank"_s)) {
            const int bits = json.value(u"quantize"_s).toObject().value(u"bits"_s).toInt();
            for (int64_t r = 0; r < w.size(0); ++r)
                QVERIFY(std::get<0>(torch::_unique(w[r])).numel() <= (int64_t(1) << bits));
        }
    }

    void matchesHiddenStatesWhereShapesAgree()
    {
        Fixture f;
        DistillSettings s = quick(20);
        s.hiddenWeight = 1;
        const CompressionResult int2 = compressModel(*f.teacher, config({{u"quantize"_s, QJsonObject{{u"bits"_s, 2}}}}));
        const DistillOutcome both = distill(*f.teacher, *int2.model, int2.artifacts, *f.train, nullptr, s, {});
        QCOMPARE(both.notes, QStringList{u"hidden states matched at 2 Linear layer(s): fc1, fc2"_s});
        QVERIFY(std::any_of(both.curves.begin(), both.curves.end(), [](const history::CurvePoint &p) { return p.curve == "train_hidden_loss"_L1 && p.value > 0; }));
        // The narrower student's fc1 has 4 outputs, the teacher's 8: only fc2 (3 outputs each) is matched.
        const DistillOutcome narrow = distill(*f.teacher, *Model::load(fixture(u"tiny_mlp_student.pt"_s)), nullptr, *f.train, nullptr, s, {});
        QCOMPARE(narrow.notes, QStringList{u"hidden states matched at 1 Linear layer(s): fc2"_s});
        // Hidden states alone (alpha 0 keeps only the hard labels for the logits) still train.
        s.alpha = 0;
        const DistillOutcome hiddenOnly = distill(*f.teacher, *int2.model, int2.artifacts, *f.train, nullptr, s, {});
        QCOMPARE(hiddenOnly.stop, DistillStop::Completed);
    }

    void learnsFromTheTeacher()
    {
        Fixture f;
        const CompressionResult compressed = compressModel(*f.teacher, config({{u"quantize"_s, QJsonObject{{u"bits"_s, 2}}}}));
        const double before = evaluate(*compressed.model, *f.train).value(u"accuracy"_s);
        const DistillOutcome o = distill(*f.teacher, *compressed.model, compressed.artifacts, *f.train, nullptr, quick(200), {});
        const double after = evaluate(*o.student, *f.train).value(u"accuracy"_s); // agreement with the teacher's labels
        QVERIFY2(after > before + 5, qPrintable(u"%1 → %2"_s.arg(before).arg(after)));
        QVERIFY(o.curves.size() >= 200 * 3); // train loss, soft and hard parts, learning rate
    }

    void sameSeedSameResult()
    {
        Fixture f;
        const CompressionResult compressed = compressModel(*f.teacher, config({{u"quantize"_s, QJsonObject{{u"bits"_s, 3}}}}));
        DistillSettings s = quick(40);
        s.evalEvery = 10;
        auto run = [&](qint64 seed) {
            s.seed = seed;
            const DistillOutcome o = distill(*f.teacher, *compressed.model, compressed.artifacts, *f.train, f.eval.get(), s, {});
            QVector<double> values;
            for (const history::CurvePoint &p : o.curves)
                values << p.value;
            return std::pair{values, evaluate(*o.student, *f.eval).metrics};
        };
        const auto a = run(7), b = run(7), c = run(8);
        QCOMPARE(a.first, b.first);
        QCOMPARE(a.second.first().value, b.second.first().value);
        QVERIFY(a.first != c.first); // the seed really orders the data
    }

    void divergenceKeepsTheLastGoodStudent()
    {
        Fixture f;
        DistillSettings s = quick(20, 1e30); // the first update makes the weights overflow
        s.optimizer = Optimizer::Sgd;
        s.clipNorm = 0;
        s.restoreBest = false;
        const auto student = Model::load(fixture(u"tiny_mlp_student.pt"_s));
        const DistillOutcome o = distill(*f.teacher, *student, nullptr, *f.train, nullptr, s, {});
        QCOMPARE(o.stop, DistillStop::Diverged);
        QVERIFY2(o.message.contains(u"NaN or Inf at step"_s) && o.message.contains(u"learning rate"_s), qPrintable(o.message));
        QVERIFY(o.steps < 20);
        for (const auto &[name, t] : namedParameters(*o.student))
            QVERIFY2(torch::isfinite(t).all().item<bool>(), name.c_str());
        const EvalResult r = evaluate(*o.student, *f.eval);
        QCOMPARE(r.nonFiniteOutputs, qint64(0));
    }

    void cancelStopsWithinOneStep()
    {
        Fixture f;
        const CompressionResult compressed = compressModel(*f.teacher, config({{u"quantize"_s, QJsonObject{{u"bits"_s, 4}}}}));
        DistillObserver observer;
        observer.progress = [](const QString &stage, qint64 done, qint64) { return !(stage == "distilling"_L1 && done >= 5); };
        DistillSettings s = quick(100);
        s.evalEvery = 3;
        const DistillOutcome o = distill(*f.teacher, *compressed.model, compressed.artifacts, *f.train, f.eval.get(), s, {}, observer);
        QCOMPARE(o.stop, DistillStop::Cancelled);
        QCOMPARE(o.steps, qint64(5));
        QCOMPARE(o.bestStep, qint64(-1)); // a cancelled run keeps its last step, not an older best

        // Cancel during an evaluation inside training: still the last completed step.
        observer.progress = [](const QString &stage, qint64, qint64) { return stage != "evaluating student"_L1; };
        const DistillOutcome inEval = distill(*f.teacher, *compressed.model, compressed.artifacts, *f.train, f.eval.get(), s, {}, observer);
        QCOMPARE(inEval.stop, DistillStop::Cancelled);
        QCOMPARE(inEval.steps, qint64(0));
    }

    void earlyStopping()
    {
        Fixture f;
        const CompressionResult compressed = compressModel(*f.teacher, config({{u"quantize"_s, QJsonObject{{u"bits"_s, 4}}}}));
        DistillSettings s = quick(50, 0); // nothing changes: no evaluation improves on the first
        s.evalEvery = 2;
        s.patience = 2;
        const DistillOutcome o = distill(*f.teacher, *compressed.model, compressed.artifacts, *f.train, f.eval.get(), s, {});
        QCOMPARE(o.stop, DistillStop::EarlyStopped);
        QCOMPARE(o.stepsTrained, qint64(4)); // evaluations at 0, 2, 4
        QCOMPARE(o.bestStep, qint64(0));     // none improved on the first: that student is returned
        QCOMPARE(o.steps, qint64(0));
        QCOMPARE(o.watchedMetric, u"accuracy"_s);
    }

    void refusesWhatDoesNotFit()
    {
        Fixture f;
        auto refused = [&](const Model &student, const Dataset &train, const QString &needle) {
            try {
                distill(*f.teacher, student, nullptr, train, nullptr, quick(), {});
            } catch (const UserError &e) {
                QVERIFY2(e.message().contains(needle), qPrintable(e.message()));
                return;
            }
            QFAIL("accepted");
        };
        refused(*Model::load(fixture(u"tiny_mlp_wrong_out.pt"_s)), *f.train, u"the student's output [2, 4] does not match the teacher's [2, 3]"_s);
        refused(*Model::load(fixture(u"tiny_lm.pt"_s)), *f.train, u"the student cannot take the teacher's input"_s);
        refused(*Model::load(fixture(u"tiny_mlp_student.pt"_s)), *Dataset::load(fixture(u"tiny_lm_eval.safetensors"_s)),
                u"the training set does not fit the model"_s);
        refused(*Model::load(fixture(u"tiny_mlp_student.pt"_s)), *Dataset::load(fixture(u"wrong_shape.safetensors"_s)),
                u"does not fit the model"_s);
    }

    void tiedWeightsStayTied()
    {
        const auto teacher = Model::load(fixture(u"tiny_lm.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_lm_eval.safetensors"_s));
        const CompressionResult compressed = compressModel(*teacher, config({{u"quantize"_s, QJsonObject{{u"bits"_s, 4}}}}));
        DistillSettings s = quick(20);
        s.batchSize = 8;
        s.evalEvery = 10;
        const DistillOutcome o = distill(*teacher, *compressed.model, compressed.artifacts, *data, data.get(), s, {});
        QCOMPARE(o.stop, DistillStop::Completed);
        const auto &module = o.student->impl().module;
        const auto tok = module.attr("tok").toModule().attr("weight").toTensor();
        const auto head = module.attr("lm_head").toModule().attr("weight").toTensor();
        QVERIFY(tok.unsafeGetTensorImpl() == head.unsafeGetTensorImpl());
        QVERIFY(!torch::equal(tok, compressed.model->impl().module.attr("tok").toModule().attr("weight").toTensor()));
        QCOMPARE(o.watchedMetric, u"perplexity"_s);
    }

    // The whole experiment through the CLI: exports, JSON on stdout, progress on stderr, the history with curves,
    // and the teacher's file untouched.
    void cliRecordsAndExports()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(u"h.sqlite"_s), out = dir.filePath(u"out"_s), teacher = fixture(u"tiny_mlp.pt"_s);
        const QByteArray sha = testsupport::sha256(teacher);
        const auto r = testsupport::cli({u"distill"_s, teacher, u"--bits"_s, u"2"_s, u"--data"_s, fixture(u"tiny_mlp_train.safetensors"_s),
                                         u"--eval"_s, fixture(u"tiny_mlp_eval.safetensors"_s), u"--steps"_s, u"40"_s, u"--lr"_s, u"0.01"_s,
                                         u"--eval-every"_s, u"10"_s, u"--out"_s, out, u"--db"_s, db, u"--json"_s, u"--tag"_s, u"kd"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.err.contains("step 40/40"));
        const QJsonObject j = r.json();
        QCOMPARE(j.value(u"stop"_s).toString(), u"completed"_s);
        QCOMPARE(j.value(u"metrics"_s).toObject().value(u"kind"_s).toString(), u"measured"_s);
        QCOMPARE(j.value(u"exports"_s).toArray().size(), 2); // dequantized TorchScript and the packed artifact
        QVERIFY(QFileInfo::exists(out + u"/report.json"_s));
        QCOMPARE(testsupport::sha256(teacher), sha);

        history::History h(db);
        const history::Experiment e = h.experiment(qint64(j.value(u"experiment_id"_s).toDouble()));
        QCOMPARE(e.start.kind, u"distill"_s);
        QVERIFY(e.start.methods.contains(u"distill"_s) && e.start.methods.contains(u"quantize"_s));
        QCOMPARE(e.start.tags, QStringList{u"kd"_s});
        QVERIFY(e.metric(u"accuracy"_s) && e.metric(u"accuracy_before_distill"_s) && e.metric(u"accuracy"_s, u"baseline"_s));
        int trainPoints = 0, evalPoints = 0;
        for (const history::CurvePoint &p : e.outcome.curves) {
            trainPoints += p.curve == "train_loss"_L1;
            evalPoints += p.curve == "eval_accuracy"_L1;
        }
        QCOMPARE(trainPoints, 40);
        QCOMPARE(evalPoints, 5); // steps 0, 10, 20, 30, 40
        QCOMPARE(e.outcome.artifacts.size(), 2);

        // A narrower student file; and a student given twice is a usage error.
        const auto file = testsupport::cli({u"distill"_s, teacher, u"--student"_s, fixture(u"tiny_mlp_student.pt"_s), u"--data"_s,
                                            fixture(u"tiny_mlp_train.safetensors"_s), u"--eval"_s, fixture(u"tiny_mlp_eval.safetensors"_s),
                                            u"--steps"_s, u"10"_s, u"--no-history"_s});
        QVERIFY2(file.exitCode == 0, file.err.constData());
        const auto both = testsupport::cli({u"distill"_s, teacher, u"--student"_s, fixture(u"tiny_mlp_student.pt"_s), u"--bits"_s, u"4"_s,
                                            u"--data"_s, fixture(u"tiny_mlp_train.safetensors"_s), u"--eval"_s, fixture(u"tiny_mlp_eval.safetensors"_s)});
        QCOMPARE(both.exitCode, 1);
        const auto badLr = testsupport::cli({u"distill"_s, teacher, u"--bits"_s, u"4"_s, u"--lr"_s, u"fast"_s, u"--data"_s,
                                             fixture(u"tiny_mlp_train.safetensors"_s), u"--eval"_s, fixture(u"tiny_mlp_eval.safetensors"_s)});
        QCOMPARE(badLr.exitCode, 2);
        QVERIFY(badLr.err.contains("--lr needs a number"));

        // A student file named like an export, with --out its own folder: refused, the file unchanged.
        const QString studentDir = dir.filePath(u"student"_s);
        QDir().mkpath(studentDir);
        const QString student = studentDir + u"/model-dequantized.pt"_s;
        QFile::copy(fixture(u"tiny_mlp_student.pt"_s), student);
        const QByteArray studentSha = testsupport::sha256(student);
        const auto over = testsupport::cli({u"distill"_s, teacher, u"--student"_s, student, u"--data"_s, fixture(u"tiny_mlp_train.safetensors"_s),
                                            u"--eval"_s, fixture(u"tiny_mlp_eval.safetensors"_s), u"--steps"_s, u"3"_s, u"--out"_s, studentDir,
                                            u"--no-history"_s});
        QCOMPARE(over.exitCode, 2);
        QVERIFY2(over.err.contains("would write over the student file"), over.err.constData());
        QCOMPARE(testsupport::sha256(student), studentSha);
    }

    // A configuration with int8 kernels: the trained student is converted again and measured on them.
    void int8KernelsAfterTraining()
    {
        QTemporaryDir dir;
        DistillRunParams p;
        p.modelPath = fixture(u"tiny_mlp.pt"_s);
        p.studentConfig = config({{u"quantize"_s, QJsonObject{{u"bits"_s, 8}}}, {u"int8_kernels"_s, true}});
        p.trainPath = fixture(u"tiny_mlp_train.safetensors"_s);
        p.evalPath = fixture(u"tiny_mlp_eval.safetensors"_s);
        p.settings = quick(10);
        p.outDir = dir.filePath(u"out"_s);
        const DistillRun run = runDistillation(p, nullptr);
        QVERIFY(run.afterInt8);
        QVERIFY(std::abs(run.afterInt8->value(u"accuracy"_s) - run.after.value(u"accuracy"_s)) <= 2.0);
        QStringList formats;
        for (const ExportedFile &e : run.exports)
            formats << e.format;
        QCOMPARE(formats, (QStringList{u"torchscript-dequantized"_s, u"compresslab-packed"_s, u"torchscript-int8"_s}));
        QCOMPARE(run.experimentId, qint64(0)); // no history given: nothing recorded
    }

    void cancelWithDiscardWritesNothing()
    {
        QTemporaryDir dir;
        history::History h(dir.filePath(u"h.sqlite"_s));
        DistillRunParams p;
        p.modelPath = fixture(u"tiny_mlp.pt"_s);
        p.studentConfig = config({{u"quantize"_s, QJsonObject{{u"bits"_s, 4}}}});
        p.trainPath = fixture(u"tiny_mlp_train.safetensors"_s);
        p.evalPath = fixture(u"tiny_mlp_eval.safetensors"_s);
        p.settings = quick(100);
        p.keepOnCancel = false;
        p.outDir = dir.filePath(u"out"_s);
        auto stopAt3 = [](const QString &stage, qint64 done, qint64) { return !(stage == "distilling"_L1 && done >= 3); };
        QVERIFY_THROWS_EXCEPTION(Cancelled, runDistillation(p, &h, stopAt3));
        QVERIFY(!QFileInfo::exists(p.outDir));
        QCOMPARE(h.list().first().status, history::Status::Cancelled);

        p.keepOnCancel = true; // kept: measured, exported and recorded as cancelled with its metrics
        const DistillRun kept = runDistillation(p, &h, stopAt3);
        QCOMPARE(kept.outcome.steps, qint64(3));
        QVERIFY(QFileInfo::exists(p.outDir + u"/model-packed.safetensors"_s));
        const history::Experiment e = h.experiment(kept.experimentId);
        QCOMPARE(e.outcome.status, history::Status::Cancelled);
        QVERIFY(e.metric(u"accuracy"_s));
    }
};

QTEST_GUILESS_MAIN(TestDistill)
#include "tst_distill.moc"
