"""Joins the Pillow, sharp and BenchmarkDotNet results of benchmarks/imaging/run.sh into one table with ratios.
Usage: summarize.py <peers.jsonl> <BenchmarkDotNet full JSON report>"""

import json
import sys


def main():
    peers = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
    report = json.load(open(sys.argv[2]))
    ours = {}
    for b in report["Benchmarks"]:
        params = dict(p.split("=", 1) for p in b["Parameters"].split("&"))
        ours[(params["Image"], params["Resample"], b["Method"])] = b["Statistics"]["Median"] / 1e6

    def peer(lib, image, resample):
        return next(p for p in peers if p["lib"].startswith(lib) and p["image"] == image and p["resample"] == resample)

    print(f"Pillow: {peers[0]['lib']}; sharp: {next(p['lib'] for p in peers if p['lib'].startswith('sharp'))}")
    print("| image | filter | Pillow ms | sharp ms | ours exact ms | ours shrink-on-load ms | exact vs Pillow | exact vs sharp | shrink-on-load vs Pillow |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for image, resample, method in ours:
        if method != "Exact":
            continue
        pillow = peer("Pillow", image, resample)["median_ms"]
        sharp = peer("sharp", image, resample)["median_ms"]
        exact = ours[(image, resample, "Exact")]
        fast = ours[(image, resample, "ShrinkOnLoad")]
        print(f"| {image} | {resample} | {pillow:.1f} | {sharp:.1f} | {exact:.1f} | {fast:.1f} | "
              f"{pillow / exact:.2f}x | {sharp / exact:.2f}x | {pillow / fast:.2f}x |")


if __name__ == "__main__":
    main()
