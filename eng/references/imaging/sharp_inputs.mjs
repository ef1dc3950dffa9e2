// Writes inputs in formats Pillow 9.4 cannot read, encoded by sharp (libvips with libheif/aom): an AVIF of a test
// photo. The tests decode it and compare with the photo as Pillow decodes the lossless original (a tolerance,
// since AVIF is lossy). Usage: node sharp_inputs.mjs <repo root> <out dir>
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(new URL('../package.json', import.meta.url));
const sharp = require('sharp');

const [root, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
await sharp(join(root, 'testdata/images/food_coffee.png')).avif({ quality: 90, effort: 2, chromaSubsampling: '4:4:4' })
  .toFile(join(out, 'food_coffee.avif'));
console.log(`imaging references: AVIF written by sharp ${sharp.versions.sharp}`);
