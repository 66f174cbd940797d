"""fashion-cnn: small CNN classifier on Fashion-MNIST (>= 90% test accuracy)."""
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

import common
import data_fashion

NAME = "fashion-cnn"
SEED = 1234
EPOCHS = 3
BATCH = 128
LR = 2e-3
TRAIN_SUBSET = 20000  # calibration/distillation set stored in train.safetensors


class FashionCNN(nn.Module):
    # conv32 -> pool -> conv64 -> pool -> fc128 -> fc10. Pooling early keeps a
    # 60k-image epoch at ~40 s on 2 cores. BatchNorm makes 3 epochs enough.
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(64)
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        # Input is raw pixel/255; normalise with the training-set mean/std here
        # so callers never need to know the constants.
        x = (x - 0.2860) / 0.3530
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return self.fc2(x)


def train(model, x, y, name):
    n = x.shape[0]
    steps_per_epoch = math.ceil(n / BATCH)
    total = EPOCHS * steps_per_epoch
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    # Cosine decay to 0 over the run: better final accuracy for a fixed budget.
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, total) / total)))
    gen = torch.Generator().manual_seed(SEED)  # deterministic data order
    model.train()
    timer, running = common.Timer(), None
    for epoch in range(EPOCHS):
        perm = torch.randperm(n, generator=gen)
        for step in range(steps_per_epoch):
            idx = perm[step * BATCH:(step + 1) * BATCH]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
            if (step + 1) % 100 == 0 or step + 1 == steps_per_epoch:
                common.log(name, "epoch %d/%d step %d/%d loss %.3f (%.0fs)"
                           % (epoch + 1, EPOCHS, step + 1, steps_per_epoch, running, timer()))


def build(model_dir):
    common.seed_everything(SEED)
    name = NAME
    common.log(name, "loading Fashion-MNIST from %s" % data_fashion.FASHION_DIR)
    xtr_u8, ytr = data_fashion.load("train")
    xte_u8, yte = data_fashion.load("t10k")
    xtr, xte = data_fashion.to_float(xtr_u8), data_fashion.to_float(xte_u8)

    model = FashionCNN()
    timer = common.Timer()
    train(model, xtr, ytr, name)
    train_seconds = timer()

    meta = {"schema": 1, "name": name, "task": "classification",
            "description": "Small CNN (2 conv + 2 fc) classifying 28x28 Fashion-MNIST clothing images into 10 classes.",
            "input": {"shape": [1, 1, 28, 28], "dtype": "float32",
                      "description": "grayscale 28x28 image, pixel/255 in [0,1] (model normalises internally)"},
            "labels": data_fashion.LABELS, "license": data_fashion.LICENSE,
            "source": data_fashion.SOURCE}
    model_path = os.path.join(model_dir, "model.pt")
    common.export_model(model, meta, model_path)

    # eval = full test set; train = fixed 20k subset (first 20k of a seeded permutation).
    sub = torch.randperm(xtr.shape[0], generator=torch.Generator().manual_seed(SEED + 1))[:TRAIN_SUBSET]
    sub, _ = sub.sort()
    sets = {"eval": (xte, yte), "train": (xtr[sub].contiguous(), ytr[sub].contiguous())}
    for split, (xs, ys) in sets.items():
        common.save_safetensors(
            os.path.join(model_dir, "%s.safetensors" % split), [("inputs", xs), ("targets", ys)],
            common.dataset_metadata("%s-%s" % (name, split), split, "classification",
                                    data_fashion.SOURCE))
    return {"meta": meta, "model_path": model_path, "eval": sets["eval"], "batch_size": 64,
            "metric": common.eval_classification, "train_samples": TRAIN_SUBSET,
            "train_seconds": train_seconds, "seed": SEED,
            "architecture": "conv3x3(1->32)+BN+ReLU+maxpool, conv3x3(32->64)+BN+ReLU+maxpool, "
                            "Linear(3136->128)+ReLU, Linear(128->10)",
            "training": "%d epochs over 60k train images, Adam lr %g cosine, batch %d"
                        % (EPOCHS, LR, BATCH)}
