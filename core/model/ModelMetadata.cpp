#include "model/ModelMetadata.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QStringList stringList(const QJsonValue &v, const QString &key, QStringList *warnings)
{
    QStringList out;
    if (v.isUndefined())
        return out;
    if (!v.isArray()) {
        warnings->push_back(u"'%1' is not a list; ignored"_s.arg(key));
        return out;
    }
    const QJsonArray a = v.toArray();
    for (const QJsonValue &item : a)
        out.push_back(item.toString());
    return out;
}

} // namespace

ModelMetadata parseModelMetadata(const QByteArray &json)
{
    ModelMetadata m;
    if (json.isEmpty())
        return m;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        m.warnings.push_back(u"compresslab.json is not a JSON object (%1); metadata ignored"_s.arg(error.errorString()));
        return m;
    }
    const QJsonObject o = doc.object();
    m.present = true;
    m.schema = o.value("schema"_L1).toInt(1);
    if (m.schema > 1)
        m.warnings.push_back(u"compresslab.json schema %1 is newer than this app knows (1); read as schema 1"_s.arg(m.schema));
    m.name = o.value("name"_L1).toString();
    m.description = o.value("description"_L1).toString();
    m.task = taskFromName(o.value("task"_L1).toString());
    if (o.contains("task"_L1) && m.task == Task::Unknown)
        m.warnings.push_back(u"unknown task '%1'"_s.arg(o.value("task"_L1).toString()));
    const QJsonObject input = o.value("input"_L1).toObject();
    for (const QJsonValue &d : input.value("shape"_L1).toArray()) {
        const qint64 dim = qint64(d.toDouble(-1));
        if (dim <= 0 || dim > (qint64(1) << 31)) {
            m.warnings.push_back(u"input.shape has an invalid dimension; ignored"_s);
            m.inputShape.clear();
            break;
        }
        m.inputShape.push_back(dim);
    }
    m.inputDtype = input.value("dtype"_L1).toString();
    m.inputDescription = input.value("description"_L1).toString();
    m.labels = stringList(o.value("labels"_L1), u"labels"_s, &m.warnings);
    m.vocabulary = stringList(o.value("vocabulary"_L1), u"vocabulary"_s, &m.warnings);
    m.tokenizer = o.value("tokenizer"_L1).toString();
    m.int8Engine = o.value("int8_engine"_L1).toString();
    return m;
}

} // namespace compresslab
