#!/usr/bin/env python3
"""Decodes PNG files with Pillow (an independent decoder; it checks every chunk CRC) and prints, per file:
<path> <mode> <width> <height> <sha256 of the RGB bytes>. Used by the remote provider's PNG encoder test."""
import hashlib
import sys

from PIL import Image

for path in sys.argv[1:]:
    with Image.open(path) as image:
        image.load()
        print(path, image.mode, image.width, image.height, hashlib.sha256(image.convert("RGB").tobytes()).hexdigest())
