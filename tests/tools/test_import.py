"""Tests of the dataset import helpers in tools/import/ and of the model-export example.

Builds tiny image folders, CSV tables and texts in a temp folder, runs the helpers as a user would,
and checks what compresslab-cli measures on the result against PyTorch computed here from the same
files; the text tokenisation against the zoo's own functions (imported, not copied); and that every
bad input gives its one-line message, a non-zero exit and no file.

  COMPRESSLAB_CLI=build/bin/compresslab-cli /usr/bin/python3 tests/tools/test_import.py
"""
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMPORT_DIR = os.path.join(REPO, "tools", "import")
sys.path[:0] = [IMPORT_DIR, os.path.join(REPO, "tools", "zoo")]

import brown_gpt  # noqa: E402  (the zoo's tokenisers: the helpers must match them exactly)
import common as zoo_common  # noqa: E402
import data_spam  # noqa: E402
import export_model_example  # noqa: E402
import text_to_dataset  # noqa: E402

CLI = os.environ.get("COMPRESSLAB_CLI", os.path.join(REPO, "build", "bin", "compresslab-cli"))
PYTHON = "/usr/bin/python3"

BROWN_LIKE = [
    "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election "
    "produced \"no evidence\" that any irregularities took place.\n",
    "The jury further said in term-end presentments that the City Executive Committee, which had "
    "over-all charge of the election, deserves the praise and thanks of the City of Atlanta.\n",
    "It urged that the city \"take steps to remedy\" this problem; costs ran to $3,500 (est.)!\n",
]


def run(script, *args):
    return subprocess.run([PYTHON, os.path.join(IMPORT_DIR, script)] + [str(a) for a in args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)


def cli_eval(model, data):
    r = subprocess.run([CLI, "eval", model, "--data", data, "--json"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=120,
                       env=dict(os.environ, OMP_WAIT_POLICY="PASSIVE"))
    if r.returncode != 0:
        raise AssertionError("compresslab-cli eval failed: %s" % r.stderr)
    return json.loads(r.stdout)


def image_tensor(path, channels, size):
    """The model input for one image file, written here independently of the helper."""
    img = Image.open(path).convert("RGB" if channels == 3 else "L")
    img = img.resize((size, size), Image.BILINEAR)
    arr = np.asarray(img, dtype=np.float32) / 255.0
    arr = arr.transpose(2, 0, 1) if channels == 3 else arr[None]
    return torch.from_numpy(np.ascontiguousarray(arr))


class CharLM(nn.Module):
    """A tiny language model with a character vocabulary: logits [N, T, V]."""

    def __init__(self, vocab: int):
        super().__init__()
        self.emb = nn.Embedding(vocab, 8)
        self.head = nn.Linear(8, vocab)

    def forward(self, ids):
        return self.head(torch.tanh(self.emb(ids)))


class ImportHelpersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="import-test-")
        cls.tmp = cls._tmp.name
        torch.manual_seed(0)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def assert_ok(self, r):
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("Traceback", r.stderr)

    # ------------------------------------------------------------ (a) images, through the CLI

    def test_images_eval_matches_torch(self):
        # A user's workflow: images -> training set -> the example trains and exports a model.
        size, rng = 12, np.random.RandomState(1)
        train_root = self.path("train_images")
        for c, name in enumerate(["red", "green", "blue"]):
            os.makedirs(os.path.join(train_root, name))
            for i in range(20):
                pix = rng.randint(0, 120, (17, 15, 3))
                pix[..., c] += 120  # the class is the dominant channel
                Image.fromarray(pix.astype(np.uint8)).save(os.path.join(train_root, name, "%d.png" % i))
        train_set = self.path("train.safetensors")
        self.assert_ok(run("images_to_dataset.py", train_root, "--size", str(size), "--out", train_set))
        model_path = self.path("image_model.pt")
        self.assert_ok(run("export_model_example.py", "--out", model_path, "--train", train_set, "--epochs", "15"))
        model = torch.jit.load(model_path)
        model.eval()
        labels = ["blue", "green", "red"]  # sorted folder names, kept in the model's metadata

        # Random images at another size (so resizing is exercised) in lossless and lossy formats.
        staging = self.path("staging")
        os.makedirs(staging)
        files = []
        for i in range(60):
            base = rng.randint(0, 256, 3)
            pix = np.clip(base + rng.randint(-60, 60, (17, 15, 3)), 0, 255).astype(np.uint8)
            ext = [".png", ".bmp", ".jpg", ".pgm"][i % 4]
            img = Image.fromarray(pix).convert("L") if ext == ".pgm" else Image.fromarray(pix)
            files.append(os.path.join(staging, "%02d%s" % (i, ext)))
            img.save(files[-1])
        with torch.no_grad():
            preds = [int(model(image_tensor(f, 3, size)[None]).argmax(-1)) for f in files]
        self.assertEqual(len(set(preds)), 3, "the test needs predictions in every class")

        # Two of three images go to the folder of their predicted class, the rest to another: the
        # accuracy is known by construction and a wrong class order or preprocessing changes it.
        root = self.path("images")
        truth = []
        for i, (f, p) in enumerate(zip(files, preds)):
            cls = p if i % 3 else (p + 1) % 3
            os.makedirs(os.path.join(root, labels[cls]), exist_ok=True)
            os.replace(f, os.path.join(root, labels[cls], os.path.basename(f)))
            truth.append(cls)
        with open(os.path.join(root, "blue", "broken.png"), "wb") as f:
            f.write(b"\x89PNG not really")
        expected = 100.0 * sum(p == t for p, t in zip(preds, truth)) / len(files)

        out = self.path("images.safetensors")
        r = run("images_to_dataset.py", root, "--model", model_path, "--out", out)
        self.assert_ok(r)
        self.assertIn("skipped 1 unreadable images", r.stderr)

        # PyTorch on the files in the folders, read here.
        x, y = [], []
        for cls, name in enumerate(labels):
            for f in sorted(os.listdir(os.path.join(root, name))):
                if f != "broken.png":
                    x.append(image_tensor(os.path.join(root, name, f), 3, size))
                    y.append(cls)
        x, y = torch.stack(x), torch.tensor(y)
        with torch.no_grad():
            torch_accuracy = 100.0 * float((model(x).argmax(-1) == y).sum()) / len(y)
        self.assertAlmostEqual(torch_accuracy, expected, places=9)

        data, meta = zoo_common.load_safetensors(out)
        self.assertEqual(list(data["inputs"].shape), [60, 3, size, size])
        self.assertTrue(torch.allclose(data["inputs"], x, atol=1e-7), "pixels differ from PIL + /255")
        self.assertTrue(torch.equal(data["targets"], y))
        self.assertEqual(json.loads(meta["labels"]), labels)
        self.assertIn(root, meta["source"])

        measured = cli_eval(model_path, out)
        self.assertEqual(measured["samples"], 60)
        self.assertAlmostEqual(measured["metrics"]["accuracy"], torch_accuracy, places=9)

        # --strict refuses the broken file and writes nothing.
        strict_out = self.path("strict.safetensors")
        r = run("images_to_dataset.py", root, "--model", model_path, "--out", strict_out, "--strict")
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot read image", r.stderr)
        self.assertFalse(os.path.exists(strict_out))

    def test_images_without_model(self):
        root = self.path("plain_images")
        for cls, value in (("b_dark", 10), ("a_light", 240)):
            os.makedirs(os.path.join(root, cls))
            for i in range(2):
                Image.fromarray(np.full((5, 7), value + i, np.uint8)).save(os.path.join(root, cls, "%d.png" % i))
        out = self.path("plain.safetensors")
        self.assert_ok(run("images_to_dataset.py", root, "--out", out, "--mean", "0.5", "--std", "0.25"))
        data, meta = zoo_common.load_safetensors(out)
        self.assertEqual(list(data["inputs"].shape), [4, 1, 5, 7])  # all grayscale: one channel
        self.assertEqual(json.loads(meta["labels"]), ["a_light", "b_dark"])  # sorted folder names
        self.assertEqual(data["targets"].tolist(), [0, 0, 1, 1])
        self.assertAlmostEqual(float(data["inputs"][2, 0, 0, 0]), (10 / 255 - 0.5) / 0.25, places=6)

    def test_folder_names_match_labels(self):
        # '/' cannot be in a folder name: 'T-shirt_top' is 'T-shirt/top'; --map names any other folder.
        labels = ["Trouser", "T-shirt/top", "Bag"]
        model_path = self.path("fashion_like.pt")
        export_model_example.export_for_compresslab(nn.Sequential(nn.Flatten(), nn.Linear(4, 3)),
                                                    torch.zeros(1, 1, 2, 2), model_path,
                                                    task="classification", labels=labels)
        root = self.path("fashion_like")
        for folder in ("bags", "T-shirt_top"):
            os.makedirs(os.path.join(root, folder))
            Image.fromarray(np.zeros((2, 2), np.uint8)).save(os.path.join(root, folder, "0.png"))
        out = self.path("fashion_like.safetensors")
        r = run("images_to_dataset.py", root, "--model", model_path, "--out", out)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--map 'bags=LABEL'", r.stderr)
        self.assert_ok(run("images_to_dataset.py", root, "--model", model_path, "--map", "bags=Bag", "--out", out))
        data, meta = zoo_common.load_safetensors(out)
        self.assertEqual(data["targets"].tolist(), [1, 2])  # T-shirt_top first (sorted), then bags
        self.assertEqual(json.loads(meta["labels"]), labels)
        self.assertEqual(list(data["inputs"].shape), [2, 1, 2, 2])  # from the model's input shape

    # ------------------------------------------------------------ CSV tables

    def test_csv_eval_matches_torch(self):
        labels = ["no", "yes", "maybe"]
        model = nn.Linear(3, 3)
        model_path = self.path("table_model.pt")
        export_model_example.export_for_compresslab(model, torch.zeros(1, 3), model_path, name="table",
                                                    task="classification", labels=labels)
        table = self.path("table.csv")
        rng = np.random.RandomState(2)
        rows = [(i, *np.round(rng.randn(3), 4), labels[rng.randint(3)]) for i in range(40)]
        with open(table, "w", newline="") as f:
            w = csv.writer(f, delimiter=";")
            w.writerow(["id", "f1", "f2", "f3", "answer"])
            w.writerows(rows)
        out = self.path("table.safetensors")
        self.assert_ok(run("csv_to_dataset.py", table, "--target", "answer", "--exclude", "id", "--model",
                           model_path, "--out", out))
        x = torch.tensor([[float(v) for v in r[1:4]] for r in rows], dtype=torch.float32)
        y = torch.tensor([labels.index(r[4]) for r in rows])
        with torch.no_grad():
            torch_accuracy = 100.0 * float((model(x).argmax(-1) == y).sum()) / len(rows)
        data, meta = zoo_common.load_safetensors(out)
        self.assertTrue(torch.equal(data["inputs"], x))
        self.assertTrue(torch.equal(data["targets"], y))  # model label order, not sorted
        self.assertAlmostEqual(cli_eval(model_path, out)["metrics"]["accuracy"], torch_accuracy, places=9)

        # Without a model: names map to sorted ids; integer values are kept as ids.
        self.assert_ok(run("csv_to_dataset.py", table, "--target", "answer", "--features", "f3,f1", "--out", out))
        data, meta = zoo_common.load_safetensors(out)
        self.assertEqual(json.loads(meta["labels"]), ["maybe", "no", "yes"])
        self.assertEqual(data["targets"].tolist(), [["maybe", "no", "yes"].index(r[4]) for r in rows])
        self.assertEqual(data["inputs"][:, 0].tolist(), x[:, 2].tolist())
        self.assert_ok(run("csv_to_dataset.py", table, "--target", "id", "--features", "f1", "--out", out))
        data, _ = zoo_common.load_safetensors(out)
        self.assertEqual(data["targets"].tolist(), list(range(40)))

    # ------------------------------------------------------------ (b) text, against the zoo

    def test_char_tokenisation_matches_brown_gpt(self):
        text = "".join(BROWN_LIKE)
        vocab = brown_gpt.make_vocab(text.replace("!", "").replace("$", ""))  # two characters unknown
        model_path = self.path("char_lm.pt")
        lm = CharLM(len(vocab))
        export_model_example.export_for_compresslab(lm, torch.zeros(1, 16, dtype=torch.int64), model_path,
                                                    task="language-modeling", vocabulary=vocab, tokenizer="char")
        folder = self.path("brown_like")
        os.makedirs(folder)
        for i, s in enumerate(BROWN_LIKE):
            with open(os.path.join(folder, "%d.txt" % i), "w") as f:
                f.write(s)
        out = self.path("lm.safetensors")
        r = run("text_to_dataset.py", folder, "--model", model_path, "--out", out)
        self.assert_ok(r)
        zoo_ids = brown_gpt.encode(text, vocab)
        unknown = int((zoo_ids == 0).sum())
        self.assertGreater(unknown, 0)
        self.assertIn("unknown tokens: %.2f %% (%d of %d)" % (100.0 * unknown / len(zoo_ids), unknown, len(zoo_ids)),
                      r.stdout)

        data, _ = zoo_common.load_safetensors(out)
        inputs, targets, mask = data["inputs"], data["targets"], data["mask"].bool()
        self.assertEqual(inputs.shape[1], 16)
        # Windows cover the zoo's id stream exactly: inputs are ids[:-1], targets ids[1:], in order.
        self.assertTrue(torch.equal(targets[mask], zoo_ids[1:]))
        self.assertTrue(torch.equal(inputs[mask], zoo_ids[:-1]))

        # The CLI's perplexity on it equals PyTorch's over the masked positions.
        with torch.no_grad():
            logp = torch.log_softmax(lm(inputs).double(), -1)
        nll = -logp.gather(-1, targets[..., None]).squeeze(-1)[mask]
        measured = cli_eval(model_path, out)["metrics"]
        self.assertAlmostEqual(measured["loss"], float(nll.mean()), places=6)
        self.assertAlmostEqual(measured["perplexity"], math.exp(float(nll.mean())), places=5)

    def test_word_tokenisation_matches_spam_transformer(self):
        sentences = [s.upper() if i == 1 else s for i, s in enumerate(BROWN_LIKE)]  # lower-casing matters
        sentences.append(" ".join(BROWN_LIKE[::-1] * 12))  # over 256 words: truncation keeps the start
        items = [("k%d" % i, i % 2, data_spam.tokenize(s)[:data_spam.SEQ_LEN]) for i, s in enumerate(sentences)]
        vocab = data_spam.make_vocab(items[:2], size=30)  # the third sentence has unknown words
        zoo_ids, _ = data_spam.encode(items + [("empty", 0, [])], vocab)

        model_path = self.path("word_model.pt")
        model = export_model_example.BagOfWords(len(vocab), 2)
        export_model_example.export_for_compresslab(
            model, torch.zeros(1, data_spam.SEQ_LEN, dtype=torch.int64), model_path, task="classification",
            labels=data_spam.LABELS, vocabulary=vocab, tokenizer="word", tokenizer_pattern=data_spam.TOKEN_PATTERN)
        table = self.path("texts.csv")
        with open(table, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["label", "text"])
            w.writerows([[data_spam.LABELS[i % 2], s] for i, s in enumerate(sentences)] + [["ham", "  ...  "]])
        out = self.path("words.safetensors")
        self.assert_ok(run("text_to_dataset.py", table, "--model", model_path, "--out", out))
        data, meta = zoo_common.load_safetensors(out)
        self.assertTrue(torch.equal(data["inputs"], zoo_ids))
        self.assertEqual(data["targets"].tolist(), [0, 1, 0, 1, 0])
        self.assertEqual(meta["tokenizer"], "word")

        # The tokenizer class itself, on the zoo's own metadata when the model is built.
        spam_model = os.path.expanduser("~/.cache/compresslab/zoo/spam-transformer/model.pt")
        if os.path.exists(spam_model):
            import import_common
            tok = text_to_dataset.Tokenizer(import_common.read_model_metadata(spam_model), spam_model)
            zoo_vocab = {w: i for i, w in enumerate(tok.vocab)}
            for s in sentences:
                self.assertEqual(tok.encode(s).tolist(),
                                 [zoo_vocab.get(t, data_spam.UNK) for t in data_spam.tokenize(s)])

    # ------------------------------------------------------------ (c) bad input

    def test_bad_inputs_are_refused_and_write_nothing(self):
        bad = self.path("bad")
        os.makedirs(os.path.join(bad, "folders", "cat"))
        Image.fromarray(np.zeros((4, 4), np.uint8)).save(os.path.join(bad, "folders", "cat", "0.png"))
        os.makedirs(os.path.join(bad, "empty"))
        os.makedirs(os.path.join(bad, "empty_classes", "cat"))
        with open(os.path.join(bad, "t.csv"), "w") as f:
            f.write("a,b,y\n1,2,x\n3,oops,y\n")
        open(os.path.join(bad, "empty.csv"), "w").close()
        with open(os.path.join(bad, "header_only.csv"), "w") as f:
            f.write("a,b,y\n")
        with open(os.path.join(bad, "text.txt"), "w") as f:
            f.write("some text\n")
        labelled = os.path.join(bad, "labelled.pt")  # labels, no vocabulary
        export_model_example.export_for_compresslab(nn.Flatten(), torch.zeros(1, 1, 1, 2), labelled,
                                                    task="classification", labels=["dog", "bird"])
        lm = os.path.join(bad, "lm.pt")
        export_model_example.export_for_compresslab(CharLM(3), torch.zeros(1, 4, dtype=torch.int64), lm,
                                                    task="language-modeling", vocabulary=["<unk>", "a", "b"],
                                                    tokenizer="char")
        existing = os.path.join(bad, "existing.safetensors")
        with open(existing, "wb") as f:
            f.write(b"keep me")

        out = os.path.join(bad, "out.safetensors")
        cases = [
            ("csv_to_dataset.py", [os.path.join(bad, "t.csv"), "--target", "label"], "column 'label' not found"),
            ("csv_to_dataset.py", [os.path.join(bad, "t.csv"), "--target", "y"], "column 'b': 'oops' is not a number"),
            ("csv_to_dataset.py", [os.path.join(bad, "empty.csv"), "--target", "y"], "is empty"),
            ("csv_to_dataset.py", [os.path.join(bad, "header_only.csv"), "--target", "y"], "no data rows"),
            ("csv_to_dataset.py", [os.path.join(bad, "t.csv"), "--target", "y", "--features", "a", "--model",
                                   labelled], "takes 2 values per sample"),
            ("images_to_dataset.py", [os.path.join(bad, "folders"), "--model", labelled],
             "class folder 'cat' is not among the labels"),
            ("images_to_dataset.py", [os.path.join(bad, "empty")], "has no class sub-folders"),
            ("images_to_dataset.py", [os.path.join(bad, "empty_classes")], "hold no images"),
            ("text_to_dataset.py", [os.path.join(bad, "text.txt"), "--model", labelled], "has no 'vocabulary'"),
            ("text_to_dataset.py", [os.path.join(bad, "empty"), "--model", lm], "holds no .txt files"),
        ]
        before = sorted(os.listdir(bad))
        for script, args, message in cases:
            with self.subTest(script=script, message=message):
                r = run(script, *args, "--out", out)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(message, r.stderr)
                self.assertNotIn("Traceback", r.stderr)
                self.assertEqual(len([l for l in r.stderr.splitlines() if l.startswith("error:")]), 1)
                self.assertEqual(sorted(os.listdir(bad)), before, "a failed run left a file behind")

        # A failed run leaves an existing output as it was; the input is never the output.
        r = run("csv_to_dataset.py", os.path.join(bad, "t.csv"), "--target", "y", "--out", existing)
        self.assertEqual(r.returncode, 2)
        with open(existing, "rb") as f:
            self.assertEqual(f.read(), b"keep me")
        r = run("csv_to_dataset.py", os.path.join(bad, "header_only.csv"), "--target", "y",
                "--out", os.path.join(bad, "header_only.csv"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("is an input file", r.stderr)
        # Usage errors exit 1, like compresslab-cli.
        self.assertEqual(run("csv_to_dataset.py", os.path.join(bad, "t.csv")).returncode, 1)

    def test_export_refuses_metadata_that_does_not_fit(self):
        path = self.path("refused.pt")
        with self.assertRaisesRegex(ValueError, "3 labels for 2 outputs"):
            export_model_example.export_for_compresslab(nn.Linear(2, 2), torch.zeros(1, 2), path,
                                                        task="classification", labels=["a", "b", "c"])
        with self.assertRaisesRegex(ValueError, "unknown metadata keys: label"):
            export_model_example.export_for_compresslab(nn.Linear(2, 2), torch.zeros(1, 2), path,
                                                        task="classification", label=["a", "b"])
        with self.assertRaisesRegex(ValueError, "needs its vocabulary"):
            export_model_example.export_for_compresslab(CharLM(3), torch.zeros(1, 4, dtype=torch.int64), path,
                                                        task="language-modeling")
        self.assertFalse(os.path.exists(path))
        self.assertEqual([f for f in os.listdir(self.tmp) if f.startswith(".refused")], [])


if __name__ == "__main__":
    unittest.main()
