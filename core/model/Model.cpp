#include "model/ModelImpl.h"

#include "common/UserError.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace compresslab {

Model::Model(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
Model::~Model() = default;

std::shared_ptr<Model> Model::load(const QString &path)
{
    precheckModelFile(path);
    auto impl = std::make_unique<Impl>();
    impl->path = QFileInfo(path).absoluteFilePath();
    torch::jit::ExtraFilesMap extra{{"compresslab.json", ""}};
    try {
        impl->module = torch::jit::load(path.toStdString(), torch::kCPU, extra);
    } catch (const std::exception &e) {
        throw UserError(explainLoadFailure(path, e.what()));
    }
    impl->module.eval();
    const std::string &json = extra["compresslab.json"];
    impl->metadata = parseModelMetadata(QByteArray::fromStdString(json));
    const QString name = impl->metadata.name.isEmpty() ? QFileInfo(path).completeBaseName() : impl->metadata.name;
    impl->summary = inspectModule(impl->module, name);
    impl->summary.fileBytes = QFileInfo(path).size();
    return std::shared_ptr<Model>(new Model(std::move(impl)));
}

std::shared_ptr<Model> Model::adopt(std::unique_ptr<Impl> impl)
{
    return std::shared_ptr<Model>(new Model(std::move(impl)));
}

std::shared_ptr<Model> deriveModel(const Model &source, torch::jit::Module module, const QString &name)
{
    auto impl = std::make_unique<Model::Impl>();
    impl->path = source.path();
    impl->module = std::move(module);
    impl->module.eval();
    impl->metadata = source.metadata();
    impl->metadata.name = name;
    impl->summary = inspectModule(impl->module, name); // fileBytes stays 0: not saved yet
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
