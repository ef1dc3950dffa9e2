"""Summarises benchmarks/imaging/run.sh: per case, the median over rounds of each library's median wall-clock and
CPU time, and this library's speed-up over Pillow and sharp. Usage: summarize.py <results.jsonl>"""

import json
import statistics
import sys


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
    libs = {}
    cases = {}
    for r in rows:
        family = "Pillow" if r["lib"].startswith("Pillow") else "sharp" if r["lib"].startswith("sharp") else r["lib"]
        libs[family] = r["lib"]
        entry = cases.setdefault((r["image"], r["resample"]), {}).setdefault(family, {"wall": [], "cpu": []})
        entry["wall"].append(r["median_ms"])
        entry["cpu"].append(r["cpu_median_ms"])

    print("; ".join(f"{k}: {v}" for k, v in libs.items() if k in ("Pillow", "sharp")))
    print("Milliseconds per image, wall-clock (process CPU); speed-up = Pillow time / our time.")
    print()
    print("| image | filter | Pillow | sharp | ours, exact | ours, shrink-on-load | exact vs Pillow | exact vs sharp | shrink-on-load vs Pillow |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for (image, resample), by_lib in cases.items():
        m = {lib: (statistics.median(v["wall"]), statistics.median(v["cpu"])) for lib, v in by_lib.items()}
        pillow, sharp = m["Pillow"], m["sharp"]
        exact, fast = m["ours (exact)"], m["ours (shrink-on-load)"]

        def cell(t):
            return f"{t[0]:.1f} ({t[1]:.1f})"

        def ratio(a, b):
            return f"{a[0] / b[0]:.2f}x ({a[1] / b[1]:.2f}x)"

        print(f"| {image} | {resample} | {cell(pillow)} | {cell(sharp)} | {cell(exact)} | {cell(fast)} | "
              f"{ratio(pillow, exact)} | {ratio(sharp, exact)} | {ratio(pillow, fast)} |")


if __name__ == "__main__":
    main()
