#!/usr/bin/python3
"""The history's table columns and its CSV/JSON export names are the ones docs/history.md promises.

Records real experiments (a compression with measured metrics and a device estimate) with the built CLI
into a fresh history, then compares PRAGMA table_info, the CSV header and the JSON keys with the lists
parsed from the documentation. Scripts and spreadsheets depend on these names (issue 9).

usage: test_stable_names.py   (env: COMPRESSLAB_CLI, FIXTURES_DIR, DOCS_DIR; ctest: stable_names)
"""
import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import tempfile
import unittest

CLI = os.environ.get("COMPRESSLAB_CLI", "")
FIXTURES = os.environ.get("FIXTURES_DIR", "")
DOCS = os.environ.get("DOCS_DIR", "")


def names_in(text):
    return re.findall(r"`([^`]+)`", text)


def between(text, start, end):
    match = re.search(re.escape(start) + r"(.*?)" + re.escape(end), text, flags=re.S)
    if not match:
        raise AssertionError(f"docs/history.md no longer says '{start}' … '{end}'")
    return match.group(1)


def documented_schema(doc):
    """{table: [columns]} from the '## Schema' table; parenthesised notes hold values, not columns."""
    tables = {}
    for line in between(doc, "## Schema", "\n## ").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            columns = cells[1]
            while re.search(r"\([^()]*\)", columns):
                columns = re.sub(r"\([^()]*\)", "", columns)
            columns = columns.split(":")[0] if cells[0] == "`devices`" else columns  # its prose follows a colon
            tables[names_in(cells[0])[0]] = names_in(columns)
    return tables


class StableNames(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(DOCS, "history.md"), encoding="utf-8") as f:
            cls.doc = f.read()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "history.sqlite")
        model = os.path.join(FIXTURES, "tiny_mlp.pt")
        data = os.path.join(FIXTURES, "tiny_mlp_eval.safetensors")
        cls.cli(["compress", model, "--bits", "4", "--data", data, "--device", "Raspberry Pi 4", "--tag", "named"])
        cls.cli(["compress", model, "--sparsity", "0.5", "--data", data])
        cls.csv = cls.cli(["history", "export", "--format", "csv"])
        cls.json = json.loads(cls.cli(["history", "export", "--format", "json"]))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def cli(cls, args):
        # Bytes, then decoded: text mode would turn the CSV's CRLF into LF.
        out = subprocess.run([CLI, *args, "--db", cls.db], capture_output=True, timeout=300)
        if out.returncode != 0:
            raise AssertionError(f"compresslab-cli {' '.join(args)}: {out.stderr.decode()}")
        return out.stdout.decode("utf-8")

    def test_database_columns_are_the_documented_schema(self):
        documented = documented_schema(self.doc)
        self.assertGreaterEqual(len(documented), 9)
        with sqlite3.connect(self.db) as db:
            for table, columns in documented.items():
                actual = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
                self.assertEqual(actual, columns, f"table {table}")

    def test_csv_header_starts_with_the_documented_columns(self):
        fixed = names_in(between(self.doc, "fixed columns in this order:", "then one column"))
        header = next(csv.reader(io.StringIO(self.csv)))
        self.assertEqual(header[:len(fixed)], fixed)
        metric_form = re.compile(r"^(baseline:)?[a-z0-9_]+(@.+?)?( \[[^\]]+\])? \((measured|estimated)\)$")
        for column in header[len(fixed):]:
            self.assertRegex(column, metric_form)
        self.assertIn("accuracy [%] (measured)", header)
        self.assertIn("baseline:accuracy [%] (measured)", header)
        self.assertTrue(any(c.endswith("@Raspberry Pi 4 (4 GB) [ms] (estimated)") for c in header), header)
        self.assertTrue(self.csv.endswith("\r\n"))

    def test_json_keys_are_the_documented_ones(self):
        # JSON objects are unordered (Qt writes keys sorted): the key sets must match.
        section = between(self.doc, "- JSON (`history export --format json`)", "## Tests")
        self.assertEqual(len(self.json), 2)
        experiment = next(e for e in self.json if "named" in e["tags"])
        expected = {
            None: between(section, "each with the keys", "\n  -"),
            "model": between(section, "`model`:", ";"),
            "dataset": between(section, "`dataset` (or null):", ".\n"),
            "metrics": between(section, "each of `metrics`:", ".\n"),
            "layers": between(section, "each of `layers`:", ".\n"),
            "devices": between(section, "of `devices`:", ".\n"),
        }
        for part, text in expected.items():
            value = experiment if part is None else experiment[part]
            value = value[0] if isinstance(value, list) else value
            self.assertEqual(sorted(value), sorted(names_in(text)), part or "experiment")


if __name__ == "__main__":
    unittest.main(verbosity=2)
