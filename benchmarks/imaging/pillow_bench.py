"""Pillow timing for benchmarks/imaging/run.sh: encoded JPEG bytes -> 224x224 pixel_values, one thread.

The pipeline gives the same tensor as the library's exact path (the parity tests check that): Image.open ->
ImageOps.exif_transpose -> convert("RGB") -> resize((224, 224), filter) -> float32 rescale/normalize -> CHW.
It skips transformers' numpy -> PIL -> numpy round trip around the resize, which only makes Python slower.
Prints one JSON object per case: wall-clock and process CPU time (all threads) per image. Usage: pillow_bench.py <min seconds> <min runs> <file>...
"""

import io
import json
import os
import sys
import time

import numpy as np
from PIL import Image, ImageOps, __version__ as pillow_version

MEAN = np.array([0.5, 0.5, 0.5], dtype=np.float32)
STD = np.array([0.5, 0.5, 0.5], dtype=np.float32)


def pipeline(data, resample):
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    array = np.asarray(image.resize((224, 224), resample=resample, reducing_gap=None))
    array = (array.astype(np.float64) * (1 / 255)).astype(np.float32)
    return np.ascontiguousarray(((array - MEAN) / STD).transpose(2, 0, 1))


def main():
    min_seconds, min_runs = float(sys.argv[1]), int(sys.argv[2])
    for path in sys.argv[3:]:
        data = open(path, "rb").read()
        for name, resample in (("Bilinear", Image.Resampling.BILINEAR), ("Bicubic", Image.Resampling.BICUBIC)):
            pipeline(data, resample)  # warm-up
            times, cpu = [], []
            start = time.perf_counter()
            while len(times) < min_runs or time.perf_counter() - start < min_seconds:
                t, c = time.perf_counter(), time.process_time()
                pipeline(data, resample)
                cpu.append((time.process_time() - c) * 1000)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            cpu.sort()
            print(json.dumps({"lib": f"Pillow {pillow_version}", "image": os.path.basename(path), "resample": name,
                              "median_ms": times[len(times) // 2], "min_ms": times[0],
                              "cpu_median_ms": cpu[len(cpu) // 2], "runs": len(times)}), flush=True)


if __name__ == "__main__":
    main()
