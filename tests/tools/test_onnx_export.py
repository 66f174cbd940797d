"""Tests of tools/onnx/export_onnx.py (docs/onnx.md).

Compresses the tiny fixture models with int8 kernels through compresslab-cli, exports them as a user
would, and checks, independently of the tool's own code: both files pass onnx.checker (full check);
every int8 weight in model-qdq.onnx is the int8 model's own weight (torch's linear_unpack) bit for bit,
with its scales; ONNX Runtime's outputs match TorchScript's within a tolerance, also at other batch sizes
and sequence lengths; a wrongly rewritten weight is caught. The zoo models are exported too where
they are built (else skipped), and every bad input gives one `error:` line and no file.
Tests that need ONNX Runtime (onnxruntime-node, tools/onnx/install_runtime.sh) skip without it.

  COMPRESSLAB_CLI=build/bin/compresslab-cli COMPRESSLAB_FIXTURES=build/tests/fixtures \\
      /usr/bin/python3 tests/tools/test_onnx_export.py
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch
from onnx import numpy_helper

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(REPO, "tools", "onnx", "export_onnx.py")
CLI = os.environ.get("COMPRESSLAB_CLI", os.path.join(REPO, "build", "bin", "compresslab-cli"))
FIXTURES = os.environ.get("COMPRESSLAB_FIXTURES", os.path.join(REPO, "build", "tests", "fixtures"))
ZOO = os.environ.get("COMPRESSLAB_ZOO_DIR", os.path.expanduser("~/.cache/compresslab/zoo"))
sys.path.insert(0, os.path.join(REPO, "tools", "onnx"))

from clonnx import runtime  # noqa: E402  (only to run ONNX Runtime; every check below is the test's own)

RUNTIME, NO_RUNTIME = runtime.probe(runtime.default_dir())
FP32_TOLERANCE = 1e-4  # the same weights in fp32: only summation order differs


def run_tool(*args, env=None):
    r = subprocess.run([sys.executable, TOOL, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       env=env, timeout=600)
    return r.returncode, r.stdout, r.stderr


def compress(model, out):
    os.makedirs(out, exist_ok=True)
    r = subprocess.run([CLI, "compress", model, "--bits", "8", "--int8-kernels", "--no-history", "--out", out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    if r.returncode != 0:
        raise AssertionError("compresslab-cli compress %s failed: %s" % (model, r.stderr))
    return out


def engine_weights(int8_path, rows):
    """{"_int8_<layer>": (int8 values, scales)} read from the int8 TorchScript model with torch alone. Layers
    that read one input share a stacked weight ("_int8_<layer>__<layer>..."): split here by `rows`, each
    layer's output count, in the attribute's order."""
    module = torch.jit.load(int8_path)
    names = sorted({w for w in module.code.replace("(", " ").replace(")", " ").replace(",", " ").split()
                    if w.startswith("self._int8_")})
    out = {}
    for name in names:
        attr = name[len("self."):]
        weight, _ = torch.ops.quantized.linear_unpack(getattr(module, attr))
        values, scales = weight.int_repr().numpy(), weight.q_per_channel_scales().numpy()
        parts = ["_int8_" + part for part in attr[len("_int8_"):].split("__")]
        if attr in rows or len(parts) == 1 or not all(p in rows for p in parts):
            out[attr] = (values, scales)
            continue
        start = 0
        for part in parts:
            out[part] = (values[start:start + rows[part]], scales[start:start + rows[part]])
            start += rows[part]
        if start != values.shape[0]:
            out[attr + " (rows left over)"] = (values[start:], scales[start:])
    return out


def int8_mismatches(qdq_path, int8_path):
    """What in model-qdq.onnx differs from the engine's int8 weights; empty when all are bit-identical."""
    model = onnx.load(qdq_path)
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    layers = {}  # "_int8_<path>": (initializer name, int8 values as [out, in])
    for name, value in inits.items():
        if name.endswith("_quantized"):
            transposed = name.endswith(".weight_transposed_quantized")
            path = name[: -len(".weight_transposed_quantized" if transposed else ".weight_quantized")]
            layers["_int8_" + path.replace(".", "_")] = (name, value.T if transposed else value)
    expected = engine_weights(int8_path, {attr: v.shape[0] for attr, (_, v) in layers.items()})
    problems = []
    for attr, (name, value) in sorted(layers.items()):
        if attr not in expected:
            problems.append("%s: no such int8 layer in the engine's model" % name)
            continue
        values, scales = expected[attr]
        if value.dtype != np.int8 or not np.array_equal(value, values):
            problems.append("%s: int8 values differ" % name)
        scale = inits[name.replace("_quantized", "_scale")]
        if not np.array_equal(scale, scales.astype(np.float32)):
            problems.append("%s: scales differ" % name)
        if np.any(inits[name.replace("_quantized", "_zero_point")] != 0):
            problems.append("%s: zero-points are not 0" % name)
    problems += ["%s: missing from the QDQ model" % a for a in sorted(set(expected) - set(layers))]
    return problems


def torch_logits(path, inputs):
    with torch.no_grad():
        return torch.jit.load(path)(torch.from_numpy(np.array(inputs))).numpy()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def require_runtime(test):
    return unittest.skipIf(RUNTIME is None, "no ONNX Runtime here: %s" % NO_RUNTIME)(test)


class FixtureExports(unittest.TestCase):
    """tiny_mlp (Linear), tiny_cnn (Conv + Linear head), tiny_lm (tied embedding, token inputs)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="onnx-export-test-")
        cls.dirs, cls.reports, cls.hashes = {}, {}, {}
        for name, data in (("tiny_mlp", "tiny_mlp_eval.safetensors"), ("tiny_cnn", None),
                           ("tiny_lm", "tiny_lm_eval.safetensors")):
            d = compress(os.path.join(FIXTURES, name + ".pt"), os.path.join(cls.tmp, name))
            cls.hashes[name] = {f: sha256(os.path.join(d, f)) for f in os.listdir(d)}
            args = [d, "--json"] + (["--data", os.path.join(FIXTURES, data)] if data else [])
            code, out, err = run_tool(*args)
            if code != 0:
                raise AssertionError("export of %s failed: %s" % (name, err))
            cls.dirs[name], cls.reports[name] = d, json.loads(out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_files_pass_the_full_checker(self):
        for name, d in self.dirs.items():
            for f in ("model.onnx", "model-qdq.onnx"):
                with self.subTest(model=name, file=f):
                    onnx.checker.check_model(onnx.load(os.path.join(d, f)), full_check=True)

    def test_int8_weights_are_the_engines(self):
        for name, d in self.dirs.items():
            with self.subTest(model=name):
                self.assertEqual(int8_mismatches(os.path.join(d, "model-qdq.onnx"), os.path.join(d, "model-int8.pt")), [])
                # Exactly the int8 layers become int8: the fp32 file has none, and conv weights stay fp32.
                fp32 = onnx.load(os.path.join(d, "model.onnx"))
                self.assertFalse(any(i.data_type == onnx.TensorProto.INT8 for i in fp32.graph.initializer))

    def test_a_wrong_weight_is_caught(self):
        d = self.dirs["tiny_mlp"]
        model = onnx.load(os.path.join(d, "model-qdq.onnx"))
        target = next(i for i in model.graph.initializer if i.name.endswith("_quantized"))
        values = numpy_helper.to_array(target).copy()
        values.flat[0] = np.int8(values.flat[0] + (1 if values.flat[0] < 127 else -1))
        target.CopyFrom(numpy_helper.from_array(values, target.name))
        broken = os.path.join(self.tmp, "broken-qdq.onnx")
        onnx.save(model, broken)
        self.assertEqual(len(int8_mismatches(broken, os.path.join(d, "model-int8.pt"))), 1)

    def test_input_files_are_unchanged(self):
        for name, d in self.dirs.items():
            for f, digest in self.hashes[name].items():
                with self.subTest(model=name, file=f):
                    self.assertEqual(sha256(os.path.join(d, f)), digest)

    def test_report_describes_the_qdq_model(self):
        report = self.reports["tiny_mlp"]
        self.assertEqual(report["qdq"]["activations"], "dynamic")
        self.assertEqual(sorted(l["layer"] for l in report["qdq"]["int8_layers"]), ["fc1", "fc2"])
        lm = self.reports["tiny_lm"]
        # lm_head is tied to the embedding: the Gather keeps the fp32 table, the MatMul reads int8.
        self.assertIn("lm_head", [l["layer"] for l in lm["qdq"]["int8_layers"]])

    @require_runtime
    def test_runtime_matches_torchscript(self):
        for name, report in self.reports.items():
            comparison = report["comparison"]
            with self.subTest(model=name):
                self.assertLess(comparison["fp32"]["max_abs_logit_difference"], FP32_TOLERANCE)
                # The QDQ model quantizes each int8 layer's input per run, as quantized::linear_dynamic does.
                self.assertLess(comparison["qdq"]["max_abs_logit_difference"], 0.05)
                if "metrics_onnx" in comparison["fp32"]:
                    for key, value in comparison["fp32"]["metrics_torchscript"].items():
                        self.assertAlmostEqual(comparison["fp32"]["metrics_onnx"][key], value, places=3)

    @require_runtime
    def test_batch_and_sequence_are_dynamic(self):
        cases = {"tiny_mlp": np.random.default_rng(1).random((5, 1, 4, 4), dtype=np.float32),
                 "tiny_cnn": np.random.default_rng(2).random((3, 1, 8, 8), dtype=np.float32),
                 "tiny_lm": np.random.default_rng(3).integers(0, 11, (3, 4), dtype=np.int64)}
        for name, inputs in cases.items():
            with self.subTest(model=name):
                d = self.dirs[name]
                got, _ = runtime.run(RUNTIME, os.path.join(d, "model.onnx"), inputs, batch=2)
                want = torch_logits(os.path.join(d, "model-dequantized.pt"), inputs)
                self.assertEqual(got.shape, want.shape)
                self.assertLess(float(np.abs(got - want).max()), FP32_TOLERANCE)

    @require_runtime
    def test_a_wrong_fp32_weight_changes_the_outputs(self):
        # The comparison this suite relies on can fail: a weight off by 1 % moves the logits beyond the tolerance.
        d = self.dirs["tiny_mlp"]
        model = onnx.load(os.path.join(d, "model.onnx"))
        target = max(model.graph.initializer, key=lambda i: numpy_helper.to_array(i).size)
        values = numpy_helper.to_array(target) * np.float32(1.01)
        target.CopyFrom(numpy_helper.from_array(values.astype(np.float32), target.name))
        broken = os.path.join(self.tmp, "broken.onnx")
        onnx.save(model, broken)
        inputs = np.random.default_rng(4).random((8, 1, 4, 4), dtype=np.float32)
        got, _ = runtime.run(RUNTIME, broken, inputs, batch=8)
        want = torch_logits(os.path.join(d, "model-dequantized.pt"), inputs)
        self.assertGreater(float(np.abs(got - want).max()), FP32_TOLERANCE)

    @require_runtime
    def test_weight_only_mode_keeps_fp32_activations(self):
        out = os.path.join(self.tmp, "weight-only")
        os.makedirs(out)
        code, stdout, err = run_tool(self.dirs["tiny_mlp"], "--activations", "fp32", "--out", out, "--json",
                                     "--data", os.path.join(FIXTURES, "tiny_mlp_eval.safetensors"))
        self.assertEqual(code, 0, err)
        ops = {n.op_type for n in onnx.load(os.path.join(out, "model-qdq.onnx")).graph.node}
        self.assertIn("DequantizeLinear", ops)
        self.assertNotIn("DynamicQuantizeLinear", ops)
        qdq = json.loads(stdout)["comparison"]["qdq"]
        self.assertLess(qdq["vs_dequantized_torchscript"]["max_abs_logit_difference"], 0.05)


@unittest.skipUnless(os.path.isfile(os.path.join(ZOO, "spam-transformer", "complete")),
                     "the zoo's spam-transformer is not built in %s" % ZOO)
class ZooExports(unittest.TestCase):
    """The zoo's transformer classifier; all three zoo models are in docs/onnx.md's table (a minute each)."""

    def test_zoo_models(self):
        with tempfile.TemporaryDirectory(prefix="onnx-zoo-test-") as tmp:
            for name in ("spam-transformer",):
                with self.subTest(model=name):
                    d = compress(os.path.join(ZOO, name, "model.pt"), os.path.join(tmp, name))
                    args = [d, "--json", "--limit", "64", "--data", os.path.join(ZOO, name, "eval.safetensors")]
                    code, out, err = run_tool(*args)
                    self.assertEqual(code, 0, err)
                    self.assertEqual(int8_mismatches(os.path.join(d, "model-qdq.onnx"), os.path.join(d, "model-int8.pt")), [])
                    comparison = json.loads(out)["comparison"]
                    if "skipped" in comparison:
                        continue
                    self.assertLess(comparison["fp32"]["max_abs_logit_difference"], 1e-3)
                    self.assertGreaterEqual(comparison["qdq"]["argmax_agreement"], 95.0)


class ErrorPaths(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="onnx-export-errors-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def assert_one_line_error(self, code, out, err, expected_code, text):
        self.assertEqual(code, expected_code, err)
        lines = err.strip().splitlines()
        self.assertTrue(lines and lines[-1].startswith("error: "), err)
        self.assertIn(text, lines[-1])
        self.assertNotIn("Traceback", err)
        self.assertEqual(os.listdir(self.tmp), [])  # nothing written, not even a temp file

    def test_not_torchscript(self):
        for bad in ("state_dict.pt", "random.pt", "truncated.pt"):
            with self.subTest(file=bad):
                self.assert_one_line_error(*run_tool(os.path.join(FIXTURES, bad), "--out", self.tmp), 2,
                                           "is not a TorchScript model")

    def test_missing_and_empty_sources(self):
        self.assert_one_line_error(*run_tool(os.path.join(self.tmp, "none.pt")), 2, "does not exist")
        self.assert_one_line_error(*run_tool(self.tmp), 2, "holds no model-dequantized.pt")

    def test_unsupported_operator_is_named(self):
        source = os.path.join(self.tmp, "fft.py")
        with open(source, "w") as f:
            f.write("import torch\nclass M(torch.nn.Module):\n    def forward(self, x):\n"
                    "        return torch.fft.rfft(x).abs()\n")
        sys.path.insert(0, self.tmp)
        try:
            import fft
            model_dir = tempfile.mkdtemp(prefix="onnx-fft-")
            path = os.path.join(model_dir, "fft.pt")
            torch.jit.save(torch.jit.script(fft.M()), path, _extra_files={
                "compresslab.json": json.dumps({"input": {"shape": [1, 8], "dtype": "float32"}})})
        finally:
            sys.path.remove(self.tmp)
        os.unlink(source)
        shutil.rmtree(os.path.join(self.tmp, "__pycache__"), ignore_errors=True)
        try:
            self.assert_one_line_error(*run_tool(path, "--out", self.tmp), 2, "aten::fft_rfft")
        finally:
            shutil.rmtree(model_dir)

    def test_never_writes_over_an_input(self):
        export = compress(os.path.join(FIXTURES, "tiny_mlp.pt"), os.path.join(tempfile.mkdtemp(), "e"))
        victim = os.path.join(self.tmp, "model.onnx")
        with open(victim, "wb") as f:
            f.write(b"not a dataset, but an input")
        code, _, err = run_tool(export, "--out", self.tmp, "--data", victim)
        self.assertEqual(code, 2)
        self.assertIn("it is one of the input files", err)
        with open(victim, "rb") as f:
            self.assertEqual(f.read(), b"not a dataset, but an input")
        shutil.rmtree(os.path.dirname(export))

    def test_missing_python_module(self):
        fake = os.path.join(self.tmp, "fake")
        os.makedirs(fake)
        with open(os.path.join(fake, "onnx.py"), "w") as f:
            f.write("raise ModuleNotFoundError(\"No module named 'onnx'\", name='onnx')\n")
        env = dict(os.environ, PYTHONPATH=fake)
        code, out, err = run_tool(os.path.join(FIXTURES, "tiny_mlp.pt"), "--out", fake, env=env)
        probe_code, probe_out, probe_err = run_tool("--probe", env=env)
        shutil.rmtree(fake)
        self.assert_one_line_error(code, out, err, 2, "python module 'onnx' is missing (apt-get install python3-onnx)")
        self.assertEqual(probe_code, 0, probe_err)
        out = probe_out
        probe = json.loads(out)
        self.assertFalse(probe["ok"])
        self.assertIn("python module 'onnx' is missing", " ".join(probe["reasons"]))

    def test_usage_error(self):
        self.assert_one_line_error(*run_tool(), 1, "SOURCE is required")

    def test_probe_is_one_json_line(self):
        code, out, err = run_tool("--probe")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(out.strip().splitlines()), 1)
        probe = json.loads(out)
        self.assertTrue(probe["ok"])
        self.assertEqual(probe["can_compare"], RUNTIME is not None)


if __name__ == "__main__":
    unittest.main(verbosity=2)
