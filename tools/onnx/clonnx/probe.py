"""`--probe`: can the tool run here? One JSON line, for people and for the window."""
import platform
import sys

from . import runtime


def probe(runtime_dir):
    result = {"ok": False, "can_compare": False, "python": platform.python_version(), "python_path": sys.executable,
              "torch": None, "onnx": None, "runtime": None, "reasons": []}
    for module, package in (("torch", "python3-torch"), ("onnx", "python3-onnx")):
        try:
            result[module] = __import__(module).__version__
        except ImportError:
            result["reasons"].append("python module '%s' is missing (apt-get install %s)" % (module, package))
    result["ok"] = not result["reasons"]
    info, reason = runtime.probe(runtime_dir)
    if info:
        result["runtime"] = {"name": info["runtime"], "version": info["version"], "node": info["node"],
                             "directory": info["directory"]}
        result["can_compare"] = result["ok"]
    else:
        result["reasons"].append("no ONNX runtime to compare outputs with: " + reason)
    return result
