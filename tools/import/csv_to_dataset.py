#!/usr/bin/python3
"""CSV table -> CompressLab classification dataset.

  one row per sample: numeric feature columns + a target column  ->  inputs F32 [N,F], targets I64 [N]

Target values that are all non-negative integers are the class ids; otherwise (or when they are the
names of --model's labels) names are mapped to ids: sorted, or in the model's label order.
See docs/import.md.
"""
import argparse
import csv
import io
import math
import os
import re

import numpy as np

import import_common as ic


def parse_args(argv):
    p = ic.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("table", help="CSV file with a header row (or --no-header)")
    ic.add_output_arguments(p)
    p.add_argument("--target", required=True, help="the column holding the class (name, or 0-based "
                                                   "index with --no-header)")
    p.add_argument("--features", help="comma-separated feature columns in model order (default: every "
                                      "column but the target and --exclude)")
    p.add_argument("--exclude", help="comma-separated columns to leave out (e.g. an id column)")
    p.add_argument("--model", help="map target names to this model's labels; check (and reshape to) its "
                                   "input.shape")
    p.add_argument("--map", action="append", metavar="VALUE=LABEL",
                   help="match a target value to a label of --model")
    p.add_argument("--delimiter", help="cell separator (default: detected among , ; tab |)")
    p.add_argument("--no-header", action="store_true", help="the first row is data; columns are 0, 1, ...")
    p.add_argument("--encoding", default="utf-8-sig", help="text encoding (default UTF-8, with or without BOM)")
    return p.parse_args(argv)


def read_rows(path, delimiter, encoding):
    """[(line number, cells)] of the non-blank rows."""
    if not os.path.isfile(path):
        raise ic.InputError("%s does not exist or is not a file" % path)
    try:
        with open(path, newline="", encoding=encoding) as f:
            text = f.read()
    except UnicodeDecodeError as e:
        raise ic.InputError("%s is not valid %s text (byte %d); pass --encoding, e.g. latin-1"
                            % (path, encoding, e.start))
    except LookupError:
        raise ic.InputError("unknown --encoding '%s'" % encoding)
    if not text.strip():
        raise ic.InputError("%s is empty" % path)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","  # one column, or too irregular to tell: the CSV default
    elif delimiter in ("\\t", "tab"):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, [c.strip() for c in cells]))
    except csv.Error as e:
        raise ic.InputError("%s line %d: %s" % (path, reader.line_num, e))
    return rows


def column_index(name, header, path, no_header):
    if no_header:
        if not re.fullmatch(r"[0-9]+", name) or int(name) >= len(header):
            raise ic.InputError("column %s: with --no-header columns are 0 to %d" % (name, len(header) - 1))
        return int(name)
    if name not in header:
        raise ic.InputError("column '%s' not found in %s; its columns are: %s" % (name, path, ", ".join(header)))
    if header.count(name) > 1:
        raise ic.InputError("column '%s' appears %d times in the header of %s" % (name, header.count(name), path))
    return header.index(name)


def split_list(text):
    return [c.strip() for c in text.split(",") if c.strip()] if text else []


def main(argv=None):
    args = parse_args(argv)
    label_map = ic.parse_label_map(args.map)
    ic.check_output_path(args.out, [args.table, args.model])
    meta = ic.read_model_metadata(args.model) if args.model else {}
    labels = ic.model_labels(meta, args.model) if args.model else None
    shape = ic.model_input_shape(meta, args.model) if args.model else None

    rows = read_rows(args.table, args.delimiter, args.encoding)
    if args.no_header:
        header = [str(i) for i in range(len(rows[0][1]))]
    else:
        header, rows = rows[0][1], rows[1:]
        if not rows:
            raise ic.InputError("%s has a header row but no data rows" % args.table)
    target = column_index(args.target, header, args.table, args.no_header)
    excluded = {column_index(c, header, args.table, args.no_header) for c in split_list(args.exclude)}
    if args.features:
        features = [column_index(c, header, args.table, args.no_header) for c in split_list(args.features)]
        if target in features:
            raise ic.InputError("the target column '%s' is also a feature" % header[target])
    else:
        features = [i for i in range(len(header)) if i != target and i not in excluded]
    if not features:
        raise ic.InputError("%s has no feature columns besides the target" % args.table)

    if shape is not None and int(np.prod(shape[1:])) != len(features):
        raise ic.InputError("%d feature columns, but %s takes %d values per sample (input shape %s)"
                            % (len(features), args.model, int(np.prod(shape[1:])), shape))

    inputs = np.empty((len(rows), len(features)), dtype=np.float32)
    values = []
    for r, (line, cells) in enumerate(rows):
        if len(cells) != len(header):
            raise ic.InputError("%s line %d has %d cells, the header has %d"
                                % (args.table, line, len(cells), len(header)))
        for j, c in enumerate(features):
            cell = cells[c]
            try:
                x = float(cell)
            except ValueError:
                x = None
            if x is None or not math.isfinite(x):
                raise ic.InputError("%s line %d, column '%s': %s is not a number"
                                    % (args.table, line, header[c], "an empty cell" if cell == "" else "'%s'" % cell))
            inputs[r, j] = x
        if cells[target] == "":
            raise ic.InputError("%s line %d: the target column '%s' is empty" % (args.table, line, header[target]))
        values.append(cells[target])
    ids, labels = ic.class_ids(values, labels, label_map, args.model, "target value")
    targets = np.array(ids, dtype=np.int64)

    if shape is not None:
        inputs = inputs.reshape([len(rows)] + shape[1:])

    meta = ic.dataset_metadata(args.name or ic.default_name(args.out), "classification",
                               "table %s" % os.path.abspath(args.table), args.split, labels=labels,
                               features=[header[c] for c in features], target_column=header[target])
    ic.write_dataset(args.out, [("inputs", inputs), ("targets", targets)], meta)
    print("wrote %s: %d rows, inputs %s F32 (columns %s), %d classes (%s)"
          % (args.out, len(rows), list(inputs.shape), ", ".join(header[c] for c in features), len(labels),
             ic.class_summary(labels, targets)))


if __name__ == "__main__":
    ic.run_main(main)
