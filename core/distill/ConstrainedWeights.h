#pragma once
// Core-internal: a compressed student's weights as trainable tensors that cannot leave their compression.
// Each stored matrix keeps a float "latent" copy; every forward pass sees the effective weight made from it
// exactly as the packed artifact would restore it: on the quantization grid (fixed or learned fp16 scales),
// fp16/bf16-rounded, codebook values shared by index, pruned positions zero, low-rank as the product of its
// factors, realised structured shrinking in its smaller shapes. Gradients pass the rounding straight through
// (the straight-through estimator of Bengio et al. 2013). Other parameters (biases, norms, skipped layers)
// train as ordinary fp32 tensors.
#include "compress/CompressionArtifacts.h"

#include <torch/script.h>

namespace compresslab {

class ConstrainedWeights {
public:
    // `student` is the compressed model's module; `artifacts` may be null (a student without constraints).
    ConstrainedWeights(torch::jit::Module student, const CompressionArtifacts *artifacts, bool learnScales);

    std::vector<torch::Tensor> decayed() const;   // weight matrices (latents and free ones with ≥ 2 dims)
    std::vector<torch::Tensor> undecayed() const; // biases, norms, scales, codebooks
    std::vector<torch::Tensor> all() const;

    // Writes the effective weights into the module: differentiable (training) or detached (evaluating, done).
    void apply(bool differentiable);
    // The artifacts for the trained weights: codes recomputed on their grid, scales and codebooks updated.
    CompressionArtifacts finalArtifacts() const;
    int constrainedLayers() const { return int(m_layers.size()); }

private:
    struct Latent {
        StoredMatrix stored;  // kind, bits, group, mask, zero-points; codes for codebooks
        torch::Tensor value;  // [rows, cols] latent values, or the codebook's centroids
        torch::Tensor scales; // Int: one per group (trainable with learnScales)
    };
    struct Layer {
        int artifactIndex = 0;
        std::vector<int64_t> shape;
        std::vector<Latent> latents; // one matrix, or low-rank left and right
        std::vector<std::pair<torch::jit::Module, std::string>> slots; // every module attribute holding this weight
    };

    torch::Tensor effective(const Latent &l) const;
    torch::Tensor effective(const Layer &l) const;

    torch::jit::Module m_student;
    CompressionArtifacts m_artifacts;
    bool m_learnScales = false;
    std::vector<Layer> m_layers;
    std::vector<torch::Tensor> m_free; // the other parameters, each once
};

} // namespace compresslab
