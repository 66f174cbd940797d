#include "eval/MetricAccumulator.h"

#include "common/UserError.h"
#include "model/ModelSummary.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QVector<qint64> shapeOf(const torch::Tensor &t)
{
    QVector<qint64> s;
    for (auto d : t.sizes())
        s.push_back(d);
    return s;
}

} // namespace

void checkOutputShape(Task task, const torch::Tensor &logits, const torch::Tensor &targets)
{
    const qint64 batch = targets.size(0);
    if (task == Task::Classification) {
        if (logits.dim() != 2 || logits.size(0) != batch)
            throw UserError(u"the dataset does not fit the model: a classifier should output [%1, classes] for this batch, "
                            "but the model gave %2"_s.arg(batch).arg(formatShape(shapeOf(logits))));
        const qint64 maxTarget = targets.max().item<int64_t>();
        if (maxTarget >= logits.size(1) || targets.min().item<int64_t>() < 0)
            throw UserError(u"the dataset does not fit the model: targets go up to class %1 but the model has %2 classes"_s
                                .arg(maxTarget).arg(logits.size(1)));
    } else if (task == Task::LanguageModeling) {
        if (logits.dim() != 3 || logits.size(0) != batch || logits.size(1) != targets.size(1))
            throw UserError(u"the dataset does not fit the model: a language model should output [%1, %2, vocabulary] "
                            "for this batch, but the model gave %3"_s.arg(batch).arg(targets.size(1)).arg(formatShape(shapeOf(logits))));
        const qint64 maxTarget = targets.max().item<int64_t>();
        if (maxTarget >= logits.size(2) || targets.min().item<int64_t>() < 0)
            throw UserError(u"the dataset does not fit the model: targets use token id %1 but the vocabulary has %2 tokens"_s
                                .arg(maxTarget).arg(logits.size(2)));
    }
}

void MetricAccumulator::add(const torch::Tensor &logitsIn, const torch::Tensor &targetsIn, const torch::Tensor &maskIn)
{
    const torch::Tensor logits = logitsIn.to(torch::kFloat);
    if (m_task == Task::Classification) {
        const auto finite = torch::isfinite(logits).all(1);
        m_nonFinite += (~finite).sum().item<int64_t>();
        const auto predicted = logits.argmax(1);
        m_correct += double(((predicted == targetsIn) & finite).sum().item<int64_t>());
        const int64_t k = std::min<int64_t>(5, logits.size(1));
        const auto topk = std::get<1>(logits.topk(k, 1));
        m_top5 += double(((topk == targetsIn.unsqueeze(1)).any(1) & finite).sum().item<int64_t>());
        m_count += double(targetsIn.size(0));
        return;
    }
    // Language modeling: per-position cross-entropy in float64, over masked positions only.
    const int64_t vocab = logits.size(2);
    const auto flatLogits = logits.reshape({-1, vocab});
    const auto flatTargets = targetsIn.reshape({-1});
    torch::Tensor keep = maskIn.defined() ? maskIn.reshape({-1}) : torch::ones_like(flatTargets, torch::kBool);
    const auto logProbs = torch::log_softmax(flatLogits.to(torch::kDouble), 1);
    const auto nll = -logProbs.gather(1, flatTargets.unsqueeze(1)).squeeze(1);
    const auto finite = torch::isfinite(nll);
    m_nonFinite += (~finite & keep).sum().item<int64_t>();
    const auto counted = keep & finite;
    m_nll += nll.masked_select(counted).sum().item<double>();
    m_correct += double(((flatLogits.argmax(1) == flatTargets) & counted).sum().item<int64_t>());
    m_count += double(keep.sum().item<int64_t>());
}

QVector<Metric> MetricAccumulator::metrics() const
{
    const double n = m_count > 0 ? m_count : 1;
    if (m_task == Task::Classification) {
        return {{u"accuracy"_s, u"Accuracy"_s, 100.0 * m_correct / n, u"%"_s, true},
                {u"top5_accuracy"_s, u"Top-5 accuracy"_s, 100.0 * m_top5 / n, u"%"_s, true}};
    }
    // Non-finite positions are left out of the loss; nonFinite() reports them so the caller can warn.
    const double counted = m_count - double(m_nonFinite);
    const double loss = counted > 0 ? m_nll / counted : std::numeric_limits<double>::infinity();
    return {{u"perplexity"_s, u"Perplexity"_s, std::exp(loss), QString(), false},
            {u"loss"_s, u"Cross-entropy"_s, loss, u"nats"_s, false},
            {u"token_accuracy"_s, u"Next-token accuracy"_s, 100.0 * m_correct / n, u"%"_s, true}};
}

QString torchErrorSummary(const std::string &what)
{
    const QString text = QString::fromStdString(what);
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    // TorchScript puts the Python-style exception last ("RuntimeError: mat1 and mat2 shapes cannot...").
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const QString line = it->trimmed();
        const qsizetype at = line.indexOf("Error: "_L1);
        if (at > 0 && !line.startsWith("File"_L1))
            return line.mid(at + 7).trimmed();
    }
    for (const QString &line : lines) {
        const QString t = line.trimmed();
        if (!t.isEmpty() && !t.startsWith("The following operation failed"_L1))
            return t.left(300);
    }
    return text.left(300);
}

} // namespace compresslab
