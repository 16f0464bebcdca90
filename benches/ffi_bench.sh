#!/usr/bin/env bash
# C-vs-Rust per-call cost of one assess: the C timing program (benches/ffi_assess.c, linked to
# the release libtactful.so) and the criterion bench (benches/ffi_assess.rs: the direct Rust
# call next to the same call through the C ABI, on the same engine, text and context).
#
#   bash benches/ffi_bench.sh [ITERATIONS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
cargo build --quiet --release -p tactful-ffi
mkdir -p "$target/c-abi"
cc -std=c99 -O2 -Wall -Wextra -Werror -Iinclude benches/ffi_assess.c -L"$target/release" -ltactful \
    -Wl,-rpath,"$target/release" -o "$target/c-abi/ffi_assess"
"$target/c-abi/ffi_assess" "${1:-20000}"
cargo bench --quiet -p tactful-ffi --bench ffi_overhead
cargo bench --quiet -p tactful-ffi --bench ffi_assess -- --warm-up-time 1 --measurement-time 3
