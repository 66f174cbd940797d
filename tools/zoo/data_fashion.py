"""Fashion-MNIST from the Debian package `dataset-fashion-mnist` (IDX files)."""
import gzip
import os
import struct
import sys

import numpy as np
import torch

FASHION_DIR = "/usr/share/datasets/fashion-mnist"
LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SOURCE = "https://github.com/zalandoresearch/fashion-mnist (Debian package dataset-fashion-mnist)"
LICENSE = "MIT (Fashion-MNIST, Zalando SE)"


def _read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    assert zero == 0 and dtype == 0x08, "unexpected IDX header in %s" % path
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split):
    """split 'train' or 't10k' -> (uint8 images [N,28,28] tensor, int64 labels [N])."""
    img = os.path.join(FASHION_DIR, "%s-images-idx3-ubyte.gz" % split)
    lab = os.path.join(FASHION_DIR, "%s-labels-idx1-ubyte.gz" % split)
    if not (os.path.exists(img) and os.path.exists(lab)):
        sys.exit("error: Fashion-MNIST not found in %s.\n"
                 "Install it with:  sudo apt-get install dataset-fashion-mnist" % FASHION_DIR)
    x = torch.from_numpy(_read_idx(img).copy())
    y = torch.from_numpy(_read_idx(lab).astype(np.int64))
    return x, y


def to_float(x_uint8):
    # Model input convention: float32 [N,1,28,28], pixel/255 in [0,1].
    return (x_uint8.float() / 255.0).unsqueeze(1).contiguous()
