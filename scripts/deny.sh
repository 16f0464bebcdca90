#!/usr/bin/env bash
# Dependency audit with cargo-deny (config: deny.toml) over the three Cargo workspaces of
# the repository: the main one, bindings/python and fuzz/.
#
#   scripts/deny.sh              # licenses, bans, sources: offline, no database needed
#   scripts/deny.sh advisories   # the RustSec advisory database (fetched: needs network)
#
# scripts/test-all.sh runs the offline checks when cargo-deny is installed and says
# "SKIPPED dependency audit" when it is not (installing it, cargo install cargo-deny --locked,
# compiles ~300 crates: many minutes on a small machine). Advisories stay a manual check.
# See docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! cargo deny --version >/dev/null 2>&1; then
  echo "deny.sh: cargo-deny is not installed: cargo install cargo-deny --locked" >&2
  exit 2
fi
if [ "${1:-}" = advisories ]; then
  checks=(advisories)
  offline=()
else
  checks=(licenses bans sources)
  offline=(--offline)
fi
status=0
for manifest in Cargo.toml bindings/python/Cargo.toml fuzz/Cargo.toml; do
  echo "==> cargo deny check ${checks[*]} ($manifest)"
  cargo deny "${offline[@]}" --locked --manifest-path "$manifest" --config deny.toml \
    check "${checks[@]}" || status=1
done
exit $status
