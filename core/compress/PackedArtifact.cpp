#include "compress/PackedArtifact.h"

#include "common/AtomicFile.h"
#include "common/UserError.h"
#include "compress/BitPacking.h"
#include "compress/CompressionArtifacts.h"
#include "compress/Compressor.h"
#include "compress/Quantize.h"
#include "compress/SizeAccounting.h"
#include "data/Safetensors.h"
#include "model/ModelImpl.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

constexpr auto kFormat = "compresslab-packed";

QByteArray fileSha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return hash.result().toHex();
}

QByteArray rawBytes(const torch::Tensor &t)
{
    const auto c = t.contiguous();
    return QByteArray(static_cast<const char *>(c.data_ptr()), qsizetype(c.numel() * c.element_size()));
}

torch::Tensor fromBytes(const QByteArray &bytes, torch::ScalarType type, int64_t count)
{
    auto t = torch::empty({count}, type);
    if (qint64(count) * qint64(t.element_size()) != bytes.size())
        throw UserError(u"packed artifact is damaged: a component has the wrong size"_s);
    memcpy(t.data_ptr(), bytes.constData(), size_t(bytes.size()));
    return t;
}

QString kindName(StoredMatrix::Kind k)
{
    switch (k) {
    case StoredMatrix::Kind::Float32: return u"f32"_s;
    case StoredMatrix::Kind::Float16: return u"f16"_s;
    case StoredMatrix::Kind::BFloat16: return u"bf16"_s;
    case StoredMatrix::Kind::Int: return u"int"_s;
    case StoredMatrix::Kind::Codebook: return u"codebook"_s;
    }
    return {};
}

torch::ScalarType floatType(const QString &kind)
{
    return kind == "f16"_L1 ? torch::kHalf : kind == "bf16"_L1 ? torch::kBFloat16 : torch::kFloat;
}

int positionBits(int m) { return int(std::ceil(std::log2(double(m)))); }

// Serialises one stored matrix into components, in the order the accounting counts them.
QJsonObject packMatrix(const StoredMatrix &m, QByteArray &blob)
{
    QJsonArray components;
    auto add = [&](const QString &name, const QByteArray &bytes) {
        blob += bytes;
        components.push_back(QJsonArray{name, double(bytes.size())});
    };
    const MatrixSize size = storedSize(m);
    const auto flatMask = m.mask.defined() ? m.mask.reshape({-1}) : torch::Tensor();
    QString sparse;
    torch::Tensor kept; // flat indices of the stored values; undefined = all
    if (m.mask.defined() && size.sparseEncoding != "dense"_L1) {
        kept = flatMask.nonzero().reshape({-1});
        if (m.nmN > 0) {
            sparse = u"nm"_s;
            add(u"nm_positions"_s, rawBytes(packBits(kept.remainder(m.nmM).to(torch::kByte), positionBits(m.nmM))));
        } else if (m.rowStructured) {
            sparse = u"rows"_s;
            add(u"row_bitmap"_s, rawBytes(packBits(m.mask.any(1).to(torch::kByte), 1)));
        } else {
            sparse = u"bitmap"_s;
            add(u"bitmap"_s, rawBytes(packBits(flatMask.to(torch::kByte), 1)));
        }
    }
    auto stored = [&](const torch::Tensor &t) { return kept.defined() ? t.reshape({-1}).index_select(0, kept) : t.reshape({-1}); };
    switch (m.kind) {
    case StoredMatrix::Kind::Int:
        add(u"codes"_s, rawBytes(packBits(stored(m.codes), m.bits)));
        add(u"scales"_s, rawBytes(m.scales.to(torch::kHalf)));
        if (!m.symmetric)
            add(u"zero_points"_s, rawBytes(packBits(m.zeros, m.bits)));
        break;
    case StoredMatrix::Kind::Codebook:
        add(u"indices"_s, rawBytes(packBits(stored(m.codes), m.bits)));
        add(u"centroids"_s, rawBytes(m.centroids.to(torch::kHalf)));
        break;
    default:
        add(u"values"_s, rawBytes(stored(m.values).to(floatType(kindName(m.kind)))));
        break;
    }
    return {{u"role"_s, m.role}, {u"rows"_s, double(m.rows)}, {u"cols"_s, double(m.cols)},
            {u"kind"_s, kindName(m.kind)}, {u"bits"_s, m.bits}, {u"group_size"_s, double(m.groupSize)},
            {u"symmetric"_s, m.symmetric}, {u"sparse"_s, sparse}, {u"n"_s, m.nmN}, {u"m"_s, m.nmM},
            {u"components"_s, components}};
}

// Inverse of packMatrix: the matrix's effective float32 values.
torch::Tensor unpackMatrix(const QJsonObject &o, const QByteArray &blob, qsizetype &offset)
{
    const int64_t rows = int64_t(o.value("rows"_L1).toDouble()), cols = int64_t(o.value("cols"_L1).toDouble());
    const int64_t numel = rows * cols;
    const QString kind = o.value("kind"_L1).toString(), sparse = o.value("sparse"_L1).toString();
    const int bits = o.value("bits"_L1).toInt();
    if (rows <= 0 || cols <= 0 || bits < 1 || bits > 32)
        throw UserError(u"packed artifact is damaged: bad matrix description"_s);
    QHash<QString, QByteArray> parts;
    for (const QJsonValue &c : o.value("components"_L1).toArray()) {
        const qsizetype length = qsizetype(c.toArray().at(1).toDouble());
        if (length < 0 || offset + length > blob.size())
            throw UserError(u"packed artifact is damaged: a component runs past its blob"_s);
        parts.insert(c.toArray().at(0).toString(), blob.mid(offset, length));
        offset += length;
    }
    auto u8 = [&](const QString &name) { return fromBytes(parts.value(name), torch::kByte, parts.value(name).size()); };

    torch::Tensor mask; // bool [numel] or undefined
    if (sparse == "bitmap"_L1) {
        mask = unpackBits(u8(u"bitmap"_s), 1, numel).to(torch::kBool);
    } else if (sparse == "rows"_L1) {
        mask = unpackBits(u8(u"row_bitmap"_s), 1, rows).to(torch::kBool).unsqueeze(1).expand({rows, cols}).reshape({-1});
    } else if (sparse == "nm"_L1) {
        const int n = o.value("n"_L1).toInt(), m = o.value("m"_L1).toInt();
        const int64_t kept = numel / m * n;
        const auto positions = unpackBits(u8(u"nm_positions"_s), positionBits(m), kept).to(torch::kLong).reshape({-1, n});
        const auto groupStart = (torch::arange(numel / m, torch::kLong) * m).unsqueeze(1);
        mask = torch::zeros({numel}, torch::kBool).index_fill_(0, (groupStart + positions).reshape({-1}), true);
    }
    const auto keptIndex = mask.defined() ? mask.nonzero().reshape({-1}) : torch::Tensor();
    const int64_t storedCount = mask.defined() ? keptIndex.numel() : numel;
    auto scatter = [&](const torch::Tensor &storedValues, const torch::Tensor &fill) {
        if (!mask.defined())
            return storedValues.reshape({rows, cols});
        auto full = fill.clone();
        full.index_copy_(0, keptIndex, storedValues);
        return full.reshape({rows, cols});
    };
    if (kind == "int"_L1) {
        const int64_t groupSize = int64_t(o.value("group_size"_L1).toDouble());
        const bool symmetric = o.value("symmetric"_L1).toBool();
        if (groupSize <= 0 || numel % groupSize != 0)
            throw UserError(u"packed artifact is damaged: bad group size"_s);
        const int64_t groups = numel / groupSize;
        const auto scales = fromBytes(parts.value(u"scales"_s), torch::kHalf, groups).to(torch::kFloat);
        const auto zeros = symmetric ? torch::Tensor() : unpackBits(u8(u"zero_points"_s), bits, groups);
        // Dropped positions hold the code that dequantizes to zero.
        const auto zeroCode = symmetric ? torch::full({numel}, 1 << (bits - 1), torch::kByte) : zeros.repeat_interleave(groupSize);
        const auto codes = scatter(unpackBits(u8(u"codes"_s), bits, storedCount), zeroCode);
        return dequantizeCodes(codes, scales, zeros, bits, groupSize, symmetric);
    }
    if (kind == "codebook"_L1) {
        const auto centroids = fromBytes(parts.value(u"centroids"_s), torch::kHalf, int64_t(1) << bits).to(torch::kFloat);
        const auto indices = unpackBits(u8(u"indices"_s), bits, storedCount).to(torch::kLong);
        return scatter(centroids.index_select(0, indices), torch::zeros({numel}));
    }
    const auto type = floatType(kind);
    const auto values = fromBytes(parts.value(u"values"_s), type, storedCount).to(torch::kFloat);
    return scatter(values, torch::zeros({numel}));
}

using TensorMap = std::vector<std::pair<QString, torch::Tensor>>;

TensorMap namedTensors(const torch::jit::Module &module)
{
    TensorMap all;
    for (const auto &p : module.named_parameters(true))
        all.emplace_back(QString::fromStdString(p.name), p.value);
    for (const auto &b : module.named_buffers(true))
        all.emplace_back(QString::fromStdString(b.name), b.value);
    return all;
}

} // namespace

PackedFileInfo writePackedArtifact(const CompressionResult &result, const QString &path, const QString &inputPath)
{
    const CompressionArtifacts &artifacts = *result.artifacts;
    torch::NoGradGuard noGrad;
    QVector<QPair<QString, QByteArray>> blobs;
    QJsonArray layerTable;
    QSet<QString> packedWeights;
    for (const CompressedLayer &layer : artifacts.layers) {
        if (layer.skipped || !layer.tiedTo.isEmpty())
            continue; // skipped weights go with the other fp32 tensors; tied ones exist once
        QByteArray blob;
        QJsonArray matrices;
        for (const StoredMatrix &m : layer.matrices)
            matrices.push_back(packMatrix(m, blob));
        QJsonArray shape;
        for (int64_t d : layer.shape)
            shape.push_back(double(d));
        layerTable.push_back(QJsonObject{{u"path"_s, layer.path}, {u"shape"_s, shape}, {u"matrices"_s, matrices}});
        blobs.push_back({u"layer:"_s + layer.path, blob});
        packedWeights.insert(layer.path + u".weight"_s);
    }
    // Every other tensor (biases, norms, skipped layers, buffers) in its own dtype, each storage once.
    QByteArray others;
    QJsonArray otherTable;
    QSet<const void *> seen;
    for (const auto &[name, tensor] : namedTensors(result.model->impl().module)) {
        const void *storage = tensor.storage().unsafeGetStorageImpl();
        const bool packed = packedWeights.contains(name);
        if (packed || tensor.numel() == 0 || seen.contains(storage)) {
            seen.insert(storage); // a weight tied to a packed one is restored through the tie
            continue;
        }
        seen.insert(storage);
        const QByteArray bytes = rawBytes(tensor);
        QJsonArray shape;
        for (auto d : tensor.sizes())
            shape.push_back(double(d));
        otherTable.push_back(QJsonArray{name, QString::fromLatin1(c10::toString(tensor.scalar_type())), double(bytes.size()), shape});
        others += bytes;
    }
    blobs.push_back({u"other_tensors"_s, others});

    QJsonObject header;
    qint64 offset = 0;
    for (const auto &[name, bytes] : blobs) {
        header.insert(name, QJsonObject{{u"dtype"_s, u"U8"_s}, {u"shape"_s, QJsonArray{double(bytes.size())}},
                                        {u"data_offsets"_s, QJsonArray{double(offset), double(offset + bytes.size())}}});
        offset += bytes.size();
    }
    header.insert(u"__metadata__"_s, QJsonObject{
        {u"format"_s, QString::fromLatin1(kFormat)}, {u"version"_s, u"1"_s},
        {u"base_sha256"_s, QString::fromLatin1(fileSha256(result.model->path()))},
        {u"config"_s, QString::fromUtf8(QJsonDocument(toJson(artifacts.config)).toJson(QJsonDocument::Compact))},
        {u"layers"_s, QString::fromUtf8(QJsonDocument(layerTable).toJson(QJsonDocument::Compact))},
        {u"other_tensors"_s, QString::fromUtf8(QJsonDocument(otherTable).toJson(QJsonDocument::Compact))}});
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    json.append(QByteArray((8 - json.size() % 8) % 8, ' '));
    QByteArray length(8, '\0');
    qToLittleEndian<quint64>(quint64(json.size()), length.data());

    writeAtomically(path, [&](const QString &temp) {
        QFile f(temp);
        bool ok = f.open(QIODevice::WriteOnly) && f.write(length) == 8 && f.write(json) == json.size();
        for (const auto &blob : blobs)
            ok = ok && f.write(blob.second) == blob.second.size();
        if (!ok || !f.flush())
            throw UserError(u"cannot write %1: %2"_s.arg(path, f.errorString()));
    }, {inputPath});
    PackedFileInfo info;
    info.headerBytes = 8 + json.size();
    info.dataBytes = offset;
    info.fileBytes = info.headerBytes + info.dataBytes;
    return info;
}

std::shared_ptr<Model> restoreFromPackedArtifact(const Model &base, const QString &path)
{
    const SafetensorsHeader header = readSafetensorsHeader(path);
    if (header.metadata.value(u"format"_s) != QLatin1StringView(kFormat))
        throw UserError(u"%1 is not a CompressLab packed artifact"_s.arg(path));
    if (header.metadata.value(u"base_sha256"_s) != QString::fromLatin1(fileSha256(base.path())))
        throw UserError(u"%1 was made from another model than %2"_s.arg(path, base.path()));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw UserError(u"cannot open %1"_s.arg(path));
    auto blobOf = [&](const QString &name) {
        const SafetensorsEntry *e = header.find(name);
        if (!e)
            throw UserError(u"packed artifact is damaged: '%1' is missing"_s.arg(name));
        file.seek(header.dataStart + e->begin);
        return file.read(e->byteSize());
    };

    torch::NoGradGuard noGrad;
    Model::Impl &source = base.impl();
    torch::jit::Module copy;
    {
        std::lock_guard<std::mutex> lock(source.runMutex);
        copy = source.module.deepcopy();
    }
    std::map<QString, torch::Tensor> tensors;
    for (const auto &[name, tensor] : namedTensors(copy))
        tensors.emplace(name, tensor);
    QHash<QString, torch::jit::Module> modules = modulesByPath(copy);
    // Structured pruning shrank some tensors: give the copy a tensor of the stored shape.
    auto reshapeParameter = [&](const QString &name, const std::vector<int64_t> &shape) -> torch::Tensor & {
        const qsizetype dot = name.lastIndexOf(u'.');
        const QString modulePath = dot < 0 ? QString() : name.left(dot);
        if (!modules.contains(modulePath) || shape.empty())
            throw UserError(u"packed artifact does not fit the model: tensor %1 has another shape"_s.arg(name));
        const torch::Tensor old = tensors.at(name);
        torch::Tensor fresh = torch::empty(shape, old.options());
        modules[modulePath].setattr(name.mid(dot + 1).toStdString(), fresh); // a buffer (BatchNorm statistics) stays a buffer
        tensors[name] = fresh;
        return tensors[name];
    };
    auto target = [&](const QString &name) -> torch::Tensor & {
        auto it = tensors.find(name);
        if (it == tensors.end())
            throw UserError(u"packed artifact does not fit the model: it has no tensor '%1'"_s.arg(name));
        return it->second;
    };

    const QJsonArray layers = QJsonDocument::fromJson(header.metadata.value(u"layers"_s).toUtf8()).array();
    for (const QJsonValue &v : layers) {
        const QJsonObject layer = v.toObject();
        const QString layerPath = layer.value("path"_L1).toString();
        const QByteArray blob = blobOf(u"layer:"_s + layerPath);
        qsizetype offset = 0;
        std::vector<torch::Tensor> mats;
        for (const QJsonValue &m : layer.value("matrices"_L1).toArray())
            mats.push_back(unpackMatrix(m.toObject(), blob, offset));
        torch::Tensor *weight = &target(layerPath + u".weight"_s);
        const torch::Tensor w = mats.size() == 2 ? torch::mm(mats[0], mats[1]) : mats.at(0);
        if (w.numel() != weight->numel()) {
            std::vector<int64_t> shape;
            for (const QJsonValue &d : layer.value("shape"_L1).toArray())
                shape.push_back(int64_t(d.toDouble()));
            weight = &reshapeParameter(layerPath + u".weight"_s, shape);
            if (w.numel() != weight->numel())
                throw UserError(u"packed artifact does not fit the model: layer %1 has another shape"_s.arg(layerPath));
        }
        weight->copy_(w.reshape(weight->sizes()));
    }
    const QByteArray others = blobOf(u"other_tensors"_s);
    qsizetype offset = 0;
    for (const QJsonValue &v : QJsonDocument::fromJson(header.metadata.value(u"other_tensors"_s).toUtf8()).array()) {
        const QJsonArray entry = v.toArray();
        torch::Tensor *t = &target(entry.at(0).toString());
        const qsizetype bytes = qsizetype(entry.at(2).toDouble());
        if (bytes != qsizetype(t->numel() * t->element_size()) && entry.size() > 3) {
            std::vector<int64_t> shape;
            for (const QJsonValue &d : entry.at(3).toArray())
                shape.push_back(int64_t(d.toDouble()));
            t = &reshapeParameter(entry.at(0).toString(), shape);
        }
        if (bytes != qsizetype(t->numel() * t->element_size()) || offset + bytes > others.size())
            throw UserError(u"packed artifact does not fit the model: tensor %1 has another size"_s.arg(entry.at(0).toString()));
        memcpy(t->data_ptr(), others.constData() + offset, size_t(bytes));
        offset += bytes;
    }

    return deriveModel(base, copy, base.displayName() + u" [restored from packed]"_s);
}

} // namespace compresslab
