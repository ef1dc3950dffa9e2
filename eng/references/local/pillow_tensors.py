"""Pixel tensors made with Pillow exactly as Hugging Face's image processors make them (transformers'
load_image + SiglipImageProcessor / CLIPImageProcessor arithmetic), for feeding the same pixels to both sides.

    /usr/bin/python3 pillow_tensors.py <model folder> <out folder> <image> [<image> ...]

Writes <out folder>/<image file name>.f32: float32 little-endian, [3, height, width] (channels first).
Reads preprocessor_config.json: size (height/width or shortest_edge), resample, do_center_crop / crop_size,
rescale_factor, image_mean / image_std.
"""
import json
import os
import sys

import numpy as np
from PIL import Image, ImageOps


def main():
    model, out, images = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(os.path.join(model, "preprocessor_config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    os.makedirs(out, exist_ok=True)
    size = cfg.get("size", {})
    resample = Image.Resampling(cfg.get("resample", 3))
    mean = np.array(cfg.get("image_mean", [0.5, 0.5, 0.5]), dtype=np.float32)
    std = np.array(cfg.get("image_std", [0.5, 0.5, 0.5]), dtype=np.float32)
    for path in images:
        # transformers.image_utils.load_image: exif_transpose, then convert("RGB").
        image = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
        if "shortest_edge" in size:
            # get_resize_output_image_size(default_to_square=False): the short side becomes the size, the long side
            # int(size * long / short).
            s = size["shortest_edge"]
            w, h = image.size
            short, long = (w, h) if w <= h else (h, w)
            new_short, new_long = s, int(s * long / short)
            target = (new_short, new_long) if w <= h else (new_long, new_short)
        else:
            target = (size["width"], size["height"])
        image = image.resize(target, resample=resample)
        arr = np.asarray(image)
        if cfg.get("do_center_crop"):
            crop = cfg["crop_size"]
            ch, cw = (crop["height"], crop["width"]) if isinstance(crop, dict) else (crop, crop)
            top = (arr.shape[0] - ch) // 2
            left = (arr.shape[1] - cw) // 2
            arr = arr[top:top + ch, left:left + cw]
        # rescale in float64 then float32 (transformers' rescale), normalize in float32.
        arr = (arr.astype(np.float64) * cfg.get("rescale_factor", 1 / 255)).astype(np.float32)
        arr = (arr - mean) / std
        chw = np.ascontiguousarray(arr.transpose(2, 0, 1), dtype="<f4")
        with open(os.path.join(out, os.path.basename(path) + ".f32"), "wb") as f:
            f.write(chw.tobytes())


if __name__ == "__main__":
    main()
