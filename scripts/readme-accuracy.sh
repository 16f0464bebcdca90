#!/usr/bin/env bash
# Re-measures the accuracy tables and puts docs/accuracy.md into README.md between its markers.
#   bash scripts/readme-accuracy.sh [DATASETS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-${TACTFUL_DATASETS:-../shared/datasets}}
cargo run --quiet --release -p tactful-train -- eval --data "$data" \
    --write docs/accuracy.md --record crates/tactful-train/accuracy.json > /dev/null
python3 - <<'PY'
import re
readme = open("README.md", encoding="utf-8").read()
table = open("docs/accuracy.md", encoding="utf-8").read().split("\n", 1)[1].strip()
start, end = "<!-- docs/accuracy.md:start -->", "<!-- docs/accuracy.md:end -->"
i, j = readme.index(start) + len(start), readme.index(end)
open("README.md", "w", encoding="utf-8").write(readme[:i] + "\n" + table + "\n" + readme[j:])
PY
echo "README.md, docs/accuracy.md and crates/tactful-train/accuracy.json updated"
