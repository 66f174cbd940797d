#include "eval/ExampleInput.h"

#include "common/UserError.h"
#include "data/DatasetImpl.h"

using namespace Qt::StringLiterals;

namespace compresslab {

torch::Tensor inputFromDataset(const Dataset &data, int batch)
{
    const torch::Tensor all = data.impl().inputs;
    const int64_t n = std::min<int64_t>(batch, all.size(0));
    torch::Tensor x = all.narrow(0, 0, n);
    if (n < batch) {
        std::vector<int64_t> reps(size_t(x.dim()), 1);
        reps[0] = (batch + n - 1) / n;
        x = x.repeat(reps).narrow(0, 0, batch);
    }
    return x.contiguous();
}

torch::Tensor inputFromMetadata(const ModelMetadata &meta, int batch)
{
    if (meta.inputShape.isEmpty())
        throw UserError(u"the model does not say what input it takes (no input.shape in its compresslab.json); "
                        "give a dataset with --data"_s);
    std::vector<int64_t> shape(meta.inputShape.begin(), meta.inputShape.end());
    shape[0] = batch;
    torch::manual_seed(0); // the same synthetic input every time, so runs are comparable
    if (meta.inputDtype == "int64"_L1 || meta.inputDtype == "int32"_L1) {
        const int64_t vocab = std::max<int64_t>(2, meta.vocabulary.size());
        return torch::randint(1, vocab, shape, torch::kLong);
    }
    return torch::rand(shape);
}

} // namespace compresslab
