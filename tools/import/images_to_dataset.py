#!/usr/bin/python3
"""Image folders -> CompressLab classification dataset.

  FOLDER/<class name>/*.png|jpg|bmp|pgm|...  ->  inputs F32 [N,C,H,W], targets I64 [N]

Class ids follow the sorted folder names, or the model's `labels` with --model (whose `input.shape`
also gives the size and channels). See docs/import.md.
"""
import argparse
import os

import numpy as np
from PIL import Image, ImageOps

import import_common as ic

EXTENSIONS = {".png", ".jpg", ".jpeg", ".bmp", ".pgm", ".ppm", ".pbm", ".pnm", ".gif", ".tif", ".tiff",
              ".webp"}


def parse_args(argv):
    p = ic.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", help="folder with one sub-folder of images per class")
    ic.add_output_arguments(p)
    p.add_argument("--model", help="take the class order from this model's labels and the size and "
                                   "channels from its input.shape")
    p.add_argument("--size", type=ic.parse_size, help="resize to HxW (e.g. 28 or 32x24); needed when "
                                                      "images differ in size and no --model gives it")
    p.add_argument("--fit", choices=["stretch", "crop", "pad"], default="stretch",
                   help="how to reach --size: stretch (default), centre crop to the aspect ratio, or pad "
                        "with black")
    colour = p.add_mutually_exclusive_group()
    colour.add_argument("--grayscale", action="store_true", help="1 channel (default without --model: "
                                                                 "grayscale when every image is)")
    colour.add_argument("--rgb", action="store_true", help="3 channels")
    p.add_argument("--raw-pixels", action="store_true", help="keep pixel values 0..255 (default: pixel/255)")
    p.add_argument("--mean", type=float, nargs="+", help="subtract per channel after scaling (1 or C values)")
    p.add_argument("--std", type=float, nargs="+", help="divide per channel after --mean (1 or C values)")
    p.add_argument("--flatten", action="store_true", help="inputs [N, C*H*W] for models that take vectors")
    p.add_argument("--map", action="append", metavar="FOLDER=LABEL",
                   help="match a folder to a label of --model whose name cannot be a folder name")
    p.add_argument("--strict", action="store_true", help="refuse unreadable images instead of skipping them")
    return p.parse_args(argv)


def find_images(root):
    """[(class name, [image paths])] in sorted folder order; other files are counted, not read."""
    if not os.path.isdir(root):
        raise ic.InputError("%s is not a folder" % root)
    classes, loose, other = [], 0, 0
    for entry in sorted(os.listdir(root)):
        path = os.path.join(root, entry)
        if entry.startswith("."):
            continue
        if not os.path.isdir(path):
            loose += 1  # files next to the class folders belong to no class
            continue
        files = []
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for f in sorted(filenames):
                if f.startswith("."):
                    continue
                if os.path.splitext(f)[1].lower() in EXTENSIONS:
                    files.append(os.path.join(dirpath, f))
                else:
                    other += 1
        classes.append((entry, files))
    if not classes:
        raise ic.InputError("%s has no class sub-folders (expected FOLDER/<class>/<images>)" % root)
    if not any(files for _, files in classes):
        raise ic.InputError("the class folders of %s hold no images (%s)"
                            % (root, ", ".join(sorted(EXTENSIONS))))
    for name, files in classes:
        if not files:
            ic.warn("class folder '%s' holds no images" % name)
    if loose:
        ic.warn("ignored %d files outside the class folders of %s" % (loose, root))
    if other:
        ic.warn("ignored %d files in class folders whose extension is not an image's" % other)
    return classes


def open_image(path):
    """Decoded, EXIF-rotated PIL image; 16-bit grayscale becomes 8-bit (value/257)."""
    img = Image.open(path)
    img.load()
    img = ImageOps.exif_transpose(img)  # phone photos store their rotation in EXIF
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.float64)
        # 16-bit PGM/PNG: full range is 0..65535; PIL's convert("L") would clip instead of scale.
        img = Image.fromarray(np.clip(np.rint(arr / 257.0), 0, 255).astype(np.uint8), mode="L")
    return img


def is_grayscale(img):
    if img.mode in ("1", "L", "LA", "I", "F"):
        return True
    rgb = np.asarray(img.convert("RGB"))
    # Content, not mode: grayscale pictures are often saved as RGB (or as palette images).
    return bool((rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all())


def resize(img, size, fit):
    h, w = size
    if img.size == (w, h):
        return img
    if fit == "crop":
        return ImageOps.fit(img, (w, h), method=Image.BILINEAR)
    if fit == "pad":
        return ImageOps.pad(img, (w, h), method=Image.BILINEAR, color=0)
    return img.resize((w, h), Image.BILINEAR)


def image_array(img, channels, size, fit):
    """uint8 [C,H,W]."""
    img = img.convert("L" if channels == 1 else "RGB")
    if size is not None:
        img = resize(img, size, fit)
    arr = np.asarray(img, dtype=np.uint8)
    return arr[None, :, :] if channels == 1 else arr.transpose(2, 0, 1)


def image_layout(args, meta, model_path):
    """(channels, size, flatten) from the model's input.shape; explicit options must agree with it."""
    shape = ic.model_input_shape(meta, model_path)
    channels = 1 if args.grayscale else 3 if args.rgb else None
    size, flatten = args.size, args.flatten
    if shape is not None and len(shape) == 4:
        if channels is not None and channels != shape[1]:
            raise ic.InputError("--%s conflicts with the input shape %s of %s"
                                % ("grayscale" if args.grayscale else "rgb", shape, model_path))
        if size is not None and tuple(size) != (shape[2], shape[3]):
            raise ic.InputError("--size %dx%d conflicts with the input shape %s of %s"
                                % (size[0], size[1], shape, model_path))
        if shape[1] not in (1, 3):
            raise ic.InputError("%s takes %d channels; images give 1 (grayscale) or 3 (RGB)"
                                % (model_path, shape[1]))
        if flatten:
            raise ic.InputError("--flatten conflicts with the input shape %s of %s" % (shape, model_path))
        return shape[1], (shape[2], shape[3]), False
    if shape is not None and len(shape) == 2:
        # A vector model: the image layout cannot be read from [1, F]; it must come from the options.
        if size is None or channels is None:
            raise ic.InputError("%s takes vectors %s; pass --size and --grayscale or --rgb whose "
                                "C*H*W is %d" % (model_path, shape, shape[1]))
        if channels * size[0] * size[1] != shape[1]:
            raise ic.InputError("%d x %d x %d pixels do not make the %d values %s takes"
                                % (channels, size[0], size[1], shape[1], model_path))
        return channels, size, True
    if shape is not None:
        raise ic.InputError("%s has input shape %s, neither [1,C,H,W] nor [1,F]" % (model_path, shape))
    return channels, size, flatten


def normalisation(values, channels, option):
    """--mean/--std as a [C,1,1] array, or None."""
    if values is None:
        return None
    if len(values) not in (1, channels):
        raise ic.InputError("--%s takes 1 or %d values, not %d" % (option, channels, len(values)))
    if option == "std" and any(v == 0 for v in values):
        raise ic.InputError("--std values must not be 0")
    return np.array(values if len(values) == channels else values * channels,
                    dtype=np.float32).reshape(channels, 1, 1)


def read_images(classes, ids, strict):
    """Yields (path, class id, PIL image) for each readable image; returns the skipped ones via the list."""
    skipped = []

    def gen():
        for name, files in classes:
            for path in files:
                try:
                    img = open_image(path)
                except Exception as e:  # PIL raises many types for damaged files; all mean "unreadable"
                    if strict:
                        raise ic.InputError("cannot read image %s: %s (leave out --strict to skip such "
                                            "files)" % (path, e))
                    skipped.append((path, str(e).splitlines()[0] if str(e) else type(e).__name__))
                    continue
                yield path, ids[name], img
    return gen(), skipped


def infer_layout(classes, ids, strict, channels, size):
    """Fills in channels (1 only when every image is grayscale) and size (all images must agree)
    with a first decoding pass; only run when neither --model nor the options give them."""
    images, _ = read_images(classes, ids, strict)
    gray, sizes = True, {}
    for path, _, img in images:
        if channels is None and gray:
            gray = is_grayscale(img)
        sizes.setdefault((img.size[1], img.size[0]), path)
        if size is not None and not gray:
            break
    if channels is None:
        channels = 1 if gray else 3
    if size is None:
        if len(sizes) > 1:
            (s1, p1), (s2, p2) = list(sizes.items())[:2]
            raise ic.InputError("images differ in size (%s is %dx%d, %s is %dx%d); pass --size HxW"
                                % (p1, s1[0], s1[1], p2, s2[0], s2[1]))
        if sizes:
            size = next(iter(sizes))
    return channels, size


def main(argv=None):
    args = parse_args(argv)
    label_map = ic.parse_label_map(args.map)
    classes = find_images(args.folder)
    ic.check_output_path(args.out, [args.model])

    if args.model:
        meta = ic.read_model_metadata(args.model)
        labels = ic.model_labels(meta, args.model)
        if labels is None:
            raise ic.InputError("%s has no 'labels' in its compresslab.json, so the class order is unknown; "
                                "leave out --model to use sorted folder names" % args.model)
        ids = ic.match_class_names([n for n, _ in classes], labels, label_map, "class folder", args.model)
        channels, size, flatten = image_layout(args, meta, args.model)
    else:
        if label_map:
            raise ic.InputError("--map needs --model (it maps folders to the model's labels)")
        labels = [n for n, _ in classes]
        ids = {n: i for i, n in enumerate(labels)}
        channels = 1 if args.grayscale else 3 if args.rgb else None
        size, flatten = args.size, args.flatten
    if channels is None or size is None:
        channels, size = infer_layout(classes, ids, args.strict, channels, size)
    mean = normalisation(args.mean, channels, "mean")
    std = normalisation(args.std, channels, "std")

    # Converted to the target size as uint8 while decoding: memory stays at the dataset's size.
    pixels, targets = [], []
    images, skipped = read_images(classes, ids, args.strict)
    for _, target, img in images:
        pixels.append(image_array(img, channels, size, args.fit))
        targets.append(target)
    if skipped:
        ic.warn("skipped %d unreadable images (first: %s: %s)" % (len(skipped), skipped[0][0], skipped[0][1]))
    if not pixels:
        raise ic.InputError("no readable images in %s" % args.folder)

    inputs = np.stack(pixels).astype(np.float32)
    targets = np.array(targets, dtype=np.int64)
    if not args.raw_pixels:
        inputs /= np.float32(255.0)
    if mean is not None:
        inputs -= mean
    if std is not None:
        inputs /= std
    if flatten:
        inputs = inputs.reshape(len(targets), -1)

    scaling = "pixel" if args.raw_pixels else "pixel/255"
    if mean is not None or std is not None:
        scaling += ", (x - mean %s) / std %s" % (args.mean or [0], args.std or [1])
    preprocessing = "%s %dx%d (%s), %s%s" % ("grayscale" if channels == 1 else "RGB", size[0], size[1],
                                              args.fit, scaling, ", flattened" if flatten else "")
    meta = ic.dataset_metadata(args.name or ic.default_name(args.out), "classification",
                               "images from %s" % os.path.abspath(args.folder), args.split,
                               labels=labels, preprocessing=preprocessing, skipped_images=str(len(skipped)))
    ic.write_dataset(args.out, [("inputs", inputs), ("targets", targets)], meta)
    print("wrote %s: %d images, inputs %s F32 (%s), %d classes (%s)%s"
          % (args.out, len(targets), list(inputs.shape), preprocessing, len(labels),
             ic.class_summary(labels, targets), ", %d skipped" % len(skipped) if skipped else ""))


if __name__ == "__main__":
    ic.run_main(main)
