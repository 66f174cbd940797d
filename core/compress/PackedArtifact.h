#pragma once
// The packed artifact: a safetensors file with one U8 blob per compressed layer (bit-packed codes,
// fp16 scales, packed zero-points, sparse indices, codebooks: exactly what the size accounting counts)
// and one blob with every other tensor in fp32. The layout is in docs/compression.md. Together with the
// base TorchScript model (whose SHA-256 it records) it restores the dequantized model bit-exactly.
#include <QString>
#include <memory>

namespace compresslab {

class Model;
struct CompressionResult;

struct PackedFileInfo {
    qint64 fileBytes = 0;
    qint64 dataBytes = 0;   // the blobs, i.e. everything but the safetensors header
    qint64 headerBytes = 0;
};

// Writes atomically; refuses to write over `inputPath`.
PackedFileInfo writePackedArtifact(const CompressionResult &result, const QString &path, const QString &inputPath);

// Rebuilds the dequantized model from `base` (the uncompressed model the artifact was made from) and the
// artifact. Throws UserError when the artifact is malformed or was made from another model.
std::shared_ptr<Model> restoreFromPackedArtifact(const Model &base, const QString &path);

} // namespace compresslab
