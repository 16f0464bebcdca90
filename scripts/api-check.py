#!/usr/bin/env python3
"""Public-API snapshot of the `tactful` crate, on the stable toolchain.

    python3 scripts/api-check.py           # regenerate and compare with api/tactful.txt
    python3 scripts/api-check.py --write   # accept the current API (commit api/tactful.txt)

rustdoc's JSON output needs nightly, so this reads the HTML that `cargo doc -p tactful
--no-deps` writes: the list of every public item (`all.html`) and, on each item's page, its
declaration (fields, variants), its inherent methods and associated constants, and the traits
it implements, auto traits (`Send`, `Sync`, `Unpin`, `UnwindSafe`) included; blanket
implementations from other crates are left out. Types print as rustdoc shows them (short
names, no links). A changed line is a changed public API: if the change is intended, run with
`--write` and commit the file with the change, noting it in CHANGELOG.md.

The HTML is rustdoc's, so a new toolchain may print the same API a little differently: the
toolchain the snapshot was written with is recorded in its first line and named on a mismatch.

Then a semver check: the lines of the snapshot at the newest release tag (`v*`) that are gone
now are API removed or changed since that release, which needs a breaking version (0.x: the
minor, else the major). With no release tag yet there is nothing to compare against, and the
script says so.
"""
import html
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SNAPSHOT = os.path.join(ROOT, "api", "tactful.txt")
SNAPSHOT_REL = "api/tactful.txt"


def target_dir():
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return re.search(r'"target_directory":"((?:[^"\\]|\\.)*)"', out).group(1)


def text_of(fragment):
    """Plain text of an HTML fragment: tags dropped, entities decoded, rustdoc's toggles gone."""
    fragment = re.sub(r"<summary.*?</summary>", "", fragment, flags=re.S)
    fragment = re.sub(r'<div class="code-attribute">(.*?)</div>', "\\1\n", fragment, flags=re.S)
    fragment = re.sub(r"<br\s*/?>", "\n", fragment)
    fragment = re.sub(r'<(?:div|span) class="where">', " ", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def one_line(fragment):
    return " ".join(text_of(fragment).split())


def item_lines(path):
    """The declaration, inherent members and trait impls of one item page."""
    page = open(path, encoding="utf-8").read()
    lines = []
    decl = re.search(r'<pre class="rust item-decl">(.*?)</pre>', page, flags=re.S)
    if decl:
        for line in text_of(decl.group(1)).splitlines():
            if line.strip():
                lines.append("    " + line.rstrip())
    # Sections of the page, in rustdoc's order: inherent impls, trait impls, auto traits,
    # blanket impls.
    marks = {}
    for name in ("implementations-list", "trait-implementations-list",
                 "synthetic-implementations-list", "blanket-implementations-list"):
        i = page.find(f'<div id="{name}"')
        if i >= 0:
            marks[name] = i
    ends = sorted(marks.values()) + [len(page)]

    def section(name):
        if name not in marks:
            return ""
        start = marks[name]
        return page[start:min(e for e in ends if e > start)]

    for m in re.finditer(r'<(h3|h4) class="code-header">(.*?)</\1>',
                         section("implementations-list"), flags=re.S):
        lines.append(("    " if m.group(1) == "h3" else "        ") + one_line(m.group(2)))
    impls = []
    for name in ("trait-implementations-list", "synthetic-implementations-list"):
        for m in re.finditer(r'<h3 class="code-header">(.*?)</h3>', section(name), flags=re.S):
            impls.append("    " + one_line(m.group(1)))
    return lines + sorted(set(impls))


def snapshot(doc):
    index = open(os.path.join(doc, "all.html"), encoding="utf-8").read()
    out = []
    for href in sorted(set(re.findall(r'<li><a href="([^"#]+\.html)">', index))):
        parts = href[:-len(".html")].split("/")
        kind, name = parts[-1].split(".", 1)
        item = "::".join(["tactful"] + parts[:-1] + [name])
        out.append(f"{kind} {item}")
        out.extend(item_lines(os.path.join(doc, href)))
    return out


def toolchain():
    return subprocess.run(["rustdoc", "--version"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()


def body(text):
    return [l for l in text.splitlines() if not l.startswith("#")]


def keyed(lines):
    """Each line prefixed with its item, so `Retain,` in one enum is not another's."""
    item, out = "", []
    for line in lines:
        if not line.startswith(" "):
            item = line
            out.append(line)
        else:
            out.append(f"{item}: {line.strip()}")
    return out


def semver_check(current):
    tags = subprocess.run(["git", "tag", "--list", "v*", "--sort=-v:refname"], cwd=ROOT,
                          capture_output=True, text=True).stdout.split()
    if not tags:
        print("api-check: semver check: no release tag (v*) in this repository yet, so there "
              "is no released API to compare against; nothing checked.")
        return 0
    tag = tags[0]
    old = subprocess.run(["git", "show", f"{tag}:{SNAPSHOT_REL}"], cwd=ROOT,
                         capture_output=True, text=True)
    if old.returncode != 0:
        print(f"api-check: semver check: release {tag} has no {SNAPSHOT_REL}; nothing checked.")
        return 0
    gone = sorted(set(keyed(body(old.stdout))) - set(keyed(current)))
    version = re.search(r'^version\s*=\s*"([^"]+)"',
                        open(os.path.join(ROOT, "Cargo.toml"), encoding="utf-8").read(),
                        flags=re.M).group(1)

    def breaking(v):
        nums = [int(x) for x in re.findall(r"\d+", v)[:2]]
        return tuple(nums) if nums[0] == 0 else (nums[0],)

    if not gone:
        print(f"api-check: semver check: nothing public removed or changed since {tag}.")
        return 0
    if breaking(version) != breaking(tag.lstrip("v")):
        print(f"api-check: semver check: {len(gone)} line(s) of {tag}'s API removed or changed; "
              f"version {version} is a breaking release after {tag}, so that is allowed.")
        return 0
    print(f"api-check: semver check FAILED: {len(gone)} line(s) of {tag}'s public API are "
          f"removed or changed, but version {version} is not a breaking release after {tag}:")
    for line in gone[:40]:
        print(f"  - {line}")
    return 1


def main():
    write = "--write" in sys.argv[1:]
    unknown = [a for a in sys.argv[1:] if a != "--write"]
    if unknown:
        sys.exit(f"usage: {sys.argv[0]} [--write]   (unknown: {' '.join(unknown)})")
    subprocess.run(["cargo", "doc", "-p", "tactful", "--no-deps", "--locked", "-q"],
                   cwd=ROOT, check=True)
    current = snapshot(os.path.join(target_dir(), "doc", "tactful"))
    tool = toolchain()
    header = [
        "# The public API of the tactful crate, from its rustdoc HTML (stable toolchain).",
        "# Generated by `python3 scripts/api-check.py --write`; CI fails when it is not current.",
        f"# Written with: {tool}",
    ]
    text = "\n".join(header + current) + "\n"
    if write:
        os.makedirs(os.path.dirname(SNAPSHOT), exist_ok=True)
        with open(SNAPSHOT, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"api-check: wrote {SNAPSHOT_REL} ({len(current)} lines).")
        return semver_check(current)
    try:
        committed = open(SNAPSHOT, encoding="utf-8").read()
    except FileNotFoundError:
        print(f"api-check: {SNAPSHOT_REL} is missing; create it with "
              f"`python3 scripts/api-check.py --write`.")
        return 1
    old = body(committed)
    if old != current:
        import difflib
        print(f"api-check FAILED: the public API differs from {SNAPSHOT_REL} "
              f"(- committed, + now):")
        diff = list(difflib.unified_diff(old, current, SNAPSHOT_REL, "now", lineterm="", n=1))
        for line in diff[:200]:
            print(line)
        if len(diff) > 200:
            print(f"... {len(diff) - 200} more diff lines")
        written = re.search(r"^# Written with: (.*)$", committed, flags=re.M)
        if written and written.group(1) != tool:
            print(f"note: the snapshot was written with {written.group(1)} and this is {tool}; "
                  f"rustdoc may print the same API differently.")
        print("If the change is intended: `python3 scripts/api-check.py --write`, commit "
              f"{SNAPSHOT_REL} with it and note it in CHANGELOG.md.")
        return 1
    print(f"api-check: public API matches {SNAPSHOT_REL} ({len(current)} lines).")
    return semver_check(current)


if __name__ == "__main__":
    sys.exit(main())
