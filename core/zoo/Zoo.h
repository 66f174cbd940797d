#pragma once
// The demo models: trained on this machine by tools/zoo/build.py (Debian's python3-torch) and cached
// in the user's cache folder, e.g. ~/.cache/compresslab/zoo/<name>/.
#include <QJsonObject>
#include <QStringList>
#include <functional>

namespace compresslab {

struct ZooEntry {
    QString name;
    QString task;
    QString description;
    QString dir;
    bool built = false;     // the build wrote its `complete` stamp
    QString modelPath;      // model.pt
    QString evalPath;       // eval.safetensors
    QString trainPath;      // train.safetensors (calibration / distillation)
    QJsonObject card;       // card.json: metrics measured when it was built
};

// $COMPRESSLAB_ZOO_DIR, else <generic cache>/compresslab/zoo.
QString zooDirectory();
QStringList zooNames();
QVector<ZooEntry> zooEntries();
ZooEntry zooEntry(const QString &name); // throws UserError for an unknown name
QString zooBuildScript();               // throws UserError when the script cannot be found

// Runs the build script for `names` (all when empty); each output line goes to `onLine`.
// Returns normally on success; throws UserError with the script's last lines on failure.
void buildZoo(const QStringList &names, bool force, const std::function<void(const QString &)> &onLine);

} // namespace compresslab
