"""Shared code of the dataset import helpers: safetensors writer, model-metadata reader, atomic
writes, the output-path checks and the command-line wrapper.

numpy only (no torch): reading a model's `compresslab.json` is a ZIP read, so the helpers start fast
and never run the model's code. tools/zoo/common.py's writer needs torch tensors, hence this one.
"""
import argparse
import json
import os
import re
import struct
import sys
import tempfile
import zipfile

import numpy as np

# numpy dtype -> safetensors dtype name (the ones a dataset needs).
_ST_DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.int64): "I64", np.dtype(np.uint8): "U8",
              np.dtype(np.int32): "I32", np.dtype(np.float16): "F16", np.dtype(np.bool_): "BOOL"}
# The JSON entry is tiny (an 8,000-word vocabulary is ~100 kB); a bigger one is a damaged or hostile file.
_METADATA_LIMIT = 16 * 1024 * 1024
_METADATA_ENTRY = re.compile(r"^[^/]+/extra/compresslab\.json$")


class InputError(Exception):
    """Bad input or options: printed as one line, exit code 2."""


# ---------------------------------------------------------------- command line

class ArgumentParser(argparse.ArgumentParser):
    # Usage errors exit 1, like compresslab-cli (argparse's default is 2, which the CLI uses for bad input).
    def error(self, message):
        self.print_usage(sys.stderr)
        sys.stderr.write("%s: error: %s\n" % (self.prog, message))
        sys.exit(1)


def run_main(main):
    """Runs main(); InputError -> 'error: ...' on stderr and exit 2, Ctrl-C -> exit 130, no traceback."""
    try:
        main()
    except InputError as e:
        sys.stderr.write("error: %s\n" % e)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted; nothing was written\n")
        sys.exit(130)


def warn(message):
    sys.stderr.write("warning: %s\n" % message)


def parse_size(text):
    """'28' -> (28, 28); '32x24' -> (H=32, W=24)."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:[xX]\s*(\d+))?\s*", text)
    if not m or int(m.group(1)) == 0 or (m.group(2) is not None and int(m.group(2)) == 0):
        raise argparse.ArgumentTypeError("'%s' is not a size like 28 or 32x24 (height x width)" % text)
    h = int(m.group(1))
    return h, int(m.group(2)) if m.group(2) is not None else h


def parse_label_map(items):
    """['folder=label', ...] -> dict; for class folders whose names cannot be the label (e.g. 'T-shirt/top')."""
    out = {}
    for item in items or []:
        folder, sep, label = item.partition("=")
        if not sep or not folder or not label:
            raise InputError("--map '%s' is not FOLDER=LABEL" % item)
        out[folder] = label
    return out


# ---------------------------------------------------------------- model metadata

def read_model_metadata(path):
    """The `compresslab.json` of a TorchScript archive as a dict, read from the ZIP entry
    `<archive>/extra/compresslab.json` (the model's code is never run). InputError when absent or bad."""
    if not os.path.isfile(path):
        raise InputError("model %s does not exist" % path)
    try:
        with zipfile.ZipFile(path) as z:
            entries = [i for i in z.infolist() if _METADATA_ENTRY.match(i.filename)]
            if not entries:
                raise InputError("%s has no compresslab.json metadata (see docs/formats.md; "
                                 "tools/import/export_model_example.py shows how to add it)" % path)
            if entries[0].file_size > _METADATA_LIMIT:
                raise InputError("%s: compresslab.json is %d bytes, more than the %d a metadata file may have"
                                 % (path, entries[0].file_size, _METADATA_LIMIT))
            with z.open(entries[0]) as f:
                raw = f.read(_METADATA_LIMIT + 1)  # bounded even if the stored size lies
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as e:
        raise InputError("%s is not a readable TorchScript archive (%s)" % (path, e))
    if len(raw) > _METADATA_LIMIT:
        raise InputError("%s: compresslab.json is larger than %d bytes" % (path, _METADATA_LIMIT))
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise InputError("%s: compresslab.json is not valid JSON (%s)" % (path, e))
    if not isinstance(meta, dict):
        raise InputError("%s: compresslab.json is not a JSON object" % path)
    return meta


def model_labels(meta, path):
    """The `labels` list, or None when the metadata has none."""
    labels = meta.get("labels")
    if labels is None:
        return None
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise InputError("%s: 'labels' in compresslab.json is not a non-empty list of strings" % path)
    if len(set(labels)) != len(labels):
        raise InputError("%s: 'labels' in compresslab.json repeats a name" % path)
    return labels


def model_input_shape(meta, path):
    """`input.shape` as a list of ints, or None."""
    inp = meta.get("input")
    shape = inp.get("shape") if isinstance(inp, dict) else None
    if shape is None:
        return None
    if (not isinstance(shape, list) or not shape
            or not all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in shape)):
        raise InputError("%s: 'input.shape' in compresslab.json is not a list of positive integers" % path)
    return shape


def match_class_names(names, labels, label_map, what, model_path):
    """Maps each class name found in the data (a folder name or a CSV value) to its label id.
    A name matches a label exactly, through --map, or with '/' written as '_' (folder names cannot hold '/')."""
    index = {lab: i for i, lab in enumerate(labels)}
    by_folder_form = {}
    for i, lab in enumerate(labels):
        by_folder_form.setdefault(lab.replace("/", "_"), i)
    ids = {}
    for name in names:
        target = label_map.get(name, name)
        if target in index:
            ids[name] = index[target]
        elif target in by_folder_form:
            ids[name] = by_folder_form[target]
        else:
            raise InputError("%s '%s' is not among the labels of %s: %s (rename it, or pass --map '%s=LABEL')"
                             % (what, name, model_path, ", ".join(labels), name))
    return ids


def class_ids(values, labels, label_map, model_path, what):
    """(ids, labels) for the class values of the samples (CSV cells) in order. Values that are all
    non-negative integers are ids; names map to the model's labels, or to sorted names without a model."""
    distinct = sorted(set(values))
    integers = all(re.fullmatch(r"[0-9]+", v) for v in distinct)
    if labels is not None:
        mapped = [label_map.get(v, v) for v in distinct]
        if integers and not any(m in labels for m in mapped):
            if int(max(distinct, key=int)) >= len(labels):
                raise InputError("%s %s is out of range: %s has %d labels"
                                 % (what, max(distinct, key=int), model_path, len(labels)))
            return [int(v) for v in values], labels
        ids = match_class_names(distinct, labels, label_map, what, model_path)
        return [ids[v] for v in values], labels
    if label_map:
        raise InputError("--map needs --model (it maps class names to the model's labels)")
    if integers:
        # Class ids already: keep them (sorting "10" before "2" as names would reorder classes).
        return [int(v) for v in values], [str(i) for i in range(int(max(distinct, key=int)) + 1)]
    index = {v: i for i, v in enumerate(distinct)}
    return [index[v] for v in values], distinct


# ---------------------------------------------------------------- output

def check_output_path(out, inputs):
    """Refuses an output that is a folder, lies in a missing folder, or is one of the input files."""
    if os.path.isdir(out):
        raise InputError("output %s is a folder; give a file name such as data.safetensors" % out)
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise InputError("output folder %s does not exist" % folder)
    real_out = os.path.realpath(out)
    for p in inputs:
        if p and os.path.exists(p) and os.path.realpath(p) == real_out:
            raise InputError("output %s is an input file; it would be overwritten" % out)


def atomic_write(path, chunks):
    """Writes the byte chunks to a temp file in the same folder, fsyncs, then renames over `path`:
    readers see the old file or the complete new one, and a failure leaves nothing behind."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def safetensors_bytes(tensors, metadata):
    """tensors: list of (name, numpy array), laid out in list order. Yields the file's byte chunks."""
    header = {"__metadata__": {str(k): str(v) for k, v in metadata.items()}}
    arrays, offset = [], 0
    for name, arr in tensors:
        arr = np.ascontiguousarray(arr)
        if arr.dtype not in _ST_DTYPES:
            raise ValueError("no safetensors dtype for %s" % arr.dtype)
        arr = arr.astype(arr.dtype.newbyteorder("<"), copy=False)  # safetensors is little-endian
        header[name] = {"dtype": _ST_DTYPES[arr.dtype], "shape": list(arr.shape),
                        "data_offsets": [offset, offset + arr.nbytes]}
        offset += arr.nbytes
        arrays.append(arr)
    hdr = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    hdr += b" " * ((8 - len(hdr) % 8) % 8)  # the tensor buffer starts 8-byte aligned
    yield struct.pack("<Q", len(hdr))
    yield hdr
    for arr in arrays:
        yield arr.tobytes()


def dataset_metadata(name, task, source, split="eval", **extra):
    meta = {"format": "compresslab-dataset", "version": "1", "task": task, "name": name,
            "split": split, "source": source}
    for k, v in extra.items():
        meta[k] = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
    return meta


def write_dataset(path, tensors, metadata):
    atomic_write(path, safetensors_bytes(tensors, metadata))


def default_name(out):
    base = os.path.basename(out)
    return base[:-len(".safetensors")] if base.endswith(".safetensors") else os.path.splitext(base)[0]


def add_output_arguments(parser):
    parser.add_argument("--out", "-o", required=True, help="dataset file to write (.safetensors)")
    parser.add_argument("--name", help="dataset name stored in its metadata (default: the output file name)")
    parser.add_argument("--split", default="eval", help="split stored in the metadata: eval (default), train, ...")


def class_summary(labels, targets):
    counts = np.bincount(targets, minlength=len(labels)) if len(targets) else np.zeros(len(labels), int)
    return ", ".join("%s %d" % (lab, c) for lab, c in zip(labels, counts))
