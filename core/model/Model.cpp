#include "model/ModelImpl.h"

#include "common/UserError.h"
#include "runtime/IsolatedWorker.h"
#include "runtime/RuntimeInfo.h"

#include <caffe2/serialize/inline_container.h>

#include <QFileInfo>
#include <QMutex>
#include <QSet>

#include <atomic>

using namespace Qt::StringLiterals;

namespace compresslab {

Model::Model(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
Model::~Model() = default;

namespace {

QMutex g_acceptedMutex;
QSet<QString> g_acceptedNonFinite; // canonical paths; "" = all
std::atomic<int> g_loadsStarted{0};

QString canonical(const QString &path)
{
    const QFileInfo info(path);
    return info.canonicalFilePath().isEmpty() ? info.absoluteFilePath() : info.canonicalFilePath();
}

// Packed int8 weights pack themselves again as the file loads (their __setstate__), for the engine in force
// then, and keep those kernels whatever is in force when they run: set the engine the metadata records
// first, else the default, so a file never depends on what ran before it. Call under lockInt8Packing().
void selectRecordedInt8Engine(const QString &path)
{
    QString engine;
    try {
        caffe2::serialize::PyTorchStreamReader reader(path.toStdString());
        if (reader.hasRecord("extra/compresslab.json")) {
            const auto [data, size] = reader.getRecord("extra/compresslab.json");
            engine = parseModelMetadata(QByteArray(static_cast<const char *>(data.get()), qsizetype(size))).int8Engine;
        }
    } catch (const std::exception &) { // the load itself reports what is wrong with the file
    }
    configureRuntime(at::get_num_threads(), engine);
}

} // namespace

bool Model::nonFiniteAccepted(const QString &path)
{
    QMutexLocker lock(&g_acceptedMutex);
    return g_acceptedNonFinite.contains(QString()) || g_acceptedNonFinite.contains(canonical(path));
}

void Model::acceptNonFinite(const QString &path)
{
    QMutexLocker lock(&g_acceptedMutex);
    g_acceptedNonFinite.insert(path.isEmpty() ? QString() : canonical(path));
}

int Model::loadsInThisProcess() { return g_loadsStarted.load(); }

std::shared_ptr<Model> Model::load(const QString &path)
{
    ++g_loadsStarted;
    precheckModelFile(path);
    // In an isolated worker the parent times this load and names the file if it kills us.
    announceLoadBegin(QFileInfo(path).absoluteFilePath());
    struct AnnounceEnd {
        ~AnnounceEnd() { announceLoadEnd(); }
    } announceEnd;
    auto impl = std::make_unique<Impl>();
    impl->path = QFileInfo(path).absoluteFilePath();
    torch::jit::ExtraFilesMap extra{{"compresslab.json", ""}};
    try {
        const auto packing = lockInt8Packing();
        selectRecordedInt8Engine(path);
        impl->module = torch::jit::load(path.toStdString(), torch::kCPU, extra);
    } catch (const std::exception &e) {
        throw UserError(explainLoadFailure(path, e.what()));
    }
    impl->module.eval();
    const std::string &json = extra["compresslab.json"];
    impl->metadata = parseModelMetadata(QByteArray::fromStdString(json));
    const QString name = impl->metadata.name.isEmpty() ? QFileInfo(path).completeBaseName() : impl->metadata.name;
    try {
        impl->summary = inspectModule(impl->module, name);
    } catch (const UserError &e) {
        throw UserError(u"cannot load %1: %2"_s.arg(path, e.message()));
    }
    impl->summary.fileBytes = QFileInfo(path).size();
    const QStringList nonFinite = impl->summary.nonFiniteTensors();
    if (!nonFinite.isEmpty() && !nonFiniteAccepted(path))
        throw UserError(u"cannot load %1: %2 tensor(s) hold NaN or Inf values: %3. Every result computed from them would be "
                        u"meaningless; open it anyway with --allow-nonfinite (CLI) or by confirming (workbench)"_s
                            .arg(path)
                            .arg(nonFinite.size())
                            .arg(QStringList(nonFinite.mid(0, 5)).join(u"; "_s) + (nonFinite.size() > 5 ? u"; ..."_s : QString())));
    return std::shared_ptr<Model>(new Model(std::move(impl)));
}

std::shared_ptr<Model> Model::adopt(std::unique_ptr<Impl> impl)
{
    return std::shared_ptr<Model>(new Model(std::move(impl)));
}

std::shared_ptr<Model> deriveModel(const Model &source, torch::jit::Module module, const QString &name, DerivedValues values)
{
    auto impl = std::make_unique<Model::Impl>();
    impl->path = source.path();
    impl->module = std::move(module);
    impl->module.eval();
    impl->metadata = source.metadata();
    impl->metadata.name = name;
    // fileBytes stays 0: not saved yet. The scan was a third of a live point's compression time on brown-gpt.
    impl->summary = inspectModule(impl->module, name, values == DerivedValues::CheckedFromSource ? &source.summary() : nullptr);
    return Model::adopt(std::move(impl));
}

QHash<QString, torch::jit::Module> modulesByPath(const torch::jit::Module &module)
{
    QHash<QString, torch::jit::Module> modules;
    for (const auto &named : module.named_modules())
        modules.insert(QString::fromStdString(named.name), named.value);
    return modules;
}

QString Model::path() const { return d->path; }

QString Model::displayName() const
{
    return d->metadata.name.isEmpty() ? QFileInfo(d->path).completeBaseName() : d->metadata.name;
}

const ModelSummary &Model::summary() const { return d->summary; }
const ModelMetadata &Model::metadata() const { return d->metadata; }

} // namespace compresslab
