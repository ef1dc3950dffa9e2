"""Decode alone, interleaved in one process: Pillow's Image.load() (Debian libjpeg-turbo) against libvips' sequential
decode read strip by strip with vips_region_fetch (what the library does), for a given libvips file. Reports the
median and minimum process CPU time per decode over interleaved runs.
Usage: decode_bench.py <libvips library file or name> <runs> <file>...

Driven through ctypes on x86-64 Linux only: vips_image_new_from_buffer is variadic, which ctypes passes correctly
on that ABI (the library itself uses the non-variadic operation API).
"""

import ctypes
import io
import os
import statistics
import sys
import time

from PIL import Image


def load_vips(name):
    lib = ctypes.CDLL(name)
    glib = lib if hasattr(lib, "g_free") else ctypes.CDLL("libglib-2.0.so.0")
    gobject = lib if hasattr(lib, "g_object_unref") else ctypes.CDLL("libgobject-2.0.so.0")
    lib.vips_init(b"decode_bench")
    lib.vips_cache_set_max(0)
    lib.vips_concurrency_set(1)
    lib.vips_version_string.restype = ctypes.c_char_p
    lib.vips_image_new_from_buffer.restype = ctypes.c_void_p
    lib.vips_image_new_from_buffer.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]
    lib.vips_region_new.restype = ctypes.c_void_p
    lib.vips_region_new.argtypes = [ctypes.c_void_p]
    lib.vips_region_fetch.restype = ctypes.c_void_p
    lib.vips_region_fetch.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                      ctypes.POINTER(ctypes.c_size_t)]
    lib.vips_image_get_width.argtypes = [ctypes.c_void_p]
    lib.vips_image_get_height.argtypes = [ctypes.c_void_p]
    glib.g_free.argtypes = [ctypes.c_void_p]
    gobject.g_object_unref.argtypes = [ctypes.c_void_p]
    return lib, glib.g_free, gobject.g_object_unref


def main():
    lib, g_free, g_object_unref = load_vips(sys.argv[1])
    runs = int(sys.argv[2])
    print(f"libvips {lib.vips_version_string().decode()} ({sys.argv[1]}), Pillow {Image.__version__}")
    for path in sys.argv[3:]:
        data = open(path, "rb").read()

        def pillow():
            Image.open(io.BytesIO(data)).load()

        def vips():
            image = lib.vips_image_new_from_buffer(data, len(data), b"access=sequential", None)
            width, height = lib.vips_image_get_width(image), lib.vips_image_get_height(image)
            region = lib.vips_region_new(image)
            size = ctypes.c_size_t()
            rows = max(1, 262144 // (width * 3))
            for y in range(0, height, rows):
                g_free(lib.vips_region_fetch(region, 0, y, width, min(rows, height - y), ctypes.byref(size)))
            g_object_unref(region)
            g_object_unref(image)

        times = {"Pillow load": [], "libvips strips": []}
        for _ in range(runs):
            for name, decode in (("Pillow load", pillow), ("libvips strips", vips)):
                start = time.process_time()
                decode()
                times[name].append((time.process_time() - start) * 1000)
        print(os.path.basename(path) + ": " + "; ".join(
            f"{name} median {statistics.median(t):.1f} ms, min {min(t):.1f} ms CPU" for name, t in times.items()))


if __name__ == "__main__":
    main()
