#!/usr/bin/env python3
"""Agreement between the corpus labels and an independent blind relabeling.

    python3 scripts/situations/agreement.py [data/situations/relabel/blind-2026-11.jsonl]

For each field: `overlap` counts a row as agreeing when the two lists of accepted answers
share a label (the twcs_dev rule), `first` when the first choices are equal. For flags: how
many rows each side flagged, how many both did, and the F1 of the two sets.
"""
import glob
import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
relabel = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, "data", "situations", "relabel", "blind-2026-11.jsonl")
orig = {}
for f in glob.glob(os.path.join(ROOT, "data", "situations", "*", "*.jsonl")):
    if os.sep + "relabel" + os.sep in f:
        continue
    with open(f, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            orig[r["id"]] = r
with open(relabel, encoding="utf-8") as fh:
    lab = [json.loads(l) for l in fh if l.strip()]
lab = [r for r in lab if r["id"] in orig]
print(f"{len(lab)} rows relabeled blind")
print("| field | overlap | first choice |")
print("|---|---:|---:|")
for f in ["category", "emotion", "intensity", "urgency", "stance", "style", "approach", "empathy"]:
    as_list = lambda v: v if isinstance(v, list) else [v]
    ov = sum(1 for r in lab if set(as_list(orig[r["id"]][f])) & set(as_list(r[f])))
    fc = sum(1 for r in lab if as_list(orig[r["id"]][f])[0] == as_list(r[f])[0])
    print(f"| {f} | {ov / len(lab):.3f} | {fc / len(lab):.3f} |")
print()
print("| flag | writer | relabeler | both | F1 |")
print("|---|---:|---:|---:|---:|")
flags = sorted({f for r in lab for f in r["flags"]} | {f for r in lab for f in orig[r["id"]]["flags"]})
for fl in flags:
    a = sum(1 for r in lab if fl in orig[r["id"]]["flags"])
    b = sum(1 for r in lab if fl in r["flags"])
    both = sum(1 for r in lab if fl in orig[r["id"]]["flags"] and fl in r["flags"])
    print(f"| {fl} | {a} | {b} | {both} | {2 * both / max(1, a + b):.2f} |")
