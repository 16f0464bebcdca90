#!/usr/bin/env python3
"""Soak test: millions of assesses through each front end, resident memory sampled over time.

Runs, one after the other (each a separate process whose RSS is read from /proc/<pid>/status):

  cli     `tactful batch -i - -o -`, JSONL lines streamed to its stdin, output discarded
  python  the Python package: `Engine.assess` in a loop (and `assess_batch` every 1,000 calls)
  c       examples/c/triage.c, one message per line on its stdin, output discarded

Messages cycle through the repository's golden cases (tests/golden/assess.jsonl,
realistic.jsonl), each with a running number appended so that no two inputs are the same.

Memory is "flat" when, after a warm-up (the first WARMUP fraction of the run, default 20%),
the median RSS of the last fifth of the samples exceeds that of the first fifth by at most
TOLERANCE (default 1 MiB): a leak moves it, a batch's buffers filling and emptying do not
(the table shows min and max after the warm-up as well). Prints one table row per front
end and writes every sample to <target>/soak-<leg>.csv; exits 1 when one grew or failed.

    python3 scripts/soak.py                     # 10 million assesses per front end
    python3 scripts/soak.py -n 1000000 --only cli,c
    python3 scripts/soak.py --python .venv/bin/python   # interpreter with tactful installed

Builds what it needs with cargo (release) and cc; the Python leg is skipped with a message when
the interpreter cannot `import tactful` (bash tests/python/run.sh builds .venv). Manual: not in
CI (10M assesses take tens of minutes). See docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def texts() -> list[str]:
    out = []
    for name in ("assess.jsonl", "realistic.jsonl"):
        for line in (ROOT / "tests" / "golden" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                t = json.loads(line).get("text", "")
                if t.strip():
                    out.append(t.replace("\n", " ").replace("\r", " "))
    return out


def rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Sampler(threading.Thread):
    def __init__(self, pid: int, every: float):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        t0 = time.monotonic()
        while not self.stop.is_set():
            r = rss_kib(self.pid)
            if r is not None:
                self.samples.append((time.monotonic() - t0, r))
            self.stop.wait(self.every)


def feed(proc: subprocess.Popen, lines) -> None:
    try:
        w = proc.stdin
        buf = []
        for line in lines:
            buf.append(line)
            if len(buf) >= 4096:
                w.write("".join(buf).encode())
                buf.clear()
        if buf:
            w.write("".join(buf).encode())
        w.close()
    except BrokenPipeError:
        pass


def jsonl_lines(msgs: list[str], n: int):
    for i in range(n):
        yield json.dumps({"id": i, "text": f"{msgs[i % len(msgs)]} #{i}"}) + "\n"


def plain_lines(msgs: list[str], n: int):
    for i in range(n):
        yield f"{msgs[i % len(msgs)]} #{i}\n"


PY_LOOP = r"""
import json, sys, tactful
n = int(sys.argv[1]); msgs = json.load(open(sys.argv[2]))
e = tactful.Engine()
i = 0
while i < n:
    if i % 1000 == 0 and n - i >= 64:
        e.assess_batch([f"{msgs[(i + k) % len(msgs)]} #{i + k}" for k in range(64)])
        i += 64
        continue
    e.assess(f"{msgs[i % len(msgs)]} #{i}")
    i += 1
"""


def run_leg(name: str, cmd: list[str], lines, every: float, env=None) -> dict:
    start = time.monotonic()
    # /dev/null opened write-only: `tactful batch` takes a read-write /dev/null on fd 1
    # (what subprocess.DEVNULL gives) for the trace of a closed stdout and refuses to run.
    sink = open(os.devnull, "wb")
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE if lines is not None else subprocess.DEVNULL,
        stdout=sink,
        stderr=subprocess.PIPE,
        env=env,
    )
    sink.close()
    sampler = Sampler(proc.pid, every)
    sampler.start()
    feeder = None
    if lines is not None:
        feeder = threading.Thread(target=feed, args=(proc, lines), daemon=True)
        feeder.start()
    err = proc.stderr.read().decode(errors="replace")
    proc.wait()
    sampler.stop.set()
    sampler.join()
    if feeder:
        feeder.join()
    return {
        "name": name,
        "status": proc.returncode,
        "stderr": err[-2000:],
        "seconds": time.monotonic() - start,
        "samples": sampler.samples,
    }


def median(xs: list[int]) -> float:
    xs = sorted(xs)
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else (xs[m - 1] + xs[m]) / 2


def verdict(leg: dict, n: int, warmup: float, tolerance_kib: int) -> tuple[bool, str]:
    s = leg["samples"]
    if leg["status"] != 0:
        return False, f"{leg['name']:7} FAILED (exit {leg['status']}): {leg['stderr'].strip()[-400:]}"
    if len(s) < 10:
        return False, f"{leg['name']:7} too few samples ({len(s)}): run longer (-n)"
    end = s[-1][0]
    after = [r for t, r in s if t >= warmup * end]
    # Trend: the median of the last fifth of the samples after the warm-up against the median
    # of the first fifth. A leak moves it; a batch's buffers filling and emptying do not.
    k = max(1, len(after) // 5)
    early, late = median(after[:k]), median(after[-k:])
    trend = late - early
    flat = trend <= tolerance_kib
    rate = n / leg["seconds"] if leg["seconds"] else 0
    # Ten evenly spaced samples over the whole run, in MiB, to show the shape.
    shape = " ".join(f"{s[int(j * (len(s) - 1) / 9)][1] / 1024:.1f}" for j in range(10))
    line = (
        f"{leg['name']:7} {n:>11,} {leg['seconds']:8.1f} {rate:>9,.0f} "
        f"{early / 1024:8.1f} {late / 1024:8.1f} {min(after) / 1024:8.1f} {max(after) / 1024:8.1f} "
        f"{trend:>+9,.0f} {'flat' if flat else 'GREW'}   [{shape}]"
    )
    return flat, line


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000_000, help="assesses per front end (default 10M)")
    ap.add_argument("--only", default="cli,python,c", help="comma-separated legs (cli,python,c)")
    ap.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"),
                    help="interpreter with tactful installed (default .venv/bin/python)")
    ap.add_argument("--every", type=float, default=0.5, help="sampling interval, seconds")
    ap.add_argument("--warmup", type=float, default=0.2, help="warm-up fraction of the run")
    ap.add_argument("--tolerance-kib", type=int, default=1024, help="allowed growth after warm-up")
    ap.add_argument("--target-dir", default=os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target")))
    a = ap.parse_args()
    legs = [x.strip() for x in a.only.split(",") if x.strip()]
    target = Path(a.target_dir)
    msgs = texts()
    results = []

    if "cli" in legs or "c" in legs:
        # Both packages every time: the same feature set, so one build serves every choice of legs.
        subprocess.run(["cargo", "build", "--release", "--locked", "-q", "-p", "tactful-cli", "-p", "tactful-ffi"],
                       cwd=ROOT, check=True)

    if "cli" in legs:
        results.append(run_leg("cli", [str(target / "release" / "tactful"), "batch", "-i", "-", "-o", "-"],
                               jsonl_lines(msgs, a.n), a.every))
    if "python" in legs:
        ok = subprocess.run([a.python, "-c", "import tactful"], capture_output=True).returncode == 0 \
            if Path(a.python).exists() else False
        if not ok:
            print(f"soak: python SKIPPED: {a.python} cannot import tactful (bash tests/python/run.sh builds .venv)",
                  file=sys.stderr)
        else:
            mfile = target / "soak-messages.json"
            mfile.write_text(json.dumps(msgs), encoding="utf-8")
            results.append(run_leg("python", [a.python, "-c", PY_LOOP, str(a.n), str(mfile)], None, a.every))
    if "c" in legs:
        exe = target / "soak-triage"
        subprocess.run(["cc", "-std=c99", "-O2", f"-I{ROOT / 'include'}", str(ROOT / "examples" / "c" / "triage.c"),
                        f"-L{target / 'release'}", "-ltactful", "-o", str(exe)], check=True)
        env = dict(os.environ, LD_LIBRARY_PATH=str(target / "release"))
        results.append(run_leg("c", [str(exe)], plain_lines(msgs, a.n), a.every, env))

    print(f"\nsoak: {a.n:,} assesses per front end; RSS in MiB after a {a.warmup:.0%} warm-up "
          f"(early/late: median of its first/last fifth); flat = late - early <= {a.tolerance_kib:,} KiB")
    print(f"{'leg':7} {'assesses':>11} {'seconds':>8} {'per s':>9} {'early':>8} {'late':>8} {'min':>8} "
          f"{'max':>8} {'trend KiB':>9} verdict  [RSS MiB over the run, 10 samples]")
    all_flat = True
    for leg in results:
        csv = target / f"soak-{leg['name']}.csv"
        csv.write_text("seconds,rss_kib\n" + "".join(f"{t:.2f},{r}\n" for t, r in leg["samples"]))
        flat, line = verdict(leg, a.n, a.warmup, a.tolerance_kib)
        all_flat &= flat
        print(line)
    return 0 if all_flat and results else 1


if __name__ == "__main__":
    sys.exit(main())
