"""Pillow reference outputs for the imaging tests.

Runs the Python path a Hugging Face image processor takes, with Debian's Pillow (python3-pil):
transformers.image_utils.load_image (Image.open -> ImageOps.exif_transpose -> convert("RGB")), then the slow
(Pillow-based) SiglipImageProcessor / CLIPImageProcessor steps: resize through PIL with reducing_gap=None,
center_crop (zero padding), rescale (float64 multiply, cast to float32), normalize (float32), channels first.
transformers itself is not installed here; each step below mirrors the transformers function it names.

Besides the committed photos it writes edge-case inputs made by Pillow itself (EXIF orientations, palette and
transparent GIF/PNG, LA, 16-bit grey, TIFF variants) into <out>/inputs/.

Everything written is Pillow's output, never the library's; pixel files are gzip-compressed raw bytes. Usage: pillow_reference.py <repo root> <out dir>
"""

import gzip
import json
import math
import os
import sys
import warnings

import numpy as np
from PIL import Image, ImageOps, __version__ as pillow_version

OPENAI_CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
OPENAI_CLIP_STD = [0.26862954, 0.26130258, 0.27577711]

# The preprocessor_config.json files the library is tested with (as the hub stores them).
CONFIGS = {
    "siglip2-bilinear-224": {"image_processor_type": "SiglipImageProcessor", "do_resize": True,
                             "size": {"height": 224, "width": 224}, "resample": 2, "do_rescale": True,
                             "rescale_factor": 0.00392156862745098, "do_normalize": True,
                             "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5], "do_convert_rgb": None},
    "siglip-bicubic-224": {"image_processor_type": "SiglipImageProcessor", "do_resize": True,
                           "size": {"height": 224, "width": 224}, "resample": 3, "do_rescale": True,
                           "rescale_factor": 0.00392156862745098, "do_normalize": True,
                           "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]},
    "siglip2-bilinear-384": {"image_processor_type": "SiglipImageProcessor", "do_resize": True,
                             "size": {"height": 384, "width": 384}, "resample": 2, "do_rescale": True,
                             "rescale_factor": 0.00392156862745098, "do_normalize": True,
                             "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]},
    "siglip-bicubic-384": {"image_processor_type": "SiglipImageProcessor", "do_resize": True,
                           "size": {"height": 384, "width": 384}, "resample": 3, "do_rescale": True,
                           "rescale_factor": 0.00392156862745098, "do_normalize": True,
                           "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]},
    "clip-224": {"image_processor_type": "CLIPImageProcessor", "do_resize": True, "size": {"shortest_edge": 224},
                 "resample": 3, "do_center_crop": True, "crop_size": {"height": 224, "width": 224},
                 "do_rescale": True, "rescale_factor": 0.00392156862745098, "do_normalize": True,
                 "image_mean": OPENAI_CLIP_MEAN, "image_std": OPENAI_CLIP_STD, "do_convert_rgb": True},
    # Old-style CLIP file: ints for size and crop_size, a feature extractor type, an odd size and a crop wider than
    # the resized image (zero padding) - exercises get_size_dict, int() truncation and center_crop's padding.
    "clip-legacy-pad": {"feature_extractor_type": "CLIPFeatureExtractor", "size": 113, "crop_size": 150,
                        "do_center_crop": True, "resample": 3, "do_normalize": True,
                        "image_mean": OPENAI_CLIP_MEAN, "image_std": OPENAI_CLIP_STD},
    "nearest-224": {"image_processor_type": "SiglipImageProcessor", "size": {"height": 224, "width": 224},
                    "resample": 0},
    "lanczos-224": {"image_processor_type": "SiglipImageProcessor", "size": {"height": 224, "width": 224},
                    "resample": 1},
    "box-224": {"image_processor_type": "SiglipImageProcessor", "size": {"height": 224, "width": 224},
                "resample": 4},
    "hamming-224": {"image_processor_type": "SiglipImageProcessor", "size": {"height": 224, "width": 224},
                    "resample": 5},
    # Different sizes per axis, to catch a swapped width and height.
    "bilinear-200x150": {"image_processor_type": "SiglipImageProcessor", "size": {"height": 150, "width": 200},
                         "resample": 2, "do_rescale": False, "do_normalize": False},
    # Upscales one axis and downscales the other by a non-integer factor.
    "bicubic-97x611": {"image_processor_type": "SiglipImageProcessor", "size": {"height": 611, "width": 97},
                       "resample": 3, "do_normalize": False},
}

# Cases whose final tensors are stored (the others store only the resized 8-bit image).
TENSOR_CASES = {"siglip2-bilinear-224", "siglip-bicubic-224", "siglip2-bilinear-384", "siglip-bicubic-384",
                "clip-224", "clip-legacy-pad", "bilinear-200x150"}


def load_image(path):
    """transformers.image_utils.load_image for a local file."""
    image = Image.open(path)
    if image.format == "TIFF":
        # Pillow 9.4's TIFF plugin already applies the Orientation tag while loading (load_end) yet leaves the tag
        # in getexif(), so exif_transpose rotates a second time. Current Pillow clears the tag after load_end's
        # transpose and rotates once; the reference follows current Pillow (the correct picture).
        image.load()
        return image.convert("RGB")
    image = ImageOps.exif_transpose(image)
    return image.convert("RGB")


def resolved(config):
    """Class defaults the way the processors apply them when the file leaves a value out."""
    clip = (config.get("image_processor_type") or config.get("feature_extractor_type") or "").startswith("CLIP")
    size = config.get("size", {"shortest_edge": 224} if clip else {"height": 224, "width": 224})
    if isinstance(size, int):  # get_size_dict(default_to_square=not clip)
        size = {"shortest_edge": size} if clip else {"height": size, "width": size}
    crop = config.get("crop_size", {"height": 224, "width": 224})
    if isinstance(crop, int):
        crop = {"height": crop, "width": crop}
    return {
        "do_resize": config.get("do_resize", True),
        "size": size,
        "resample": config.get("resample", 3),
        "do_center_crop": config.get("do_center_crop", clip),
        "crop_size": crop,
        "do_rescale": config.get("do_rescale", True),
        "rescale_factor": config.get("rescale_factor", 1 / 255),
        "do_normalize": config.get("do_normalize", True),
        "image_mean": config.get("image_mean", OPENAI_CLIP_MEAN if clip else [0.5, 0.5, 0.5]),
        "image_std": config.get("image_std", OPENAI_CLIP_STD if clip else [0.5, 0.5, 0.5]),
    }


def resize_output_size(height, width, size):
    """transformers.image_transforms.get_resize_output_image_size (default_to_square=False) / a fixed size."""
    if "shortest_edge" not in size:
        return size["height"], size["width"]
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = size["shortest_edge"], int(size["shortest_edge"] * long / short)
    return (new_long, new_short) if width <= height else (new_short, new_long)


def center_crop(image, crop_height, crop_width):
    """transformers.image_transforms.center_crop on an HWC array (pads with zeros when too small)."""
    orig_height, orig_width = image.shape[:2]
    top = (orig_height - crop_height) // 2
    bottom = top + crop_height
    left = (orig_width - crop_width) // 2
    right = left + crop_width
    if top >= 0 and bottom <= orig_height and left >= 0 and right <= orig_width:
        return image[top:bottom, left:right]
    new_height = max(crop_height, orig_height)
    new_width = max(crop_width, orig_width)
    padded = np.zeros((new_height, new_width) + image.shape[2:], dtype=image.dtype)
    top_pad = math.ceil((new_height - orig_height) / 2)
    left_pad = math.ceil((new_width - orig_width) / 2)
    padded[top_pad:top_pad + orig_height, left_pad:left_pad + orig_width] = image
    top += top_pad
    bottom += top_pad
    left += left_pad
    right += left_pad
    return padded[max(0, top):min(new_height, bottom), max(0, left):min(new_width, right)]


def preprocess(rgb, config):
    """Returns (resized uint8 HWC, pixel_values float32 CHW)."""
    c = resolved(config)
    array = np.array(rgb)  # to_numpy_array
    if c["do_resize"]:
        height, width = resize_output_size(array.shape[0], array.shape[1], c["size"])
        # transformers.image_transforms.resize: to_pil_image (uint8, no rescale) then PIL resize.
        array = np.array(Image.fromarray(array).resize((width, height), resample=c["resample"], reducing_gap=None))
    resized = array
    if c["do_center_crop"]:
        array = center_crop(array, c["crop_size"]["height"], c["crop_size"]["width"])
    if c["do_rescale"]:
        array = (array.astype(np.float64) * c["rescale_factor"]).astype(np.float32)  # rescale()
    if c["do_normalize"]:
        if not np.issubdtype(array.dtype, np.floating):
            array = array.astype(np.float32)
        array = (array - np.array(c["image_mean"], dtype=array.dtype)) / np.array(c["image_std"], dtype=array.dtype)
    return resized, np.ascontiguousarray(array.astype(np.float32).transpose(2, 0, 1))


def exif_with_orientation(value):
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def make_inputs(repo, out):
    """Edge-case inputs, written by Pillow."""
    folder = os.path.join(out, "inputs")
    os.makedirs(folder, exist_ok=True)
    made = []

    def save(name, image, **params):
        path = os.path.join(folder, name)
        image.save(path, **params)
        made.append(path)

    # An asymmetric, odd-sized crop so every orientation gives a different picture.
    base = Image.open(os.path.join(repo, "testdata/images/cat_chelsea.png")).convert("RGB").crop((10, 5, 271, 180))
    for orientation in range(1, 9):
        save(f"orientation_{orientation}.jpg", base, quality=92, exif=exif_with_orientation(orientation))
    save("orientation_6.png", base, exif=exif_with_orientation(6))
    save("orientation_3.webp", base, quality=90, exif=exif_with_orientation(3))
    save("orientation_8.tif", base, tiffinfo={0x0112: 8})

    # Palette images: a GIF whose transparent index has a visible palette colour, and a PNG with tRNS.
    palette = base.quantize(colors=64)
    save("palette_transparent.gif", palette, transparency=5)
    save("palette_trns.png", palette, transparency=bytes([0, 128] + [255] * 62))
    save("palette_plain.gif", palette)
    grey = base.convert("L")
    save("grey_alpha.png", Image.merge("LA", (grey, grey.point(lambda v: 255 - v))))
    save("grey_1bit.png", grey.convert("1"))
    wide = Image.fromarray((np.asarray(grey).astype(np.uint16) * 257).astype(np.uint16))
    save("grey_16bit.png", wide)
    dim = Image.fromarray((np.asarray(grey).astype(np.uint16) // 2).astype(np.uint16))
    save("grey_16bit_dim.png", dim)
    save("rgba_lossless.webp", Image.open(os.path.join(repo, "testdata/images/skimage_logo_rgba.png")), lossless=True)
    save("cmyk_pillow.jpg", base.convert("CMYK"), quality=90)
    save("cmyk.tif", base.convert("CMYK"))
    save("rgb_lzw.tif", base, compression="tiff_lzw")
    save("grey_16bit.tif", wide)
    save("float.tif", Image.fromarray(np.asarray(grey).astype(np.float32) * 1.2 - 20.4))
    save("progressive.jpg", base, quality=85, progressive=True, subsampling=2)
    save("subsampling_444.jpg", base, quality=95, subsampling=0)
    # Seeded noise: every pixel differs from its neighbours, so any rounding difference in a resize shows.
    noise = np.random.default_rng(20240611).integers(0, 256, size=(389, 517, 3), dtype=np.uint8)
    save("noise.png", Image.fromarray(noise))
    return made


def write(path, data):
    # gzip (fast level): the float tensors take a quarter of their raw size.
    with gzip.open(path + ".gz", "wb", compresslevel=1) as f:
        f.write(data)


def main():
    # Pillow warns that palette transparency given as bytes "should be converted to RGBA"; that is the point here.
    warnings.filterwarnings("ignore", category=UserWarning)
    repo, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for folder in ("decoded", "resized", "tensors", "configs"):
        os.makedirs(os.path.join(out, folder), exist_ok=True)
    for case, config in CONFIGS.items():
        with open(os.path.join(out, "configs", case + ".json"), "w") as f:
            json.dump(config, f, indent=2)

    images_dir = os.path.join(repo, "testdata", "images")
    photos = [os.path.join(images_dir, n) for n in sorted(os.listdir(images_dir)) if not n.endswith(".md")]
    made = make_inputs(repo, out)
    entries = []
    for path in photos + made:
        rel = os.path.relpath(path, repo) if path in photos else os.path.relpath(path, out)
        base_dir = "repo" if path in photos else "references"
        key = os.path.basename(path) if path in photos else "inputs_" + os.path.basename(path)
        rgb = load_image(path)
        write(os.path.join(out, "decoded", key + ".rgb"), np.asarray(rgb).tobytes())
        entry = {"key": key, "path": rel, "root": base_dir, "width": rgb.width, "height": rgb.height,
                 "mode": Image.open(path).mode, "cases": {}}
        # Photos go through every case; the generated edge cases through the two main ones.
        cases = CONFIGS if path in photos else ["siglip2-bilinear-224", "clip-224", "bicubic-97x611"]
        for case in cases:
            resized, tensor = preprocess(rgb, CONFIGS[case])
            write(os.path.join(out, "resized", f"{key}.{case}.rgb"), resized.tobytes())
            info = {"width": int(resized.shape[1]), "height": int(resized.shape[0])}
            if case in TENSOR_CASES:
                write(os.path.join(out, "tensors", f"{key}.{case}.f32"), tensor.astype("<f4").tobytes())
                info["tensorShape"] = list(tensor.shape)
            entry["cases"][case] = info
        # transformers' idefics2/mllama convert_to_rgb: alpha composited over white.
        source = Image.open(path)
        source = source if source.format == "TIFF" else ImageOps.exif_transpose(source)
        if source.mode in ("RGBA", "LA", "PA") or "transparency" in source.info:
            rgba = source.convert("RGBA")
            white = Image.new("RGBA", rgba.size, (255, 255, 255))
            write(os.path.join(out, "decoded", key + ".white.rgb"), np.asarray(Image.alpha_composite(white, rgba).convert("RGB")).tobytes())
            entry["compositedOverWhite"] = True
        entries.append(entry)

    manifest = {"pillow": pillow_version, "numpy": np.__version__, "images": entries}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"imaging references: {len(entries)} images, Pillow {pillow_version}")


if __name__ == "__main__":
    main()
