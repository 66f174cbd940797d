// Fuzzes Dataset::load (core/data/Dataset.cpp) end to end: a file goes through readSafetensorsHeader, the
// dataset's role checks (inputs/targets/mask, task, shapes) and the tensor reads into LibTorch. The file
// is the input itself, or, for an input that starts with the byte 0xFF, a well-formed safetensors file
// that the rest of the input describes (tensor names, dtypes, shapes, task, data): mutating raw bytes
// rarely keeps offsets consistent, so without that the role checks past the container would go unseen. Every dataset it accepts must agree with its own DatasetInfo, hold exactly
// the bytes its header declares, and back every sample it counts with data: a dataset may not claim more
// samples than it has bytes of inputs and of targets (evaluation and training loop over that count).
#include "FuzzSupport.h"

#include "common/UserError.h"
#include "data/DatasetImpl.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

#include <fuzzer/FuzzedDataProvider.h>
#include <unistd.h>

using namespace compresslab;
using namespace Qt::StringLiterals;

namespace {

// One file per process, in memory where /dev/shm exists; removed when libFuzzer exits normally, kept after
// a crash (it is then the file that crashed, also for a described input).
const QString &inputPath()
{
    static const QString path = [] {
        const QString dir = QFileInfo(u"/dev/shm"_s).isWritable() ? u"/dev/shm"_s : QDir::tempPath();
        return u"%1/compresslab-fuzz-dataset-%2.safetensors"_s.arg(dir).arg(qint64(getpid()));
    }();
    static const bool cleanup = [] { return std::atexit([] { QFile::remove(inputPath()); }) == 0; }();
    Q_UNUSED(cleanup);
    return path;
}

constexpr uint8_t kStructuredTag = 0xFF;

// A safetensors file with up to 4 tensors named from the dataset roles, dimensions mostly small, some 0,
// 2^31 or 2^53, contiguous offsets, and the input's remaining bytes as tensor data.
QByteArray describedFile(FuzzedDataProvider &p)
{
    static const char *const kNames[] = {"inputs", "targets", "mask", "other"};
    static const char *const kTasks[] = {"", "classification", "language-modeling", "regression"};
    static const ScalarType kTypes[] = {ScalarType::F64, ScalarType::F32, ScalarType::F16, ScalarType::BF16, ScalarType::I64,
                                        ScalarType::I32, ScalarType::I16, ScalarType::I8,  ScalarType::U8,   ScalarType::Bool};
    QJsonObject header, metadata;
    if (const int task = p.ConsumeIntegralInRange(0, 3))
        metadata.insert(u"task"_s, QLatin1StringView(kTasks[task]));
    if (p.ConsumeBool())
        header.insert(u"__metadata__"_s, metadata);
    qint64 offset = 0;
    const int count = p.ConsumeIntegralInRange(0, 4);
    for (int i = 0; i < count; ++i) {
        const QString name = QLatin1StringView(kNames[p.ConsumeIntegralInRange(0, 3)]);
        if (header.contains(name))
            continue;
        const ScalarType type = kTypes[p.ConsumeIntegralInRange(0, 9)];
        QJsonArray shape;
        qint64 bytes = scalarTypeSize(type);
        bool overflow = false;
        for (int rank = p.ConsumeIntegralInRange(0, 4); rank > 0; --rank) {
            const int pick = p.ConsumeIntegralInRange(0, 9);
            const qint64 dim = pick < 8 ? pick : pick == 8 ? qint64(1) << 31 : qint64(1) << 53;
            shape.append(double(dim));
            overflow |= __builtin_mul_overflow(bytes, dim, &bytes);
        }
        qint64 end = 0;
        if (overflow || __builtin_add_overflow(offset, bytes, &end))
            end = offset; // declared empty: the container's own checks refuse the shape
        header.insert(name, QJsonObject{{u"dtype"_s, scalarTypeName(type)}, {u"shape"_s, shape},
                                        {u"data_offsets"_s, QJsonArray{double(offset), double(end)}}});
        offset = end;
    }
    const QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    QByteArray file(8, '\0');
    qToLittleEndian<quint64>(quint64(json.size()), file.data());
    file += json;
    if (offset <= 1 << 20) { // the declared data, from the input where it lasts, else zeros
        const std::string data = p.ConsumeBytesAsString(size_t(offset));
        file += QByteArray(data.data(), qsizetype(data.size()));
        file += QByteArray(qsizetype(offset) - qsizetype(data.size()), '\0');
    }
    return file;
}

void checkTensor(const torch::Tensor &t, const SafetensorsEntry &e)
{
    FUZZ_CHECK(t.defined() && qint64(t.dim()) == e.shape.size());
    for (qsizetype i = 0; i < e.shape.size(); ++i)
        FUZZ_CHECK(t.size(i) == e.shape[i]);
    FUZZ_CHECK(t.numel() == e.numel());
}

void checkAccepted(const Dataset &d, const QByteArray &bytes)
{
    const DatasetInfo &info = d.info();
    const Dataset::Impl &impl = d.impl();
    const SafetensorsHeader h = parseSafetensorsHeader(bytes, bytes.size());
    const SafetensorsEntry *inputs = h.find(u"inputs"_s);
    const SafetensorsEntry *targets = h.find(u"targets"_s);
    const SafetensorsEntry *mask = h.find(u"mask"_s);
    FUZZ_CHECK(inputs && targets && (mask != nullptr) == info.hasMask);
    FUZZ_CHECK(info.samples > 0 && info.samples == inputs->shape.value(0) && info.samples == targets->shape.value(0));
    FUZZ_CHECK(info.inputShape == inputs->shape && info.targetShape == targets->shape);
    FUZZ_CHECK(info.inputDtype == scalarTypeName(inputs->dtype));
    FUZZ_CHECK(inputs->byteSize() >= info.samples && targets->byteSize() >= info.samples);
    FUZZ_CHECK(info.task == Task::Classification || info.task == Task::LanguageModeling);
    FUZZ_CHECK(targets->shape.size() == (info.task == Task::Classification ? 1 : 2));
    checkTensor(impl.inputs, *inputs);
    FUZZ_CHECK(qint64(impl.inputs.nbytes()) == inputs->byteSize());
    checkTensor(impl.targets, *targets);
    FUZZ_CHECK(impl.targets.scalar_type() == torch::kLong);
    if (mask) {
        checkTensor(impl.mask, *mask);
        FUZZ_CHECK(impl.mask.scalar_type() == torch::kBool);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray bytes = fuzz::bytesOf(data, size);
    if (size > 0 && data[0] == kStructuredTag) {
        FuzzedDataProvider provider(data + 1, size - 1);
        bytes = describedFile(provider);
    }
    {
        QFile file(inputPath());
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
            std::abort(); // the harness cannot work without its file
    }
    try {
        const std::shared_ptr<Dataset> d = Dataset::load(inputPath());
        checkAccepted(*d, bytes);
    } catch (const UserError &e) {
        FUZZ_CHECK(!e.message().isEmpty());
    }
    return 0;
}
