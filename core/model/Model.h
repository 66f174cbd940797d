#pragma once
// A loaded TorchScript model. The Torch module itself stays behind a pimpl so that widgets and the CLI
// see only plain structs; core code that needs the module includes model/ModelImpl.h.
#include "model/ModelMetadata.h"
#include "model/ModelSummary.h"

#include <memory>

namespace compresslab {

class Model {
public:
    // Loads `path` on the CPU. Throws UserError with a one-line reason for anything that is not a
    // loadable TorchScript program (missing, empty, not a ZIP, a torch.save state_dict, truncated...).
    // A model holding NaN/Inf weights is refused, naming the tensors, unless the user accepted them.
    static std::shared_ptr<Model> load(const QString &path);
    // Accepts non-finite weights in `path` for later loads ("" accepts them in every file: --allow-nonfinite).
    static void acceptNonFinite(const QString &path);
    static bool nonFiniteAccepted(const QString &path);
    // Calls of load() so far in this process. The window's tests hold it at zero: the window reads
    // models only through isolated workers (widgets/jobs/ModelProbe.h, host/ModelHostClient.h).
    static int loadsInThisProcess();
    ~Model();

    QString path() const;
    QString displayName() const; // metadata name, else the file's base name
    const ModelSummary &summary() const;
    const ModelMetadata &metadata() const;

    struct Impl;
    Impl &impl() const { return *d; }
    // Core-internal: wraps a module built by core (e.g. a compressed copy) as a Model.
    static std::shared_ptr<Model> adopt(std::unique_ptr<Impl> impl);

private:
    explicit Model(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace compresslab
