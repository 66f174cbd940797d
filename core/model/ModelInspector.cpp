#include "model/ModelImpl.h"

#include "common/UserError.h"

#include <QHash>
#include <QSet>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QString shortTypeName(const torch::jit::Module &m)
{
    const std::string qualified = m.type()->name() ? m.type()->name()->qualifiedName() : std::string("Module");
    const auto dot = qualified.rfind('.');
    return QString::fromStdString(dot == std::string::npos ? qualified : qualified.substr(dot + 1));
}

QString dtypeName(const at::Tensor &t)
{
    // "float", "long", ... are Torch's names; users know them as float32, int64.
    switch (t.scalar_type()) {
    case at::kFloat: return u"float32"_s;
    case at::kDouble: return u"float64"_s;
    case at::kHalf: return u"float16"_s;
    case at::kBFloat16: return u"bfloat16"_s;
    case at::kLong: return u"int64"_s;
    case at::kInt: return u"int32"_s;
    case at::kShort: return u"int16"_s;
    case at::kChar: return u"int8"_s;
    case at::kByte: return u"uint8"_s;
    case at::kBool: return u"bool"_s;
    case at::kQInt8: return u"qint8"_s;
    case at::kQUInt8: return u"quint8"_s;
    default: return QString::fromLatin1(c10::toString(t.scalar_type()));
    }
}

// Storage identity: tied weights share a storage (and usually the offset).
using StorageKey = QPair<quintptr, qint64>;

StorageKey keyOf(const at::Tensor &t)
{
    return {quintptr(t.storage().unsafeGetStorageImpl()), qint64(t.storage_offset())};
}

// LibTorch 1.13 accepts a pickled tensor whose shape or offset reaches past the record holding its
// data; reading it (our NaN scan, any inference) then reads foreign memory. Found by bench/mutation_run.py.
void checkFitsStorage(const QString &path, const at::Tensor &t)
{
    if (t.numel() == 0 || t.layout() != at::kStrided || t.is_quantized() || !t.has_storage())
        return;
    if (t.storage_offset() < 0)
        throw UserError(u"tensor %1 has a negative storage offset (the file is damaged or forged)"_s.arg(path));
    unsigned __int128 last = uint64_t(t.storage_offset());
    for (int64_t d = 0; d < t.dim(); ++d) {
        if (t.stride(d) < 0)
            throw UserError(u"tensor %1 has a negative stride (the file is damaged or forged)"_s.arg(path));
        last += (unsigned __int128)(t.size(d) - 1) * (unsigned __int128)t.stride(d);
    }
    const unsigned __int128 needed = (last + 1) * (unsigned __int128)t.element_size();
    if (needed > t.storage().nbytes())
        throw UserError(u"tensor %1 of shape %2 reaches past the %3 bytes stored for it (the file is damaged or forged)"_s.arg(path)
                            .arg(formatShape(QVector<qint64>(t.sizes().begin(), t.sizes().end())))
                            .arg(qint64(t.storage().nbytes())));
}

struct Walker {
    ModelSummary &out;
    QHash<StorageKey, QString> firstSeen;
    QHash<QString, const TensorRecord *> countsFrom; // by path; empty: scan

    void addTensor(const QString &modulePath, const std::string &tensorName, const at::Tensor &t, bool isParameter)
    {
        if (!t.defined())
            return;
        TensorRecord r;
        r.name = QString::fromStdString(tensorName);
        r.module = modulePath;
        r.path = modulePath.isEmpty() ? r.name : modulePath + u'.' + r.name;
        r.isParameter = isParameter;
        for (auto s : t.sizes())
            r.shape.push_back(s);
        r.dtype = dtypeName(t);
        r.numel = t.numel();
        r.bytes = qint64(t.numel()) * qint64(t.element_size());
        checkFitsStorage(r.path, t);
        const StorageKey key = keyOf(t);
        if (r.numel > 0 && firstSeen.contains(key)) {
            r.sharedWith = firstSeen.value(key);
            ++out.sharedTensors;
        } else {
            if (r.numel > 0)
                firstSeen.insert(key, r.path);
            (isParameter ? out.parameterCount : out.bufferCount) += r.numel;
            (isParameter ? out.parameterBytes : out.bufferBytes) += r.bytes;
            if (const TensorRecord *known = countsFrom.value(r.path)) {
                r.nanCount = known->nanCount;
                r.infCount = known->infCount;
            } else if (r.numel > 0 && t.is_floating_point() && countsFrom.isEmpty()) {
                // NaN/Inf weights make every later number meaningless: found here, reported at load.
                r.nanCount = t.isnan().sum().item<int64_t>();
                r.infCount = t.isinf().sum().item<int64_t>();
            }
        }
        out.tensors.push_back(r);
    }

    void visit(const torch::jit::Module &m, const QString &path, const QString &name, int depth, int parent)
    {
        const int index = out.modules.size();
        ModuleNode node;
        node.path = path;
        node.name = name;
        node.type = shortTypeName(m);
        node.qualifiedType = QString::fromStdString(m.type()->name() ? m.type()->name()->qualifiedName() : std::string());
        node.depth = depth;
        node.parent = parent;
        out.modules.push_back(node);
        for (const auto &p : m.named_parameters(/*recurse=*/false))
            addTensor(path, p.name, p.value, true);
        for (const auto &b : m.named_buffers(/*recurse=*/false))
            addTensor(path, b.name, b.value, false);
        for (const auto &child : m.named_children()) {
            const QString childName = QString::fromStdString(child.name);
            visit(child.value, path.isEmpty() ? childName : path + u'.' + childName, childName, depth + 1, index);
        }
    }
};

} // namespace

ModelSummary inspectModule(const torch::jit::Module &module, const QString &rootName, const ModelSummary *countsFrom)
{
    ModelSummary summary;
    Walker walker{summary, {}, {}};
    if (countsFrom) {
        for (const TensorRecord &r : countsFrom->tensors)
            walker.countsFrom.insert(r.path, &r);
    }
    walker.visit(module, QString(), rootName, 0, -1);

    // Subtree totals: each module counts the unique storages of the tensors below it, so a weight tied
    // between two children is counted once in their parent but once in each child.
    QHash<QString, int> moduleIndex;
    for (int i = 0; i < summary.modules.size(); ++i)
        moduleIndex.insert(summary.modules[i].path, i);
    QVector<QSet<QString>> counted(summary.modules.size());
    for (const TensorRecord &r : summary.tensors) {
        if (r.numel == 0)
            continue;
        const QString storage = r.sharedWith.isEmpty() ? r.path : r.sharedWith;
        const int owner = moduleIndex.value(r.module, 0);
        for (int i = owner; i >= 0; i = summary.modules[i].parent) {
            if (counted[i].contains(storage))
                continue;
            counted[i].insert(storage);
            ModuleNode &m = summary.modules[i];
            if (r.isParameter)
                m.parameters += r.numel;
            m.bytes += r.bytes;
            if (i == owner) {
                if (r.isParameter)
                    m.directParameters += r.numel;
                m.directBytes += r.bytes;
                if (!r.sharedWith.isEmpty())
                    m.directSharedBytes += r.bytes;
            }
        }
    }
    return summary;
}

} // namespace compresslab
