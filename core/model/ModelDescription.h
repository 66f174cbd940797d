#pragma once
// What the window knows about an open model, as plain data. It is read from the isolated probe's JSON
// (`compresslab-cli inspect --json`), so the window's own process never loads the file: TorchScript
// files are programs (pytorch#77573), and every run of one happens in the model host.
#include "model/ModelMetadata.h"
#include "model/ModelSummary.h"

namespace compresslab {

class Model;

struct ModelDescription {
    QString path;
    ModelSummary summary;
    // metadata.vocabulary stays empty: the JSON carries its size only (vocabularySize below). The tokens
    // matter only to code that runs the model, and that is the host's.
    ModelMetadata metadata;
    int vocabularySize = 0;
    QString displayName() const; // metadata name, else the file's base name (as Model::displayName)
};

// The same description taken from a model loaded in this process (the CLI, tests).
ModelDescription describe(const Model &model);

} // namespace compresslab
