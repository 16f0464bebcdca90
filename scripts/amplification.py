#!/usr/bin/env python3
"""Memory amplification: the peak resident memory of the release `tactful` command on the
hostile input shapes of issue 13, each near the engine's 16 MiB input limit.

Each shape runs in its own process (the release CLI, input on stdin or in a temporary file,
output to /dev/null opened write-only: the CLI takes a read-write /dev/null on stdout for a
closed stdout); its peak RSS is the kernel's ru_maxrss, read by /usr/bin/time (a child's
ru_maxrss from wait4 would include this Python process's size at fork time, so without
/usr/bin/time the figures are upper bounds and say so).
A single-input shape passes when its peak RSS is at most FACTOR (4) times its input,
process baseline included. A batch shape passes when its peak stays within FACTOR times
what batch may hold at once (the 64 MiB chunk budget plus one line at the cap): a line
over the cap is dropped while read, never held.

    python3 scripts/amplification.py                 # 16 MB shapes (about 2 minutes)
    python3 scripts/amplification.py --mb 4 --only assess-a-newline,review-a-newline
    python3 scripts/amplification.py --no-build      # use target/release/tactful as is

Exits 1 when a shape fails (the command fails, or the peak is over its bound).
See docs/reliability.md.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "tactful")
FACTOR = 4
MIB = 1 << 20
CHUNK_BYTES = 64 * MIB  # tactful batch --chunk-bytes default
LINE_CAP = 16 * MIB + 64 * 1024  # engine input limit + LINE_SLACK


def repeat_to(unit: bytes, n: int) -> bytes:
    return (unit * (n // len(unit) + 1))[:n]


def shapes(n: int):
    """(name, what, argv after `tactful`, stdin bytes or a generator of chunks, input
    bytes, kind, file contents or None)."""
    prose = b"My card was charged twice for order #4471 and nobody answers. "
    customer = "You charged me twice for order 4411 and I want my money back now."
    turn = lambda speaker, body: json.dumps({"speaker": speaker, "text": body}).encode() + b"\n"
    review = ["review", "--customer", customer, "--reply", "-", "--json"]
    out = [
        ("assess-a-newline", "assess: `a\\n` repeated", ["assess", "--json"], b"a\n"),
        ("assess-dollar-one", "assess: `$1` repeated", ["assess", "--json"], b"$1"),
        ("assess-one-word", "assess: one word (`a` repeated)", ["assess", "--json"], b"a"),
        ("assess-prose", "assess: one sentence repeated", ["assess", "--json"], prose),
        ("assess-emoji", "assess: `😡!` repeated", ["assess", "--json"], "😡!".encode()),
        ("review-a-newline", "review: a draft of `a\\n` repeated", review, b"a\n"),
        ("review-sorry", "review: a draft of `I'm so sorry. ` repeated", review,
         b"I'm so sorry. "),
    ]
    single = [(name, what, argv, (lambda u=unit: [repeat_to(u, n)]), n, "single", None)
              for name, what, argv, unit in out]
    # Three turns near the limit each (customer, agent, customer), from a file.
    conv = lambda: (lambda body: turn("customer", body) + turn("agent", body)
                    + turn("customer", body))(repeat_to("a\n", n - 64))
    single.append(("conversation-3-turns", "conversation: three turns of `a\\n` repeated",
                   ["conversation", "--json", "@FILE"], None, 3 * (n - 64 + 40), "single",
                   conv))
    # Batch, streamed through a pipe (nothing this size is written to disk).
    line15 = lambda i: json.dumps({"id": i, "text": repeat_to("a b ", 15_000_000)}).encode() + b"\n"

    def forty_lines():
        for i in range(40):
            yield line15(i)

    def one_gib_line():
        block = b"x" * MIB
        yield b'{"id": 1, "text": "'
        for _ in range(1024):
            yield block

    batch = ["batch", "-i", "-", "-o", "-"]
    single.append(("batch-40-lines-15MB", "batch: 40 lines of 15 MB", batch, forty_lines,
                   40 * len(line15(0)), "batch", None))
    single.append(("batch-1GiB-line", "batch: one 1 GiB line, no newline", batch, one_gib_line,
                   19 + 1024 * MIB, "batch", None))
    return single


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run(argv, stdin_data):
    """Runs the command; returns (exit status, peak RSS in bytes, stderr tail)."""
    with tempfile.NamedTemporaryFile(prefix="tactful-amp-rss-", delete=False) as f:
        rss_file = f.name
    wrap = [TIME, "-f", "%M", "-o", rss_file] if TIME else []
    null = open(os.devnull, "wb")
    p = subprocess.Popen(wrap + [BIN] + argv, stdin=subprocess.PIPE, stdout=null,
                         stderr=subprocess.PIPE)
    null.close()
    err = []
    t = threading.Thread(target=lambda: err.append(p.stderr.read()))
    t.start()
    try:
        if stdin_data is not None:
            for chunk in stdin_data():
                p.stdin.write(chunk)
    except BrokenPipeError:
        pass
    finally:
        try:
            p.stdin.close()
        except BrokenPipeError:
            pass
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    t.join()
    peak = ru.ru_maxrss * 1024
    if TIME:
        with open(rss_file) as f:
            last = f.read().strip().splitlines()[-1]
        peak = int(last) * 1024
    os.unlink(rss_file)
    tail = err[0].decode("utf-8", "replace").strip().splitlines()[-1:] if err and err[0] else []
    return p.returncode, peak, " ".join(tail)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=16.0,
                    help="input size of the single-input shapes in MB (10^6 bytes; default 16)")
    ap.add_argument("--only", help="comma-separated shape names")
    ap.add_argument("--no-build", action="store_true", help="do not build the release CLI")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--locked", "--release", "-q", "-p", "tactful-cli"],
                       cwd=ROOT, check=True)
    n = int(args.mb * 1_000_000)
    todo = shapes(n)
    if args.only:
        want = set(args.only.split(","))
        unknown = want - {s[0] for s in todo}
        if unknown:
            sys.exit(f"unknown shape(s): {', '.join(sorted(unknown))}")
        todo = [s for s in todo if s[0] in want]

    _, base, _ = run(["assess", "--json"], lambda: [b"Where is my parcel?"])
    how = "/usr/bin/time" if TIME else "wait4 (upper bounds: includes this script at fork)"
    print(f"peak RSS read with {how}")
    print(f"baseline (assess of a short message): peak RSS {base / MIB:.1f} MiB")
    print()
    print("| shape | input | peak RSS | peak / input | bound | verdict |")
    print("|---|---:|---:|---:|---:|---|")
    failed = False
    for name, what, argv, data, size, kind, file_data in todo:
        tmp = None
        if file_data is not None:
            tmp = tempfile.NamedTemporaryFile(prefix="tactful-amp-", suffix=".jsonl", delete=False)
            contents = file_data()
            size = len(contents)
            tmp.write(contents)
            del contents
            tmp.close()
            argv = [tmp.name if a == "@FILE" else a for a in argv]
        try:
            code, peak, tail = run(argv, data)
        finally:
            if tmp:
                os.unlink(tmp.name)
        bound = FACTOR * size if kind == "single" else FACTOR * (CHUNK_BYTES + LINE_CAP)
        ok = code == 0 and peak <= bound
        failed |= not ok
        verdict = "ok" if ok else (f"FAILED (exit {code}: {tail})" if code else "OVER")
        print(f"| {what} | {size / 1e6:,.1f} MB | {peak / MIB:,.1f} MiB | "
              f"{peak / size:.2f}× | {bound / MIB:,.0f} MiB | {verdict} |", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
