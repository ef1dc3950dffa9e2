// Scans a Hugging Face hub cache folder with @huggingface/hub's own cache reader (scanCacheDir, which follows the
// layout huggingface_hub writes) and prints what it found as JSON. The Models tests run it on a cache the library
// wrote, so the layout is checked by an implementation other than ours.
// Usage: node scan-cache.mjs <cache-dir>
import { scanCacheDir } from "@huggingface/hub";

const info = await scanCacheDir(process.argv[2]);
const out = {
  warnings: info.warnings.map((w) => String(w.message ?? w)),
  repos: info.repos.map((repo) => ({
    id: repo.id.name,
    type: repo.id.type,
    size: repo.size,
    filesCount: repo.filesCount,
    revisions: repo.revisions.map((rev) => ({
      commit: rev.commitOid,
      refs: rev.refs,
      files: rev.files.map((f) => ({ path: f.path, blob: f.blob.path, size: f.blob.size })),
    })),
  })),
};
process.stdout.write(JSON.stringify(out));
