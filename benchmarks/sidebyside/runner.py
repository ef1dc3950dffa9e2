"""Runs one side of a comparison as its own process and measures it from outside: wall time, CPU time and peak
resident memory (from wait4, so each side's figure is its own), with a time limit. Lines of JSON the process prints
are its results."""

import json
import os
import re
import signal
import statistics
import subprocess
import threading
import time


class SideFailed(Exception):
    """A side exited with an error, timed out or printed no result; the message says which and why."""


class SideResult:
    def __init__(self, name, argv, rc, wall_s, cpu_s, max_rss_mb, stdout, stderr, timed_out):
        self.name = name
        self.argv = argv
        self.rc = rc
        self.wall_s = wall_s
        self.cpu_s = cpu_s
        self.max_rss_mb = max_rss_mb
        self.stderr = stderr
        self.timed_out = timed_out
        self.lines = []
        self.stdout_lines = stdout.splitlines()
        for line in self.stdout_lines:
            line = line.strip()
            if line.startswith("{"):
                try:
                    self.lines.append(json.loads(line))
                except json.JSONDecodeError:
                    pass

    def where(self, **match):
        """The result lines whose fields equal the given values."""
        return [line for line in self.lines if all(line.get(k) == v for k, v in match.items())]

    def one(self, **match):
        found = self.where(**match)
        if not found:
            raise SideFailed(f"{self.name} printed no result for {match}")
        return found[0]

    def summary(self):
        return {"name": self.name, "command": " ".join(self.argv), "rc": self.rc, "wall_s": round(self.wall_s, 2),
                "cpu_s": round(self.cpu_s, 2), "max_rss_mb": round(self.max_rss_mb, 1), "timed_out": self.timed_out,
                "results": self.lines, "stderr_tail": self.stderr[-2000:] if self.rc != 0 else ""}


def run_side(name, argv, cwd, env=None, timeout=600, log=None, expect_lines=True):
    """Runs argv; returns a SideResult, or raises SideFailed (the result is still logged). With expect_lines, a run
    that printed no JSON line has failed."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    start = time.monotonic()
    process = subprocess.Popen(argv, cwd=cwd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    out, err = [], []
    readers = [threading.Thread(target=lambda s=process.stdout, b=out: b.append(s.read()), daemon=True),
               threading.Thread(target=lambda s=process.stderr, b=err: b.append(s.read()), daemon=True)]
    for reader in readers:
        reader.start()
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    # wait4 (not Popen.wait) for the child's own resource usage: its peak RSS, not the largest of all children so far.
    _, status, usage = os.wait4(process.pid, 0)
    timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    # A side's helpers (servers it started) must not outlive it, nor hold its output open.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for reader in readers:
        reader.join()
    result = SideResult(name, argv, process.returncode, time.monotonic() - start, usage.ru_utime + usage.ru_stime,
                        usage.ru_maxrss / 1024, out[0].decode("utf-8", "replace"), err[0].decode("utf-8", "replace"),
                        timed_out.is_set())
    if log is not None:
        log.append(result.summary())
    if result.timed_out:
        raise SideFailed(f"{name} ran past its {timeout} s limit")
    if result.rc != 0:
        raise SideFailed(f"{name} exited with {result.rc}: {_reason(result.stderr or result.stdout_lines and chr(10).join(result.stdout_lines))}")
    if expect_lines and not result.lines:
        raise SideFailed(f"{name} printed no result")
    return result


def _reason(output):
    """The line of a failed side's output that says why: the last error or exception line that is not a stack frame,
    else the last line."""
    lines = [line.strip() for line in (output or "").splitlines() if line.strip()]
    errors = [line for line in lines if re.search(r"error|exception|fail|not found|no such", line, re.I) and not line.startswith("at ")]
    return ((errors or lines or ["no message"])[-1])[:300]


def alternate(rounds, sides):
    """Runs the sides (name -> callable) in turn for several rounds, reversing the order every other round so that
    neither side always runs first on a machine whose speed drifts. Returns name -> list of results."""
    results = {name: [] for name in sides}
    names = list(sides)
    for r in range(rounds):
        for name in (names if r % 2 == 0 else list(reversed(names))):
            results[name].append(sides[name]())
    return results


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
