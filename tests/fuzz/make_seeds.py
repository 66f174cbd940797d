#!/usr/bin/python3
"""Writes the fuzz targets' seed corpora, never committed: synthetic seeds built here with the standard
library (so a fresh clone has seeds without PyTorch), plus real files where they exist, cut down to a
few KB so that libFuzzer mutates them quickly:
  - the test fixtures (tests/fixtures/make_fixtures.py output): TorchScript files, datasets, bad inputs;
  - the demo zoo's model.pt and *.safetensors (two samples kept of each dataset, stored entries cut short);
  - resources/devices/builtin.json, whole and profile by profile.

usage: make_seeds.py OUT_DIR [--fixtures DIR] [--zoo DIR] [--devices builtin.json]
OUT_DIR/<target>/ receives the seeds of fuzz_<target> (safetensors, dataset, zip_precheck, device_profile).
"""
import argparse
import hashlib
import json
import os
import random
import struct
import zlib

MAX_SEED_BYTES = 64 * 1024
SHRINK_ABOVE = 16 * 1024  # real files larger than this are cut down first
DTYPE_SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


# ---- safetensors -------------------------------------------------------------------------------------

def safetensors(tensors, metadata=None):
    """tensors: list of (name, dtype, shape, data bytes or None for zeros), laid out in list order."""
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, shape, data in tensors:
        n = DTYPE_SIZES[dtype]
        for d in shape:
            n *= d
        data = bytes(n) if data is None else data
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def synthetic_safetensors():
    ints = lambda values: struct.pack(f"<{len(values)}q", *values)  # noqa: E731
    return {
        "classification": safetensors(
            [("inputs", "F32", [4, 2, 2], struct.pack("<16f", *range(16))), ("targets", "I64", [4], ints([0, 1, 2, 1]))],
            {"name": "synthetic", "task": "classification", "classes": "3"}),
        "language_modeling": safetensors(
            [("inputs", "I64", [2, 3], ints([1, 2, 3, 4, 5, 6])), ("targets", "I64", [2, 3], ints([2, 3, 4, 5, 6, 7])),
             ("mask", "BOOL", [2, 3], b"\x01\x01\x00\x01\x01\x01")],
            {"task": "language-modeling"}),
        "every_dtype": safetensors([(f"t_{d.lower()}", d, [2], None) for d in DTYPE_SIZES]
                                   + [("scalar", "F32", [], None), ("empty", "F16", [0, 3], None)]),
        "u8_targets": safetensors([("inputs", "U8", [2, 4], None), ("targets", "U8", [2], b"\x00\x01")]),
        "empty_header": safetensors([]),
        "metadata_not_object": safetensors([("a", "U8", [1], b"\x07")], "not an object"),
        # Regression seeds, refused since the fix: samples with no values (a 0 past the sample dimension).
        "lm_zero_length": safetensors([("inputs", "I64", [2 ** 53, 0], b""), ("targets", "I64", [2 ** 53, 0], b"")],
                                      {"task": "language-modeling"}),
        "inputs_empty_dim": safetensors([("inputs", "F64", [5, 6, 0, 7], b""), ("targets", "I16", [5], bytes(10))]),
    }


def dtype_datasets():
    """Valid classification sets with inputs of every dtype and targets of every integer dtype."""
    seeds = {}
    for d in DTYPE_SIZES:
        seeds[f"inputs_{d.lower()}"] = safetensors([("inputs", d, [2, 3], None), ("targets", "I64", [2], None)])
    for d in ("I32", "I16", "I8", "U8"):
        seeds[f"targets_{d.lower()}"] = safetensors([("inputs", "F32", [2, 3], None), ("targets", d, [2], None)],
                                                    {"task": "classification"})
    return seeds


def described_datasets(count=8):
    """fuzz_dataset reads an input that starts with 0xFF as a description of a well-formed file (names,
    dtypes, shapes, task, data) rather than as the file: a few such inputs, the same on every run."""
    rng = random.Random(1)
    return {f"described_{i}": b"\xff" + bytes(rng.randrange(256) for _ in range(24 + 8 * i)) for i in range(count)}


def shrink_safetensors(blob, keep=2):
    """The same tensors and metadata with at most `keep` entries along each first dimension."""
    (n,) = struct.unpack_from("<Q", blob)
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", None)
    tensors = []
    for name, e in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, end = e["data_offsets"]
        shape = list(e["shape"])
        if shape and shape[0] > keep:
            row = (end - begin) // shape[0]
            shape[0] = keep
            end = begin + row * keep
        tensors.append((name, e["dtype"], shape, data[begin:end]))
    return safetensors(tensors, metadata)


# ---- ZIP (TorchScript) ---------------------------------------------------------------------------------

def zip_archive(entries, zip64_end=False, zip64_extra=False, comment=b""):
    """entries: list of (name, data, method 0 stored / 8 deflated). zip64_extra moves the sizes and offset of
    every central directory entry into a ZIP64 extra field; zip64_end adds the 64-bit end records."""
    out, central = bytearray(), bytearray()
    for name, data, method in entries:
        name = name.encode()
        stored = data if method == 0 else zlib.compress(data, 9)[2:-4]
        crc = zlib.crc32(data)
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(stored), len(data), len(name), 0)
        out += name + stored
        sizes = (len(stored), len(data), offset)
        extra = b""
        if zip64_extra:
            extra = struct.pack("<HHQQQ", 1, 24, len(data), len(stored), offset)
            sizes = (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45 if zip64_extra else 20, 0, method, 0, 0x21, crc,
                               sizes[0], sizes[1], len(name), len(extra), 0, 0, 0, 0, sizes[2])
        central += name + extra
    cd_offset = len(out)
    out += central
    count = len(entries)
    if zip64_end:
        end64 = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(central), cd_offset)
        out += struct.pack("<IIQI", 0x07064B50, 0, end64, 1)
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, len(comment))
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), cd_offset, len(comment))
    return bytes(out + comment)


def synthetic_zips():
    code = b"class Model(Module):\n  def forward(self, x: Tensor) -> Tensor:\n    return torch.relu(x)\n" * 4
    noise = random.Random(2).randbytes(18000)  # incompressible: deflated entries within any ratio limit
    torchscript = [("model/data.pkl", b"\x80\x02}q\x00.", 0), ("model/code/__torch__.py", code, 8),
                   ("model/code/__torch__.py.debug_pkl", b"\x80\x02)." * 8, 8), ("model/constants.pkl", b"\x80\x02).", 0),
                   ("model/data/0", bytes(range(64)), 0), ("model/version", b"3\n", 0)]
    return {
        "torchscript": zip_archive(torchscript),
        "torchscript_zip64_end": zip_archive(torchscript, zip64_end=True),
        "torchscript_zip64_extra": zip_archive(torchscript, zip64_end=True, zip64_extra=True),
        "torchscript_data_version": zip_archive([e if e[0] != "model/version" else ("model/.data/version", b"3\n", 0)
                                                for e in torchscript]),
        "torchscript_comment": zip_archive(torchscript, comment=b"written by a test"),
        "two_roots": zip_archive(torchscript + [("other/code/x.py", code, 8)]),
        # Accepted under the default limits; fuzz_zip_precheck's tight limits refuse the summed sizes.
        "large_declared": zip_archive(torchscript[:-2] + [("model/version", b"3\n", 0)]
                                      + [(f"model/data/{i}", noise[i * 9000:(i + 1) * 9000], 8) for i in range(2)]),
        "state_dict": zip_archive([("archive/data.pkl", b"\x80\x02}q\x00.", 0), ("archive/data/0", bytes(16), 0),
                                   ("archive/version", b"3\n", 0)]),
    }


def shrink_zip(blob, keep=256):
    """The same entries, names and extra fields (torch.jit.save's alignment padding included) with every
    entry's data cut to `keep` bytes: a TorchScript file's structure in a few KB. None for ZIP64 files."""
    end = blob.rfind(b"PK\x05\x06")
    if end < 0:
        return None
    count, cd_size, cd_offset = struct.unpack_from("<HII", blob, end + 10)
    if count == 0xFFFF or cd_offset == 0xFFFFFFFF or cd_size == 0xFFFFFFFF:
        return None
    out, central, at = bytearray(), bytearray(), cd_offset
    for _ in range(count):
        fields = list(struct.unpack_from("<IHHHHHHIIIHHHHHII", blob, at))
        method, csize, name_len, extra_len, comment_len, local = fields[4], fields[8], fields[10], fields[11], fields[12], fields[16]
        tail = blob[at + 46:at + 46 + name_len + extra_len + comment_len]
        at += 46 + name_len + extra_len + comment_len
        local_fields = list(struct.unpack_from("<IHHHHHIIIHH", blob, local))
        head_len = 30 + local_fields[9] + local_fields[10]
        data = blob[local + head_len:local + head_len + csize]
        plain = data if method == 0 else zlib.decompress(data, -15)
        if len(plain) > keep:
            plain = plain[:keep]
            data = plain if method == 0 else zlib.compress(plain, 9)[2:-4]
        crc = zlib.crc32(plain)
        local_fields[2] &= ~0x8  # no data descriptor: the sizes are in the headers
        local_fields[6:9] = [crc, len(data), len(plain)]
        fields[3] &= ~0x8
        fields[7:10] = [crc, len(data), len(plain)]
        fields[16] = len(out)
        out += struct.pack("<IHHHHHIIIHH", *local_fields) + blob[local + 30:local + head_len] + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", *fields) + tail
    new_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), new_offset, 0)
    return bytes(out)


# ---- device profiles -----------------------------------------------------------------------------------

def device_seeds(builtin):
    seeds = {}
    if builtin:
        with open(builtin, "rb") as f:
            text = f.read()
        seeds["builtin"] = text
        for i, profile in enumerate(json.loads(text).get("devices", [])):
            seeds[f"builtin_{i}"] = json.dumps(profile, indent=1).encode()
    measured = {"name": "This computer", "class": "measured", "memory_bytes": 8e9, "bandwidth_gbs": 20,
                "bandwidth_efficiency": 0.5, "peak_gops": {"fp32": 100, "int8": 200, "fp16": 50, "int4": 400},
                "compute_efficiency": 0.3, "kernels": ["fp32", "int8", "int4"], "power_w": 15, "op_overhead_us": 4,
                "sources": {"memory_bytes": "measured"}, "calibration": {"when": "2024-01-01", "gemm_gflops": 80.5},
                "origin": "measured"}
    seeds["measured"] = json.dumps(measured).encode()
    seeds["user_file"] = json.dumps({"schema": 1, "devices": [measured, {**measured, "name": "copy", "kernels": []}]}).encode()
    seeds["array"] = json.dumps([measured]).encode()
    return seeds


# ---- main ------------------------------------------------------------------------------------------------

def files(folder, suffixes, depth=1):
    if not folder or not os.path.isdir(folder):
        return []
    folder, found = os.path.normpath(folder), []
    for root, dirs, names in os.walk(folder):
        if root[len(folder):].count(os.sep) >= depth - 1:
            dirs[:] = []
        found += [os.path.join(root, n) for n in names if n.endswith(suffixes)]
    return sorted(found)


def read_real(path, shrink):
    if os.path.getsize(path) > 256 * 1024 * 1024:
        return None
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) <= SHRINK_ABOVE:
        return blob
    try:
        return shrink(blob)
    except (ValueError, KeyError, struct.error, zlib.error, json.JSONDecodeError):
        return None


def write(out, target, seeds):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    written = 0
    for name, blob in seeds.items():
        if blob is None or len(blob) > MAX_SEED_BYTES:
            continue
        # Named by content like libFuzzer's own corpus files, so reruns replace rather than duplicate.
        with open(os.path.join(folder, f"seed-{name}-{hashlib.sha1(blob).hexdigest()[:12]}"), "wb") as f:
            f.write(blob)
        written += 1
    print(f"  {target}: {written} seeds")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--fixtures")
    parser.add_argument("--zoo")
    parser.add_argument("--devices")
    args = parser.parse_args()

    tensors = synthetic_safetensors()
    zips = synthetic_zips()
    for path in files(args.fixtures, (".safetensors",)) + files(args.zoo, (".safetensors",), depth=2):
        tensors[os.path.relpath(path, os.path.dirname(os.path.dirname(path))).replace(os.sep, "_")] = \
            read_real(path, shrink_safetensors)
    for path in files(args.fixtures, (".pt",)) + files(args.zoo, (".pt",), depth=2):
        zips[os.path.relpath(path, os.path.dirname(os.path.dirname(path))).replace(os.sep, "_")] = read_real(path, shrink_zip)

    write(args.out, "safetensors", tensors)
    write(args.out, "dataset", {**tensors, **dtype_datasets(), **described_datasets()})
    write(args.out, "zip_precheck", zips)
    write(args.out, "device_profile", device_seeds(args.devices))


if __name__ == "__main__":
    main()
