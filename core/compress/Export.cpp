#include "compress/Export.h"

#include "common/AtomicFile.h"
#include "model/ModelImpl.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QByteArray metadataJson(const ModelMetadata &m)
{
    QJsonArray shape;
    for (qint64 d : m.inputShape)
        shape.push_back(double(d));
    QJsonObject o{{u"schema"_s, 1}, {u"name"_s, m.name}, {u"task"_s, taskName(m.task)}, {u"description"_s, m.description},
                  {u"input"_s, QJsonObject{{u"shape"_s, shape}, {u"dtype"_s, m.inputDtype}, {u"description"_s, m.inputDescription}}}};
    if (!m.labels.isEmpty())
        o.insert(u"labels"_s, QJsonArray::fromStringList(m.labels));
    if (!m.vocabulary.isEmpty())
        o.insert(u"vocabulary"_s, QJsonArray::fromStringList(m.vocabulary));
    if (!m.tokenizer.isEmpty())
        o.insert(u"tokenizer"_s, m.tokenizer);
    if (!m.int8Engine.isEmpty())
        o.insert(u"int8_engine"_s, m.int8Engine);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

void saveTorchScript(const Model &model, const QString &path, const QString &inputPath)
{
    Model::Impl &impl = model.impl();
    torch::jit::ExtraFilesMap extra;
    if (impl.metadata.present || !impl.metadata.name.isEmpty())
        extra["compresslab.json"] = metadataJson(impl.metadata).toStdString();
    writeAtomically(path, [&](const QString &temp) {
        std::lock_guard<std::mutex> lock(impl.runMutex);
        impl.module.save(temp.toStdString(), extra);
    }, {inputPath});
}

} // namespace compresslab
