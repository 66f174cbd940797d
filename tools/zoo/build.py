#!/usr/bin/python3
"""Build the CompressLab demo model zoo.

    /usr/bin/python3 tools/zoo/build.py --out ~/.cache/compresslab/zoo [--only NAME ...] [--force]

Writes OUT/<name>/{model.pt, eval.safetensors, train.safetensors, card.json}
and finally OUT/<name>/complete. A model whose `complete` stamp exists is
skipped unless --force. Downloads are cached in OUT/../downloads.
Needs Debian python3-torch (1.13) + python3-numpy; `compresslab-cli zoo build`
runs this same script.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Torch's OpenMP threads spin after each parallel op and then fight OpenBLAS's
# own pthreads for the 2 cores; passive waiting makes training ~1.5-2x faster.
# Must be set before torch (libgomp) is loaded.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

try:
    import torch  # noqa: E402
    import common  # noqa: E402  (imports numpy)
except ImportError as e:
    sys.exit("error: %s. The zoo needs Debian's python3-torch and python3-numpy: run it with "
             "/usr/bin/python3 (apt-get install python3-torch python3-numpy)" % e)

MODELS = ["fashion-cnn", "brown-gpt", "spam-transformer"]


def run_one(name, model_dir, downloads_dir):
    if name == "fashion-cnn":
        import fashion_cnn
        res = fashion_cnn.build(model_dir)
    elif name == "brown-gpt":
        import brown_gpt
        res = brown_gpt.build(model_dir, downloads_dir)
    else:
        import spam_transformer
        res = spam_transformer.build(model_dir, downloads_dir)

    # Evaluate exactly like the C++ side: reload the saved TorchScript file and
    # read the eval set back from eval.safetensors (also checks both writers).
    model, meta = common.load_exported(res["model_path"])
    assert meta == res["meta"], "compresslab.json round-trip mismatch"
    tensors, st_meta = common.load_safetensors(os.path.join(model_dir, "eval.safetensors"))
    assert torch.equal(tensors["inputs"], res["eval"][0]) and torch.equal(tensors["targets"], res["eval"][1])
    common.log(name, "evaluating reloaded TorchScript model on %d eval samples ..." % tensors["inputs"].shape[0])
    metrics = res["metric"](model, tensors["inputs"], tensors["targets"], res["batch_size"])
    params = common.count_parameters(model)
    common.log(name, "parameters %d, metrics %s" % (params, ", ".join("%s %.4f" % kv for kv in metrics.items())))

    card = common.write_card(
        os.path.join(model_dir, "card.json"), meta, params, metrics, tensors["inputs"].shape[0],
        res["train_samples"], res["seed"], res["train_seconds"],
        extra={"architecture": res["architecture"], "training": res["training"],
               "eval_batch_size": res["batch_size"]})
    common.atomic_write_bytes(os.path.join(model_dir, "complete"), (card["built"] + "\n").encode())
    return card


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="zoo cache dir, e.g. ~/.cache/compresslab/zoo")
    # "extend": both `--only a b` and `--only a --only b` (how the C++ runner calls it) work.
    ap.add_argument("--only", nargs="+", action="extend", choices=MODELS, metavar="NAME",
                    help="build only these models (%s)" % ", ".join(MODELS))
    ap.add_argument("--force", action="store_true", help="rebuild even if already complete")
    args = ap.parse_args()

    torch.set_num_threads(common.THREADS)
    out = os.path.abspath(os.path.expanduser(args.out))
    downloads = os.path.abspath(os.path.join(out, os.pardir, "downloads"))
    names = [m for m in MODELS if not args.only or m in args.only]
    print("CompressLab zoo: building %s into %s (torch %s, %d threads)"
          % (", ".join(names), out, torch.__version__, torch.get_num_threads()), flush=True)

    total = common.Timer()
    summary = []
    for name in names:
        model_dir = os.path.join(out, name)
        stamp = os.path.join(model_dir, "complete")
        if os.path.exists(stamp) and not args.force:
            common.log(name, "already built (%s exists), skipping; use --force to rebuild" % stamp)
            summary.append((name, None, 0.0))
            continue
        os.makedirs(model_dir, exist_ok=True)
        if os.path.exists(stamp):
            os.remove(stamp)  # a rebuild that dies midway must not look complete
        t = common.Timer()
        card = run_one(name, model_dir, downloads)
        summary.append((name, card, t()))
        common.log(name, "done in %.0fs -> %s" % (t(), model_dir))

    print("CompressLab zoo: finished in %.0fs" % total(), flush=True)
    for name, card, secs in summary:
        if card is None:
            print("  %-17s skipped (already built)" % name)
        else:
            m = ", ".join("%s %.3f" % kv for kv in card["metrics"].items())
            print("  %-17s %8d params  %s  (%.0fs)" % (name, card["parameters"], m, secs))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
