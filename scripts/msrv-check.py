#!/usr/bin/env python3
"""Checks, offline, that the declared minimum supported Rust version (MSRV) is not false.

The workspace declares `rust-version` (Cargo.toml `[workspace.package]`). Only one toolchain
is installed where CI runs and none can be fetched, so this cannot build with that version;
it checks what can be checked without it, from `cargo metadata --offline --locked` (the
locked versions of Cargo.lock and their own Cargo.toml):

1. every package of the workspace (and of `bindings/python`, its own workspace) declares
   the same `rust-version`;
2. no dependency needed to build them (normal and build dependencies, transitively)
   declares a `rust-version` newer than that;
3. no dependency needed by their tests and benches (dev-dependencies, transitively)
   declares one newer than `[workspace.metadata.msrv] tests` — the test suite's own
   minimum, which may be newer (test-only crates such as proptest move faster).

What it cannot see: language features and standard library items stabilized after the
declared version (clippy's `incompatible_msrv` lint, on in `cargo clippy`, catches the
standard library items). A real MSRV build needs that toolchain:
`cargo +1.85 build --workspace --locked` (and `cargo +<tests> test --workspace --locked`).

Prints one line per check; exits 1 when one fails.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def version(v):
    """`1.85` and `1.85.0` alike, as a comparable (major, minor, patch)."""
    parts = [int(x) for x in v.split(".")] if v else []
    return tuple((parts + [0, 0, 0])[:3])


def metadata(manifest_dir):
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--offline", "--locked"],
        cwd=manifest_dir,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def closure(meta, with_dev):
    """Ids of the packages the workspace members need (their dev-dependencies too when
    `with_dev`; dependencies of dependencies never include their dev-dependencies)."""
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    members = set(meta["workspace_members"])

    def needed(dep, root):
        kinds = {k["kind"] for k in dep["dep_kinds"]}
        return bool(kinds - {"dev"}) or (root and with_dev and "dev" in kinds)

    seen, stack = set(), []
    for m in members:
        stack += [d["pkg"] for d in nodes[m]["deps"] if needed(d, True)]
    while stack:
        pkg = stack.pop()
        if pkg in seen or pkg in members:
            continue
        seen.add(pkg)
        stack += [d["pkg"] for d in nodes[pkg]["deps"] if needed(d, False)]
    return seen


def main():
    root = metadata(ROOT)
    # `[workspace.package] rust-version`, as the core crate inherits it.
    members = set(root["workspace_members"])
    msrv = next(
        p["rust_version"]
        for p in root["packages"]
        if p["id"] in members and p["name"] == "tactful"
    )
    tests_msrv = root["metadata"]["msrv"]["tests"]
    failures = []
    print(f"msrv: declared rust-version {msrv}; tests and benches {tests_msrv}")
    for where in [ROOT, ROOT / "bindings" / "python"]:
        meta = metadata(where)
        packages = {p["id"]: p for p in meta["packages"]}
        name = where.relative_to(ROOT).as_posix() if where != ROOT else "workspace"
        for m in meta["workspace_members"]:
            p = packages[m]
            if p.get("rust_version") != msrv:
                failures.append(
                    f"{p['name']} declares rust-version {p.get('rust_version')}, not {msrv}"
                )
        build = closure(meta, with_dev=False)
        dev = closure(meta, with_dev=True) - build
        for label, ids, limit in [("build", build, msrv), ("tests", dev, tests_msrv)]:
            if not ids:
                print(f"msrv: {name} {label}: no dependencies")
                continue
            newest = max(ids, key=lambda i: version(packages[i].get("rust_version")))
            top = packages[newest]
            print(
                f"msrv: {name} {label}: {len(ids)} crates, newest requirement "
                f"{top.get('rust_version') or 'none'} ({top['name']} {top['version']}); "
                f"limit {limit}"
            )
            for i in sorted(ids, key=lambda i: packages[i]["name"]):
                p = packages[i]
                if version(p.get("rust_version")) > version(limit):
                    failures.append(
                        f"{name} {label}: {p['name']} {p['version']} needs Rust "
                        f"{p['rust_version']}, above {limit}"
                    )
    for f in failures:
        print(f"msrv: FAIL {f}")
    if failures:
        sys.exit(1)
    print("msrv: ok (offline check; a real build with that toolchain is not run here)")


if __name__ == "__main__":
    main()
