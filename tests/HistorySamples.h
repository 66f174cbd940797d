#pragma once
// Synthetic but well-formed experiments for the history tests and benchmark: a compression configuration,
// measured and estimated metrics, per-layer rows and a curve, all drawn from a seeded generator.
#include "history/HistoryTypes.h"

#include <QRandomGenerator>

namespace compresslab::testing {

inline history::DeviceRef sampleDevice(int i)
{
    static const char *names[] = {"Raspberry Pi 4", "Jetson Orin Nano"};
    return {QString::fromLatin1(names[i % 2]), QJsonObject{{QStringLiteral("memory_bytes"), 4e9 * (i % 2 + 1)},
                                                          {QStringLiteral("bandwidth_gbs"), 4.0 + 30 * (i % 2)}}};
}

inline history::ExperimentStart sampleStart(int i, QRandomGenerator &rng)
{
    using namespace Qt::StringLiterals;
    history::ExperimentStart s;
    const int bits = 2 + int(rng.bounded(7));
    const double sparsity = rng.bounded(10) / 10.0;
    s.config = QJsonObject{{u"quantize"_s, QJsonObject{{u"bits"_s, bits}, {u"group_size"_s, 32 << rng.bounded(3)}}},
                           {u"prune"_s, QJsonObject{{u"sparsity"_s, sparsity}}}};
    s.summary = u"int%1, %2% pruned"_s.arg(bits).arg(sparsity * 100);
    s.methods = {u"quantize"_s, u"prune"_s};
    s.seed = i;
    s.environment = QJsonObject{{u"app_version"_s, u"test"_s}, {u"threads"_s, 2}};
    const int model = i % 3;
    s.model = {QString::number(model + 10).repeated(32), u"/models/m%1.pt"_s.arg(model), u"model-%1"_s.arg(model), 1000000, 4000000};
    s.dataset = history::DatasetRef{QString::number(model + 20).repeated(32), u"/data/d%1.safetensors"_s.arg(model), u"data-%1"_s.arg(model), 1000};
    if (i % 5 == 0)
        s.tags << u"workshop"_s;
    s.started = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).addSecs(60LL * i);
    return s;
}

inline history::ExperimentOutcome sampleOutcome(int layers, QRandomGenerator &rng)
{
    using namespace Qt::StringLiterals;
    using history::Provenance;
    history::ExperimentOutcome o;
    const double accuracy = 60 + rng.generateDouble() * 35;
    const double bytes = 1e5 + rng.generateDouble() * 4e6;
    o.metrics = {{u"accuracy"_s, accuracy, u"%"_s, true, Provenance::Measured, {}, u"result"_s, u"2 threads, OpenBLAS"_s},
                 {u"accuracy"_s, 91.0, u"%"_s, true, Provenance::Measured, {}, u"baseline"_s, u"2 threads, OpenBLAS"_s},
                 {u"deployed_bytes"_s, bytes, u"B"_s, false, Provenance::Measured, {}, u"result"_s, {}},
                 {u"effective_bits"_s, 2 + rng.generateDouble() * 6, u"bits"_s, false, Provenance::Measured, {}, u"result"_s, {}},
                 {u"latency_median_ms"_s, 1 + rng.generateDouble() * 9, u"ms"_s, false, Provenance::Measured, {}, u"result"_s, u"onednn"_s},
                 {u"latency_p90_ms"_s, 2 + rng.generateDouble() * 9, u"ms"_s, false, Provenance::Measured, {}, u"result"_s, u"onednn"_s}};
    for (int d = 0; d < 2; ++d) {
        const history::DeviceRef dev = sampleDevice(d);
        o.devices << dev;
        o.metrics << history::MetricValue{u"latency_ms"_s, bytes / (1e5 * (d + 1)), u"ms"_s, false, Provenance::Estimated, dev.name, u"result"_s, u"roofline"_s}
                  << history::MetricValue{u"energy_mj"_s, bytes / 1e6, u"mJ"_s, false, Provenance::Estimated, dev.name, u"result"_s, u"roofline"_s};
    }
    for (int l = 0; l < layers; ++l)
        o.layers.push_back({u"blocks.%1.fc"_s.arg(l), u"Linear"_s, u"int4 group-128 sym"_s, 4.1, 0.5, rng.generateDouble() * 0.1, 65536, 8400,
                            QJsonObject{}});
    for (int step = 0; step < 10; ++step)
        o.curves.push_back({u"loss"_s, step * 10, 2.0 / (step + 1)});
    return o;
}

} // namespace compresslab::testing
