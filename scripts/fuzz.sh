#!/usr/bin/env bash
# Runs the fuzz targets of fuzz/ under libFuzzer (cargo-fuzz, nightly toolchain), each for
# SECONDS (default 60), starting from the committed seeds in fuzz/seeds/<target>/.
# New corpus entries go to fuzz/corpus/<target>/ (not committed); a crash is saved under
# fuzz/artifacts/<target>/ and stops that target's run.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]       # all targets when none is named
#   FUZZ_EMBEDDED_MODEL=1 scripts/fuzz.sh 300 model   # also mutate the 1.2 MB embedded model
#   FUZZ_SANITIZER=none scripts/fuzz.sh 10      # no AddressSanitizer: builds faster (CI)
#
# Without a nightly toolchain or cargo-fuzz it says so and exits 0: the stable smoke test
# (cargo test --manifest-path fuzz/Cargo.toml --no-default-features, in scripts/test-all.sh)
# still runs every target's body over its seeds. See docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(assess context playbook_toml playbook_json model review conversation batch_lines)
fi
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "fuzz.sh: SKIPPED, no nightly toolchain (rustup toolchain install nightly)" >&2
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: SKIPPED, cargo-fuzz is not installed (cargo install cargo-fuzz)" >&2
  exit 0
fi
san="${FUZZ_SANITIZER:-address}"
cd fuzz
cargo +nightly fuzz build -O -s "$san"
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  dirs=("corpus/$t" "seeds/$t")
  extra=()
  if [ "$t" = model ] && [ "${FUZZ_EMBEDDED_MODEL:-0}" = 1 ]; then
    mkdir -p corpus/model-embedded
    cp ../crates/tactful/model/tactful.model corpus/model-embedded/embedded
    dirs+=(corpus/model-embedded)
    extra+=(-max_len=$(( $(stat -c %s ../crates/tactful/model/tactful.model) + 4096 )))
  fi
  echo "==> $t (${secs}s)"
  log="corpus/$t.log"
  if cargo +nightly fuzz run -O -s "$san" "$t" "${dirs[@]}" -- -max_total_time="$secs" \
      -print_final_stats=1 "${extra[@]}" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" | tr '\n' ' '
    echo
  else
    status=1
    echo "FAILED: see fuzz/$log and fuzz/artifacts/$t/"
    tail -n 30 "$log"
  fi
done
exit $status
