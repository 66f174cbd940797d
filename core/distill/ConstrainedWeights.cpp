#include "distill/ConstrainedWeights.h"

#include "compress/Quantize.h"
#include "model/ModelImpl.h"

#include <unordered_map>
#include <unordered_set>

namespace compresslab {

namespace {

// Forward: exactly `value`; backward: the identity to `x` (straight-through). Written as value + (x - x)
// rather than x + (value - x) so that the forward result is bit-exact.
torch::Tensor straightThrough(const torch::Tensor &x, const torch::Tensor &value)
{
    return value.detach() + (x - x.detach());
}

torch::Tensor roundTo(const torch::Tensor &x, StoredMatrix::Kind kind)
{
    if (kind == StoredMatrix::Kind::Float16)
        return x.detach().to(torch::kHalf).to(torch::kFloat);
    if (kind == StoredMatrix::Kind::BFloat16)
        return x.detach().to(torch::kBFloat16).to(torch::kFloat);
    return x.detach();
}

torch::Tensor fp16(const torch::Tensor &x) { return straightThrough(x, roundTo(x, StoredMatrix::Kind::Float16)); }

// The quantizer of Quantize.cpp with given scales: integer levels of x/scale, clamped to the code range.
// Returns the signed level (symmetric) or the code (asymmetric), as float.
torch::Tensor levels(const torch::Tensor &groups, const torch::Tensor &scales, const StoredMatrix &m)
{
    const int64_t count = int64_t(1) << m.bits;
    const auto safe = torch::where(scales == 0, torch::ones_like(scales), scales);
    const auto ratio = groups / safe;
    auto q = straightThrough(ratio, torch::round(ratio.detach()));
    if (m.symmetric)
        return q.clamp(-(count / 2), count / 2 - 1);
    const auto z = m.zeros.to(torch::kFloat).reshape({-1, 1});
    return (q + z).clamp(0, count - 1);
}

} // namespace

ConstrainedWeights::ConstrainedWeights(torch::jit::Module student, const CompressionArtifacts *artifacts, bool learnScales)
    : m_student(std::move(student)), m_learnScales(learnScales)
{
    // Every parameter slot by the tensor it holds: tied weights are one tensor in several slots.
    std::unordered_map<c10::TensorImpl *, std::vector<std::pair<torch::jit::Module, std::string>>> slotsOf;
    const auto modules = modulesByPath(m_student);
    for (auto it = modules.begin(); it != modules.end(); ++it) {
        for (const auto &p : it.value().named_parameters(/*recurse=*/false))
            slotsOf[p.value.unsafeGetTensorImpl()].emplace_back(it.value(), p.name);
    }
    std::unordered_set<c10::TensorImpl *> constrained;
    if (artifacts) {
        m_artifacts = *artifacts;
        for (int i = 0; i < m_artifacts.layers.size(); ++i) {
            const CompressedLayer &cl = m_artifacts.layers.at(i);
            if (cl.skipped || !cl.tiedTo.isEmpty() || cl.matrices.isEmpty() || !modules.contains(cl.path))
                continue;
            const torch::Tensor weight = modules.value(cl.path).attr("weight").toTensor();
            Layer layer;
            layer.artifactIndex = i;
            layer.shape = cl.shape;
            layer.slots = slotsOf[weight.unsafeGetTensorImpl()];
            constrained.insert(weight.unsafeGetTensorImpl());
            for (const StoredMatrix &m : cl.matrices) {
                Latent l;
                l.stored = m;
                const auto maskF = m.mask.defined() ? m.mask.to(torch::kFloat) : torch::Tensor();
                switch (m.kind) {
                case StoredMatrix::Kind::Int: {
                    const auto values = dequantizeCodes(m.codes, m.scales, m.zeros, m.bits, m.groupSize, m.symmetric);
                    l.value = (maskF.defined() ? values * maskF : values).reshape({m.rows, m.cols}).clone();
                    l.scales = m.scales.to(torch::kFloat).clone();
                    break;
                }
                case StoredMatrix::Kind::Codebook:
                    l.value = m.centroids.to(torch::kFloat).clone();
                    break;
                default:
                    l.value = m.values.to(torch::kFloat).reshape({m.rows, m.cols}).clone();
                }
                l.stored.values = torch::Tensor(); // the latent is the only copy that changes
                l.value.set_requires_grad(true);
                if (l.scales.defined() && m_learnScales)
                    l.scales.set_requires_grad(true);
                layer.latents.push_back(std::move(l));
            }
            m_layers.push_back(std::move(layer));
        }
    }
    std::unordered_set<c10::TensorImpl *> seen;
    for (const auto &p : m_student.parameters(/*recurse=*/true)) {
        c10::TensorImpl *impl = p.unsafeGetTensorImpl();
        if (constrained.count(impl) || !seen.insert(impl).second)
            continue;
        torch::Tensor t = p; // a loaded parameter is a leaf: it can take gradients in place
        t.set_requires_grad(true);
        m_free.push_back(t);
    }
}

torch::Tensor ConstrainedWeights::effective(const Latent &l) const
{
    const StoredMatrix &m = l.stored;
    torch::Tensor w;
    switch (m.kind) {
    case StoredMatrix::Kind::Int: {
        const auto scales = (m_learnScales ? fp16(l.scales) : l.scales.detach()).reshape({-1, 1});
        const auto groups = l.value.reshape({-1, m.groupSize});
        const auto q = levels(groups, scales, m);
        const auto signedLevels = m.symmetric ? q : q - m.zeros.to(torch::kFloat).reshape({-1, 1});
        w = (signedLevels * scales).reshape({m.rows, m.cols});
        break;
    }
    case StoredMatrix::Kind::Codebook:
        w = fp16(l.value).index_select(0, m.codes.reshape({-1}).to(torch::kLong)).reshape({m.rows, m.cols});
        break;
    default:
        w = straightThrough(l.value, roundTo(l.value, m.kind));
    }
    return m.mask.defined() ? w * m.mask.to(torch::kFloat) : w;
}

torch::Tensor ConstrainedWeights::effective(const Layer &l) const
{
    const torch::Tensor w = l.latents.size() == 2 ? torch::mm(effective(l.latents[0]), effective(l.latents[1])) : effective(l.latents[0]);
    return w.reshape(l.shape);
}

void ConstrainedWeights::apply(bool differentiable)
{
    for (const Layer &l : m_layers) {
        torch::Tensor w;
        if (differentiable) {
            w = effective(l);
        } else {
            torch::NoGradGuard noGrad;
            w = effective(l).detach();
        }
        for (const auto &[module, name] : l.slots) {
            torch::jit::Module slotOwner = module; // a handle: the same module object
            slotOwner.setattr(name, w);
        }
    }
}

std::vector<torch::Tensor> ConstrainedWeights::decayed() const
{
    std::vector<torch::Tensor> out;
    for (const Layer &l : m_layers) {
        for (const Latent &latent : l.latents) {
            if (latent.stored.kind != StoredMatrix::Kind::Codebook)
                out.push_back(latent.value);
        }
    }
    for (const torch::Tensor &t : m_free) {
        if (t.dim() >= 2)
            out.push_back(t);
    }
    return out;
}

std::vector<torch::Tensor> ConstrainedWeights::undecayed() const
{
    std::vector<torch::Tensor> out;
    for (const Layer &l : m_layers) {
        for (const Latent &latent : l.latents) {
            if (latent.stored.kind == StoredMatrix::Kind::Codebook)
                out.push_back(latent.value);
            if (latent.scales.defined() && m_learnScales)
                out.push_back(latent.scales);
        }
    }
    for (const torch::Tensor &t : m_free) {
        if (t.dim() < 2)
            out.push_back(t);
    }
    return out;
}

std::vector<torch::Tensor> ConstrainedWeights::all() const
{
    std::vector<torch::Tensor> out = decayed(), rest = undecayed();
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
}

CompressionArtifacts ConstrainedWeights::finalArtifacts() const
{
    torch::NoGradGuard noGrad;
    CompressionArtifacts out = m_artifacts;
    for (const Layer &l : m_layers) {
        CompressedLayer &cl = out.layers[l.artifactIndex];
        for (size_t k = 0; k < l.latents.size(); ++k) {
            const Latent &latent = l.latents[k];
            StoredMatrix &m = cl.matrices[int(k)];
            switch (m.kind) {
            case StoredMatrix::Kind::Int: {
                const auto scales = roundTo(latent.scales, StoredMatrix::Kind::Float16).reshape({-1, 1});
                auto q = levels(latent.value.detach().reshape({-1, m.groupSize}), scales, m);
                if (m.symmetric)
                    q = q + float(int64_t(1) << (m.bits - 1));
                auto codes = q.to(torch::kByte).reshape({m.rows, m.cols});
                if (m.mask.defined()) // dropped positions hold the code of the value zero, as applyMask leaves them
                    codes = torch::where(m.mask, codes, m.symmetric ? torch::full_like(codes, 1 << (m.bits - 1))
                                                                    : m.zeros.repeat_interleave(m.groupSize).reshape(codes.sizes()));
                m.codes = codes;
                m.scales = scales.reshape({-1}).clone();
                m.values = torch::Tensor();
                break;
            }
            case StoredMatrix::Kind::Codebook:
                m.centroids = roundTo(latent.value, StoredMatrix::Kind::Float16).clone();
                if (m.mask.defined())
                    m.codes = torch::where(m.mask, m.codes, m.centroids.abs().argmin().to(torch::kByte).expand_as(m.codes));
                break;
            default:
                m.values = effective(latent).detach().clone();
            }
        }
    }
    return out;
}

} // namespace compresslab
