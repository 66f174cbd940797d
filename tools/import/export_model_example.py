#!/usr/bin/python3
"""Example: export your own PyTorch model for CompressLab.

CompressLab opens TorchScript files. Metadata in the archive's `compresslab.json` tells it (and the
import helpers next to this file) what the model expects: its task, input shape and dtype, the class
names or the vocabulary. `export_for_compresslab` below does the export, checks the metadata, and
reloads the saved file to check it gives the same output; copy it into your own code.

  # an image classifier trained briefly on a dataset written by images_to_dataset.py
  /usr/bin/python3 export_model_example.py --out model.pt --train pets.safetensors --epochs 20
  # untrained (seeded) models: train yours where the comments say so
  /usr/bin/python3 export_model_example.py --out model.pt --labels cat,dog,bird --size 32
  /usr/bin/python3 export_model_example.py --kind text --out spam.pt --labels ham,spam --vocabulary words.txt
"""
import argparse
import json
import os
import struct
import sys
import tempfile

import numpy as np

import torch
import torch.nn as nn
import torch.nn.functional as F

TASKS = ("classification", "language-modeling")
# Keys of compresslab.json (docs/formats.md); anything else passed in is most likely a typo.
META_KEYS = {"name", "task", "description", "labels", "vocabulary", "tokenizer", "tokenizer_pattern",
             "lowercase", "input_description", "license", "source"}


def export_for_compresslab(model, example_input, path, method="script", **meta):
    """Saves `model` as TorchScript at `path` with a validated `compresslab.json`, then reloads the file
    and checks it gives the same output on `example_input` as the model itself.

    meta: name, task ("classification" or "language-modeling"), description, labels (class names,
    index = class id), vocabulary (tokens, index = token id) and tokenizer ("char" or "word"),
    input_description, license, source. The input shape and dtype come from `example_input`.
    method: "script" (keeps Python control flow) or "trace" (records the ops run on example_input).
    Raises ValueError for metadata that does not fit the model; the file is then not written."""
    unknown = set(meta) - META_KEYS
    if unknown:
        raise ValueError("unknown metadata keys: %s (known: %s)" % (", ".join(sorted(unknown)),
                                                                     ", ".join(sorted(META_KEYS))))
    if meta.get("task") not in TASKS:
        raise ValueError("task must be one of %s, not %r" % (", ".join(TASKS), meta.get("task")))
    model.eval()  # dropout off, batch-norm running statistics: what CompressLab evaluates
    with torch.no_grad():
        reference = model(example_input)
        if method == "script":
            program = torch.jit.script(model)
        elif method == "trace":
            program = torch.jit.trace(model, example_input)
        else:
            raise ValueError("method must be 'script' or 'trace', not %r" % method)

    out_dim = reference.shape[-1]
    if meta["task"] == "classification":
        if reference.dim() != 2:
            raise ValueError("a classifier returns logits [N, classes]; this one returns %s" % list(reference.shape))
        labels = meta.get("labels")
        if labels is not None:
            _check_names(labels, "labels")
            if len(labels) != out_dim:
                raise ValueError("%d labels for %d outputs" % (len(labels), out_dim))
    else:
        if reference.dim() != 3:
            raise ValueError("a language model returns logits [N, T, vocab]; this one returns %s"
                             % list(reference.shape))
        if meta.get("vocabulary") is None:
            raise ValueError("a language model needs its vocabulary (the import helpers tokenise with it)")
    if meta.get("vocabulary") is not None:
        _check_names(meta["vocabulary"], "vocabulary")
        if meta.get("tokenizer") not in ("char", "word"):
            raise ValueError("a vocabulary needs tokenizer 'char' or 'word', not %r" % meta.get("tokenizer"))
        if meta["task"] == "language-modeling" and len(meta["vocabulary"]) != out_dim:
            raise ValueError("vocabulary of %d tokens for %d outputs" % (len(meta["vocabulary"]), out_dim))

    doc = {"schema": 1, "task": meta["task"],
           "input": {"shape": list(example_input.shape),
                     "dtype": str(example_input.dtype).replace("torch.", "")}}
    if "input_description" in meta:
        doc["input"]["description"] = meta["input_description"]
    for key in sorted(META_KEYS - {"task", "input_description"}):
        if meta.get(key) is not None:
            doc[key] = meta[key]

    # Save next to the target, reload and compare before it replaces anything.
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        torch.jit.save(program, tmp, _extra_files={"compresslab.json": json.dumps(doc)})
        extra = {"compresslab.json": ""}
        reloaded = torch.jit.load(tmp, map_location="cpu", _extra_files=extra)
        if json.loads(extra["compresslab.json"]) != doc:
            raise ValueError("the metadata read back differs from what was written")
        with torch.no_grad():
            again = reloaded(example_input)
        if again.shape != reference.shape:
            raise ValueError("the saved model returns %s, the model %s" % (list(again.shape), list(reference.shape)))
        if not torch.allclose(again, reference, rtol=1e-5, atol=1e-6):
            # A traced model replays the ops of one run: a data-dependent branch is frozen.
            raise ValueError("the saved model's output differs from the model's by up to %g; with "
                             "method='trace' try 'script'" % float((again - reference).abs().max()))
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return doc


def _check_names(names, what):
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise ValueError("%s must be a non-empty list of non-empty strings" % what)
    if len(set(names)) != len(names):
        raise ValueError("%s repeats an entry" % what)


# ------------------------------------------------------------------ the user's models (examples)

class SmallCNN(nn.Module):
    """An image classifier as a user might write one: input float32 [N, C, H, W], pixel/255."""

    def __init__(self, channels: int, size: int, classes: int):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc = nn.Linear(16 * (size // 4) * (size // 4), classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(torch.flatten(x, 1))


class BagOfWords(nn.Module):
    """A text classifier: input int64 token ids [N, T], 0 = padding; mean of the word embeddings."""

    def __init__(self, vocab_size: int, classes: int):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, 16, padding_idx=0)
        self.fc = nn.Linear(16, classes)

    def forward(self, ids):
        keep = (ids != 0).unsqueeze(-1).float()
        pooled = (self.emb(ids) * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        return self.fc(pooled)


def load_dataset(path):
    """(inputs, targets, labels) of a CompressLab dataset (safetensors: 8-byte header length, JSON
    header, raw little-endian tensors), as written by the import helpers."""
    dtypes = {"F32": np.float32, "I64": np.int64, "I32": np.int32, "U8": np.uint8}
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name in ("inputs", "targets"):
        h = header[name]
        begin, end = h["data_offsets"]
        arr = np.frombuffer(data[begin:end], dtype=dtypes[h["dtype"]]).reshape(h["shape"])
        tensors[name] = torch.from_numpy(arr.copy())
    labels = json.loads(header.get("__metadata__", {}).get("labels", "null"))
    return tensors["inputs"], tensors["targets"].long(), labels


def train(model, inputs, targets, epochs):
    """A plain training loop, standing in for yours."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    model.train()
    for epoch in range(epochs):
        for idx in torch.randperm(len(targets)).split(32):
            loss = F.cross_entropy(model(inputs[idx]), targets[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    print("trained %d epochs on %d samples, last batch loss %.3f" % (epochs, len(targets), loss.item()))


def fail(message):
    sys.stderr.write("error: %s\n" % message)
    sys.exit(2)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="TorchScript file to write")
    p.add_argument("--kind", choices=["image", "text"], default="image")
    p.add_argument("--labels", default="cat,dog,bird", help="comma-separated class names")
    p.add_argument("--size", type=int, default=16, help="image side (a multiple of 4)")
    p.add_argument("--channels", type=int, choices=[1, 3], default=3)
    p.add_argument("--vocabulary", help="text: file with one word per line (ids 0 and 1 are <pad>, <unk>)")
    p.add_argument("--seq-len", type=int, default=32, help="text: tokens per sample")
    p.add_argument("--train", help="image: train on this dataset (from images_to_dataset.py); its "
                                   "labels, size and channels replace --labels, --size, --channels")
    p.add_argument("--epochs", type=int, default=10, help="with --train")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    labels = [s.strip() for s in args.labels.split(",")]
    torch.manual_seed(args.seed)

    if args.kind == "image":
        data = None
        if args.train:
            try:
                data = load_dataset(args.train)
            except (OSError, ValueError, KeyError) as e:
                fail("cannot read --train %s: %s" % (args.train, e))
            inputs, targets, labels = data
            if inputs.dim() != 4 or inputs.shape[2] != inputs.shape[3] or labels is None:
                fail("--train needs square images [N, C, S, S] with labels, as images_to_dataset.py writes")
            args.channels, args.size = inputs.shape[1], inputs.shape[2]
        if args.size % 4:
            fail("the image side must be a multiple of 4 (two 2x2 poolings), not %d" % args.size)
        model = SmallCNN(args.channels, args.size, len(labels))
        if data is not None:
            train(model, inputs, targets, args.epochs)  # ... or train the model on your data your way
        example = torch.zeros(1, args.channels, args.size, args.size)
        meta = dict(name="small-cnn", task="classification", labels=labels,
                    description="Example CNN classifier exported by export_model_example.py",
                    input_description="%s %dx%d image, pixel/255" % (
                        "grayscale" if args.channels == 1 else "RGB", args.size, args.size))
    else:
        if not args.vocabulary:
            p.error("--kind text needs --vocabulary")
        try:
            with open(args.vocabulary, encoding="utf-8") as f:
                words = [w.strip() for w in f if w.strip()]
        except (OSError, UnicodeDecodeError) as e:
            fail("cannot read --vocabulary %s: %s" % (args.vocabulary, e))
        # The helpers pad with the id of "<pad>" and map unknown words to "<unk>".
        vocab = ["<pad>", "<unk>"] + [w for w in words if w not in ("<pad>", "<unk>")]
        model = BagOfWords(len(vocab), len(labels))
        # ... train the model on your data here ...
        example = torch.zeros(1, args.seq_len, dtype=torch.int64)
        meta = dict(name="bag-of-words", task="classification", labels=labels, vocabulary=vocab,
                    tokenizer="word", tokenizer_pattern=r"[a-z0-9]+|[$!]", lowercase=True,
                    description="Example bag-of-words text classifier exported by export_model_example.py",
                    input_description="word ids (0 = padding, 1 = unknown), %d positions" % args.seq_len)
    try:
        doc = export_for_compresslab(model, example, args.out, **meta)
    except ValueError as e:
        fail(str(e))
    print("wrote %s (%s, input %s %s, %d labels%s)" % (
        args.out, doc["task"], doc["input"]["shape"], doc["input"]["dtype"], len(labels),
        ", vocabulary %d" % len(doc["vocabulary"]) if "vocabulary" in doc else ""))


if __name__ == "__main__":
    main()
