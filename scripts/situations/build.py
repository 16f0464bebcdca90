#!/usr/bin/env python3
"""Build data/situations/{train,test}/*.jsonl from the authored files in data/situations/raw/.

    python3 scripts/situations/build.py [--seed ../shared/datasets/realistic_seed/train.jsonl]

- Each raw file (compact format, see compact.py) becomes one JSONL per split, ids
  `<file stem>-NNNNN` in authoring order.
- Deduplication: exact (lower-cased, whitespace and @handles/links/digits folded) and near
  duplicates (Jaccard >= 0.7 on word 3-gram shingles, or on word sets for texts under 8 words)
  against everything kept before, the seed included; the first one written is kept.
- Split: a fixed 10 % held out by hash of the folded text (`test/`, never trained on).
- Guard: no row may be a near copy (same thresholds, handles and links folded) of a text in a
  measure-only set (twcs_dev, airline_tweets, complaints_twitter), for texts of six words or
  more (shorter ones are common phrases, not copies): the build stops and names
  the lines to remove from `raw/`, so the output never depends on those sets. Skipped, with a
  notice, when they are not beside the repository.
Deterministic: the same raw files give the same output bytes.
"""
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import compact  # noqa: E402

RAW = os.path.join(ROOT, "data", "situations", "raw")
OUT = os.path.join(ROOT, "data", "situations")


def fold(text):
    t = text.lower()
    t = re.sub(r"https?://\S+", " ", t)
    t = re.sub(r"@\w+", " ", t)
    t = re.sub(r"\d", "0", t)
    t = re.sub(r"[^\w\s']", " ", t)
    return " ".join(t.split())


def shingles(folded):
    w = folded.split()
    if len(w) < 8:
        return {("w",) + (x,) for x in w}
    return {tuple(w[i:i + 3]) for i in range(len(w) - 2)}


class Dedup:
    def __init__(self):
        self.exact = set()
        self.index = {}  # shingle -> list of ids
        self.sets = []

    def seen(self, text):
        f = fold(text)
        if f in self.exact:
            return True
        sh = shingles(f)
        if not sh:
            return False
        counts = {}
        for s in sh:
            for j in self.index.get(s, ()):
                counts[j] = counts.get(j, 0) + 1
        for j, c in counts.items():
            other = self.sets[j]
            if c / (len(sh) + len(other) - c) >= 0.7:
                return True
        return False

    def add(self, text):
        f = fold(text)
        self.exact.add(f)
        sh = shingles(f)
        j = len(self.sets)
        self.sets.append(sh)
        for s in sh:
            self.index.setdefault(s, []).append(j)


MEASURE_ONLY = [
    ("twcs_dev", "dev.jsonl"),
    ("airline_tweets", "train.jsonl"),
    ("airline_tweets", "dev.jsonl"),
    ("complaints_twitter", "train.jsonl"),
    ("complaints_twitter", "dev.jsonl"),
]


def measure_only_guard():
    """A Dedup over the measure-only texts, or None when they are absent."""
    base = os.path.join(ROOT, "..", "shared", "datasets")
    g = Dedup()
    found = 0
    for name, split in MEASURE_ONLY:
        path = os.path.join(base, name, split)
        if not os.path.exists(path):
            continue
        found += 1
        with open(path, encoding="utf-8") as f:
            for line in f:
                g.add(json.loads(line)["text"])
    if not found:
        print("NOTICE: measure-only sets not found; the contamination guard was skipped")
        return None
    return g


def main():
    guard = measure_only_guard()
    contaminated = []
    seed = os.path.join(ROOT, "..", "shared", "datasets", "realistic_seed", "train.jsonl")
    if "--seed" in sys.argv:
        seed = sys.argv[sys.argv.index("--seed") + 1]
    d = Dedup()
    if os.path.exists(seed):
        with open(seed, encoding="utf-8") as f:
            for line in f:
                d.add(json.loads(line)["text"])
    files = sorted(x for x in os.listdir(RAW) if x.endswith(".txt"))
    total = dropped = 0
    for split in ("train", "test"):
        os.makedirs(os.path.join(OUT, split), exist_ok=True)
    for name in files:
        stem = name[:-4]
        rows, errors = compact.read([os.path.join(RAW, name)])
        if errors:
            sys.exit(f"{name}: {errors} invalid lines (run compact.py check)")
        out = {"train": [], "test": []}
        for i, (row, text, _, _) in enumerate(rows, 1):
            total += 1
            # Two- to five-word texts ("STOP", "never again @X") are common phrases, not copies.
            if guard is not None and len(fold(text).split()) >= 6 and guard.seen(text):
                contaminated.append(f"{name}: {text[:100]!r}")
            if d.seen(text):
                dropped += 1
                continue
            d.add(text)
            h = int(hashlib.sha1(("tactful-situations:" + fold(text)).encode()).hexdigest(), 16)
            split = "test" if h % 10 == 0 else "train"
            obj = {"id": f"{stem}-{i:05d}", "split": split, "text": text}
            obj.update(row)
            out[split].append(json.dumps(obj, ensure_ascii=False))
        for split, lines in out.items():
            with open(os.path.join(OUT, split, stem + ".jsonl"), "w", encoding="utf-8") as f:
                f.write("".join(l + "\n" for l in lines))
        print(f"{name}: {len(rows)} rows, train {len(out['train'])}, test {len(out['test'])}")
    print(f"total {total}, dropped as duplicates {dropped}")
    if contaminated:
        print("\n".join(contaminated))
        sys.exit(f"{len(contaminated)} rows copy a measure-only text: remove them from raw/")


if __name__ == "__main__":
    main()
