#!/usr/bin/env bash
# `tactful batch` on a file with a byte-order mark, a malformed line, an empty text, invalid
# UTF-8, a 5 MB text and an id beyond u64: every line gets an answer, ids come back as written,
# the batch does not fail; then the input given as output too is refused and left intact.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/in.jsonl" <<'PY'
import json, sys
big = "My card was charged twice for order #4471. " * 120_000   # ~5 MB
with open(sys.argv[1], "wb") as f:
    f.write(b"\xef\xbb\xbf" + json.dumps({"id": 1, "text": "Someone stole my card and took $900!", "context": {"channel": "chat"}}).encode() + b"\n")
    f.write(b'{"id": 2, "text": "unterminated\n')
    f.write(json.dumps({"id": 3, "text": ""}).encode() + b"\n")
    f.write(b'{"id": 4, "text": "caf\xff"}\n')
    f.write(json.dumps({"id": 5, "text": big}).encode() + b"\n")
    f.write(json.dumps({"id": 6, "text": "Thanks, that fixed it!", "context": {"colour": "red"}}).encode() + b"\n")
    f.write(json.dumps({"id": 7, "text": 42}).encode() + b"\n")
    f.write(b'{"id": 123456789012345678901234567890, "text": "Where is my parcel?"}\n')
PY
cargo run --locked --release -q -p tactful-cli -- batch --input "$tmp/in.jsonl" --output "$tmp/out.jsonl" 2>"$tmp/err"
cat "$tmp/err"
python3 - "$tmp/out.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines[7].startswith('{"id":123456789012345678901234567890,"assessment"'), lines[7][:80]
rows = [json.loads(l) for l in lines[:7]]
assert len(lines) == 8, len(lines)
ok = {r["id"] for r in rows if "assessment" in r}
bad = {r.get("id") for r in rows if "error" in r}
assert ok == {1, 5}, rows
assert sum("error" in r for r in rows) == 5 and all("line" in r for r in rows if "error" in r), rows
assert rows[0]["assessment"]["situation"]["category"]["label"] == "fraud_security"
print("batch smoke: 8 lines, 3 assessed, 5 errors reported, ids as written, batch not failed")
PY
before=$(sha256sum < "$tmp/in.jsonl")
if cargo run --locked --release -q -p tactful-cli -- batch -i "$tmp/in.jsonl" -o "$tmp/in.jsonl" 2> "$tmp/err"; then
    echo "batch smoke: the input as output was not refused"; exit 1
fi
[ "$(sha256sum < "$tmp/in.jsonl")" = "$before" ] || { echo "batch smoke: the input was changed"; exit 1; }
echo "batch smoke: input as output refused ($(cat "$tmp/err")), input intact"
