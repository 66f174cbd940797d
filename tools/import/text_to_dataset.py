#!/usr/bin/python3
"""Text -> CompressLab token dataset, tokenised with the vocabulary in a model's compresslab.json.

  language modeling:  text files/folders -> inputs I64 [N,T], next-token targets I64 [N,T], mask U8 [N,T]
  classification:     FOLDER/<class>/*.txt or a CSV (text, label) -> inputs I64 [N,T], targets I64 [N]

The tokenisation is the zoo's (tools/zoo): `char` maps each character to its vocabulary index;
`word` lower-cases and splits with the model's `tokenizer_pattern`. See docs/import.md.
"""
import argparse
import csv
import io
import os
import re

import numpy as np

import import_common as ic

TASKS = ("language-modeling", "classification")
# Used when a word model's metadata has no `tokenizer_pattern`: words and single punctuation marks.
DEFAULT_WORD_PATTERN = r"\w+|[^\w\s]"
UNK_TOKEN, PAD_TOKEN = "<unk>", "<pad>"


class Tokenizer:
    """The model's tokenisation, from its metadata: `vocabulary`, `tokenizer`, `tokenizer_pattern`,
    `lowercase` (default: true for word, false for char). Unknown tokens get the id of `<unk>`."""

    def __init__(self, meta, model_path, unk_id=None, keep_case=False):
        vocab = meta.get("vocabulary")
        if vocab is None:
            raise ic.InputError("%s has no 'vocabulary' in its compresslab.json; text can only be "
                                "tokenised with the model's own vocabulary" % model_path)
        if not isinstance(vocab, list) or not vocab or not all(isinstance(t, str) for t in vocab):
            raise ic.InputError("%s: 'vocabulary' in compresslab.json is not a non-empty list of strings"
                                % model_path)
        self.kind = meta.get("tokenizer")
        if self.kind not in ("char", "word"):
            raise ic.InputError("%s: 'tokenizer' in compresslab.json is %s; expected \"char\" or \"word\""
                                % (model_path, "missing" if self.kind is None else repr(self.kind)))
        self.vocab = vocab
        self.index = {}
        for i, tok in enumerate(vocab):
            self.index.setdefault(tok, i)  # a repeated token keeps its first id
        if unk_id is None:
            if UNK_TOKEN not in self.index:
                raise ic.InputError("the vocabulary of %s has no '%s' token; pass --unk-id N for the id of "
                                    "unknown tokens" % (model_path, UNK_TOKEN))
            unk_id = self.index[UNK_TOKEN]
        if not 0 <= unk_id < len(vocab):
            raise ic.InputError("--unk-id %d is outside the vocabulary (0 to %d)" % (unk_id, len(vocab) - 1))
        self.unk_id = unk_id
        pattern = meta.get("tokenizer_pattern", DEFAULT_WORD_PATTERN)
        try:
            self.pattern = re.compile(pattern)
        except (re.error, TypeError) as e:
            raise ic.InputError("%s: 'tokenizer_pattern' %r is not a regular expression (%s)"
                                % (model_path, pattern, e))
        lowercase = meta.get("lowercase", self.kind == "word")
        self.lowercase = bool(lowercase) and not keep_case

    def tokens(self, text):
        if self.lowercase:
            text = text.lower()
        return list(text) if self.kind == "char" else self.pattern.findall(text)

    def encode(self, text):
        """int64 array of token ids."""
        get, unk = self.index.get, self.unk_id
        return np.fromiter((get(t, unk) for t in self.tokens(text)), dtype=np.int64)


def parse_args(argv):
    p = ic.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", help="language modeling: text files and/or folders of .txt files; "
                                              "classification: one folder of class folders, or one .csv")
    ic.add_output_arguments(p)
    p.add_argument("--model", required=True, help="TorchScript model whose compresslab.json holds the "
                                                  "vocabulary and tokenizer")
    p.add_argument("--task", choices=TASKS, help="default: the model's task")
    p.add_argument("--seq-len", type=int, help="tokens per sample T (default: from the model's input.shape)")
    p.add_argument("--text-column", default="text", help="CSV column holding the text (default: text)")
    p.add_argument("--label-column", default="label", help="CSV column holding the class (default: label)")
    p.add_argument("--map", action="append", metavar="NAME=LABEL", help="match a class name to a model label")
    p.add_argument("--unk-id", type=int, help="id for unknown tokens (default: the id of <unk>)")
    p.add_argument("--pad-id", type=int, help="id for padding (default: the id of <pad>; for language "
                                              "modeling without one the unknown id, as padded targets are masked)")
    p.add_argument("--keep-case", action="store_true", help="do not lower-case (word models lower-case)")
    p.add_argument("--encoding", default="utf-8", help="text encoding of the files (default UTF-8)")
    return p.parse_args(argv)


def read_text(path, encoding):
    try:
        with open(path, encoding=encoding) as f:  # universal newlines: "\r\n" reads as "\n"
            return f.read()
    except UnicodeDecodeError as e:
        raise ic.InputError("%s is not valid %s text (byte %d); pass --encoding, e.g. latin-1"
                            % (path, encoding, e.start))
    except LookupError:
        raise ic.InputError("unknown --encoding '%s'" % encoding)
    except OSError as e:
        raise ic.InputError("cannot read %s: %s" % (path, e.strerror or e))


def text_files(folder):
    """The .txt files under folder, sorted, hidden ones left out."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out += [os.path.join(dirpath, f) for f in sorted(filenames)
                if f.endswith(".txt") and not f.startswith(".")]
    return out


def seq_len_from(args, meta):
    shape = ic.model_input_shape(meta, args.model)
    model_t = shape[-1] if shape is not None and len(shape) == 2 else None
    if args.seq_len is not None:
        if args.seq_len < 1:
            raise ic.InputError("--seq-len must be at least 1")
        if model_t is not None and args.seq_len > model_t:
            # Learned position tables (brown-gpt, spam-transformer) stop at the example length.
            raise ic.InputError("--seq-len %d is longer than the model's input shape %s allows"
                                % (args.seq_len, shape))
        return args.seq_len
    if model_t is None:
        raise ic.InputError("%s has no input.shape [1, T] in its compresslab.json; pass --seq-len" % args.model)
    return model_t


def language_modeling(args, tok, seq_len, pad_id):
    files = []
    for path in args.inputs:
        if os.path.isdir(path):
            found = text_files(path)
            if not found:
                raise ic.InputError("folder %s holds no .txt files" % path)
            files += found
        elif os.path.isfile(path):
            files.append(path)
        else:
            raise ic.InputError("%s does not exist" % path)
    texts = [read_text(f, args.encoding) for f in files]
    # Files are joined as one stream (as the zoo joins Brown files); each ends with a newline.
    stream = tok.encode("".join(t if t.endswith("\n") or not t else t + "\n" for t in texts))
    if stream.size < 2:
        raise ic.InputError("the text holds %d tokens; language modeling needs at least 2" % stream.size)
    # Window k predicts tokens kT+1 .. kT+T from kT .. kT+T-1: every token but the first is a target once.
    count = -(-(stream.size - 1) // seq_len)
    inputs = np.full((count, seq_len), pad_id, dtype=np.int64)
    targets = np.full((count, seq_len), pad_id, dtype=np.int64)
    mask = np.zeros((count, seq_len), dtype=np.uint8)
    for k in range(count):
        x = stream[k * seq_len:(k + 1) * seq_len]
        y = stream[k * seq_len + 1:(k + 1) * seq_len + 1]
        inputs[k, :x.size] = x
        targets[k, :y.size] = y
        mask[k, :y.size] = 1
    unknown = int((stream == tok.unk_id).sum())
    summary = "%d windows of %d tokens from %d files (%d tokens, %d padded positions masked)" % (
        count, seq_len, len(files), stream.size, int(mask.size - mask.sum()))
    return [("inputs", inputs), ("targets", targets), ("mask", mask)], None, unknown, stream.size, summary, files


def classification_samples(args, labels, label_map):
    """([(text, class name)], source files) from a class-folder tree or a CSV."""
    if len(args.inputs) != 1:
        raise ic.InputError("classification takes one folder of class folders or one CSV file, not %d inputs"
                            % len(args.inputs))
    src = args.inputs[0]
    if os.path.isfile(src):
        return csv_samples(src, args), [src]
    if not os.path.isdir(src):
        raise ic.InputError("%s does not exist" % src)
    samples = []
    folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)) and not d.startswith("."))
    if not folders:
        raise ic.InputError("%s has no class sub-folders (expected FOLDER/<class>/*.txt)" % src)
    for name in folders:
        files = text_files(os.path.join(src, name))
        if not files:
            ic.warn("class folder '%s' holds no .txt files" % name)
        samples += [(read_text(f, args.encoding), name) for f in files]
    if not samples:
        raise ic.InputError("the class folders of %s hold no .txt files" % src)
    return samples, [src]


def csv_samples(path, args):
    text = read_text(path, args.encoding).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ic.InputError("%s is empty" % path)
    header = [c.strip() for c in rows[0]]
    for col in (args.text_column, args.label_column):
        if col not in header:
            raise ic.InputError("column '%s' not found in %s; its columns are: %s" % (col, path, ", ".join(header)))
    ti, li = header.index(args.text_column), header.index(args.label_column)
    out = []
    for n, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            raise ic.InputError("%s row %d has %d cells, the header has %d" % (path, n, len(r), len(header)))
        if not r[li].strip():
            raise ic.InputError("%s row %d: the label column '%s' is empty" % (path, n, args.label_column))
        out.append((r[ti], r[li].strip()))
    if not out:
        raise ic.InputError("%s has a header row but no data rows" % path)
    return out


def classification(args, tok, seq_len, pad_id, labels, label_map):
    samples, files = classification_samples(args, labels, label_map)
    ids, labels = ic.class_ids([name for _, name in samples], labels, label_map, args.model, "class")
    inputs = np.full((len(samples), seq_len), pad_id, dtype=np.int64)
    unknown = total = truncated = 0
    for r, (text, _) in enumerate(samples):
        x = tok.encode(text)
        if x.size > seq_len:
            truncated += 1
        x = x[:seq_len]
        if x.size == 0:
            x = np.array([tok.unk_id], dtype=np.int64)  # never all padding (as tools/zoo/data_spam.encode)
        inputs[r, :x.size] = x
        unknown += int((x == tok.unk_id).sum())
        total += x.size
    targets = np.array(ids, dtype=np.int64)
    summary = "%d texts, %d tokens each (%d truncated), %d classes (%s)" % (
        len(samples), seq_len, truncated, len(labels), ic.class_summary(labels, targets))
    return [("inputs", inputs), ("targets", targets)], labels, unknown, total, summary, files


def main(argv=None):
    args = parse_args(argv)
    label_map = ic.parse_label_map(args.map)
    ic.check_output_path(args.out, args.inputs + [args.model])
    meta = ic.read_model_metadata(args.model)
    tok = Tokenizer(meta, args.model, args.unk_id, args.keep_case)
    task = args.task or meta.get("task")
    if task not in TASKS:
        raise ic.InputError("%s does not say its task; pass --task language-modeling or --task classification"
                            % args.model)
    if args.task and meta.get("task") in TASKS and args.task != meta["task"]:
        raise ic.InputError("--task %s does not fit %s, a %s model" % (args.task, args.model, meta["task"]))
    seq_len = seq_len_from(args, meta)
    pad_id = args.pad_id
    if pad_id is None:
        if PAD_TOKEN in tok.index:
            pad_id = tok.index[PAD_TOKEN]
        elif task == "language-modeling":
            pad_id = tok.unk_id  # padded positions are masked, so any id will do
        else:
            raise ic.InputError("the vocabulary of %s has no '%s' token; pass --pad-id N (the id the model "
                                "treats as padding)" % (args.model, PAD_TOKEN))
    if not 0 <= pad_id < len(tok.vocab):
        raise ic.InputError("--pad-id %d is outside the vocabulary (0 to %d)" % (pad_id, len(tok.vocab) - 1))

    if task == "language-modeling":
        tensors, labels, unknown, total, summary, files = language_modeling(args, tok, seq_len, pad_id)
    else:
        tensors, labels, unknown, total, summary, files = classification(
            args, tok, seq_len, pad_id, ic.model_labels(meta, args.model), label_map)
    share = 100.0 * unknown / total if total else 0.0
    extra = {"tokenizer": tok.kind, "seq_len": str(seq_len), "model": os.path.abspath(args.model),
             "unknown_tokens": "%d of %d" % (unknown, total)}
    if labels is not None:
        extra["labels"] = labels
    source = "text from %s" % ", ".join(os.path.abspath(f) for f in files[:3]) + (
        " and %d more files" % (len(files) - 3) if len(files) > 3 else "")
    ic.write_dataset(args.out, tensors, ic.dataset_metadata(
        args.name or ic.default_name(args.out), task, source, args.split, **extra))
    print("wrote %s: %s" % (args.out, summary))
    print("unknown tokens: %.2f %% (%d of %d)" % (share, unknown, total))
    if share > 20.0:
        ic.warn("%.0f %% of the tokens are not in the vocabulary of %s: is it the right model and encoding?"
                % (share, args.model))


if __name__ == "__main__":
    ic.run_main(main)
