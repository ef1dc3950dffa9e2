"""The comparisons of benchmarks/run.sh: each runs this library and its peers on the same inputs, each side in its own
process (so each side's peak memory is its own), and turns the results into rows of the results table. Every row
names its target (from the component's issue) or "-" where the issue asks for a figure but sets none."""

import json
import os
import socket

from runner import SideFailed, alternate, median

# Where the three 1920 px photos and the 4000 px one live; the end-to-end image stream cycles the 1920 px ones.
PHOTOS_1920 = ["landscape_mountains.jpg", "building_city_skyline.jpg", "cat_bamboo_chair.jpg"]
PHOTO_4000 = "landscape_mountains_4000px.jpg"
# The streaming-memory figure cycles small real JPEGs (grey, CMYK, EXIF-rotated among them), so 10,000 fit the time budget.
SMALL_JPEGS = ["dog_beach.jpg", "rocket_launch.jpg", "coffee_exif_orientation6.jpg", "camera_grayscale.jpg", "coffee_cmyk.jpg"]

NOT_ON_MAIN = "pending: {what} is not on main yet (branch `{branch}`)"


def row(area, metric, threads, target, *, ours=None, ours_value=None, peer_name="", peer=None, peer_value=None,
        ratio=None, ratio_kind="faster", met=None, rss_ours=None, rss_peer=None, same_process=False, status="ok", note=""):
    """One line of the results table. ratio_kind: "faster" (peer time / our time: above 1 we are faster),
    "fraction" (our throughput as a fraction of a reference), "overhead" (our time / peer time: below 1 we add less).
    same_process: both sides ran in one process, whose peak memory is rss_ours."""
    return {"area": area, "metric": metric, "threads": threads, "target": target, "ours": ours, "ours_value": ours_value,
            "peer_name": peer_name, "peer": peer, "peer_value": peer_value, "ratio": ratio, "ratio_kind": ratio_kind,
            "met": met, "rss_ours": rss_ours, "rss_peer": rss_peer, "same_process": same_process, "status": status, "note": note}


def failed(rows, reason):
    """The planned rows of a comparison (or part of one) that could not be measured, with the reason."""
    return [dict(r, status="failed", note=reason, ours=None, peer=None, ratio=None, met=None) for r in rows]


def guarded(planned, measure):
    """measure() or, when a side fails, the planned rows marked failed: one failure never stops the harness."""
    try:
        return measure()
    except SideFailed as e:
        return failed(planned, str(e))
    except (KeyError, IndexError, ValueError, TypeError, ZeroDivisionError, OSError) as e:
        return failed(planned, f"could not read the results: {type(e).__name__}: {e}")


def peak(results):
    return max(r.max_rss_mb for r in results)


def ms(value):
    return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


def gflops(gflop, milliseconds):
    """GFLOP/s achieved: the model's FLOP count for the work done over the time taken."""
    rate = gflop / (milliseconds / 1000)
    return f"{rate:.0f} GFLOP/s" if rate >= 10 else f"{rate:.2f} GFLOP/s"


# ---------------------------------------------------------------------------------------------------------------
# ONNX Runtime binding: per-Run overhead against onnxruntime-node on the tiny ort-dtypes model.
# ---------------------------------------------------------------------------------------------------------------

def onnx_overhead(ctx):
    area = "ONNX binding"
    threads = "1 intra-op, 1 inter-op"
    model = ctx.path("artifacts", "models", "tiny", "ort-dtypes", "model.onnx")
    runs, rounds = (2000, 3) if ctx.quick else (20000, 6)
    planned = [row(area, "time per Run, tiny ort-dtypes model (5 inputs, 9 outputs, batch 2), arena off", threads, "-"),
               row(area, "managed allocations per Run, steady state", threads, "zero or a few small (<= 256 B)")]

    def measure():
        res = alternate(ctx.rounds(2), {
            "ours": lambda: ctx.ours("ours (binding)", "side", "onnx-run", "--model", model, "--runs", runs, "--rounds", rounds),
            "peer": lambda: ctx.peer("onnxruntime-node", ["node", "eng/references/onnx/bench.mjs", model, runs]),
        })
        ours_us = median([r.one(kind="onnx-run")["median_us"] for r in res["ours"]])
        peer_us = median([r.lines[0]["medianMicrosecondsPerRun"] for r in res["peer"]])
        alloc = max(r.one(kind="onnx-run")["allocated_bytes_per_run"] for r in res["ours"])
        return [
            dict(planned[0], ours=f"{ours_us:.1f} us", ours_value=ours_us, peer_name="onnxruntime-node", peer=f"{peer_us:.1f} us",
                 peer_value=peer_us, ratio=peer_us / ours_us, rss_ours=peak(res["ours"]), rss_peer=peak(res["peer"]),
                 note=f"median over {len(res['ours'])} process(es) per side of the median of {rounds - 1} rounds of {runs} runs"),
            dict(planned[1], ours=f"{alloc:.0f} B", ours_value=alloc, peer_name="onnxruntime-node", peer="n/a (JavaScript)",
                 met=alloc <= 256, rss_ours=peak(res["ours"])),
        ]

    return guarded(planned, measure)


# ---------------------------------------------------------------------------------------------------------------
# Tokenization: load and batch-encode against Hugging Face's Rust tokenizers (npm `tokenizers`), one thread.
# ---------------------------------------------------------------------------------------------------------------

TOKENIZERS = [("gemma3", "Gemma 3"), ("clip", "CLIP"), ("minilm", "MiniLM (WordPiece)")]


def tokenization(ctx):
    area = "Tokenization"
    loads, runs, warmup = (3, 3, 1) if ctx.quick else (5, 15, 3)
    planned = [row(area, "Gemma 3 tokenizer.json load (33 MB, 262,144 tokens, 514,906 merges), median", "see note", "< 1 s")]
    planned += [row(area, f"encode the 2,365-string corpus, {label} (special tokens, no padding)", "1", ">= 1x Rust")
                for _, label in TOKENIZERS]

    def measure():
        res = alternate(ctx.rounds(2), {
            "ours": lambda: ctx.ours("ours (tokenizer)", "side", "tokenize", "--loads", loads, "--runs", runs, "--warmup-seconds", warmup),
            "peer": lambda: ctx.peer("tokenizers (Rust, napi)", ["node", "eng/references/tokenization/bench.mjs"], env={
                "RAYON_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false", "BENCH_LOADS": str(loads), "BENCH_RUNS": str(runs)}),
        })
        rss_o, rss_p = peak(res["ours"]), peak(res["peer"])
        ours = {name: [r.one(kind="tokenize", tokenizer=name) for r in res["ours"]] for name, _ in TOKENIZERS}
        peer = {name: [r.one(tokenizer=name) for r in res["peer"]] for name, _ in TOKENIZERS}
        load_o = median([x["load_median_ms"] for x in ours["gemma3"]])
        load_p = median([x["loadMedianMs"] for x in peer["gemma3"]])
        rows = [dict(planned[0], ours=ms(load_o), ours_value=load_o, peer_name="tokenizers 0.23 (Rust)", peer=ms(load_p),
                     peer_value=load_p, ratio=load_p / load_o, met=load_o < 1000, rss_ours=rss_o, rss_peer=rss_p,
                     note="ours may resolve the merges on a second core while reading; Rust's fromFile uses one")]
        for k, (name, _) in enumerate(TOKENIZERS, start=1):
            o_ms = median([x["median_ms"] for x in ours[name]])
            p_ms = median([x["encodeMedianMs"] for x in peer[name]])
            tokens_o, tokens_p = ours[name][0]["tokens"], peer[name][0]["tokens"]
            note = "same token total on both sides" if tokens_o == tokens_p else f"token totals differ: ours {tokens_o}, Rust {tokens_p}"
            ratio = p_ms / o_ms
            rows.append(dict(planned[k], ours=f"{ms(o_ms)} ({tokens_o / o_ms / 1000:.2f} M tokens/s)", ours_value=o_ms,
                             peer_name="tokenizers 0.23 (Rust) encodeBatch", peer=f"{ms(p_ms)} ({tokens_p / p_ms / 1000:.2f} M tokens/s)",
                             peer_value=p_ms, ratio=ratio, met=ratio >= 1 and tokens_o == tokens_p, rss_ours=rss_o, rss_peer=rss_p, note=note))
        return rows

    return guarded(planned, measure)


# ---------------------------------------------------------------------------------------------------------------
# Imaging: JPEG bytes -> 224x224 normalized CHW float32, one thread, against Pillow (the reference) and sharp.
# ---------------------------------------------------------------------------------------------------------------

def imaging(ctx):
    area = "Imaging"
    seconds, runs = (0.5, 5) if ctx.quick else (2, 10)
    files = [ctx.path("testdata", "images", PHOTOS_1920[0]), ctx.path("testdata", "images", PHOTO_4000)]
    cases = [(PHOTOS_1920[0], "1920x1280 progressive"), (PHOTO_4000, "4000x2667 baseline")]
    planned = []
    for image, label in cases:
        for resample in ("Bilinear", "Bicubic"):
            what = f"decode + resize + normalize to 224, {label} JPEG, {resample.lower()}"
            planned += [row(area, f"{what}: exact (Pillow's output) vs Pillow", "1", ">= 2x Pillow"),
                        row(area, f"{what}: exact vs sharp", "1", "-"),
                        row(area, f"{what}: shrink-on-load vs sharp (both shrink JPEGs on load)", "1", "-")]

    def measure():
        res = alternate(ctx.rounds(3), {
            "ours": lambda: ctx.ours("ours (imaging)", "side", "image", "--min-seconds", seconds, "--min-runs", runs, *files),
            "Pillow": lambda: ctx.peer("Pillow", ["/usr/bin/python3", "benchmarks/imaging/pillow_bench.py", seconds, runs, *files],
                                       env={"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}),
            "sharp": lambda: ctx.peer("sharp", ["node", "benchmarks/imaging/sharp_bench.mjs", seconds, runs, *files],
                                      env={"UV_THREADPOOL_SIZE": "1"}),
        })
        rss = {k: peak(v) for k, v in res.items()}
        pillow_name = res["Pillow"][0].lines[0]["lib"]
        sharp_name = res["sharp"][0].lines[0]["lib"]

        def time_of(side, image, resample, lib=None):
            lines = [r.one(image=image, resample=resample, **({"lib": lib} if lib else {})) for r in res[side]]
            return median([x["median_ms"] for x in lines]), median([x["cpu_median_ms"] for x in lines])

        def cell(t):
            return f"{ms(t[0])} (CPU {ms(t[1])})"

        rows = []
        k = 0
        for image, _ in cases:
            for resample in ("Bilinear", "Bicubic"):
                exact = time_of("ours", image, resample, "ours (exact)")
                fast = time_of("ours", image, resample, "ours (shrink-on-load)")
                pillow = time_of("Pillow", image, resample)
                sharp = time_of("sharp", image, resample)
                ratio = pillow[0] / exact[0]
                rows += [
                    dict(planned[k], ours=cell(exact), ours_value=exact[0], peer_name=pillow_name, peer=cell(pillow), peer_value=pillow[0],
                         ratio=ratio, met=ratio >= 2, rss_ours=rss["ours"], rss_peer=rss["Pillow"],
                         note=f"CPU-time ratio {pillow[1] / exact[1]:.2f}x"),
                    dict(planned[k + 1], ours=cell(exact), ours_value=exact[0], peer_name=sharp_name, peer=cell(sharp), peer_value=sharp[0],
                         ratio=sharp[0] / exact[0], rss_ours=rss["ours"], rss_peer=rss["sharp"],
                         note="sharp shrinks on load and resizes with its own kernels: not the same output"),
                    dict(planned[k + 2], ours=cell(fast), ours_value=fast[0], peer_name=sharp_name, peer=cell(sharp), peer_value=sharp[0],
                         ratio=sharp[0] / fast[0], rss_ours=rss["ours"], rss_peer=rss["sharp"],
                         note="opt-in fast path; differs slightly from Pillow's output"),
                ]
                k += 3
        return rows

    return guarded(planned, measure)


# ---------------------------------------------------------------------------------------------------------------
# Inference alone: the binding against onnxruntime-node on the full-size models, pre-made tensors, same threads.
# ---------------------------------------------------------------------------------------------------------------

def _inference_models(ctx):
    """(folder, onnx file, label, configurations, FLOPs function, options, rounds)."""
    if ctx.quick:
        return [
            ("siglip2", "onnx/vision_model.onnx", "tiny SigLIP2 vision", "1,8",
             lambda b, s: ctx.flops("siglip2", "vision_model per image"), dict(min_runs=5, min_seconds=0.5), 1),
            ("embeddinggemma", "onnx/model.onnx", "tiny EmbeddingGemma", "16x64",
             lambda b, s: ctx.text_flops("embeddinggemma", s), dict(min_runs=5, min_seconds=0.5), 1),
        ]
    return [
        ("siglip2-base-patch16-224", "onnx/vision_model.onnx", "SigLIP2 base-patch16-224 vision", "1,8",
         lambda b, s: ctx.flops("siglip2-base-patch16-224", "vision_model per image"), dict(min_runs=5, min_seconds=5), 2),
        ("siglip2-so400m-patch14-384", "onnx/vision_model.onnx", "SigLIP2 so400m-patch14-384 vision", "1",
         lambda b, s: ctx.flops("siglip2-so400m-patch14-384", "vision_model per image"), dict(min_runs=3, min_seconds=0), 1),
        ("embeddinggemma-300m", "onnx/model.onnx", "EmbeddingGemma-300m", "1x64,16x64",
         lambda b, s: ctx.text_flops("embeddinggemma-300m", s), dict(min_runs=5, min_seconds=5), 2),
    ]


def inference(ctx):
    area = "Inference alone"
    threads = f"{ctx.threads} intra-op, 1 inter-op"
    rows = []
    for folder, onnx_file, label, configs, flops, options, rounds in _inference_models(ctx):
        model = os.path.join(ctx.model_dir(folder), onnx_file)
        parsed = [tuple(int(x) for x in c.split("x")) + (0,) for c in configs.split(",")]
        planned = [row(area, f"{label}, batch {b}" + (f" x {s} tokens" if s else "") + ", pre-made tensors, arena off", threads, "-")
                   for b, s, *_ in parsed]
        vocab = "262144"
        timing = ["--min-runs", options["min_runs"], "--min-seconds", options["min_seconds"], "--warmup", 1]

        def measure(folder=folder, model=model, configs=configs, parsed=parsed, planned=planned, flops=flops, rounds=rounds, timing=timing):
            res = alternate(ctx.rounds(rounds), {
                "ours": lambda: ctx.ours(f"ours (binding) {folder}", "side", "inference", "--model", model, "--threads", ctx.threads,
                                         "--configs", configs, "--vocab", vocab, *timing, timeout=900),
                "peer": lambda: ctx.peer(f"onnxruntime-node {folder}", ["node", "benchmarks/sidebyside/ort_inference.mjs", "--model", model,
                                                                         "--threads", ctx.threads, "--configs", configs, "--vocab", vocab, *timing],
                                         timeout=900),
            })
            out = []
            for (b, s, *_), planned_row in zip(parsed, planned):
                o = median([r.one(kind="inference", batch=b, sequence=s)["median_ms"] for r in res["ours"]])
                p = median([r.one(kind="inference", batch=b, sequence=s)["median_ms"] for r in res["peer"]])
                work = flops(b, s) * b / 1e9
                unit = "text" if s else "img"
                ctx.floor[(folder, b, s)] = {"ours_ms": o, "peer_ms": p, "gflop": work}
                out.append(dict(planned_row, ours=f"{ms(o / b)}/{unit}, {gflops(work, o)}", ours_value=o,
                                peer_name="onnxruntime-node 1.30", peer=f"{ms(p / b)}/{unit}, {gflops(work, p)}",
                                peer_value=p, ratio=p / o, rss_ours=peak(res["ours"]), rss_peer=peak(res["peer"]),
                                note=f"same native ONNX Runtime; load {median([r.one(kind='inference')['load_ms'] for r in res['ours']]) / 1000:.1f} s"
                                     f" vs {median([r.one(kind='inference')['load_ms'] for r in res['peer']]) / 1000:.1f} s"))
            return out

        rows += guarded(planned, measure)
    return rows


# ---------------------------------------------------------------------------------------------------------------
# Local provider end to end: images and texts to vectors, against transformers.js (+ onnxruntime-node, sharp).
# ---------------------------------------------------------------------------------------------------------------

def local_e2e(ctx):
    area = "Local provider"
    threads = f"{ctx.threads} (ONNX Runtime intra-op; + image decoding)"
    vision = "siglip2" if ctx.quick else "siglip2-base-patch16-224"
    text = "embeddinggemma" if ctx.quick else "embeddinggemma-300m"
    count, image_batch = (8, 8) if ctx.quick else (24, 8)
    stream_count = 1000 if ctx.quick else 10_000
    with open(ctx.texts_file, encoding="utf-8") as f:
        n_texts = len(json.load(f))
    text_batch = 16
    images = [ctx.path("testdata", "images", f) for f in PHOTOS_1920]
    small = [ctx.path("testdata", "images", f) for f in SMALL_JPEGS]
    image_rows = [
        row(area, f"images/s end to end (JPEG bytes -> normalized vector), {vision}, {count} photos of 1920 px, batch {image_batch}",
            threads, ">= 2x transformers.js"),
        row(area, f"images/s end to end vs inference alone on pre-made tensors (same library and model, batch {image_batch})", threads, ">= 0.9x"),
        row(area, f"GFLOP/s end to end, {vision}, vs the onnxruntime-node floor", threads, "-"),
    ]
    text_rows = [
        row(area, f"texts/s end to end, {text}, {n_texts} English sentences of 10-40 words, batch {text_batch}", threads, ">= 1.5x transformers.js"),
        row(area, f"GFLOP/s end to end, {text}, vs the onnxruntime-node floor", threads, "-"),
    ]
    stream_rows = [row(area, f"resident memory streaming {stream_count:,} images (tiny SigLIP2, {len(small)} real JPEGs of 400-800 px cycled)",
                       threads, "flat: after a full collection at the end within 10 % (or 32 MB) of the same after the first tenth")]
    timing = ["--warmup", 1, "--min-runs", 1 if ctx.quick else 2, "--min-seconds", 0 if ctx.quick else 5]

    def floor_rate(key):
        floor = ctx.floor.get(key)
        return (key[1] / (floor["ours_ms"] / 1000), floor) if floor else (None, None)

    def measure_vision():
        res = alternate(ctx.rounds(2), {
            "peer": lambda: ctx.peer("transformers.js vision", [
                "node", "benchmarks/sidebyside/tjs_e2e.mjs", "vision", "--model-dir", ctx.model_dir(vision), "--images", ",".join(images),
                "--count", count, "--batch", image_batch, "--threads", ctx.threads, *timing], timeout=900),
            "ours": lambda: ctx.ours("ours (LocalOnnxProvider) images", "side", "local-images", "--model-dir", ctx.model_dir(vision),
                                     "--images", ",".join(images), "--count", count, "--batch", image_batch, "--threads", ctx.threads,
                                     *timing, timeout=900),
        })
        gflop = ctx.flops(vision, "vision_model per image") / 1e9
        p_ms = median([r.one(kind="e2e-vision")["median_ms"] for r in res["peer"]])
        peer_rate = count / (p_ms / 1000)
        peer_cell = f"{peer_rate:.2f} img/s, {gflops(count * gflop, p_ms)}"
        alone_rate, floor = floor_rate((vision, image_batch, 0))
        floor_gflops = gflops(floor["gflop"], floor["peer_ms"]) + f" (batch {image_batch})" if floor else "not measured (run the inference comparison too)"
        o_ms = median([r.one(kind="local-images")["median_ms"] for r in res["ours"]])
        rate = count / (o_ms / 1000)
        ours_cell = f"{rate:.2f} img/s, {gflops(count * gflop, o_ms)}"
        # Inference alone: the provider's own session on the same images' tensors, timed in turn with end to end.
        t_ms = median([r.one(kind="local-images-tensors")["median_ms"] for r in res["ours"]])
        tensors_rate = count / (t_ms / 1000)
        fraction = rate / tensors_rate
        rss_o = peak(res["ours"])
        rows = [dict(image_rows[0], ours=ours_cell, ours_value=rate, peer_name="transformers.js 4.3.1", peer=peer_cell, peer_value=peer_rate,
                     ratio=p_ms / o_ms, met=p_ms / o_ms >= 2, rss_ours=rss_o, rss_peer=peak(res["peer"])),
                dict(image_rows[1], ours=ours_cell, ours_value=rate, peer_name="our inference alone (pre-made tensors, same session)",
                     peer=f"{tensors_rate:.2f} img/s, {gflops(count * gflop, t_ms)}", peer_value=tensors_rate, ratio=fraction,
                     ratio_kind="fraction", met=fraction >= 0.9, rss_ours=rss_o, same_process=True,
                     note="timed in turn in one process" + (f"; OnnxSession alone in the inference comparison: {alone_rate:.2f} img/s" if alone_rate else ""))]
        if floor:
            floor_rate_gflops = floor["gflop"] / (floor["peer_ms"] / 1000)
            rows.append(dict(image_rows[2], ours=gflops(count * gflop, o_ms), ours_value=count * gflop / (o_ms / 1000), peer_name="onnxruntime-node floor",
                             peer=floor_gflops, peer_value=floor_rate_gflops, ratio=count * gflop / (o_ms / 1000) / floor_rate_gflops, ratio_kind="fraction"))
        else:
            rows += failed(image_rows[2:], "the inference comparison did not run in this invocation (--only): no floor to compare with")
        return rows

    def measure_text():
        res = alternate(ctx.rounds(2), {
            "peer": lambda: ctx.peer("transformers.js text", [
                "node", "benchmarks/sidebyside/tjs_e2e.mjs", "text", "--model-dir", ctx.model_dir(text), "--texts", ctx.texts_file,
                "--batch", text_batch, "--threads", ctx.threads, *timing], timeout=900),
            "ours": lambda: ctx.ours("ours (LocalOnnxProvider) texts", "side", "local-texts", "--model-dir", ctx.model_dir(text),
                                     "--texts", ctx.texts_file, "--batch", text_batch, "--threads", ctx.threads, *timing, timeout=900),
        })
        p_line = res["peer"][0].one(kind="e2e-text")
        p_ms = median([r.one(kind="e2e-text")["median_ms"] for r in res["peer"]])
        useful = sum(ctx.text_flops(text, t) for t in p_line["token_counts"]) / 1e9
        peer_rate = n_texts / (p_ms / 1000)
        peer_cell = f"{peer_rate:.1f} texts/s, {gflops(useful, p_ms)}"
        floor = ctx.floor.get((text, 16, 64))
        floor_gflops = gflops(floor["gflop"], floor["peer_ms"]) + " (16 x 64 tokens)" if floor else "not measured (run the inference comparison too)"
        note = f"GFLOP/s count each text's unpadded tokens ({sum(p_line['token_counts'])} in all)"
        o_line = res["ours"][0].one(kind="local-texts")
        o_ms = median([r.one(kind="local-texts")["median_ms"] for r in res["ours"]])
        if o_line["token_counts"] != p_line["token_counts"]:
            note += "; the two sides' token counts differ"
        rate = n_texts / (o_ms / 1000)
        rows = [dict(text_rows[0], ours=f"{rate:.1f} texts/s, {gflops(useful, o_ms)}", ours_value=rate, peer_name="transformers.js 4.3.1",
                     peer=peer_cell, peer_value=peer_rate, ratio=p_ms / o_ms, met=p_ms / o_ms >= 1.5, rss_ours=peak(res["ours"]),
                     rss_peer=peak(res["peer"]), note=note)]
        if floor:
            floor_rate_gflops = floor["gflop"] / (floor["peer_ms"] / 1000)
            rows.append(dict(text_rows[1], ours=gflops(useful, o_ms), ours_value=useful / (o_ms / 1000), peer_name="onnxruntime-node floor",
                             peer=floor_gflops, peer_value=floor_rate_gflops, ratio=useful / (o_ms / 1000) / floor_rate_gflops, ratio_kind="fraction",
                             note="end to end pads each batch to its longest text; the floor runs full 64-token rows"))
        else:
            rows += failed(text_rows[1:], "the inference comparison did not run in this invocation (--only): no floor to compare with")
        return rows

    def measure_stream():
        r = ctx.ours("ours (LocalOnnxProvider) stream", "side", "local-stream", "--model-dir", ctx.model_dir("siglip2") if ctx.quick
                     else ctx.path("artifacts", "models", "tiny", "siglip2"), "--images", ",".join(small), "--count", stream_count,
                     "--threads", ctx.threads, timeout=900)
        x = r.one(kind="local-stream")
        first, top, settled, end = x["rss_mb_first"], x["rss_mb_max"], x["rss_mb_settled"], x["rss_mb_after_collect"]
        return [dict(stream_rows[0], ours=f"RSS {settled:.0f} MB after {stream_count // 10:,} images, {end:.0f} MB after all {stream_count:,} "
                                          f"(both after a full collection), at most {top:.0f} MB; {x['images'] / x['seconds']:.0f} img/s",
                     ours_value=end - settled, met=end - settled <= max(32, 0.1 * settled), rss_ours=r.max_rss_mb,
                     note=f"RSS sampled from /proc/self/status every 5 % without forcing a collection: {first:.0f} MB at the first sample, "
                          f"{top:.0f} MB at most; managed heap {x['managed_mb_samples'][0]:.0f} MB at the first sample, "
                          f"{max(x['managed_mb_samples']):.0f} MB at most, {x['managed_mb_after_collect']:.0f} MB after the final collection; "
                          f"peak RSS measured from outside")]

    return guarded(image_rows, measure_vision) + guarded(text_rows, measure_text) + guarded(stream_rows, measure_stream)


# ---------------------------------------------------------------------------------------------------------------
# Remote client: overhead per batch against a raw HttpClient, and 500 concurrent callers (one process: a loopback
# server and both clients; the figures are alternating pairs in that process).
# ---------------------------------------------------------------------------------------------------------------

def remote(ctx):
    area = "Remote client"
    pairs = 200 if ctx.quick else 2000
    rounds = 1 if ctx.quick else 7
    overhead_rows = [row(area, f"time per batch of {b} texts (768-d, loopback TEI-style server): provider / raw HttpClient", "thread pool",
                         "<= 1.10x" if b == 10 else "-") for b in (1, 10, 32)]
    load_rows = [row(area, f"500 concurrent callers, server answering after 20 ms: {label}", "thread pool",
                     "no starvation (every call succeeds, a 10 ms timer never > 250 ms late)")
                 for label in ("MaxConcurrentRequests=8 (default)", "MaxConcurrentRequests=64", "MaxConcurrentRequests=500")]

    def measure_overhead():
        r = ctx.ours("ours (remote overhead, with the raw client in the same process)", "remote-overhead", "--pairs", pairs, "--json")
        out = []
        for b, planned in zip((1, 10, 32), overhead_rows):
            x = r.one(kind="remote-overhead", batch=b)
            out.append(dict(planned, ours=f"{x['provider_median_us']:.0f} us", ours_value=x["provider_median_us"], peer_name="raw HttpClient + System.Text.Json",
                            peer=f"{x['raw_median_us']:.0f} us", peer_value=x["raw_median_us"], ratio=x["ratio_median"], ratio_kind="overhead",
                            met=x["ratio_median"] <= 1.10 if b == 10 else None, rss_ours=r.max_rss_mb, same_process=True,
                            note=f"median of {pairs} alternating pairs' ratios (p25 {x['ratio_p25']:.2f}, p75 {x['ratio_p75']:.2f})"))
        return out

    def measure_load():
        r = ctx.ours("ours (remote load, with the raw client in the same process)", "remote-load", "--rounds", rounds, "--json")
        raw = next(x for x in r.where(kind="remote-load") if x["scenario"].startswith("raw"))
        out = []
        for bound, planned in zip((8, 64, 500), load_rows):
            x = next(x for x in r.where(kind="remote-load") if x["scenario"].endswith(f"={bound}") or x["scenario"].endswith(f"={bound} (default)"))
            ok = x["failed"] == 0 and x["timer_late_max_ms"] < 250
            out.append(dict(planned, ours=f"{x['calls_per_s']:.0f} calls/s, p99 {x['p99_ms']:.0f} ms, pool {x['pool_threads_max']} threads, timer late <= {x['timer_late_max_ms']:.0f} ms, {x['failed']} failed",
                            peer_name="raw HttpClient, unbounded",
                            peer=f"{raw['calls_per_s']:.0f} calls/s, p99 {raw['p99_ms']:.0f} ms, pool {raw['pool_threads_max']} threads, timer late <= {raw['timer_late_max_ms']:.0f} ms",
                            met=ok, rss_ours=r.max_rss_mb, same_process=True, note=f"median of {rounds} rounds; the default bound of 8 protects the service, not the client"))
        return out

    return guarded(overhead_rows, measure_overhead) + guarded(load_rows, measure_load)


# ---------------------------------------------------------------------------------------------------------------
# Cache: hit latency against computing (a provider doing no work, a loopback HTTP service) - BenchmarkDotNet.
# ---------------------------------------------------------------------------------------------------------------

def cache(ctx):
    area = "Cache"
    pairs = 300 if ctx.quick else 3000
    cases = [
        ("Hit_Memory", "Compute_LoopbackHttp", "hit, one text, in memory vs computing through a loopback HTTP service (768 floats)", "loopback HTTP round trip"),
        ("Hit_Redis", "Compute_LoopbackHttp", "hit, one text, Redis on loopback vs the same HTTP round trip", "loopback HTTP round trip"),
        ("Hit_Memory", "Compute_NoWorkProvider", "hit, one text, in memory vs a provider that does no work (what a hit costs)", "provider doing no work"),
        ("Hit_Memory_Batch", "Compute_LoopbackHttp_Batch", "hit, 32 texts, in memory vs the HTTP round trip for the batch", "loopback HTTP round trip"),
        ("Hit_Redis_Batch", "Compute_LoopbackHttp_Batch", "hit, 32 texts, Redis vs the HTTP round trip for the batch", "loopback HTTP round trip"),
    ]
    planned = [row(area, metric, "1 caller", "-") for _, _, metric, _ in cases]

    def measure():
        r = ctx.ours("ours (cache: redis-server and a loopback HTTP service in the same process)", "side", "cache", "--pairs", pairs)
        rows = []
        for planned_row, (hit, reference, _, peer_name) in zip(planned, cases):
            x = r.one(kind="cache", measured=hit, reference=reference)
            o, p = x["measured_median_us"], x["reference_median_us"]
            rows.append(dict(planned_row, ours=f"{o:.1f} us", ours_value=o, peer_name=peer_name, peer=f"{p:.1f} us", peer_value=p,
                             ratio=x["ratio_median"], rss_ours=r.max_rss_mb, same_process=True,
                             note=f"median of {pairs} alternating pairs' ratios"))
        return rows

    return guarded(planned, measure)


# ---------------------------------------------------------------------------------------------------------------
# Components whose code is not on main yet: their rows stay in the table as pending, so the targets stay visible.
# ---------------------------------------------------------------------------------------------------------------

def server(ctx):
    area = "Server"
    concurrency = (1, 8, 64)
    per_call, per_input = 10, 1
    fake = f"fake model: {per_call} ms per call + {per_input} ms per input, one call at a time"
    planned = [row(area, f"POST /predict at concurrency {c} (wrk, a second process), {fake}: MapEmbeddings vs a bare endpoint",
                   "server: thread pool; wrk: 1-2 threads", "report") for c in concurrency]

    def measure():
        if not os.path.isfile(ctx.path("benchmarks", "server", "run.sh")):
            return [dict(r, status="pending", note=NOT_ON_MAIN.format(what="the server harness", branch="hosting")) for r in planned]
        r = ctx.peer("benchmarks/server/run.sh (both servers and wrk)", ["bash", "benchmarks/server/run.sh"], env={
            "DURATION": "2s" if ctx.quick else "10s", "ROUNDS": "1" if ctx.quick else "2", "CONCURRENCY": " ".join(map(str, concurrency)),
            "PER_CALL_MS": str(per_call), "PER_INPUT_MS": str(per_input), "PORT": str(free_port())}, timeout=900, expect_lines=False)
        cells = {}
        for line in r.stdout_lines:
            parts = [p.strip() for p in line.strip().strip("|").split("|")]
            # server | connections | requests/s | p50 | p99 | non-2xx | timeouts | inputs per model call
            if len(parts) == 8 and parts[0] in ("embeddings", "bare") and parts[1].isdigit():
                cells[(parts[0], int(parts[1]))] = parts
        out = []
        for c, planned_row in zip(concurrency, planned):
            ours, bare = cells.get(("embeddings", c)), cells.get(("bare", c))
            if not ours or not bare:
                raise SideFailed(f"benchmarks/server/run.sh printed no row for concurrency {c}")

            def cell(x):
                return (f"{x[2]} req/s, p50 {x[3]} ms, p99 {x[4]} ms, {x[7]} inputs per model call" + (f", {x[5]} non-2xx" if x[5] != "0" else "")
                        + (f", {x[6]} timeouts" if x[6] != "0" else ""))

            out.append(dict(planned_row, ours=cell(ours), ours_value=float(ours[2]), peer_name="bare minimal-API endpoint, one model call per request",
                            peer=cell(bare), peer_value=float(bare[2]), ratio=float(ours[2]) / float(bare[2]), rss_ours=r.max_rss_mb, same_process=True,
                            note="requests/s ratio; " + fake + " (not a real model: real-model figures need the local provider); "
                                 "peak RSS: the largest process of the script (a server or wrk)"))
        return out

    return guarded(planned, measure)


def free_port():
    """A loopback port nobody listens on now: the machine may run other servers (7860, the default, included)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fallback(ctx):
    area = "Fallback"
    pairs = 300 if ctx.quick else 3000
    cases = [
        ("RemoteViaFallback", "RemoteDirect", "healthy remote primary (HuggingFaceProvider, loopback TEI-style server): through the fallback vs calling it directly"),
        ("InProcessViaFallback", "InProcessDirect", "healthy in-process primary doing no work: through the fallback vs calling it directly (the composite's own cost)"),
        ("LocalViaFallbackCircuitOpen", "LocalDirect", "remote circuit open: through the fallback vs calling the local provider directly"),
    ]
    planned = [row(area, f"{what}, batch {b}", "thread pool", "report") for b in (1, 32) for _, _, what in cases]

    def measure():
        r = ctx.ours("ours (fallback, with the direct calls in the same process)", "side", "fallback", "--pairs", pairs)
        rows = []
        for planned_row, (b, (measured, reference, _)) in zip(planned, [(b, c) for b in (1, 32) for c in cases]):
            x = r.one(kind="fallback", batch=b, measured=measured, reference=reference)
            o, p = x["measured_median_us"], x["reference_median_us"]
            rows.append(dict(planned_row, ours=f"{o:.1f} us", ours_value=o, peer_name=f"direct call ({reference})", peer=f"{p:.1f} us", peer_value=p,
                             ratio=1 / x["ratio_median"], ratio_kind="overhead", rss_ours=r.max_rss_mb, same_process=True,
                             note=f"adds {o - p:+.1f} us (medians); median of {pairs} alternating pairs' ratios"))
        return rows

    return guarded(planned, measure)


# Order of the table; keys for --only.
ALL = [
    ("onnx", "ONNX Runtime binding: per-Run overhead", onnx_overhead),
    ("tokenization", "Tokenization", tokenization),
    ("imaging", "Image decoding and preprocessing", imaging),
    ("inference", "Inference alone on the full-size models", inference),
    ("local", "Local provider end to end", local_e2e),
    ("remote", "Remote client", remote),
    ("cache", "Cache", cache),
    ("server", "Server", server),
    ("fallback", "Fallback", fallback),
]
