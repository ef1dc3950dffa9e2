"""What the figures were measured on, detected (never typed in): CPU, cores, memory, OS, runtimes, peer versions."""

import json
import os
import platform
import re
import subprocess


def _read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def _command(*argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _cpu():
    info = {}
    lscpu = _command("lscpu")
    for line in lscpu.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    cpuinfo = _read("/proc/cpuinfo")
    model = info.get("Model name") or next(iter(re.findall(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)), platform.processor())
    flags = set(next(iter(re.findall(r"^flags\s*:\s*(.+)$", cpuinfo, re.M)), "").split())
    simd = [f for f in ("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile") if f in flags]
    mhz = next(iter(re.findall(r"^cpu MHz\s*:\s*([\d.]+)$", cpuinfo, re.M)), "")
    return {
        "model": model,
        "vendor": info.get("Vendor ID", ""),
        "family_model": f"family {info.get('CPU family', '?')} model {info.get('Model', '?')}",
        "logical_cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "threads_per_core": info.get("Thread(s) per core", ""),
        "mhz": mhz,
        "l3": info.get("L3 cache", ""),
        "hypervisor": info.get("Hypervisor vendor", ""),
        "simd": simd,
    }


def _package_version(root, name):
    text = _read(os.path.join(root, "artifacts", "node", "node_modules", name, "package.json"))
    return json.loads(text).get("version", "") if text else ""


def detect(root):
    """The machine and the versions of everything that runs, as a dict for the results JSON."""
    meminfo = _read("/proc/meminfo")
    total_kb = int(next(iter(re.findall(r"^MemTotal:\s*(\d+)", meminfo, re.M)), "0"))
    os_release = dict(re.findall(r'^(\w+)="?([^"\n]*)"?$', _read("/etc/os-release"), re.M))
    try:
        import PIL  # Debian's python3-pil, the one the Pillow peer runs on
        pillow = PIL.__version__
    except ImportError:
        pillow = ""
    return {
        "cpu": _cpu(),
        "memory_gib": round(total_kb / 1024 / 1024, 1),
        "os": os_release.get("PRETTY_NAME", platform.system()),
        "kernel": platform.release(),
        "dotnet_sdk": _command("dotnet", "--version"),
        "dotnet_runtimes": [line.split(" [")[0] for line in _command("dotnet", "--list-runtimes").splitlines()],
        "node": _command("node", "--version"),
        "python": platform.python_version(),
        "pillow": pillow,
        "numpy": _module_version("numpy"),
        "peers": {name: _package_version(root, name) for name in
                  ("tokenizers", "@huggingface/transformers", "onnxruntime-node", "sharp")},
        "native": sorted(f for f in os.listdir(os.path.join(root, "artifacts", "native", "linux-x64")) if not f.startswith("."))
        if os.path.isdir(os.path.join(root, "artifacts", "native", "linux-x64")) else [],
    }


def _module_version(name):
    try:
        return __import__(name).__version__
    except ImportError:
        return ""


def load_average():
    """The 1, 5 and 15 minute load averages."""
    return [float(x) for x in _read("/proc/loadavg").split()[:3]] or [0.0, 0.0, 0.0]
