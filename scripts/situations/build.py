#!/usr/bin/env python3
"""Build data/situations/{train,test}/*.jsonl from the authored files in data/situations/raw/.

    python3 scripts/situations/build.py [--seed ../shared/datasets/realistic_seed/train.jsonl]

- Each raw file (compact format, see compact.py) becomes one JSONL per split, ids
  `<file stem>-NNNNN` in authoring order.
- Deduplication: exact (lower-cased, whitespace and @handles/links/digits folded) and near
  duplicates (Jaccard >= 0.7 on word 3-gram shingles, or on word sets for texts under 8 words)
  against everything kept before, the seed included; the first one written is kept.
- Split: a fixed 10 % held out by hash of the folded text (`test/`, never trained on).
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


def main():
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


if __name__ == "__main__":
    main()
