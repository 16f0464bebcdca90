#!/usr/bin/env python3
"""Check and convert the compact authoring format of data/situations into JSONL.

One message per line:

    channel industry category emotion intensity urgency stance style approach empathy flags :: text

- Fields with two honestly right answers use `/` (first choice first): `delivery/service_complaint`.
- `flags` is a comma-separated list of flag names, or `-` for none.
- In the text, `\\n` is a line break (emails, signatures). Everything after ` :: ` is the text.
- Blank lines and lines starting with `#` are ignored.

Usage:
    compact.py check FILE...            validate, print the grid counts (exit 1 on any error)
    compact.py convert PREFIX FILE...   write JSONL to stdout, ids PREFIX-00001...
"""
import collections
import json
import sys

CHANNELS = {"social", "chat", "email", "phone", "sms"}
CATEGORIES = {"fraud_security", "payment_problem", "billing_refund", "product_defect", "delivery",
              "account_access", "cancellation", "service_complaint", "information_request",
              "feedback", "other"}
EMOTIONS = {"anger", "frustration", "anxiety", "sadness", "confusion", "neutral", "positive"}
INTENSITY = {"low", "medium", "high"}
URGENCY = {"critical", "high", "normal", "low"}
STANCE = {"venting", "seeking_resolution", "seeking_information", "giving_feedback", "leaving"}
STYLE = {"data_driven", "experience_driven", "balanced"}
APPROACH = {"resolve_first", "empathize_then_resolve", "listen_and_validate", "deescalate",
            "inform_concisely", "appreciate", "retain"}
EMPATHY = {"none", "brief", "full"}
FLAGS = {"money_at_risk", "security", "safety", "vulnerable", "repeat_contact", "legal_threat",
         "regulator_threat", "chargeback_threat", "social_media_threat", "churn_threat",
         "profanity", "abuse", "sarcasm", "supervisor_requested", "shouting", "company_at_fault",
         "high_value_item", "non_english"}
FIELDS = [("channel", CHANNELS, False), ("industry", None, False), ("category", CATEGORIES, True),
          ("emotion", EMOTIONS, True), ("intensity", INTENSITY, False), ("urgency", URGENCY, True),
          ("stance", STANCE, True), ("style", STYLE, False), ("approach", APPROACH, True),
          ("empathy", EMPATHY, True)]


def parse(line):
    if " :: " not in line:
        raise ValueError("no ' :: ' between labels and text")
    head, text = line.split(" :: ", 1)
    text = text.strip().replace("\\n", "\n")
    toks = head.split()
    if len(toks) != len(FIELDS) + 1:
        raise ValueError(f"expected {len(FIELDS) + 1} label tokens, got {len(toks)}: {head!r}")
    row = {}
    for (name, vocab, multi), tok in zip(FIELDS, toks):
        vals = tok.split("/") if multi else [tok]
        for v in vals:
            if vocab is not None and v not in vocab:
                raise ValueError(f"{name}: unknown value {v!r}")
        row[name] = vals if multi else tok
    flags = [] if toks[-1] == "-" else toks[-1].split(",")
    for f in flags:
        if f not in FLAGS:
            raise ValueError(f"flags: unknown flag {f!r}")
    row["flags"] = flags
    if len(text) < 3:
        raise ValueError("text too short")
    if row["channel"] == "social" and len(text) > 280:
        raise ValueError(f"social text over 280 characters ({len(text)})")
    return row, text


def read(files):
    out, errors = [], 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                try:
                    row, text = parse(line)
                except ValueError as e:
                    errors += 1
                    print(f"{path}:{n}: {e}", file=sys.stderr)
                    continue
                out.append((row, text, path, n))
    return out, errors


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("check", "convert"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    if sys.argv[1] == "check":
        rows, errors = read(sys.argv[2:])
        print(f"{len(rows)} rows, {errors} errors")
        for key in ("category", "channel", "industry", "emotion", "stance", "approach", "urgency", "empathy"):
            c = collections.Counter((r[key][0] if isinstance(r[key], list) else r[key]) for r, *_ in rows)
            print(f"{key:10} " + ", ".join(f"{k} {v}" for k, v in c.most_common()))
        c = collections.Counter(f for r, *_ in rows for f in r["flags"])
        print("flags      " + ", ".join(f"{k} {v}" for k, v in c.most_common()))
        seen = collections.Counter(t.lower() for _, t, *_ in rows)
        dup = sum(v - 1 for v in seen.values() if v > 1)
        print(f"exact duplicate texts: {dup}")
        sys.exit(1 if errors else 0)
    prefix = sys.argv[2]
    rows, errors = read(sys.argv[3:])
    if errors:
        sys.exit(1)
    for i, (row, text, _, _) in enumerate(rows, 1):
        obj = {"id": f"{prefix}-{i:05d}", "text": text}
        obj.update(row)
        print(json.dumps(obj, ensure_ascii=False))


if __name__ == "__main__":
    main()
