#!/usr/bin/env bash
# `tactful batch` on a file with a malformed line, an empty text, invalid UTF-8 and a 5 MB
# text: every line gets an answer, the batch does not fail.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/in.jsonl" <<'PY'
import json, sys
big = "My card was charged twice for order #4471. " * 120_000   # ~5 MB
with open(sys.argv[1], "wb") as f:
    f.write(json.dumps({"id": 1, "text": "Someone stole my card and took $900!", "context": {"channel": "chat"}}).encode() + b"\n")
    f.write(b'{"id": 2, "text": "unterminated\n')
    f.write(json.dumps({"id": 3, "text": ""}).encode() + b"\n")
    f.write(b'{"id": 4, "text": "caf\xff"}\n')
    f.write(json.dumps({"id": 5, "text": big}).encode() + b"\n")
    f.write(json.dumps({"id": 6, "text": "Thanks, that fixed it!", "context": {"colour": "red"}}).encode() + b"\n")
    f.write(json.dumps({"id": 7, "text": 42}).encode() + b"\n")
PY
cargo run --locked --release -q -p tactful-cli -- batch --input "$tmp/in.jsonl" --output "$tmp/out.jsonl" 2>"$tmp/err"
cat "$tmp/err"
python3 - "$tmp/out.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 7, len(rows)
ok = {r["id"] for r in rows if "assessment" in r}
bad = {r.get("id") for r in rows if "error" in r}
assert ok == {1, 5}, rows
assert sum("error" in r for r in rows) == 5 and all("line" in r for r in rows if "error" in r), rows
assert rows[0]["assessment"]["situation"]["category"]["label"] == "fraud_security"
print("batch smoke: 7 lines, 2 assessed, 5 errors reported, batch not failed")
PY
