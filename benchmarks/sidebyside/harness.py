#!/usr/bin/python3
"""The side-by-side harness behind benchmarks/run.sh: runs every comparison (this library against the peers a user
would pick instead, on the same inputs, on this machine), keeps the results as JSON and regenerates the results block
of benchmarks/README.md.

    harness.py run [--quick] [--only KEY,KEY] [--threads N] [--readme | --no-readme] [--command TEXT]
    harness.py render RESULTS.json       (rewrites the README block from a results file)

Keys: onnx, tokenization, imaging, inference, local, remote, cache, server, fallback. A comparison that fails is
reported as failed in the table, with the reason; the others still run.
"""

import argparse
import datetime
import json
import os
import sys
import time
import traceback

# The modules beside this file are imported, not installed: leave no bytecode cache in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import comparisons  # noqa: E402
import machine  # noqa: E402
import render  # noqa: E402
import texts  # noqa: E402
from context import Context  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = os.path.join(ROOT, "benchmarks", "README.md")


def run(args):
    started = datetime.datetime.now(datetime.timezone.utc)
    stamp = started.strftime("%Y-%m-%d-%H%M%S")
    out_dir = os.path.join(ROOT, "artifacts", "benchmarks")
    run_dir = os.path.join(out_dir, f"run-{stamp}")
    os.makedirs(run_dir, exist_ok=True)
    ctx = Context(ROOT, args.quick, args.threads, run_dir)
    with open(ctx.texts_file, "w", encoding="utf-8") as f:
        json.dump(texts.sentences(32 if args.quick else 128), f, ensure_ascii=False, indent=0)

    selected = [c for c in comparisons.ALL if not args.only or c[0] in args.only]
    unknown = set(args.only or []) - {c[0] for c in comparisons.ALL}
    if unknown:
        raise SystemExit(f"unknown comparison(s): {', '.join(sorted(unknown))}")

    results = {
        "command": args.command, "quick": args.quick, "threads": args.threads, "started": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine.detect(ROOT), "load_average": {"before": machine.load_average()}, "comparisons": [], "rows": [],
    }
    t0 = time.monotonic()
    for key, title, fn in selected:
        print(f"benchmarks: {title} ...", file=sys.stderr, flush=True)
        ctx.log = []
        load_before = machine.load_average()
        start = time.monotonic()
        try:
            rows = fn(ctx)
        except Exception as e:  # a bug in one comparison must not lose the others
            traceback.print_exc()
            rows = [comparisons.row(title, "(all)", "-", "-", status="failed", note=f"harness error: {type(e).__name__}: {e}")]
        seconds = time.monotonic() - start
        for r in rows:
            r["key"] = key
        results["rows"] += rows
        results["comparisons"].append({"key": key, "title": title, "seconds": seconds, "load_before": load_before,
                                       "load_after": machine.load_average(), "sides": ctx.log})
        bad = [r for r in rows if r["status"] == "failed"]
        print(f"benchmarks: {title}: {len(rows)} rows in {seconds:.0f} s" + (f", {len(bad)} failed: {bad[0]['note']}" if bad else ""),
              file=sys.stderr, flush=True)
    results["seconds"] = time.monotonic() - t0
    results["load_average"]["after"] = machine.load_average()

    json_path = os.path.join(out_dir, f"results-{stamp}.json")
    with open(json_path, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    relative = os.path.relpath(json_path, ROOT)
    print(render.block(results, relative))
    write_readme = args.readme if args.readme is not None else not args.quick and not args.only
    if write_readme:
        render.update_readme(README, render.block(results, relative))
        print(f"benchmarks: results block of {os.path.relpath(README, ROOT)} regenerated", file=sys.stderr)
    print(f"benchmarks: results in {relative}", file=sys.stderr)
    return 1 if any(r["status"] == "failed" for r in results["rows"]) else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="verb", required=True)
    p = sub.add_parser("run")
    p.add_argument("--quick", action="store_true", help="tiny models and few iterations: a smoke check of the plumbing")
    p.add_argument("--only", type=lambda s: [x.strip() for x in s.split(",") if x.strip()], help="comma-separated comparison keys")
    p.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)), help="thread budget of the inference comparisons (default: every usable CPU)")
    p.add_argument("--readme", dest="readme", action="store_true", default=None, help="regenerate the README block (default in a full run of everything)")
    p.add_argument("--no-readme", dest="readme", action="store_false")
    p.add_argument("--command", default="bash benchmarks/run.sh", help="the command line to record")
    r = sub.add_parser("render")
    r.add_argument("results")
    args = parser.parse_args()
    if args.verb == "run":
        return run(args)
    with open(args.results, encoding="utf-8") as f:
        results = json.load(f)
    render.update_readme(README, render.block(results, os.path.relpath(os.path.abspath(args.results), ROOT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
