#!/usr/bin/python3
"""ONNX export of a CompressLab compressed model (docs/onnx.md).

  export_onnx.py EXPORT_DIR [--data DATA] [--out DIR] [--json]
  export_onnx.py MODEL.pt [--int8 MODEL-int8.pt] [--packed PACKED.safetensors] [--data DATA] [--out DIR]
  export_onnx.py --probe

Writes model.onnx (fp32, the dequantized weights), model-qdq.onnx (the layers the int8 engine ran as int8
with int8 weights feeding DequantizeLinear) and onnx-report.json, each atomically. Progress goes to stderr
as `progress PERCENT MESSAGE` lines; errors as one `error: ...` line. Exit codes: 0 ok, 1 usage,
2 failed, 130 cancelled.
"""
import argparse
import json
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from clonnx.errors import ExportError  # noqa: E402  (stdlib only; torch and onnx are imported later)


class Parser(argparse.ArgumentParser):
    def error(self, message):
        sys.stderr.write("error: %s (see --help)\n" % message)
        sys.exit(1)


def parse(argv):
    p = Parser(description="Export a CompressLab compressed model to ONNX (fp32 and QDQ int8).")
    p.add_argument("source", nargs="?", help="a `compresslab-cli compress --out` folder, or a TorchScript file")
    p.add_argument("--int8", help="the int8 TorchScript model (model-int8.pt) when SOURCE is a file")
    p.add_argument("--packed", help="the packed artifact, to cross-check the int8 values with")
    p.add_argument("--data", help="dataset to compare ONNX Runtime with TorchScript on (default: the one the "
                                  "export was measured on, from report.json)")
    p.add_argument("--limit", type=int, help="compare on the first N samples only")
    p.add_argument("--batch", type=int, default=32, help="batch size of the comparison (default 32)")
    p.add_argument("--activations", choices=("dynamic", "fp32"), default="dynamic",
                   help="inputs of the int8 layers in model-qdq.onnx: quantized per run like the engine's "
                        "quantized::linear_dynamic (dynamic, default), or left fp32 (weight-only int8)")
    p.add_argument("--out", help="output folder (default: the export folder, or the model file's folder)")
    p.add_argument("--no-compare", action="store_true", help="only export and check, do not run the models")
    p.add_argument("--runtime-dir", help="where onnxruntime-node is installed (default "
                                         "~/.cache/compresslab/onnxruntime or $COMPRESSLAB_ONNXRUNTIME_DIR)")
    p.add_argument("--json", action="store_true", help="print the report as one JSON line on stdout")
    p.add_argument("--probe", "--check", dest="probe", action="store_true",
                   help="print one JSON line saying whether the tool (and a runtime) can run here, then exit")
    args = p.parse_args(argv)
    if not args.probe and not args.source:
        p.error("SOURCE is required")
    if args.limit is not None and args.limit <= 0 or args.batch <= 0:
        p.error("--limit and --batch must be positive")
    return args


def _cancel(_signum, _frame):
    raise KeyboardInterrupt  # unwinds through the atomic writers, which remove their temp files


def progress(percent, message):
    sys.stderr.write("progress %d %s\n" % (percent, message))
    sys.stderr.flush()


def summary(report):
    lines = ["wrote %s (%d bytes)" % (report["fp32"]["path"], report["fp32"]["bytes"])]
    qdq = report.get("qdq", {})
    if "path" in qdq:
        lines.append("wrote %s (%d bytes; %d int8 layer(s))" % (qdq["path"], qdq["bytes"], len(qdq["int8_layers"])))
    else:
        lines.append("no QDQ model: " + qdq.get("skipped", ""))
    comparison = report.get("comparison")
    if comparison and "skipped" in comparison:
        lines.append("not compared: " + comparison["skipped"])
    elif comparison:
        data = comparison["data"]
        where = ("%d samples of %s" % (data["samples"], data["path"]) if "path" in data
                 else "an example input %s" % data["example_input"])
        for name in ("fp32", "qdq"):
            if name in comparison:
                c = comparison[name]
                text = "%s vs %s on %s (%s): max |logit diff| %.3g, arg-max agreement %.2f %%" % (
                    name, c["reference"], where, comparison["runtime"],
                    c["max_abs_logit_difference"], c["argmax_agreement"])
                if "metrics_onnx" in c:
                    text += "; metrics TorchScript %s, ONNX %s" % (_fmt(c["metrics_torchscript"]), _fmt(c["metrics_onnx"]))
                lines.append(text)
    lines.append("report: " + report["report"])
    return "\n".join(lines)


def _fmt(metrics):
    return ", ".join("%s %.4f" % (k, v) for k, v in metrics.items())


def main(argv):
    args = parse(argv)
    signal.signal(signal.SIGTERM, _cancel)
    try:
        if args.probe:
            from clonnx import runtime
            from clonnx.probe import probe
            print(json.dumps(probe(args.runtime_dir or runtime.default_dir())))
            return 0
        from clonnx import pipeline, sources
        found = sources.resolve(args.source, args.int8, args.packed, args.data, args.out)
        report = pipeline.run(found, progress, compare=not args.no_compare, runtime_dir=args.runtime_dir,
                              limit=args.limit, batch=args.batch, activations=args.activations)
        print(json.dumps(report) if args.json else summary(report))
        return 0
    except ExportError as e:
        sys.stderr.write("error: %s\n" % e)
        return 2
    except ModuleNotFoundError as e:
        sys.stderr.write("error: python module '%s' is missing (apt-get install python3-%s)\n" % (e.name, e.name))
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("error: cancelled\n")
        return 130
    except MemoryError:
        sys.stderr.write("error: out of memory\n")
        return 2
    except Exception as e:  # a failure nobody foresaw still ends in one line, with its kind
        text = str(e).strip().splitlines()
        sys.stderr.write("error: unexpected %s: %s\n" % (type(e).__name__, text[-1] if text else "no message"))
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
