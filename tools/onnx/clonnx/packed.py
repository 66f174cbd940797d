"""Cross-check of the engine's int8 weights against the packed artifact (docs/compression.md). The engine
re-quantizes the dequantized weights (scale max|w|/127), while the artifact's 8-bit symmetric codes use
-128..127 with a signed scale, so the two usually differ by one step in places; this says how much."""
import json

import numpy as np

from .errors import ExportError
from .safetensors_io import read_header, read_tensors


def cross_check(path, layers):
    """{layer path: {"codes_equal": bool, "differing_values": n, "max_scale_relative_difference": x}} (|scale|) for the
    int8 layers the artifact stores as dense 8-bit symmetric per-channel codes; other layers are absent."""
    header, meta, _ = read_header(path)
    if meta.get("format") != "compresslab-packed":
        raise ExportError("%s is not a CompressLab packed artifact (format %r)" % (path, meta.get("format")))
    try:
        described = {entry["path"]: entry for entry in json.loads(meta["layers"])}
    except (KeyError, ValueError, TypeError):
        raise ExportError("%s: the packed artifact's layer descriptions are damaged" % path)
    wanted = {"layer:" + layer.path for layer in layers if layer.path in described}
    blobs, _ = read_tensors(path, wanted)
    result = {}
    for layer in layers:
        entry = described.get(layer.path)
        blob = blobs.get("layer:" + layer.path)
        if entry is None or blob is None or len(entry.get("matrices", [])) != 1:
            continue
        matrix = entry["matrices"][0]
        rows, cols = int(matrix["rows"]), int(matrix["cols"])
        comparable = (matrix.get("kind") == "int" and matrix.get("bits") == 8 and matrix.get("symmetric")
                      and not matrix.get("sparse") and int(matrix.get("group_size", 0)) == cols
                      and (rows, cols) == layer.values.shape and layer.axis == 0)
        if not comparable:
            continue
        lengths = dict((name, int(length)) for name, length in matrix["components"])
        if lengths.get("codes") != rows * cols or lengths.get("scales") != 2 * rows:
            raise ExportError("%s: layer %s has damaged component lengths" % (path, layer.path))
        # Components lie back to back: codes, then fp16 scales. Symmetric codes are stored offset by 2^(b-1).
        codes = (blob[:rows * cols].astype(np.int16) - 128).reshape(rows, cols)
        scales = np.frombuffer(blob[rows * cols:rows * cols + 2 * rows].tobytes(), dtype="<f2").astype(np.float64)
        codes = codes * np.sign(scales)[:, None].astype(np.int16)  # a negative scale flips its row's codes
        differing = int(np.count_nonzero(codes != layer.values))
        relative = np.abs(np.abs(scales) - layer.scales) / np.maximum(np.abs(scales), 1e-30)
        result[layer.path] = {"codes_equal": differing == 0, "differing_values": differing,
                              "max_scale_relative_difference": float(relative.max())}
    return result
