"""ONNX export of CompressLab's compressed models (tools/onnx/export_onnx.py is the entry point)."""
