#include "data/DatasetImpl.h"

#include "common/UserError.h"
#include "model/ModelSummary.h"

#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

torch::ScalarType torchType(ScalarType t)
{
    switch (t) {
    case ScalarType::F64: return torch::kDouble;
    case ScalarType::F32: return torch::kFloat;
    case ScalarType::F16: return torch::kHalf;
    case ScalarType::BF16: return torch::kBFloat16;
    case ScalarType::I64: return torch::kLong;
    case ScalarType::I32: return torch::kInt;
    case ScalarType::I16: return torch::kShort;
    case ScalarType::I8: return torch::kChar;
    case ScalarType::U8: return torch::kByte;
    case ScalarType::Bool: return torch::kBool;
    }
    return torch::kFloat;
}

bool isIntegral(ScalarType t)
{
    return t == ScalarType::I64 || t == ScalarType::I32 || t == ScalarType::I16 || t == ScalarType::I8 ||
           t == ScalarType::U8;
}

torch::Tensor readTensor(QFile &file, const SafetensorsHeader &header, const SafetensorsEntry &e)
{
    std::vector<int64_t> shape(e.shape.begin(), e.shape.end());
    torch::Tensor t = torch::empty(shape, torch::TensorOptions().dtype(torchType(e.dtype)));
    if (e.byteSize() == 0)
        return t;
    if (!file.seek(header.dataStart + e.begin) ||
        file.read(static_cast<char *>(t.data_ptr()), e.byteSize()) != e.byteSize())
        throw UserError(u"%1: cannot read tensor '%2' (%3)"_s.arg(file.fileName(), e.name, file.errorString()));
    return t;
}

// The header's checks and what they establish; the tensors are read by Dataset::load only.
DatasetInfo checkedInfo(const QString &path, const SafetensorsHeader &header)
{
    auto fail = [&](const QString &why) { return UserError(u"%1: not a CompressLab dataset: %2"_s.arg(path, why)); };
    const SafetensorsEntry *inputs = header.find(u"inputs"_s);
    const SafetensorsEntry *targets = header.find(u"targets"_s);
    const SafetensorsEntry *mask = header.find(u"mask"_s);
    if (!inputs || !targets)
        throw fail(u"it needs tensors named 'inputs' and 'targets'"_s);
    if (inputs->shape.isEmpty() || targets->shape.isEmpty())
        throw fail(u"'inputs' and 'targets' need a sample dimension"_s);
    if (inputs->shape[0] != targets->shape[0])
        throw fail(u"'inputs' has %1 samples but 'targets' has %2"_s.arg(inputs->shape[0]).arg(targets->shape[0]));
    if (inputs->shape[0] == 0)
        throw fail(u"it holds no samples"_s);
    // Every sample needs data: a 0 in a later dimension would let a file of a few bytes count 2^53 samples.
    for (const SafetensorsEntry *e : {inputs, targets}) {
        if (e->numel() == 0)
            throw fail(u"'%1' has shape %2, so its samples hold no values"_s.arg(e->name, formatShape(e->shape)));
    }
    if (!isIntegral(targets->dtype))
        throw fail(u"'targets' must hold integer class or token ids, not %1"_s.arg(scalarTypeName(targets->dtype)));
    if (mask && mask->shape != targets->shape)
        throw fail(u"'mask' has shape %1 but 'targets' has %2"_s.arg(formatShape(mask->shape), formatShape(targets->shape)));

    DatasetInfo info;
    info.path = QFileInfo(path).absoluteFilePath();
    info.metadata = header.metadata;
    info.name = header.metadata.value(u"name"_s, QFileInfo(path).completeBaseName());
    info.samples = inputs->shape[0];
    info.inputShape = inputs->shape;
    info.inputDtype = scalarTypeName(inputs->dtype);
    info.targetShape = targets->shape;
    info.hasMask = mask != nullptr;
    const QString taskText = header.metadata.value(u"task"_s);
    info.task = taskText.isEmpty() ? (targets->shape.size() == 1 ? Task::Classification : Task::LanguageModeling)
                                   : taskFromName(taskText);
    if (info.task == Task::Unknown)
        throw fail(u"unknown task '%1' (expected classification or language-modeling)"_s.arg(taskText));
    if (info.task == Task::Classification && targets->shape.size() != 1)
        throw fail(u"a classification set needs 'targets' of shape [N], not %1"_s.arg(formatShape(targets->shape)));
    if (info.task == Task::LanguageModeling && targets->shape.size() != 2)
        throw fail(u"a language-modeling set needs 'targets' of shape [N, T], not %1"_s.arg(formatShape(targets->shape)));

    return info;
}

} // namespace

Dataset::Dataset(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
Dataset::~Dataset() = default;
const DatasetInfo &Dataset::info() const { return d->info; }

DatasetInfo readDatasetInfo(const QString &path)
{
    return checkedInfo(path, readSafetensorsHeader(path));
}

std::shared_ptr<Dataset> Dataset::load(const QString &path)
{
    const SafetensorsHeader header = readSafetensorsHeader(path);
    auto impl = std::make_unique<Impl>();
    impl->info = checkedInfo(path, header);
    const SafetensorsEntry *inputs = header.find(u"inputs"_s);
    const SafetensorsEntry *targets = header.find(u"targets"_s);
    const SafetensorsEntry *mask = header.find(u"mask"_s);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw UserError(u"cannot open %1: %2"_s.arg(path, file.errorString()));
    impl->inputs = readTensor(file, header, *inputs);
    impl->targets = readTensor(file, header, *targets).to(torch::kLong);
    if (mask)
        impl->mask = readTensor(file, header, *mask).to(torch::kBool);
    return std::shared_ptr<Dataset>(new Dataset(std::move(impl)));
}

} // namespace compresslab
