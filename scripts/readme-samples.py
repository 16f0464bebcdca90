#!/usr/bin/env python3
"""Checks that every command output shown in the READMEs is what the command prints today.

    python3 scripts/readme-samples.py            # check (the test command runs this)
    python3 scripts/readme-samples.py --write    # regenerate the shown outputs in place

A sample is marked in the Markdown by HTML comments, each right above a fenced block:

    <!-- sample:ID:setup -->          shell run first, in the repository (output ignored)
    <!-- sample:ID:file NAME -->      the block is written to NAME in a scratch directory
    <!-- sample:ID:command -->        the shell command shown to the reader
    <!-- sample:ID:output -->         what it prints (stdout), compared byte for byte
    <!-- sample:ID:output:abridged-json -->   the same, after `abridged_json` below

The command runs with bash (`set -euo pipefail`) in the repository root, or in the scratch
directory when the sample has files, with `target/release` (where `tactful` is built) first
on the PATH. The Rust snippets of README.md run as doctests (`cargo test -p tactful --doc`)
and the Python README's examples as doctests in `tests/python/test_readme.py`.

Builds the release CLI first (`cargo build --release -p tactful-cli`, a no-op when it is
fresh: a stale binary would check the samples against an older model); the C sample builds
`tactful-ffi` itself. Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parents[1]
DOCS = ["README.md", "crates/tactful-ffi/README-C.md", "bindings/python/README.md"]

MARKER = re.compile(r"^<!-- sample:([a-z0-9-]+):(setup|command|output|file)(?::(\S+)| (\S+))? -->$")
FENCE = re.compile(r"^(`{3,})[^`]*$")


class Sample:
    def __init__(self, doc: str, ident: str) -> None:
        self.doc = doc
        self.id = ident
        self.setup: List[str] = []
        self.files: Dict[str, str] = {}
        self.command: Optional[str] = None
        # (first content line, end line exclusive, transform) of the output block
        self.output: Optional[Tuple[int, int, Optional[str]]] = None


def parse(doc: str, lines: List[str]) -> List[Sample]:
    samples: Dict[str, Sample] = {}
    i = 0
    while i < len(lines):
        m = MARKER.match(lines[i].rstrip("\n"))
        if not m:
            i += 1
            continue
        ident, kind, transform, name = m.groups()
        fence = FENCE.match(lines[i + 1].rstrip("\n")) if i + 1 < len(lines) else None
        if not fence:
            sys.exit(f"{doc}:{i + 1}: a sample marker must sit right above a fenced block")
        start = i + 2
        end = start
        while end < len(lines) and lines[end].rstrip("\n") != fence.group(1):
            end += 1
        if end == len(lines):
            sys.exit(f"{doc}:{i + 2}: unterminated fenced block")
        body = "".join(lines[start:end])
        s = samples.setdefault(ident, Sample(doc, ident))
        if kind == "setup":
            s.setup.append(body)
        elif kind == "file":
            if not name:
                sys.exit(f"{doc}:{i + 1}: `file` needs a name")
            s.files[name] = body
        elif kind == "command":
            s.command = body
        else:
            s.output = (start, end, transform)
        i = end + 1
    for s in samples.values():
        if s.command is None or s.output is None:
            sys.exit(f"{doc}: sample {s.id} needs both a command and an output block")
    return list(samples.values())


def cut(value: Any, keep: int) -> Any:
    if isinstance(value, list) and len(value) > keep:
        return value[:keep] + ["…"]
    return value


def abridged_json(out: str) -> str:
    """One assessment: score tables to their two highest entries, lists to their first."""
    a = json.loads(out)
    s = a["situation"]
    for head in ("category", "emotion"):
        scores = sorted(s[head]["scores"].items(), key=lambda kv: -kv[1])
        s[head]["scores"] = dict(scores[:2] + [("…", "…")])
    r = a["recommendation"]
    for key in ("steps", "avoid", "channel_tips"):
        r[key] = cut(r[key], 1)
    a["evidence"] = cut(a["evidence"], 1)

    def one(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False)

    parts = []
    for key, value in a.items():
        if isinstance(value, dict):
            inner = ",\n".join(f"    {one(k)}: {one(v)}" for k, v in value.items())
            parts.append(f"  {one(key)}: {{\n{inner}\n  }}")
        else:
            parts.append(f"  {one(key)}: {one(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


TRANSFORMS = {None: lambda out: out, "abridged-json": abridged_json}


def run(sample: Sample) -> str:
    env = dict(os.environ)
    env["PATH"] = f"{REPO / 'target' / 'release'}{os.pathsep}{env.get('PATH', '')}"
    with tempfile.TemporaryDirectory(prefix="readme-sample-") as scratch:
        for name, body in sample.files.items():
            (Path(scratch) / name).write_text(body, encoding="utf-8")
        script = "set -euo pipefail\n"
        script += f"cd {json.dumps(str(REPO))}\n"
        for body in sample.setup:
            script += "{\n" + body + "} >&2\n"
        if sample.files:
            script += f"cd {json.dumps(scratch)}\n"
        script += sample.command or ""
        p = subprocess.run(
            ["bash", "-c", script], env=env, capture_output=True, text=True, check=False
        )
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            sys.exit(f"{sample.doc}: sample {sample.id}: the command failed (exit {p.returncode})")
        return p.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="regenerate the shown outputs")
    args = ap.parse_args()
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "-p", "tactful-cli"], cwd=REPO, check=True
    )
    stale = 0
    for doc in DOCS:
        path = REPO / doc
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        samples = parse(doc, lines)
        # Replace from the bottom so earlier line numbers stay valid.
        for s in sorted(samples, key=lambda s: -s.output[0]):  # type: ignore[index]
            start, end, transform = s.output  # type: ignore[misc]
            if transform not in TRANSFORMS:
                sys.exit(f"{doc}: sample {s.id}: unknown output transform {transform!r}")
            want = TRANSFORMS[transform](run(s))
            shown = "".join(lines[start:end])
            if shown == want:
                print(f"ok       {doc}: {s.id}")
                continue
            stale += 1
            if args.write:
                lines[start:end] = want.splitlines(keepends=True)
                print(f"written  {doc}: {s.id}")
            else:
                print(f"STALE    {doc}: {s.id}: the shown output is not what the command prints")
                sys.stdout.writelines(
                    difflib.unified_diff(
                        shown.splitlines(keepends=True),
                        want.splitlines(keepends=True),
                        f"{doc} (shown)",
                        f"{s.id} (printed)",
                    )
                )
        if args.write:
            path.write_text("".join(lines), encoding="utf-8")
    if stale and not args.write:
        print(f"{stale} stale sample(s): python3 scripts/readme-samples.py --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
