"""What every comparison needs: paths, the mode (quick or full), the thread budget, and how to run a side."""

import glob
import json
import os

from runner import run_side

DLL = os.path.join("benchmarks", "Embeddings.Benchmarks", "bin", "Release", "net10.0", "Embeddings.Benchmarks.dll")


class Context:
    def __init__(self, root, quick, threads, run_dir):
        self.root = root
        self.quick = quick
        self.threads = threads
        self.run_dir = run_dir
        self.log = []
        # Inference-alone figures, shared with the end-to-end comparison: (model, batch) -> {"ours": ..., "peer": ...}.
        self.floor = {}
        self.texts_file = os.path.join(run_dir, "texts.json")

    @property
    def model_set(self):
        """Quick mode runs on the tiny models (a smoke check of the plumbing), the full mode on the full-size ones."""
        return "tiny" if self.quick else "full"

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def model_dir(self, name):
        return self.path("artifacts", "models", self.model_set, name)

    def rounds(self, full_rounds):
        return 1 if self.quick else full_rounds

    def ours(self, name, *args, env=None, timeout=600, expect_lines=True):
        """Runs this library's benchmark app (built once by run.sh) directly, not through `dotnet run`, so that the
        peak memory measured is the app's alone. libvips is the build sharp ships (the one the sharp peer runs on),
        even where the system has its own."""
        libvips = sorted(glob.glob(self.path("artifacts", "native", "linux-x64", "libvips-cpp.so.*")))
        full_env = {"EMBEDDINGS_LIBVIPS_PATH": libvips[-1]} if libvips else {}
        full_env.update(env or {})
        return run_side(name, ["dotnet", self.path(DLL), *map(str, args)], self.root, full_env, timeout, self.log, expect_lines)

    def peer(self, name, argv, env=None, timeout=600, expect_lines=True):
        return run_side(name, [str(a) for a in argv], self.root, env, timeout, self.log, expect_lines)

    def flops(self, model, key):
        """FLOPs per item from the generator's models.json (eng/models/generate.py)."""
        with open(self.path("artifacts", "models", self.model_set, "models.json"), encoding="utf-8") as f:
            return json.load(f)[model]["flops"][key]

    def text_flops(self, model, tokens):
        """FLOPs for one text of any length: models.json lists them at a few lengths; the count is a quadratic in the
        length (linear layers, plus the attention products), so three of them give the rest exactly."""
        with open(self.path("artifacts", "models", self.model_set, "models.json"), encoding="utf-8") as f:
            table = json.load(f)[model]["flops"]
        points = sorted((int(k.split("(")[1].split()[0]), v) for k, v in table.items() if "tokens)" in k)
        (x0, y0), (x1, y1), (x2, y2) = points[:3]
        # Lagrange form through the three shortest lengths.
        return (y0 * (tokens - x1) * (tokens - x2) / ((x0 - x1) * (x0 - x2))
                + y1 * (tokens - x0) * (tokens - x2) / ((x1 - x0) * (x1 - x2))
                + y2 * (tokens - x0) * (tokens - x1) / ((x2 - x0) * (x2 - x1)))
