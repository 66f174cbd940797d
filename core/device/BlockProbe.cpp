#include "device/BlockProbe.h"

#include "common/Median.h"
#include "device/Estimator.h"
#include "device/Workload.h"
#include "model/ModelImpl.h"

#include <QElapsedTimer>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// Between the zoo's transformers (64 wide x 256 tokens, 192 x 128), not equal to either: a pre-norm block
// as tools/zoo/blocks.py writes it (causal mask, gelu MLP 4x wide).
constexpr int64_t kTokens = 192, kWidth = 128, kHeads = 4;

torch::jit::Module transformerBlock()
{
    torch::jit::Module m("__torch__.CalibrationBlock");
    torch::manual_seed(7);
    auto weight = [&](const char *name, int64_t out, int64_t in) {
        m.register_parameter(name, torch::randn({out, in}) * (1.0 / std::sqrt(double(in))), false);
    };
    auto vector = [&](const char *name, int64_t n, double value) { m.register_parameter(name, torch::full({n}, value), false); };
    for (const char *p : {"q", "k", "v", "o"}) {
        weight((std::string(p) + "_w").c_str(), kWidth, kWidth);
        vector((std::string(p) + "_b").c_str(), kWidth, 0.0);
    }
    weight("fc1_w", 4 * kWidth, kWidth);
    vector("fc1_b", 4 * kWidth, 0.0);
    weight("fc2_w", kWidth, 4 * kWidth);
    vector("fc2_b", kWidth, 0.0);
    for (const char *p : {"ln1", "ln2"}) {
        vector((std::string(p) + "_w").c_str(), kWidth, 1.0);
        vector((std::string(p) + "_b").c_str(), kWidth, 0.0);
    }
    m.register_attribute("n_head", c10::IntType::get(), kHeads);
    m.define(R"JIT(
def forward(self, x):
    b, t, d = x.size(0), x.size(1), x.size(2)
    hd = d // self.n_head
    h = torch.layer_norm(x, [d], self.ln1_w, self.ln1_b)
    q = (torch.linear(h, self.q_w, self.q_b) * (float(hd) ** -0.5)).view(b, t, self.n_head, hd).transpose(1, 2)
    k = torch.linear(h, self.k_w, self.k_b).view(b, t, self.n_head, hd).transpose(1, 2)
    v = torch.linear(h, self.v_w, self.v_b).view(b, t, self.n_head, hd).transpose(1, 2)
    mask = torch.ones([t, t]).triu(1) > 0.5
    att = torch.matmul(q, k.transpose(-2, -1)).masked_fill(mask, -1e9)
    y = torch.matmul(torch.softmax(att, -1), v).transpose(1, 2).reshape(b, t, d)
    x = x + torch.linear(y, self.o_w, self.o_b)
    h = torch.layer_norm(x, [d], self.ln2_w, self.ln2_b)
    return x + torch.linear(torch.gelu(torch.linear(h, self.fc1_w, self.fc1_b)), self.fc2_w, self.fc2_b)
)JIT");
    m.eval();
    return m;
}

} // namespace

QJsonObject probeTransformerBlock(const DeviceProfile &sofar, double budget)
{
    torch::NoGradGuard noGrad;
    auto impl = std::make_unique<Model::Impl>();
    impl->module = transformerBlock();
    impl->metadata.inputShape = {1, kTokens, kWidth};
    impl->metadata.inputDtype = u"float32"_s;
    const auto block = Model::adopt(std::move(impl));

    const Workload workload = captureWorkload(*block, nullptr, 1);
    EstimateInput in;
    in.workload = &workload;
    const double estimatedMs = estimateOnDevice(in, sofar).latencyMs;

    // Timed as the validation measures models: the median of rounds' medians.
    torch::jit::Module &module = block->impl().module;
    const auto x = torch::randn({1, kTokens, kWidth});
    for (int i = 0; i < 5; ++i)
        module.forward({x});
    std::vector<double> rounds;
    for (int round = 0; round < 5; ++round) {
        std::vector<double> times;
        QElapsedTimer spent;
        spent.start();
        while (times.size() < 5 || (double(spent.nsecsElapsed()) / 1e9 < budget / 5 && times.size() < 2000)) {
            QElapsedTimer t;
            t.start();
            module.forward({x});
            times.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        rounds.push_back(medianOf(std::move(times)));
    }
    const double measuredMs = medianOf(rounds);
    return {{u"shape"_s, QJsonArray{1, qint64(kTokens), qint64(kWidth)}}, {u"heads"_s, qint64(kHeads)},
            {u"estimated_ms"_s, estimatedMs}, {u"measured_ms"_s, measuredMs},
            {u"extra_us_per_block"_s, std::max(0.0, measuredMs - estimatedMs) * 1e3}};
}

} // namespace compresslab
