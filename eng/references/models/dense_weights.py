"""Reads the Dense modules' safetensors weights with numpy and writes them as JSON.

Usage: dense_weights.py <model-folder> <output.json>
Output: {"2_Dense": {"linear.weight": {"dtype": "F32", "shape": [...], "values": [...]}, ...}, ...}
Values are written with repr() of float32 widened to float64, so they round-trip exactly.
"""
import json
import os
import struct
import sys

import numpy as np

DTYPES = {"F32": "<f4", "F16": "<f2", "BF16": None}


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = data[begin:end]
        if entry["dtype"] == "BF16":
            values = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            values = np.frombuffer(raw, DTYPES[entry["dtype"]]).astype(np.float32)
        tensors[name] = {
            "dtype": entry["dtype"],
            "shape": entry["shape"],
            "values": [float(v) for v in values.reshape(-1)],
        }
    return tensors


def main():
    folder, output = sys.argv[1], sys.argv[2]
    with open(os.path.join(folder, "modules.json")) as f:
        modules = json.load(f)
    result = {}
    for module in modules:
        weights = os.path.join(folder, module["path"], "model.safetensors")
        if module["type"].endswith(".Dense") and os.path.exists(weights):
            result[module["path"]] = read_safetensors(weights)
    with open(output, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
