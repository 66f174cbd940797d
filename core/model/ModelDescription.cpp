#include "model/ModelDescription.h"

#include "model/Model.h"

#include <QFileInfo>

namespace compresslab {

QString ModelDescription::displayName() const
{
    return metadata.name.isEmpty() ? QFileInfo(path).completeBaseName() : metadata.name;
}

ModelDescription describe(const Model &model)
{
    ModelDescription d{model.path(), model.summary(), model.metadata(), int(model.metadata().vocabulary.size())};
    d.metadata.vocabulary.clear();
    return d;
}

} // namespace compresslab
